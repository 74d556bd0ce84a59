"""parse_transcript: one entry point that recognises a transcript by its content and reads it.

Recognition order: already-decoded JSON, then JSON text, then WebVTT ("WEBVTT" header), then
SRT (a "-->" timing line), then line-per-turn plain text. Anything else is a
TranscriptFormatError whose message lists what would have been accepted.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from aceint_core.transcripts.json_formats import read_json
from aceint_core.transcripts.model import MAX_TRANSCRIPT_BYTES, Transcript, TranscriptFormatError, Turn
from aceint_core.transcripts.subtitles import SRT_TIMING, read_srt, read_webvtt
from aceint_core.transcripts.text_formats import read_plain_text

SUPPORTED_FORMATS = (
    "Aceint/sandbox JSON (a list of {speaker, role, startTime, endTime, text}, or a record holding one)",
    "WebVTT (Teams, Zoom, YouTube)",
    "SRT",
    "plain text ('Name: text', '[HH:MM:SS] Name: text', Q1:/A1 logs, Zoom chat export)",
    "OpenAI-style role/content messages",
    "Vapi end-of-call report",
    "ElevenLabs conversation",
    "Deepgram",
    "AssemblyAI",
    "AWS Transcribe",
    "Whisper segments",
    "Rev.ai",
)
# Speech-to-text output always carries words; one whose every entry is empty or null is broken.
# (An Aceint or TXT transcript whose turns are all empty is still a faithful record: kept.)
SPEECH_TO_TEXT_FORMATS = frozenset({"Deepgram", "AssemblyAI", "AWS Transcribe", "Whisper segments", "Rev.ai"})
EXPECTED = "Expected one of: " + "; ".join(SUPPORTED_FORMATS) + "."
MAX_CONTROL_RATIO = 0.05
# Control characters (Unicode category Cc) other than tab, newline and form feed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")
# JSON text: an object, or a list that opens with an object, a list, a string or nothing. A line
# like "[00:00:01] Alice: hi" also starts with "[" but is a timestamp, not JSON.
_JSON_START = re.compile(r"\{|\[\s*(?:[\[{\"\]]|$)")


def _fail(problem: str) -> TranscriptFormatError:
    return TranscriptFormatError(f"{problem} {EXPECTED}")


def decode_bytes(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail("The file starts with a UTF-16 byte-order mark but is not valid UTF-16.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.count(0) > len(data) // 10:
        raise _fail("The file looks binary (many zero bytes), not a text transcript.")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _fail("The file is not text in UTF-8, UTF-16 or Windows-1252; it looks binary.") from None


def _check_size(size: int, unit: str) -> None:
    if size > MAX_TRANSCRIPT_BYTES:
        raise TranscriptFormatError(
            f"The transcript is too large: {size:,} {unit}, over the limit of {MAX_TRANSCRIPT_BYTES:,} "
            f"({MAX_TRANSCRIPT_BYTES // 1_000_000} MB). Split the file, or export only the interview's "
            "transcript rather than a whole archive."
        )


def _check_text(text: str) -> str:
    _check_size(len(text), "characters")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _fail("The transcript is empty.")
    control = len(_CONTROL.findall(text))
    if "\x00" in text or control > len(text) * MAX_CONTROL_RATIO:
        raise _fail("The file looks binary (it is full of control characters), not a text transcript.")
    return text


def _from_json(obj: Any) -> tuple[str, list[Turn]]:
    found = read_json(obj, _read_embedded_text)
    if found is None:
        keys = f" with keys {', '.join(sorted(map(str, obj))[:8])}" if isinstance(obj, dict) else ""
        raise _fail(f"This JSON ({type(obj).__name__}{keys}) is not a transcript shape this app knows.")
    return found


def _read_embedded_text(text: str) -> list[Turn]:
    """A transcript given as a string inside JSON (Vapi's flat 'AI: ... User: ...' text)."""
    return _from_text(_check_text(text))[1]


def _from_text(text: str) -> tuple[str, list[Turn]]:
    head = text.lstrip()
    json_error: str | None = None
    if head[:1] in "{[":
        try:
            return _from_json(json.loads(head))
        except json.JSONDecodeError as exc:
            json_error = f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        except RecursionError:
            json_error = "a point nested too deeply"
        except ValueError:  # an integer longer than Python's 4300-digit limit
            json_error = "a number with thousands of digits"
        if not _JSON_START.match(head):
            json_error = None  # "[00:00:01] Alice: hi" is a timestamp, not broken JSON
        elif head[:1] == "{":
            raise _fail(f"This looks like JSON but cannot be read (truncated?) at {json_error}.")
    if head.startswith("WEBVTT"):
        return "WebVTT", read_webvtt(head)
    if SRT_TIMING.search(text):
        return "SRT", read_srt(text)
    found = read_plain_text(text)
    if found is not None:
        return found
    if json_error is not None:
        raise _fail(f"This looks like JSON but cannot be read (truncated?) at {json_error}.")
    raise _fail("No line looks like a transcript turn ('Name: text', a timestamp or a cue).")


def parse_transcript(source: bytes | bytearray | str | dict[str, Any] | list[Any]) -> Transcript:
    """Read a transcript in any supported format, recognised by content (never by file name).

    Raises TranscriptFormatError, with a message naming the accepted formats, for empty,
    truncated, binary or unknown input.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        _check_size(source.nbytes if isinstance(source, memoryview) else len(source), "bytes")
        data = bytes(source)
        if not data.strip():
            raise _fail("The transcript is empty.")
        name, turns = _from_text(_check_text(decode_bytes(data)))
    elif isinstance(source, str):
        name, turns = _from_text(_check_text(source))
    elif isinstance(source, dict | list):
        name, turns = _from_json(source)
    else:
        raise _fail(
            f"Cannot read a transcript from a {type(source).__name__}; pass bytes, text or decoded JSON."
        )
    if not turns:
        raise _fail(f"The {name} input contains no turns (empty transcript).")
    if name in SPEECH_TO_TEXT_FORMATS and not any(turn.text for turn in turns):
        raise _fail(f"The {name} input has no turns with text (every entry's text is empty or null).")
    return Transcript(turns=tuple(turns), source_format=name)
