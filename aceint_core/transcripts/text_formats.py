"""Plain-text transcripts: "Name: text", "[HH:MM:SS] Name: text", Zoom chat exports and Q/A screening logs.

Lines that start with whitespace continue the turn above (that is how the TXT export writes
multi-line turns). A few lines before the first turn (a title, an intro) are kept as an
unknown-speaker turn, so nothing is lost; more than that means this is not a line-per-turn
transcript and the caller gets a clear error instead.
"""

from __future__ import annotations

import re

from aceint_core.transcripts.model import UNKNOWN_SPEAKER, Turn, make_turn
from aceint_core.transcripts.speaker_prefix import split_prefix
from aceint_core.transcripts.timecodes import CLOCK_PATTERN, parse_clock

MAX_TITLE_LINES = 3

_TIMED = re.compile(
    rf"^(?:\[(?P<start>{CLOCK_PATTERN})(?:\s*(?:-->|-|–)\s*(?P<end>{CLOCK_PATTERN}))?\]|(?P<bare>{CLOCK_PATTERN}))"
    r"(?:[ \t]+(?P<rest>.*))?$"
)
# Q/A screening logs (an AI interviewer asks, the candidate's answer is stamped with wall-clock time).
_QA_HEADER = re.compile(r"^.*?(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{2}:\d{2}:\d{2})\s*$")
_QUESTION = re.compile(r"^Q\d+:\s*(?P<text>.*)$")
_ANSWER = re.compile(r"^(?:Clarified\s+)?A\d+\s*(?:\[(?P<clock>\d{1,2}:\d{2}:\d{2})\])?:\s*(?P<text>.*)$")
_CLARIFICATION = re.compile(r"^Clarification:\s*(?P<text>.*)$")


class _Builder:
    """Collects turns line by line so continuation lines can extend the last one."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str, float | None, float | None, list[str]]] = []

    def start(self, speaker: str, role: str, start: float | None, end: float | None, text: str) -> None:
        self.parts.append((speaker, role, start, end, [text]))

    def extend(self, text: str) -> bool:
        if not self.parts:
            return False
        self.parts[-1][4].append(text)
        return True

    def turns(self) -> list[Turn]:
        return [make_turn(s, r, a, b, "\n".join(lines)) for s, r, a, b, lines in self.parts]


def _with_preamble(preamble: list[str], turns: list[Turn]) -> list[Turn]:
    """The lines before the first turn, as an unknown-speaker turn ahead of the rest."""
    if not preamble or not turns:
        return turns
    return [make_turn(UNKNOWN_SPEAKER, "unknown", None, None, "\n".join(preamble)), *turns]


def _is_qa_log(lines: list[str]) -> bool:
    return any(_QUESTION.match(line) for line in lines) and any(_ANSWER.match(line) for line in lines)


def _read_qa_log(lines: list[str]) -> list[Turn] | None:
    builder = _Builder()
    origin: float | None = None
    preamble: list[str] = []

    def offset(clock: str | None) -> float | None:
        nonlocal origin
        if clock is None:
            return None
        stamp = parse_clock(clock)
        if stamp is None:
            return None
        if origin is None:
            origin = stamp
        delta = stamp - origin
        return delta + 86400 if delta < 0 else delta  # an interview that runs past midnight

    for line in lines:
        if not line.strip():
            continue
        if line[0].isspace() and builder.extend(line.strip()):
            continue
        if not builder.parts and origin is None and (header := _QA_HEADER.match(line)):
            origin = parse_clock(header.group("time"))
            continue
        if match := _QUESTION.match(line):
            builder.start("Interviewer", "interviewer", None, None, match.group("text"))
        elif match := _CLARIFICATION.match(line):
            builder.start("Interviewer", "interviewer", None, None, match.group("text"))
        elif match := _ANSWER.match(line):
            builder.start("Candidate", "candidate", offset(match.group("clock")), None, match.group("text"))
        elif prefix := split_prefix(line):
            builder.start(prefix[0], prefix[1], None, None, prefix[2])
        elif not builder.extend(line.strip()):
            preamble.append(line.strip())
            if len(preamble) > MAX_TITLE_LINES:
                return None
    return _with_preamble(preamble, builder.turns())


def read_plain_text(text: str) -> tuple[str, list[Turn]] | None:
    """(format name, turns) for a line-per-turn transcript; None if no line looks like a turn."""
    lines = text.split("\n")
    if _is_qa_log(lines):
        turns = _read_qa_log(lines)
        return ("Q/A interview log", turns) if turns else None
    builder = _Builder()
    preamble: list[str] = []
    tabbed = 0
    for line in lines:
        if not line.strip():
            continue
        if line[0].isspace() and builder.extend(line.strip()):
            continue
        start = end = None
        rest = line
        timed = _TIMED.match(line)
        if timed:
            clock = timed.group("start") or timed.group("bare")
            start = parse_clock(clock) if clock else None
            end = parse_clock(timed.group("end")) if timed.group("end") else None
            rest = timed.group("rest") or ""
            tabbed += "\t" in line
        prefix = split_prefix(rest.strip(" \t")) if (timed or rest is line) else None
        if prefix is not None:
            builder.start(prefix[0], prefix[1], start, end, prefix[2])
        elif timed and start is not None:
            builder.start(UNKNOWN_SPEAKER, "unknown", start, end, rest)
        elif not builder.extend(line.strip()):
            preamble.append(line.strip())
            if len(preamble) > MAX_TITLE_LINES:
                return None
    turns = builder.turns()
    if not turns:
        return None
    if tabbed and tabbed == len(turns):
        return "Zoom chat export", _with_preamble(preamble, turns)
    name = "timestamped text" if any(t.start is not None for t in turns) else "plain text"
    return name, _with_preamble(preamble, turns)
