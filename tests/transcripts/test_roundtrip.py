"""Export then import gives the same turns, for TXT, WebVTT, SRT and JSON.

WebVTT and SRT need times on every cue, so their round trips are checked on fully timed
transcripts; TXT and JSON must be exact for anything. SRT has no escaping, so generated SRT
texts avoid '<' (formatting tags are stripped on import) and '-->' (a cue boundary).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aceint_core.contract import TRANSCRIPT_ROLES
from aceint_core.transcripts import UNKNOWN_SPEAKER, Transcript, parse_transcript
from aceint_core.transcripts.export import EXPORT_FORMATS, to_json, to_srt, to_txt, to_webvtt
from aceint_core.transcripts.model import make_turn

SAMPLES = Path(__file__).parent / "samples"
SAMPLE_FILES = sorted(
    p for p in SAMPLES.iterdir() if p.suffix in (".json", ".vtt", ".txt") and p.stat().st_size
)


def fully_timed(transcript: Transcript) -> bool:
    return all(t.start is not None and t.end is not None for t in transcript.turns)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_samples_round_trip(path: Path, fmt: str) -> None:
    original = parse_transcript(path.read_bytes())
    exported = EXPORT_FORMATS[fmt].write(original)
    if fmt in ("vtt", "srt") and not fully_timed(original):
        # Untimed turns get placeholder cue times; speakers, roles and texts must still survive.
        back = parse_transcript(exported)
        assert [(t.speaker, t.role, t.text) for t in back.turns] == [
            (t.speaker, t.role, t.text) for t in original.turns
        ]
        return
    assert parse_transcript(exported).turns == original.turns
    assert parse_transcript(exported.encode("utf-8")).turns == original.turns


def test_exports_look_like_their_formats() -> None:
    transcript = Transcript(
        turns=(
            make_turn("Interviewer", "interviewer", 1.5, 3.0, "Why <this> & that?"),
            make_turn("Dana", "candidate", 3725.25, 3730.0, "Because --> reasons\nand more"),
        )
    )
    vtt = to_webvtt(transcript)
    assert vtt.startswith(
        "WEBVTT\n\n00:00:01.500 --> 00:00:03.000\n<v Interviewer>Why &lt;this&gt; &amp; that?"
    )
    assert "<v.candidate Dana>Because --&gt; reasons\nand more" in vtt
    srt = to_srt(transcript)
    assert srt.startswith(
        "1\n00:00:01,500 --> 00:00:03,000\nInterviewer: Why <this> & that?\n\n2\n01:02:05,250"
    )
    txt = to_txt(transcript)
    assert txt.splitlines() == [
        "[00:00:01.500 - 00:00:03.000] Interviewer: Why <this> & that?",
        "[01:02:05.250 - 01:02:10.000] Dana (candidate): Because --> reasons",
        "    and more",
    ]
    assert '"startTime": 3725.25' in to_json(transcript)


NAME_CHARS = st.characters(categories=("L", "Nd"), include_characters=" .'-()")
NAMES = st.one_of(
    st.sampled_from(
        ["Interviewer", "Candidate", "Dr. Speaker C", "AI", "User", "Speaker 0", UNKNOWN_SPEAKER]
    ),
    st.builds(
        lambda first, rest: first + rest, st.characters(categories=("L",)), st.text(NAME_CHARS, max_size=20)
    ),
)
TEXT_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), include_characters="\n")
TIMES = st.integers(min_value=0, max_value=10 * 3600 * 1000)


@st.composite
def transcripts(draw: st.DrawFn, *, timed: bool, srt_safe: bool = False) -> Transcript:
    turns = []
    for _ in range(draw(st.integers(1, 8))):
        text = draw(st.text(TEXT_CHARS, max_size=60))
        if srt_safe:
            text = text.replace("<", "").replace("-->", "")
        start = draw(TIMES) / 1000 if timed else draw(st.none() | TIMES.map(lambda ms: ms / 1000))
        duration = draw(st.none() | st.integers(0, 600_000))
        end = None if start is None or duration is None else start + duration / 1000
        if timed and end is None:
            end = start
        turns.append(make_turn(draw(NAMES), draw(st.sampled_from(TRANSCRIPT_ROLES)), start, end, text))
    return Transcript(turns=tuple(turns))


# TRANSCRIPT_FUZZ_EXAMPLES raises the count for a longer hunt (see test_bad_input.py).
ROUND_TRIP_SETTINGS = settings(
    max_examples=int(os.environ.get("TRANSCRIPT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@ROUND_TRIP_SETTINGS
@given(transcripts(timed=False))
def test_txt_round_trip_of_any_transcript(transcript: Transcript) -> None:
    assert parse_transcript(to_txt(transcript)).turns == transcript.turns


@ROUND_TRIP_SETTINGS
@given(transcripts(timed=False))
def test_json_round_trip_of_any_transcript(transcript: Transcript) -> None:
    assert parse_transcript(to_json(transcript)).turns == transcript.turns


@ROUND_TRIP_SETTINGS
@given(transcripts(timed=True))
def test_webvtt_round_trip_of_timed_transcripts(transcript: Transcript) -> None:
    assert parse_transcript(to_webvtt(transcript)).turns == transcript.turns


@ROUND_TRIP_SETTINGS
@given(transcripts(timed=True, srt_safe=True))
def test_srt_round_trip_of_timed_transcripts(transcript: Transcript) -> None:
    assert parse_transcript(to_srt(transcript)).turns == transcript.turns
