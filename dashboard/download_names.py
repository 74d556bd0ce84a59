"""File names for transcript downloads: one per record, so several in a Downloads folder do not
all arrive as transcript.txt, transcript (1).txt, ... (no Streamlit here)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

MAX_SLUG = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-' ('José Núñez' -> 'jose-nunez'); '' when none are left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")


def record_stem(full_name: str, session_id: str) -> str:
    """'transcript-<candidate>-<first 8 of the session id>' for a record's transcript."""
    parts = ["transcript", slug(full_name) or "candidate", slug(session_id[:8]) or "session"]
    return "-".join(parts)


def attached_stem(filename: str, session_id: str) -> str:
    """An attached transcript keeps its own name ('teams-call.vtt' exports as 'teams-call.srt', ...);
    a name with nothing usable left falls back to the session's."""
    stem = slug(PurePath(filename.replace("\\", "/")).stem)
    return stem or f"attached-transcript-{slug(session_id[:8]) or 'session'}"
