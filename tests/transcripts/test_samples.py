"""Each shared real-world sample imports with the speakers, turn count and times stated here.

The expected numbers were read off the files by hand (see ATTRIBUTION.md for where each file
comes from and what is awkward about it), not copied from the parser's output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from aceint_core.transcripts import UNKNOWN_SPEAKER, TranscriptFormatError, parse_transcript

SAMPLES = Path(__file__).parent / "samples"


@dataclass(frozen=True)
class Expected:
    file: str
    speakers: list[str]
    turns: int
    first_start: float | None
    last_start: float | None


EXPECTED = [
    # Teams: unpadded 0:0:0.0 times, <v> voice tags with closing tags, overlapping cues.
    Expected("vtt-teams_1.vtt", ["Speaker A", "Speaker B"], 2, 0.0, 0.21),
    # Zoom closed captions: 100 cues, CRLF, no speakers; 00:01:08 to 00:12:04.
    Expected("vtt-zoom_2.cc.vtt", [UNKNOWN_SPEAKER], 100, 68.0, 724.0),
    # Zoom chat: 12 tab-separated lines, 00:05:16 to 00:15:09.
    Expected(
        "txt-zoom-chat_1.txt", ["Speaker E", "Dr. Speaker C", "Speaker F", "Speaker D"], 12, 316.0, 909.0
    ),
    # YouTube: 4 cues from 00:04:46.070 to 00:05:05.069 (one with no blank line before the next).
    Expected("vtt-youtube_1.vtt", [UNKNOWN_SPEAKER], 4, 286.07, 305.069),
    # BOM, no final newline: 4 cues 00:00:00.500 .. 00:00:16.320.
    Expected("vtt-bom_1.vtt", [UNKNOWN_SPEAKER], 4, 0.5, 16.32),
    # AssemblyAI: one utterance by speaker "A", start 170 ms.
    Expected("assemblyai_1.json", ["Speaker A"], 1, 0.17, 0.17),
    # Deepgram: 22 utterances by speakers 0, 1, 2; 3.04 s .. 162.605 s.
    Expected("deepgram_2.json", ["Speaker 0", "Speaker 1", "Speaker 2"], 22, 3.04, 162.605),
    # Whisper: 4 segments, no speakers; 0.12 s .. 19.82 s.
    Expected("whisper_1.json", [UNKNOWN_SPEAKER], 4, 0.12, 19.82),
    # AWS Transcribe: 31 speaker segments of spk_0/spk_1; "3.14" .. "107.34" (strings).
    Expected("aws-transcribe_1.json", ["Speaker 0", "Speaker 1"], 31, 3.14, 107.34),
    # Vapi: 7 bot/user messages (system prompt and tool plumbing are not speech); 1.84 s .. 34.25 s.
    Expected("vapi_2.json", ["AI", "User"], 7, 1.84, 34.25),
    # Q/A log: 5 x (Q, A, Clarification, Clarified A) + 2 Agent lines; questions carry no time.
    Expected("txt-interview_1.txt", ["Interviewer", "Candidate", "Agent"], 22, None, None),
]


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.file)
def test_sample_imports_with_expected_turns(expected: Expected) -> None:
    transcript = parse_transcript((SAMPLES / expected.file).read_bytes())
    assert transcript.speakers == expected.speakers
    assert len(transcript.turns) == expected.turns
    assert transcript.turns[0].start == expected.first_start
    assert transcript.turns[-1].start == expected.last_start
    for turn in transcript.turns:
        assert "<c" not in turn.text and "</v>" not in turn.text  # no cue markup left behind
        assert turn.text == turn.text.strip()


def test_every_shared_sample_has_a_stated_expectation() -> None:
    stated = {e.file for e in EXPECTED} | {"txt-interview_2.txt"}
    on_disk = {p.name for p in SAMPLES.iterdir() if p.name not in ("ATTRIBUTION.md", ".gitattributes")}
    assert on_disk == stated


def test_empty_sample_is_a_clear_error() -> None:
    with pytest.raises(TranscriptFormatError) as raised:
        parse_transcript((SAMPLES / "txt-interview_2.txt").read_bytes())
    message = str(raised.value)
    assert "empty" in message
    assert "WebVTT" in message and "SRT" in message and "Deepgram" in message  # names what was expected


@pytest.mark.parametrize("name", [e.file for e in EXPECTED if e.file.endswith(".json")])
def test_json_samples_read_the_same_from_bytes_text_and_decoded_json(name: str) -> None:
    raw = (SAMPLES / name).read_bytes()
    from_bytes = parse_transcript(raw)
    assert parse_transcript(raw.decode("utf-8")).turns == from_bytes.turns
    assert parse_transcript(json.loads(raw)).turns == from_bytes.turns


def test_qa_log_times_are_seconds_since_the_header_and_roles_are_told_apart() -> None:
    turns = parse_transcript((SAMPLES / "txt-interview_1.txt").read_bytes()).turns
    timed = [t for t in turns if t.start is not None]
    # Header 17:24:31; A1 at 17:24:43 (12 s); last answer "Clarified A5" at 17:27:03 (152 s).
    assert (timed[0].start, timed[-1].start) == (12.0, 152.0)
    assert len(timed) == 10
    assert all(t.role == "candidate" for t in timed)
    assert turns[0].role == "interviewer" and turns[0].text.startswith("Please tell me your full name")
    assert turns[-1].speaker == "Agent" and turns[-1].role == "interviewer"
    empty_answer = turns[9]  # "A3 [17:25:55]: " - the candidate said nothing
    assert (empty_answer.speaker, empty_answer.text, empty_answer.start) == ("Candidate", "", 84.0)


def test_vapi_roles_and_end_times() -> None:
    turns = parse_transcript((SAMPLES / "vapi_2.json").read_bytes()).turns
    assert [t.role for t in turns] == ["interviewer", "candidate"] * 3 + ["interviewer"]
    assert turns[1].text == "Sure."
    # endTime - time = 1721022295616 - 1721022290391 ms = 5.225 s after secondsFromStart 1.84.
    assert turns[0].end == pytest.approx(7.065)
    assert not any("[Identity]" in t.text for t in turns)


def test_zoom_chat_keeps_emoji_with_skin_tone_and_the_speaker_with_a_title() -> None:
    turns = parse_transcript((SAMPLES / "txt-zoom-chat_1.txt").read_bytes()).turns
    assert turns[3].speaker == "Dr. Speaker C"
    assert turns[3].text.endswith("with \U0001f44d\U0001f3fb")
    assert turns[0].text == "Let\u2019s try to stay muted unless speaking up, just to reduce echo"


def test_youtube_inline_timestamps_and_c_tags_are_removed() -> None:
    turns = parse_transcript((SAMPLES / "vtt-youtube_1.vtt").read_bytes()).turns
    assert turns[1].text == "yeah\nwhat"
    assert turns[2].text == "this will happen is I'm telling"
    assert turns[3].end == 305.4


def test_aws_punctuation_joins_the_word_before_and_numbers_as_strings_are_read() -> None:
    turns = parse_transcript((SAMPLES / "aws-transcribe_1.json").read_bytes()).turns
    assert turns[0].text == "now a motion picture, so grand and so magnificent"
    assert (turns[0].start, turns[0].end) == (3.14, 7.265)
    assert turns[2].speaker == "Speaker 1"


def test_whisper_texts_lose_their_leading_space_and_assemblyai_ms_become_seconds() -> None:
    whisper = parse_transcript((SAMPLES / "whisper_1.json").read_bytes()).turns
    assert whisper[0].text.startswith("Yeah, as much")
    assembly = parse_transcript((SAMPLES / "assemblyai_1.json").read_bytes()).turns
    assert assembly[0].end == 25.14  # 25140 ms, while audio_duration says 25 (seconds)


def test_teams_voice_tags_give_speakers_and_closing_tags_are_gone() -> None:
    turns = parse_transcript((SAMPLES / "vtt-teams_1.vtt").read_bytes()).turns
    assert [(t.speaker, t.text, t.end) for t in turns] == [
        ("Speaker A", "There you go.", 0.57),
        ("Speaker B", "Why hello there, Speaker A.", 1.13),
    ]
