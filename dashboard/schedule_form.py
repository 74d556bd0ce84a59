"""The Schedule form's state and its way to and from `SessionInput` (no Streamlit here).

The form edits a `FormDraft`: the payload's scalar fields plus topics and subtopics that carry a
stable `uid`, so widgets follow a topic when it is moved or another one is removed. `validate`
checks the draft the way a recruiter thinks about it and files every message under the path of
the field it belongs to (`userId`, `topics[0].weightage`, `topics.weightage` for the total), so
the page can print it beside that field. Import turns JSON into a new draft or raises an
`ImportProblem` naming the field, leaving the current draft untouched.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from aceint_core import contract
from aceint_core.models import SessionInput

UUID_FIELDS = ("userId", "taskId", "sessionId")
TEXT_FIELDS = ("fullName", "jobRole", "createdBy")
CHOICES: dict[str, tuple[str, ...]] = {
    "interviewCategory": contract.INTERVIEW_CATEGORIES,
    "interviewDomain": contract.INTERVIEW_DOMAINS,
    "interviewMode": contract.INTERVIEW_MODES,
    "experience": contract.EXPERIENCE_LEVELS,
    "interviewDifficulty": contract.INTERVIEW_DIFFICULTIES,
    "sessionStatus": contract.SESSION_STATUSES,
}
LABELS: dict[str, str] = {
    "userId": "User ID",
    "taskId": "Task ID",
    "sessionId": "Session ID",
    "fullName": "Candidate full name",
    "jobRole": "Job role",
    "interviewCategory": "Interview category",
    "interviewDomain": "Interview domain",
    "duration": "Duration (minutes)",
    "interviewMode": "Interview mode",
    "experience": "Experience (years)",
    "interviewDifficulty": "Difficulty",
    "sessionStatus": "Session status",
    "createdBy": "Created by",
}
CHOICE_LABELS: dict[str, str] = {
    "BY_CLIENT": "Hosted by client (BY_CLIENT)",
    "BY_CANDIDATE": "By candidate (BY_CANDIDATE)",
    "InProgress": "In progress",
    "0-2": "0-2 years",
    "2-5": "2-5 years",
    "5-8": "5-8 years",
    "8-12": "8-12 years",
    "12+": "12+ years",
}
"""How a choice reads in the form; the payload keeps the wire value (the key)."""
DEFAULT_DURATION = 30
DEFAULT_TOPIC_WEIGHTAGE = 100
DEFAULT_TOPIC_TIME = 10
DEFAULT_KNOWLEDGE_DEPTH = 3
MAX_IMPORT_BYTES = 1_000_000
"""The largest payload Import accepts (a real one is a few kilobytes)."""
MAX_IMPORT_NUMBER = 1_000_000
"""Whole numbers beyond this cannot be a duration, weightage or time (and would not fit a widget)."""
MAX_TOPICS = 50
MAX_SUBTOPICS = 20
"""Per topic."""
MAX_CONCEPTS = 20
"""Per subtopic. These caps keep every rerun of the form quick: each topic, subtopic and
concept is a set of widgets drawn on every click."""
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EXAMPLE_UUID = "3bcd6789-c679-4ff3-bdb1-e1730f3cb46b"


def choice_label(value: str) -> str:
    """The readable label of an enumeration value (the value itself when it already reads well)."""
    return CHOICE_LABELS.get(value, value)


def _uid() -> str:
    return uuid.uuid4().hex[:10]


@dataclass
class SubtopicDraft:
    id: str = ""
    name: str = ""
    concepts: list[str] = field(default_factory=list)
    uid: str = field(default_factory=_uid)


@dataclass
class TopicDraft:
    id: str = ""
    name: str = ""
    weightage: int = DEFAULT_TOPIC_WEIGHTAGE
    allocated_time: int = DEFAULT_TOPIC_TIME
    knowledge_depth: int = DEFAULT_KNOWLEDGE_DEPTH
    subtopics: list[SubtopicDraft] = field(default_factory=lambda: [SubtopicDraft()])
    uid: str = field(default_factory=_uid)


@dataclass
class FormDraft:
    """Everything the Schedule form holds. `fields` uses the payload's wire keys."""

    fields: dict[str, Any]
    topics: list[TopicDraft]

    def copy(self) -> FormDraft:
        return copy.deepcopy(self)


@dataclass
class Validation:
    """Messages by field path, and the validated input when there are no errors."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    session_input: SessionInput | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.session_input is not None

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def warn(self, path: str, message: str) -> None:
        self.warnings.setdefault(path, []).append(message)


class ImportProblem(ValueError):
    """An imported payload cannot be loaded into the form; `field` names where it went wrong
    (the first place), `problems` lists every (field, message) found."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message
        self.problems: list[tuple[str, str]] = [(field_path, message)]

    @classmethod
    def of(cls, found: list[ImportProblem]) -> ImportProblem:
        first = cls(found[0].field, found[0].message)
        first.problems = [pair for problem in found for pair in problem.problems]
        if len(first.problems) > 1:
            first.args = ("; ".join(f"{f}: {m}" for f, m in first.problems),)
        return first


# --- building and editing drafts ------------------------------------------------------------------


def new_draft(created_by: str = "") -> FormDraft:
    """An empty form: fresh ids, the seed README's choices preselected, one blank topic."""
    return FormDraft(
        fields={
            "userId": str(uuid.uuid4()),
            "taskId": str(uuid.uuid4()),
            "sessionId": str(uuid.uuid4()),
            "fullName": "",
            "jobRole": "",
            "interviewCategory": "Technical",
            "interviewDomain": "Product-based",
            "duration": DEFAULT_DURATION,
            "interviewMode": "BY_CLIENT",
            "experience": "0-2",
            "interviewDifficulty": "Medium",
            "sessionStatus": "New",
            "createdBy": created_by,
        },
        topics=[TopicDraft(id="topic-1", subtopics=[SubtopicDraft(id="subtopic-1")])],
    )


def fill_missing_ids(draft: FormDraft) -> list[str]:
    """Give every blank id a value (uuid4, topic-N, subtopic-N); returns the paths filled."""
    filled = []
    for name in UUID_FIELDS:
        if not str(draft.fields.get(name) or "").strip():
            draft.fields[name] = str(uuid.uuid4())
            filled.append(name)
    topic_ids = {t.id for t in draft.topics if t.id.strip()}
    for i, topic in enumerate(draft.topics):
        if not topic.id.strip():
            topic.id = _next_id("topic", topic_ids)
            topic_ids.add(topic.id)
            filled.append(f"topics[{i}].id")
        sub_ids = {s.id for s in topic.subtopics if s.id.strip()}
        for j, sub in enumerate(topic.subtopics):
            if not sub.id.strip():
                sub.id = _next_id("subtopic", sub_ids)
                sub_ids.add(sub.id)
                filled.append(f"topics[{i}].subtopics[{j}].id")
    return filled


def _next_id(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def add_topic(draft: FormDraft) -> TopicDraft:
    remaining = contract.WEIGHTAGE_TOTAL - sum(t.weightage for t in draft.topics)
    topic = TopicDraft(
        id=_next_id("topic", {t.id for t in draft.topics}),
        weightage=max(contract.WEIGHTAGE[0], remaining),
        subtopics=[SubtopicDraft(id="subtopic-1")],
    )
    draft.topics.append(topic)
    return topic


def _index(items: list[Any], uid: str) -> int:
    for i, item in enumerate(items):
        if item.uid == uid:
            return i
    raise KeyError(uid)


def remove_topic(draft: FormDraft, uid: str) -> None:
    del draft.topics[_index(draft.topics, uid)]


def move_topic(draft: FormDraft, uid: str, delta: int) -> None:
    _move(draft.topics, _index(draft.topics, uid), delta)


def topic_by_uid(draft: FormDraft, uid: str) -> TopicDraft:
    return draft.topics[_index(draft.topics, uid)]


def add_subtopic(draft: FormDraft, topic_uid: str) -> SubtopicDraft:
    topic = topic_by_uid(draft, topic_uid)
    sub = SubtopicDraft(id=_next_id("subtopic", {s.id for s in topic.subtopics}))
    topic.subtopics.append(sub)
    return sub


def remove_subtopic(draft: FormDraft, topic_uid: str, sub_uid: str) -> None:
    topic = topic_by_uid(draft, topic_uid)
    del topic.subtopics[_index(topic.subtopics, sub_uid)]


def move_subtopic(draft: FormDraft, topic_uid: str, sub_uid: str, delta: int) -> None:
    topic = topic_by_uid(draft, topic_uid)
    _move(topic.subtopics, _index(topic.subtopics, sub_uid), delta)


def _move(items: list[Any], index: int, delta: int) -> None:
    target = index + delta
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


def concepts_from_text(text: str) -> list[str]:
    """One concept per line; blank lines are ignored, order is kept."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def concepts_to_text(concepts: list[str]) -> str:
    return "\n".join(concepts)


# --- draft <-> payload ------------------------------------------------------------------------------


def to_payload(draft: FormDraft) -> dict[str, Any]:
    """The exact JSON the create call sends for this draft, keys in the seed README's order."""
    payload: dict[str, Any] = {}
    for name in contract.SESSION_FIELDS:
        if name == "topics":
            payload["topics"] = [
                {
                    "id": t.id.strip(),
                    "name": t.name.strip(),
                    "weightage": t.weightage,
                    "allocated_time": t.allocated_time,
                    "knowledge_depth": t.knowledge_depth,
                    "subtopics": [
                        {"id": s.id.strip(), "name": s.name.strip(), "concepts": list(s.concepts)}
                        for s in t.subtopics
                    ],
                }
                for t in draft.topics
            ]
        else:
            value = draft.fields.get(name)
            payload[name] = value.strip() if isinstance(value, str) else value
    return payload


def payload_json(draft: FormDraft) -> str:
    return json.dumps(to_payload(draft), indent=2)


def parse_import(text: str | bytes) -> FormDraft:
    """Read pasted or uploaded JSON into a new draft; raises ImportProblem naming the field."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise ImportProblem(
            "JSON", f"is {size:,} bytes, over the {MAX_IMPORT_BYTES:,}-byte limit for a session payload"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(
                "file", "is not UTF-8 text; export the payload as JSON and try again"
            ) from None
    if not text.strip():
        raise ImportProblem("JSON", "nothing to import; paste a payload or choose a .json file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            "JSON", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise ImportProblem(
            "JSON", "is nested too deeply to be a session payload (objects inside objects thousands deep)"
        ) from None
    except ValueError:  # an integer of thousands of digits: Python refuses to convert it
        raise ImportProblem(
            "JSON", "holds a number with thousands of digits, which no field of the payload accepts"
        ) from None
    try:
        return draft_from_payload(data)
    except RecursionError:
        raise ImportProblem("JSON", "is nested too deeply to be a session payload") from None



def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise ImportProblem(where + key, "is missing")
    value = data[key]
    if kind is int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ImportProblem(where + key, f"must be a whole number, got {json.dumps(value)[:60]}")
        if abs(value) > MAX_IMPORT_NUMBER:
            raise ImportProblem(where + key, f"is {str(value)[:20]}…, far outside any allowed value")
        return value
    if not isinstance(value, kind):
        expected = {str: "text", list: "a list", dict: "an object"}.get(kind, str(kind))  # type: ignore[call-overload]
        raise ImportProblem(where + key, f"must be {expected}, got {json.dumps(value)[:60]}")
    if isinstance(value, str):
        _encodable(value, where + key)
    return value


def _encodable(value: str, path: str) -> None:
    """Text a page can show: a lone UTF-16 surrogate (valid in JSON's \\u escapes, not in
    UTF-8) would make every rerun of the form fail."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportProblem(
            path, "contains an invalid character (a lone UTF-16 surrogate such as \\ud800); remove it"
        ) from None


def _reject_unknown(data: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ImportProblem(
            where + unknown[0],
            f"is not a field of the session payload (expected one of {', '.join(allowed)})",
        )


def _id_of(data: dict[str, Any], where: str) -> str:
    value = str(data.get("id") or "")
    _encodable(value, where + "id")
    return value


def _cap(path: str, items: list[Any], limit: int, what: str) -> None:
    if len(items) > limit:
        raise ImportProblem(path, f"has {len(items)} entries; the form takes at most {limit} {what}")


class _Problems:
    """Collects every ImportProblem of one payload, so a paste with four bad fields is told
    about all four at once; each failed read gives a stand-in value and the walk goes on."""

    def __init__(self) -> None:
        self.found: list[ImportProblem] = []

    def read(self, read: Any, default: Any) -> Any:
        try:
            return read()
        except ImportProblem as problem:
            self.found.append(problem)
            return default

    def raise_any(self) -> None:
        if self.found:
            raise ImportProblem.of(self.found)


def draft_from_payload(data: Any) -> FormDraft:
    """Structure and types are checked here; values the form can show (a bad UUID, a weightage
    over 100) are loaded so `validate` can point at them beside their fields. Every structural
    problem is reported together (`ImportProblem.problems`)."""
    if (
        isinstance(data, dict)
        and contract.ENVELOPE_KEY in data
        and isinstance(data[contract.ENVELOPE_KEY], dict)
    ):
        data = data[contract.ENVELOPE_KEY]
    if not isinstance(data, dict):
        raise ImportProblem("JSON", "must be one JSON object (the createSession payload)")
    problems = _Problems()
    problems.read(lambda: _reject_unknown(data, contract.SESSION_FIELDS, ""), None)
    fields: dict[str, Any] = {}
    for name in contract.SESSION_FIELDS:
        if name == "topics":
            continue
        if name == "duration":
            fields[name] = problems.read(lambda n=name: _require(data, n, int, ""), DEFAULT_DURATION)
        elif name in ("sessionId", "userId", "taskId") and name not in data:
            fields[name] = ""  # generated when the form fills missing ids
        elif name == "sessionStatus" and name not in data:
            fields[name] = "New"
        else:
            fields[name] = problems.read(lambda n=name: _require(data, n, str, ""), None)
            if fields[name] is None:
                continue
        if name in CHOICES and fields[name] not in CHOICES[name]:
            problems.found.append(
                ImportProblem(name, f"{json.dumps(fields[name])} is not one of {', '.join(CHOICES[name])}")
            )
    raw_topics = problems.read(lambda: _require(data, "topics", list, ""), [])
    if len(raw_topics) > MAX_TOPICS:  # a list of thousands is not walked for more messages
        problems.read(lambda: _cap("topics", raw_topics, MAX_TOPICS, "topics"), None)
        problems.raise_any()
    topics = []
    for i, raw in enumerate(raw_topics):
        topic = problems.read(lambda i=i, raw=raw: _topic_from_payload(i, raw, problems), None)
        if topic is not None:
            topics.append(topic)
    problems.raise_any()
    return FormDraft(fields=fields, topics=topics)


def _topic_from_payload(i: int, raw: Any, problems: _Problems) -> TopicDraft:
    where = f"topics[{i}]."
    if not isinstance(raw, dict):
        raise ImportProblem(f"topics[{i}]", "must be an object with id, name, weightage, ...")
    problems.read(lambda: _reject_unknown(raw, contract.TOPIC_FIELDS, where), None)
    subtopics = []
    raw_subs = problems.read(lambda: _require(raw, "subtopics", list, where), [])
    _cap(f"{where}subtopics", raw_subs, MAX_SUBTOPICS, "subtopics in a topic")
    for j, raw_sub in enumerate(raw_subs):
        sub = problems.read(
            lambda j=j, raw_sub=raw_sub: _subtopic_from_payload(where, j, raw_sub, problems), None
        )
        if sub is not None:
            subtopics.append(sub)

    def number(name: str, default: int) -> int:
        return problems.read(lambda: _require(raw, name, int, where), default)

    return TopicDraft(
        id=problems.read(lambda: _id_of(raw, where), ""),
        name=problems.read(lambda: _require(raw, "name", str, where), ""),
        weightage=number("weightage", DEFAULT_TOPIC_WEIGHTAGE),
        allocated_time=number("allocated_time", DEFAULT_TOPIC_TIME),
        knowledge_depth=number("knowledge_depth", DEFAULT_KNOWLEDGE_DEPTH),
        subtopics=subtopics,
    )


def _subtopic_from_payload(where: str, j: int, raw_sub: Any, problems: _Problems) -> SubtopicDraft:
    sub_where = f"{where}subtopics[{j}]."
    if not isinstance(raw_sub, dict):
        raise ImportProblem(f"{where}subtopics[{j}]", "must be an object with id, name, concepts")
    problems.read(lambda: _reject_unknown(raw_sub, contract.SUBTOPIC_FIELDS, sub_where), None)
    concepts = problems.read(lambda: _require(raw_sub, "concepts", list, sub_where), [])
    _cap(f"{sub_where}concepts", concepts, MAX_CONCEPTS, "concepts in a subtopic")
    for k, concept in enumerate(concepts):
        if not isinstance(concept, str):
            problems.found.append(ImportProblem(f"{sub_where}concepts[{k}]", "must be text"))
            continue
        problems.read(lambda c=concept, k=k: _encodable(c, f"{sub_where}concepts[{k}]"), None)
    return SubtopicDraft(
        id=problems.read(lambda: _id_of(raw_sub, sub_where), ""),
        name=problems.read(lambda: _require(raw_sub, "name", str, sub_where), ""),
        concepts=[c for c in concepts if isinstance(c, str)],
    )


# --- validation -------------------------------------------------------------------------------------


def validate(draft: FormDraft) -> Validation:
    """Every message the form shows, by field path; `session_input` is set only when all pass."""
    result = Validation()
    f = draft.fields
    for name in UUID_FIELDS:
        value = str(f.get(name) or "").strip()
        if value and not _UUID_RE.match(value):
            result.add(
                name,
                f"{LABELS[name]} must be a UUID such as {_EXAMPLE_UUID}; "
                "clear the field to generate one.",
            )
    for name in TEXT_FIELDS:
        if not str(f.get(name) or "").strip():
            result.add(name, f"{LABELS[name]} is required.")
    for name, allowed in CHOICES.items():
        if f.get(name) not in allowed:
            result.add(name, f"{LABELS[name]} must be one of {', '.join(map(choice_label, allowed))}.")
    low, high = contract.DURATION_MINUTES
    duration = f.get("duration")
    if not isinstance(duration, int) or not low <= duration <= high:
        result.add("duration", f"Duration must be between {low} and {high} minutes.")
        duration = None

    if not draft.topics:
        result.add("topics", "Add at least one topic; the interviewer asks about the topics' concepts.")
    _validate_topics(draft, result, duration)

    if result.errors:
        return result
    try:
        result.session_input = SessionInput.model_validate(to_payload(draft))
    except ValidationError as exc:  # anything the model knows that the checks above do not
        for err in exc.errors():
            result.add(_path(err["loc"]) or "topics", _clean(err["msg"]))
    return result


def _validate_topics(draft: FormDraft, result: Validation, duration: int | None) -> None:
    w_low, w_high = contract.WEIGHTAGE
    d_low, d_high = contract.KNOWLEDGE_DEPTH
    if len(draft.topics) > MAX_TOPICS:
        result.add("topics", f"{len(draft.topics)} topics; an interview takes at most {MAX_TOPICS}.")
    seen_topic_ids: set[str] = set()
    for i, topic in enumerate(draft.topics):
        p = f"topics[{i}]"
        label = f"Topic {i + 1}"
        if not topic.name.strip():
            result.add(f"{p}.name", f"{label} needs a name.")
        if topic.id.strip() in seen_topic_ids:
            result.add(f"{p}.id", f"{label}: id {topic.id!r} is used by another topic; ids must be unique.")
        seen_topic_ids.add(topic.id.strip())
        if not w_low <= topic.weightage <= w_high:
            result.add(f"{p}.weightage", f"{label}: weightage must be between {w_low} and {w_high}.")
        if topic.allocated_time < 1:
            result.add(f"{p}.allocated_time", f"{label}: allocated time must be at least 1 minute.")
        if not d_low <= topic.knowledge_depth <= d_high:
            result.add(
                f"{p}.knowledge_depth", f"{label}: knowledge depth must be between {d_low} and {d_high}."
            )
        if not topic.subtopics:
            result.add(f"{p}.subtopics", f"{label} needs at least one subtopic.")
        elif len(topic.subtopics) > MAX_SUBTOPICS:
            result.add(
                f"{p}.subtopics", f"{label} has {len(topic.subtopics)} subtopics; at most {MAX_SUBTOPICS}."
            )
        seen_sub_ids: set[str] = set()
        for j, sub in enumerate(topic.subtopics):
            sp = f"{p}.subtopics[{j}]"
            sl = f"{label}, subtopic {j + 1}"
            if not sub.name.strip():
                result.add(f"{sp}.name", f"{sl} needs a name.")
            if sub.id.strip() in seen_sub_ids:
                result.add(
                    f"{sp}.id", f"{sl}: id {sub.id!r} is used twice in this topic; ids must be unique."
                )
            seen_sub_ids.add(sub.id.strip())
            if not sub.concepts:
                result.add(f"{sp}.concepts", f"{sl} needs at least one concept (one per line).")
            elif len(sub.concepts) > MAX_CONCEPTS:
                result.add(
                    f"{sp}.concepts", f"{sl} has {len(sub.concepts)} concepts; at most {MAX_CONCEPTS}."
                )
            elif len({c.casefold() for c in sub.concepts}) != len(sub.concepts):
                result.add(f"{sp}.concepts", f"{sl}: a concept is listed twice; keep each once.")

    if draft.topics:
        total = sum(t.weightage for t in draft.topics)
        if total > contract.WEIGHTAGE_TOTAL:
            result.add(
                "topics.weightage",
                f"Topic weightages add up to {total}, over {contract.WEIGHTAGE_TOTAL}; lower some of them.",
            )
        elif total < contract.WEIGHTAGE_TOTAL:
            result.warn(
                "topics.weightage",
                f"Topic weightages add up to {total} of {contract.WEIGHTAGE_TOTAL}. "
                "Aceint accepts this; the rest is unallocated.",
            )
        minutes = sum(t.allocated_time for t in draft.topics)
        if duration is not None and minutes > duration:
            result.add(
                "topics.allocated_time",
                f"Topic times add up to {minutes} minutes, more than the {duration}-minute duration; "
                "shorten topics or lengthen the interview.",
            )


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ")
