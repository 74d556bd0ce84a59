"""Transcript export to TXT, WebVTT, SRT and JSON, written so that importing the file gives the same turns.

Each format keeps the speaker ("Name:" prefix or a WebVTT voice tag) and adds "(role)" only
when the name alone would not give the role back. WebVTT and SRT need times on every cue: a
turn without times is placed at the previous turn's end (so those two round trips are exact
only for fully timed transcripts; TXT and JSON are always exact).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from aceint_core.contract import TRANSCRIPT_TURN_FIELDS
from aceint_core.transcripts.model import UNKNOWN_SPEAKER, Transcript, Turn
from aceint_core.transcripts.roles import infer_role
from aceint_core.transcripts.speaker_prefix import format_prefix, needs_prefix
from aceint_core.transcripts.timecodes import format_clock

K_SPEAKER, K_ROLE, K_START, K_END, K_TEXT = TRANSCRIPT_TURN_FIELDS


def to_txt(transcript: Transcript) -> str:
    """'[00:01:02.500 - 00:01:05.000] Name: text', continuation lines indented."""
    lines = []
    for turn in transcript.turns:
        stamp = ""
        if turn.start is not None:
            stamp = format_clock(turn.start)
            if turn.end is not None:
                stamp += f" - {format_clock(turn.end)}"
            stamp = f"[{stamp}] "
        first, *rest = turn.text.split("\n")
        lines.append(f"{stamp}{format_prefix(turn.speaker, turn.role)}: {first}".rstrip(" "))
        lines.extend(f"    {line}" for line in rest)
    return "\n".join(lines) + "\n"


def _cue_times(transcript: Transcript) -> list[tuple[float, float]]:
    times = []
    cursor = 0.0
    for turn in transcript.turns:
        start = turn.start if turn.start is not None else cursor
        end = turn.end if turn.end is not None else start
        times.append((start, end))
        cursor = max(cursor, end)
    return times


def _escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(transcript: Transcript) -> str:
    """Cues with '<v.role Name>' voice tags; text escaped so '<' and '-->' stay text."""
    blocks = ["WEBVTT"]
    for turn, (start, end) in zip(transcript.turns, _cue_times(transcript), strict=True):
        body = _escape_vtt(turn.text)
        if needs_prefix(turn.speaker, turn.role, turn.text):
            role_class = "" if infer_role(turn.speaker) == turn.role else f".{turn.role}"
            body = f"<v{role_class} {_escape_vtt(turn.speaker)}>{body}"
        blocks.append(f"{format_clock(start)} --> {format_clock(end)}\n{body}")
    return "\n\n".join(blocks) + "\n"


def to_srt(transcript: Transcript) -> str:
    """Numbered cues; the speaker as a 'Name:' prefix on the first line."""
    blocks = []
    for index, (turn, (start, end)) in enumerate(
        zip(transcript.turns, _cue_times(transcript), strict=True), 1
    ):
        body = turn.text
        if needs_prefix(turn.speaker, turn.role, turn.text):
            body = f"{format_prefix(turn.speaker, turn.role)}: {body}".rstrip(" ")
        blocks.append(
            f"{index}\n{format_clock(start, decimal=',')} --> {format_clock(end, decimal=',')}\n{body}"
        )
    return "\n\n".join(blocks) + "\n"


def turn_to_wire(turn: Turn) -> dict[str, object]:
    """The Aceint wire shape of one turn (contract.TRANSCRIPT_TURN_FIELDS)."""
    return {
        K_SPEAKER: turn.speaker,
        K_ROLE: turn.role,
        K_START: turn.start,
        K_END: turn.end,
        K_TEXT: turn.text,
    }


def to_json(transcript: Transcript) -> str:
    """A record-shaped document {"transcript": [...]} in Aceint's turn shape."""
    return json.dumps(
        {"transcript": [turn_to_wire(t) for t in transcript.turns]}, ensure_ascii=False, indent=1
    )


@dataclass(frozen=True)
class ExportFormat:
    """What a download button needs: a label, a file extension, a MIME type and the writer."""

    label: str
    extension: str
    mime: str
    write: Callable[[Transcript], str]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "txt": ExportFormat("TXT", "txt", "text/plain", to_txt),
    "vtt": ExportFormat("WebVTT", "vtt", "text/vtt", to_webvtt),
    "srt": ExportFormat("SRT", "srt", "application/x-subrip", to_srt),
    "json": ExportFormat("JSON", "json", "application/json", to_json),
}

__all__ = ["EXPORT_FORMATS", "UNKNOWN_SPEAKER", "ExportFormat", "to_json", "to_srt", "to_txt", "to_webvtt"]
