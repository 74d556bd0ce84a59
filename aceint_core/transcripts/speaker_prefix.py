"""The "Name: text" / "Name (role): text" prefix shared by plain text, SRT and Zoom-style VTT cues.

One pattern so importers and exporters agree: the exporters write "(role)" only when the name
alone would not give the role back, which keeps exports readable and round trips exact.
"""

from __future__ import annotations

import re
import unicodedata

from aceint_core.contract import TRANSCRIPT_ROLES
from aceint_core.transcripts.model import UNKNOWN_SPEAKER, strip_format_chars
from aceint_core.transcripts.roles import infer_role

# A name: starts with a letter, at most 60 characters and 6 words, no colon or sentence punctuation.
NAME = r"[^\W\d_][^:\t\n?!;,\"<>\[\]]{0,59}?"
ROLE = "|".join(TRANSCRIPT_ROLES)
_PREFIX = re.compile(rf"(?P<name>{NAME})(?:\s*\((?P<role>{ROLE})\))?:(?:[ \t]+|$)(?P<text>.*)", re.DOTALL)
MAX_NAME_WORDS = 6


def split_prefix(line: str) -> tuple[str, str, str] | None:
    """(speaker, role, rest of the text) when the line starts with a speaker prefix.

    Format characters (bidi overrides, zero-width spaces) around or inside the name are
    ignored, so "\u202eAlice\u200b: hi" is Alice speaking.
    """
    if not line.isascii():
        skip = 0
        while skip < len(line) and unicodedata.category(line[skip]) == "Cf":
            skip += 1
        line = line[skip:]
    match = _PREFIX.match(line)
    if not match:
        return None
    name = strip_format_chars(match.group("name")).strip()
    if not name or len(name.split()) > MAX_NAME_WORDS:
        return None
    role = match.group("role") or infer_role(name)
    return name, role, match.group("text")


def needs_prefix(speaker: str, role: str, text: str) -> bool:
    """Whether a turn must carry a prefix: it has a speaker, or its text would be misread as one."""
    if speaker != UNKNOWN_SPEAKER or role != "unknown":
        return True
    return split_prefix(text.split("\n", 1)[0]) is not None


def format_prefix(speaker: str, role: str) -> str:
    """'Name' or 'Name (role)' when the role can't be told from the name."""
    return speaker if infer_role(speaker) == role else f"{speaker} ({role})"
