"""Telling the interviewer from the candidate by the labels tools put on speakers.

Tools name the two sides differently (OpenAI "assistant"/"user", Vapi "bot", ElevenLabs
"agent", a Q/A log's "Q"/"A"). One table here so every importer agrees; a label that says
nothing about the side (a person's name, "Speaker 1") stays "unknown" rather than guessed.
"""

from __future__ import annotations

import re

from aceint_core.contract import TRANSCRIPT_ROLES
from aceint_core.transcripts.model import UNKNOWN_SPEAKER

INTERVIEWER_WORDS = frozenset({"interviewer", "assistant", "ai", "agent", "bot", "recruiter", "aceint"})
CANDIDATE_WORDS = frozenset({"candidate", "user", "customer", "interviewee", "applicant", "caller", "human"})
OTHER_WORDS = frozenset({"system", "tool", "function", "developer", "narrator"})

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def infer_role(label: str | None) -> str:
    """Role implied by a speaker label or a tool's role field; "unknown" when it can't be told."""
    if not label:
        return "unknown"
    lowered = label.strip().lower()
    if lowered in TRANSCRIPT_ROLES:
        return lowered
    words = set(_WORD.findall(lowered))
    if words & INTERVIEWER_WORDS and not words & CANDIDATE_WORDS:
        return "interviewer"
    if words & CANDIDATE_WORDS and not words & INTERVIEWER_WORDS:
        return "candidate"
    if words & OTHER_WORDS:
        return "other"
    return "unknown"


def default_speaker(role: str) -> str:
    """A label for a turn whose source gave a role but no speaker name."""
    return {"interviewer": "Interviewer", "candidate": "Candidate", "other": "Other"}.get(
        role, UNKNOWN_SPEAKER
    )
