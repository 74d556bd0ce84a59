"""WebVTT (webvtt-py) and SRT (srt) import: cues become turns, voice tags or "Name:" give speakers."""

from __future__ import annotations

import html
import re

import srt  # type: ignore[import-untyped]
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from aceint_core.contract import TRANSCRIPT_ROLES
from aceint_core.transcripts.model import UNKNOWN_SPEAKER, TranscriptFormatError, Turn, make_turn
from aceint_core.transcripts.roles import infer_role
from aceint_core.transcripts.speaker_prefix import split_prefix

# "[ \t]*", not "\s*": with re.MULTILINE, "^\s*" would run across blank lines from every line start
# (quadratic in a run of blank lines).
TIMING_LINE = re.compile(r"^[ \t]*\S+[ \t]*-->[ \t]*\S+", re.MULTILINE)
SRT_TIMING = re.compile(
    r"^[ \t]*\d{1,3}:\d{1,2}:\d{1,2}[,.]\d{1,3}[ \t]*-->[ \t]*\d{1,3}:\d{1,2}:\d{1,2}[,.]\d{1,3}",
    re.MULTILINE,
)
_VOICE = re.compile(r"<v((?:\.[^\s.>]+)*)(?:\s+([^>]*))?>")
# WebVTT's own cue tags (class, voice, italic, bold, underline, ruby, language) and karaoke
# timestamps. Anything else in angle brackets ("<script>", "<img ...>") is kept as literal text:
# it is what the speaker said or typed, and the viewer escapes HTML when it shows it.
_VTT_TAGS = re.compile(
    r"</?(?:c|v|i|b|u|ruby|rt|lang)(?=[\s.>])[^>]*>|<(?:\d+:)?\d{1,2}:\d{2}\.\d{3}>", re.IGNORECASE
)
# SRT formatting tags and ASS-style overrides ({\an8}); other "<...>" is kept as text.
_SRT_TAGS = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


def _turn_from_cue(text: str, start: float, end: float, voice: tuple[str, str] | None) -> Turn:
    if voice is not None:
        speaker, role = voice
        return make_turn(speaker, role, start, end, text)
    lines = text.split("\n", 1)
    prefix = split_prefix(lines[0])
    if prefix is not None:
        speaker, role, first = prefix
        return make_turn(speaker, role, start, end, "\n".join([first, *lines[1:]]))
    return make_turn(UNKNOWN_SPEAKER, "unknown", start, end, text)


def read_webvtt(text: str) -> list[Turn]:
    try:
        captions = webvtt.WebVTT.from_string(text)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptFormatError(
            f"WebVTT file could not be read: {exc}; expected 'WEBVTT' then cues like "
            "'00:00:01.000 --> 00:00:02.500' followed by text"
        ) from None
    timing_lines = len(TIMING_LINE.findall(text))
    if len(captions) < timing_lines:
        raise TranscriptFormatError(
            f"WebVTT file is truncated or has a malformed cue: {timing_lines} timing lines but only "
            f"{len(captions)} readable cues; expected each cue as a timing line like "
            "'00:00:01.000 --> 00:00:02.500' followed by its text"
        )
    turns = []
    for caption in captions.captions:
        raw = caption.raw_text
        voice = None
        match = _VOICE.search(raw)
        if match and match.group(2) and match.group(2).strip():
            name = html.unescape(match.group(2).strip())
            classes = [c for c in match.group(1).split(".") if c]
            role = next((c for c in classes if c in TRANSCRIPT_ROLES), None) or infer_role(name)
            voice = (name, role)
        body = html.unescape(_VTT_TAGS.sub("", caption.raw_text))
        turns.append(
            _turn_from_cue(
                body,
                caption.start_time.in_milliseconds() / 1000,
                caption.end_time.in_milliseconds() / 1000,
                voice,
            )
        )
    return turns


def read_srt(text: str) -> list[Turn]:
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError, OverflowError) as exc:
        raise TranscriptFormatError(
            f"SRT file is truncated or malformed: {str(exc)[:300]}; expected numbered cues like "
            "'1' / '00:00:01,000 --> 00:00:02,500' / text, separated by blank lines"
        ) from None
    turns = []
    for sub in subtitles:
        body = _SRT_TAGS.sub("", sub.content)
        turns.append(_turn_from_cue(body, sub.start.total_seconds(), sub.end.total_seconds(), None))
    return turns
