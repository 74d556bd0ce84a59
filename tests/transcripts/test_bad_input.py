"""Empty, truncated, binary and unknown input: always TranscriptFormatError with a useful message.

The property tests feed random bytes, text and JSON, and mutations (truncation, byte flips)
of the real samples; the only exception allowed out of parse_transcript is TranscriptFormatError.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aceint_core.transcripts import Transcript, TranscriptFormatError, parse_transcript

SAMPLES = Path(__file__).parent / "samples"
SAMPLE_BYTES = {
    p.name: p.read_bytes() for p in sorted(SAMPLES.iterdir()) if p.suffix in (".json", ".vtt", ".txt")
}
NON_EMPTY = [name for name, data in SAMPLE_BYTES.items() if data]


def parse_or_format_error(source: object) -> Transcript | None:
    """parse_transcript, where a TranscriptFormatError is an accepted outcome (with a message)."""
    try:
        transcript = parse_transcript(source)  # type: ignore[arg-type]
    except TranscriptFormatError as exc:
        assert str(exc).strip(), "the error must say something"
        assert "expected" in str(exc).lower(), "the error must say what was expected"
        return None
    assert transcript.turns, "a successful parse has turns"
    return transcript


@pytest.mark.parametrize(
    ("source", "phrase"),
    [
        (b"", "empty"),
        ("   \n\r\n\t", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        ('{"results": {"channels": [', "truncated"),
        ('[{"speaker": "A", "text": "hi"', "truncated"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (
            "Just some prose with no speakers.\nMore prose.\nEven more.\nAnd more.\nThe end.",
            "No line looks like",
        ),
        ({"foo": 1, "bar": [1, 2]}, "not a transcript shape"),
        ([1, 2, 3], "not a transcript shape"),
        ({"transcript": []}, "no turns"),
        ("WEBVTT\n\n", "no turns"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n\n00:00:03.000 --> 00:0", "truncated"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:03,000 --> 00:0", "truncated"),
        (12345, "Cannot read a transcript from a int"),
    ],
)
def test_bad_input_gives_a_clear_error(source: object, phrase: str) -> None:
    with pytest.raises(TranscriptFormatError) as raised:
        parse_transcript(source)  # type: ignore[arg-type]
    message = str(raised.value)
    assert phrase in message
    assert "expected" in message.lower()
    if "truncated" not in phrase and "Cannot read" not in phrase:
        assert "Expected one of" in message and "WebVTT" in message and "AWS Transcribe" in message


def test_error_message_does_not_dump_the_input() -> None:
    secret_looking = '{"token": "sk-live-abcdef", "x": ' + "1" * 5000
    with pytest.raises(TranscriptFormatError) as raised:
        parse_transcript(secret_looking)
    assert "sk-live" not in str(raised.value) and len(str(raised.value)) < 2000


def test_deeply_nested_json_is_a_format_error_not_a_recursion_error() -> None:
    with pytest.raises(TranscriptFormatError):
        parse_transcript("[" * 100_000 + "]" * 100_000)


def test_wrong_types_in_a_recognised_shape_name_the_field() -> None:
    with pytest.raises(TranscriptFormatError) as raised:
        parse_transcript(
            [{"speaker": "A", "role": "candidate", "startTime": 0, "endTime": 1, "text": {"x": 1}}]
        )
    assert "transcript[0].text" in str(raised.value)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "speaker",
                    "role",
                    "startTime",
                    "endTime",
                    "text",
                    "transcript",
                    "data",
                    "message",
                    "results",
                    "utterances",
                    "words",
                    "segments",
                    "monologues",
                    "messages",
                    "content",
                    "start",
                    "end",
                    "items",
                    "channels",
                    "alternatives",
                    "speaker_labels",
                    "type",
                    "elements",
                    "ts",
                    "end_ts",
                    "time_in_call_secs",
                    "secondsFromStart",
                    "artifact",
                    "paragraphs",
                    "sentences",
                    "transcript",
                    "start_time",
                    "end_time",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)
# TRANSCRIPT_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("TRANSCRIPT_FUZZ_EXAMPLES", "250"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    parse_or_format_error(data)


@PROPERTY_SETTINGS
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    parse_or_format_error(text)


@PROPERTY_SETTINGS
@given(JSON_VALUES)
def test_random_json_decoded_and_encoded(value: object) -> None:
    parse_or_format_error(value)
    parse_or_format_error(json.dumps(value))


TEXT_LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "WEBVTT",
                "00:00:01.000 --> 00:00:02.000",
                "00:00:01,000 --> 00:00:02,000",
                "1",
                "",
                "Q1: hi",
                "A1 [10:00:00]: yo",
                "[00:00:05] Bob: x",
                "<v Ann>hi</v>",
                "NOTE x",
                "Speaker: text",
                "00:05:16\tAnn:\thi",
                "  continued",
                "-->",
                "Clarification: ?",
            ]
        ),
    ),
    max_size=30,
)


@PROPERTY_SETTINGS
@given(TEXT_LINES, st.sampled_from(["\n", "\r\n", "\r"]))
def test_structured_looking_text(lines: list[str], newline: str) -> None:
    parse_or_format_error(newline.join(lines))


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(NON_EMPTY),
    st.data(),
)
def test_mutated_samples(name: str, data: st.DataObject) -> None:
    original = SAMPLE_BYTES[name]
    mutated = bytearray(original)
    kind = data.draw(st.sampled_from(["truncate", "flip", "delete", "both"]))
    if kind in ("truncate", "both"):
        mutated = mutated[: data.draw(st.integers(0, len(mutated)))]
    if kind in ("flip", "both", "delete") and mutated:
        for _ in range(data.draw(st.integers(1, 8))):
            if not mutated:
                break
            at = data.draw(st.integers(0, len(mutated) - 1))
            if kind == "delete":
                del mutated[at]
            else:
                mutated[at] ^= 1 << data.draw(st.integers(0, 7))
    parse_or_format_error(bytes(mutated))


@pytest.mark.parametrize("name", NON_EMPTY)
def test_every_truncation_point_of_small_samples(name: str) -> None:
    data = SAMPLE_BYTES[name]
    step = max(1, len(data) // 300)  # every byte of the small files, ~300 cut points of the large ones
    for cut in range(0, len(data), step):
        parse_or_format_error(data[:cut])
