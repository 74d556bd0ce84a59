"""The one transcript model every importer produces and every view and exporter consumes.

Frozen dataclasses keep turns hashable and cheap (a two-hour interview has thousands of them)
and make "export then import gives the same turns" a plain equality check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from aceint_core.contract import TRANSCRIPT_ROLES

UNKNOWN_SPEAKER = "Unknown speaker"

MAX_TRANSCRIPT_BYTES = 20_000_000
"""Largest input read (bytes, or characters of text): a two-hour interview is well under 1 MB,
and parsing keeps several copies of the input in memory."""


class TranscriptFormatError(ValueError):
    """The input is not a transcript this package can read; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One stretch of speech (or one chat message) by one speaker.

    ``start`` / ``end`` are seconds from the start of the recording, or None when the
    source has no usable time for this turn.
    """

    speaker: str
    role: str
    start: float | None
    end: float | None
    text: str

    def __post_init__(self) -> None:
        if self.role not in TRANSCRIPT_ROLES:
            raise ValueError(f"role must be one of {', '.join(TRANSCRIPT_ROLES)}, got {self.role!r}")


@dataclass(frozen=True, slots=True)
class Transcript:
    """An ordered list of turns plus the name of the format it was read from."""

    turns: tuple[Turn, ...]
    source_format: str = field(default="", compare=False)

    @property
    def speakers(self) -> list[str]:
        """Distinct speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            seen.setdefault(turn.speaker, None)
        return list(seen)

    def __len__(self) -> int:
        return len(self.turns)


MAX_SECONDS = 1e9  # beyond ~31 years a "time" is an epoch stamp or garbage, not an offset


def clean_time(value: float | int | None) -> float | None:
    """Seconds rounded to the millisecond (what subtitles carry), or None when unusable."""
    if value is None or isinstance(value, bool):
        return None
    seconds = float(value)
    if not (0 <= seconds < MAX_SECONDS):  # also rejects NaN and infinities
        return None
    return round(seconds, 3)


_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """`text` with surrogate pairs joined and lone surrogates (from JSON "\\ud800" or a broken
    str) replaced by U+FFFD, so every turn can be encoded to UTF-8 by every exporter."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def strip_format_chars(text: str) -> str:
    """`text` without Unicode format characters (category Cf: bidi overrides, zero-width
    spaces and joiners), which are invisible in a speaker label but make it a different name."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def clean_text(text: str) -> str:
    """Plain text with each line trimmed and blank lines dropped, so every format agrees on it."""
    return "\n".join(line.strip() for line in well_formed(text).splitlines() if line.strip())


def make_turn(speaker: str | None, role: str, start: float | None, end: float | None, text: str) -> Turn:
    """Build a normalised turn: honest speaker label, ms times, end only after a start."""
    from aceint_core.transcripts.roles import default_speaker

    start_s = clean_time(start)
    end_s = clean_time(end) if start_s is not None else None
    if end_s is not None and start_s is not None and end_s < start_s:
        end_s = None
    label = " ".join(strip_format_chars(well_formed(speaker or "")).split()) or default_speaker(role)
    return Turn(speaker=label, role=role, start=start_s, end=end_s, text=clean_text(text))
