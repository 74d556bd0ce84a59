"""pydantic models of the session payload and of the normalised results.

`SessionInput` is validated before anything is sent, so a bad field fails locally with
its name; it serialises to exactly the seed README's wire keys. The result models accept
camelCase or snake_case keys and a `{"data": ...}` envelope, and keep the raw response
(excluded from repr and dumps, because it may carry the session token).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from . import contract
from .errors import InvalidPayloadError

_NonEmpty = Field(min_length=1, max_length=200)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _one_of(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise ValueError(f"{field} must be one of {', '.join(allowed)}; got {value!r}")
    return value


class Subtopic(BaseModel):
    """A subtopic of a topic; the AI interviewer asks about each of its concepts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    name: str = _NonEmpty
    concepts: list[str] = Field(min_length=1)

    @field_validator("concepts")
    @classmethod
    def _concepts_named(cls, concepts: list[str]) -> list[str]:
        cleaned = [_strip(c) for c in concepts]
        if any(not c for c in cleaned):
            raise ValueError("every concept needs a name; remove the empty one")
        if len(set(c.casefold() for c in cleaned)) != len(cleaned):
            raise ValueError("concepts must be distinct within a subtopic")
        return cleaned


class Topic(BaseModel):
    """A topic of the interview with its share of the score and of the time."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    name: str = _NonEmpty
    weightage: int = Field(ge=contract.WEIGHTAGE[0], le=contract.WEIGHTAGE[1])
    allocated_time: int = Field(ge=1, description="minutes")
    knowledge_depth: int = Field(ge=contract.KNOWLEDGE_DEPTH[0], le=contract.KNOWLEDGE_DEPTH[1])
    subtopics: list[Subtopic] = Field(min_length=1)

    @model_validator(mode="after")
    def _subtopic_ids_unique(self) -> Self:
        ids = [s.id for s in self.subtopics]
        if len(set(ids)) != len(ids):
            raise ValueError("subtopic ids must be unique within a topic")
        return self


_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _uuid_field(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _UUID_RE.match(value.strip()):
        raise ValueError(f"{field} must be a UUID such as 3bcd6789-c679-4ff3-bdb1-e1730f3cb46b")
    return value.strip().lower()


# Fields whose values the contract enumerates (the seed README's value is among each).
_ENUMERATED: dict[str, tuple[str, ...]] = {
    "interview_category": contract.INTERVIEW_CATEGORIES,
    "interview_domain": contract.INTERVIEW_DOMAINS,
    "interview_mode": contract.INTERVIEW_MODES,
    "experience": contract.EXPERIENCE_LEVELS,
    "interview_difficulty": contract.INTERVIEW_DIFFICULTIES,
    "session_status": contract.SESSION_STATUSES,
}


class SessionInput(BaseModel):
    """The createSession payload of the seed README, validated.

    Field names are snake_case in Python and camelCase on the wire (`model_dump()` gives
    the wire form). `session_id` is generated when missing, so retries of one create reuse it.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        str_strip_whitespace=True,
    )

    user_id: str
    task_id: str
    session_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    full_name: str = _NonEmpty
    job_role: str = _NonEmpty
    interview_category: str
    interview_domain: str
    duration: int = Field(
        ge=contract.DURATION_MINUTES[0], le=contract.DURATION_MINUTES[1], description="minutes"
    )
    interview_mode: str
    experience: str
    interview_difficulty: str
    session_status: str = "New"
    created_by: str = _NonEmpty
    topics: list[Topic] = Field(min_length=1)

    @field_validator("user_id", "task_id", "session_id", mode="before")
    @classmethod
    def _uuids(cls, value: Any, info: Any) -> str:
        return _uuid_field(value, to_camel(info.field_name))

    @field_validator(*_ENUMERATED, mode="after")
    @classmethod
    def _known_value(cls, value: str, info: Any) -> str:
        return _one_of(value, _ENUMERATED[info.field_name], to_camel(info.field_name))

    @field_validator("topics", mode="after")
    @classmethod
    def _topics_fit(cls, topics: list[Topic], info: ValidationInfo) -> list[Topic]:
        # A field validator (not a model validator) so the error's loc is ("topics",) and the
        # message names the field; `duration` is declared earlier, so it is in info.data if valid.
        repeated = [i for i, n in Counter(t.id for t in topics).items() if n > 1]
        if repeated:
            shown = ", ".join(map(repr, repeated[:5]))
            raise ValueError(f"topic ids must be unique; used more than once: {shown}")
        total_weight = sum(t.weightage for t in topics)
        if total_weight > contract.WEIGHTAGE_TOTAL:
            raise ValueError(
                f"topic weightages add up to {total_weight}; they may total at most "
                f"{contract.WEIGHTAGE_TOTAL}"
            )
        duration = info.data.get("duration")
        total_time = sum(t.allocated_time for t in topics)
        if isinstance(duration, int) and total_time > duration:
            raise ValueError(
                f"topic allocated_time adds up to {total_time} minutes, more than the "
                f"{duration}-minute duration; shorten topics or lengthen the interview"
            )
        return topics

    def to_wire(self) -> dict[str, Any]:
        """The JSON body for the create call, with exactly the seed README's keys."""
        return self.model_dump(mode="json", by_alias=True)


def field_errors(error: ValidationError) -> list[dict[str, str]]:
    """pydantic's errors as the contract's 422 `fields`: the wire path of each field and its message."""
    return [
        {
            contract.K_FIELD: ".".join(str(part) for part in item["loc"]) or "payload",
            contract.K_ERROR_MESSAGE: item["msg"].removeprefix("Value error, "),
        }
        for item in error.errors(include_url=False, include_input=False)
    ]


def invalid_session_input(error: ValidationError) -> InvalidPayloadError:
    """The SDK's error for a session payload that fails validation before anything is sent."""
    fields = field_errors(error)
    listed = "; ".join(f"{f[contract.K_FIELD]}: {f[contract.K_ERROR_MESSAGE]}" for f in fields)
    return InvalidPayloadError(f"the session payload is invalid (nothing was sent): {listed}", fields=fields)


# --- Results -----------------------------------------------------------------------------------


def unwrap(payload: Any) -> dict[str, Any]:
    """Return the object inside a `{"data": ...}` envelope, or the object itself."""
    if isinstance(payload, Mapping) and contract.ENVELOPE_KEY in payload and isinstance(
        payload[contract.ENVELOPE_KEY], Mapping
    ):
        payload = payload[contract.ENVELOPE_KEY]
    if not isinstance(payload, Mapping):
        raise TypeError(f"expected a JSON object, got {type(payload).__name__}")
    return dict(payload)


class _Result(BaseModel):
    """A normalised response: accepts camelCase or snake_case keys, keeps the raw body."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="ignore",
        frozen=True,
    )

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def raw(self) -> dict[str, Any]:
        """The response body as received (may contain the session token: do not log it)."""
        return self._raw

    @classmethod
    def from_response(cls, payload: Any) -> Self:
        body = unwrap(payload)
        result = cls.model_validate(body)
        result._raw = payload if isinstance(payload, dict) else body
        return result


class CreatedSession(_Result):
    """What createSession returns: the id, its status, and what the candidate embed needs."""

    session_id: str
    status: str
    token: SecretStr | None = None
    livekit_url: str | None = None
    iframe_url: str


class SessionDetails(_Result):
    """The stored session as getSession returns it; unknown keys stay in `raw`."""

    session_id: str
    status: str | None = None
    session_status: str | None = None
    full_name: str | None = None
    job_role: str | None = None
    created_by: str | None = None
    duration: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def effective_status(self) -> str | None:
        return self.status or self.session_status


class SessionRecord(_Result):
    """The record of a completed interview. `transcript` is kept as Aceint sent it; read it
    with `aceint_core.transcripts.parse_transcript`."""

    session_id: str
    video_link: str | None = None
    audio_link: str | None = None
    transcript: Any = None
    category: str | None = None
    sub_category: str | None = None
