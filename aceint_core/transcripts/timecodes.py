"""Clock-style times ("1:02:03.500", "00:05:16", "0:0:0.0") to seconds and back."""

from __future__ import annotations

import re

CLOCK_PATTERN = r"(?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")


def parse_clock(value: str) -> float | None:
    """Seconds for an "[h:]mm:ss[.mmm]" string, None if it isn't one."""
    match = _CLOCK.fullmatch(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    millis = int((fraction or "0").ljust(3, "0"))
    total_ms = ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis
    return total_ms / 1000


def format_clock(seconds: float, *, decimal: str = ".", millis: bool = True) -> str:
    """ "HH:MM:SS.mmm" (or with "," for SRT, or without the fraction)."""
    total_ms = round(seconds * 1000)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}{decimal}{ms:03d}" if millis else text
