"""Session create (idempotent), get, record, and the interview's progress.

Create is idempotent twice over: on `sessionId` (the same payload again returns the
same session with 200, a different one is a 409) and on the `Idempotency-Key` header
(the same key and body replays the first response; the same key with another body is
a 422). Both checks and the insert run in one store unit, so concurrent retries of one
create can never make two sessions.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import quote

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, insert, select

from aceint_core import contract
from aceint_core.models import SessionInput

from . import interview
from .http_errors import SandboxError, validation_error
from .media_links import MediaLinks
from .responses import scrubbed
from .stats import Stats
from .store import IdempotencyRow, MediaRow, SessionRow, Store

MAX_IDEMPOTENCY_KEY = 255

_SESSIONS = cast(Table, SessionRow.__table__)
_KEYS = cast(Table, IdempotencyRow.__table__)
# Built once, so SQLAlchemy's statement cache hits on every create.
_SEEN_KEY = select(_KEYS.c.fingerprint, _KEYS.c.status_code, _KEYS.c.response_json).where(
    _KEYS.c.client_id == bindparam("client_id"), _KEYS.c.key == bindparam("key")
)
_EXISTING_SESSION = select(
    _SESSIONS.c.session_id, _SESSIONS.c.fingerprint, _SESSIONS.c.status, _SESSIONS.c.livekit_token
).where(_SESSIONS.c.session_id == bindparam("session_id"))
_INSERT_SESSION = insert(_SESSIONS)
_INSERT_KEY = insert(_KEYS)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8", "surrogatepass")).hexdigest()


# A stored text that may hold a lone surrogate: a raw one, or the \udXXX escape that
# json.dumps writes for one (valid pairs, e.g. emoji, match too and are left as they are).
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


def from_store(text: str) -> Any:
    """JSON read back from the store, with any lone surrogate made U+FFFD.

    Input is checked (request_body), but a store written before that may hold one, and a
    record or page built from it must still be servable (and the same every time).
    """
    value = json.loads(text)
    return scrubbed(value) if _MAYBE_SURROGATE.search(text) else value


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iframe_url(origin: str, session_id: str) -> str:
    return f"{origin}/interview/{quote(session_id)}"


def livekit_url(origin: str) -> str:
    # Not a LiveKit server: the sandbox runs the interview on its own candidate page.
    return origin.replace("http", "ws", 1) + "/sandbox/livekit"


@dataclass
class Reply:
    """An endpoint's answer before it becomes a response."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


class SessionService:
    def __init__(
        self, store: Store, stats: Stats, links: MediaLinks, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.stats = stats
        self.links = links
        self.clock = clock

    # --- create / get / record ------------------------------------------------------------

    def _created_body(self, session_id: str, status: str, livekit_token: str, origin: str) -> dict[str, Any]:
        values = (session_id, status, livekit_token, livekit_url(origin), iframe_url(origin, session_id))
        return {contract.ENVELOPE_KEY: dict(zip(contract.CREATED_FIELDS, values, strict=True))}

    def create(
        self,
        client_id: str,
        body: Any,
        origin: str,
        idempotency_key: str | None = None,
        *,
        demo: bool = False,
    ) -> Reply:
        if idempotency_key is not None and not (0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY):
            raise SandboxError(
                422,
                "invalid_idempotency_key",
                f"{contract.IDEMPOTENCY_HEADER} must be 1 to {MAX_IDEMPOTENCY_KEY} characters",
                fields=[
                    {
                        contract.K_FIELD: contract.IDEMPOTENCY_HEADER,
                        contract.K_ERROR_MESSAGE: f"use 1 to {MAX_IDEMPOTENCY_KEY} characters, e.g. a UUID",
                    }
                ],
            )
        request_print = fingerprint(body)
        # Core statements on one connection, not the ORM: this is the sandbox's hottest write,
        # and a Session's identity map and unit-of-work flush cost more than the SQL itself.
        with self.store.core_unit() as conn:
            if idempotency_key is not None:
                seen = conn.execute(_SEEN_KEY, {"client_id": client_id, "key": idempotency_key}).first()
                if seen is not None:
                    if seen.fingerprint != request_print:
                        raise SandboxError(
                            422,
                            "idempotency_key_reused",
                            f"this {contract.IDEMPOTENCY_HEADER} was already used with a different request "
                            "body; send a new key for a new request",
                        )
                    self.stats.bump("idempotentReplays")
                    return Reply(seen.status_code, from_store(seen.response_json), replayed=True)
            try:
                session = SessionInput.model_validate(body)
            except ValidationError as exc:
                raise validation_error(exc, "session payload") from None
            payload_json = canonical(session.to_wire())
            payload_print = hashlib.sha256(payload_json.encode()).hexdigest()
            existing = conn.execute(_EXISTING_SESSION, {"session_id": session.session_id}).first()
            if existing is not None:
                if existing.fingerprint != payload_print:
                    raise SandboxError(
                        409,
                        "session_conflict",
                        f"session {session.session_id} already exists with a different payload; "
                        "send the same payload to get it back, or use a new sessionId",
                    )
                reply = Reply(
                    200,
                    self._created_body(existing.session_id, existing.status, existing.livekit_token, origin),
                )
            else:
                now = self.clock()
                livekit_token = "sbx_lk_" + secrets.token_urlsafe(24)
                conn.execute(
                    _INSERT_SESSION,
                    {
                        "session_id": session.session_id,
                        "client_id": client_id,
                        "payload_json": payload_json,
                        "fingerprint": payload_print,
                        "status": "New",
                        "livekit_token": livekit_token,
                        "created_at": now,
                        "updated_at": now,
                        "started_at": None,
                        "completed_at": None,
                        "answers_json": "[]",
                        "transcript_json": None,
                        "demo": demo,
                    },
                )
                self.stats.bump("sessionsCreated")
                reply = Reply(201, self._created_body(session.session_id, "New", livekit_token, origin))
            if idempotency_key is not None:
                conn.execute(
                    _INSERT_KEY,
                    {
                        "client_id": client_id,
                        "key": idempotency_key,
                        "fingerprint": request_print,
                        "status_code": reply.status,
                        "response_json": canonical(reply.body),
                        "created_at": self.clock(),
                    },
                )
            return reply

    def _row(self, db: Any, session_id: str) -> SessionRow:
        row = db.get(SessionRow, session_id)
        if row is None:
            raise SandboxError(404, "session_not_found", f"no session with sessionId {session_id}")
        return row

    def details(self, session_id: str) -> dict[str, Any]:
        with self.store.unit() as db:
            row = self._row(db, session_id)
            data = from_store(row.payload_json)
            data.update(
                status=row.status,
                createdAt=iso(row.created_at),
                updatedAt=iso(row.updated_at),
                completedAt=iso(row.completed_at),
            )
            return {contract.ENVELOPE_KEY: data}

    def record(self, session_id: str, origin: str) -> dict[str, Any]:
        with self.store.unit() as db:
            row = self._row(db, session_id)
            if row.status != "Completed" or row.transcript_json is None:
                raise SandboxError(
                    404,
                    "record_not_ready",
                    f"session {session_id} has no record yet (status {row.status}); the record "
                    "exists once the interview is completed",
                )
            payload = from_store(row.payload_json)
            values = (
                row.session_id,
                self.links.url(origin, row.session_id, "video"),
                self.links.url(origin, row.session_id, "audio"),
                from_store(row.transcript_json),
                payload.get("interviewCategory"),
                interview.sub_category(payload),
            )
            return {contract.ENVELOPE_KEY: dict(zip(contract.RECORD_FIELDS, values, strict=True))}

    # --- the interview's progress (candidate page and /sandbox/ endpoints) ------------------

    def progress(self, session_id: str) -> dict[str, Any]:
        with self.store.unit() as db:
            row = self._row(db, session_id)
            return self._progress(row)

    def _progress(self, row: SessionRow) -> dict[str, Any]:
        payload = from_store(row.payload_json)
        qs = interview.questions(payload)
        answers = from_store(row.answers_json)
        return {
            "sessionId": row.session_id,
            "status": row.status,
            "questionCount": len(qs),
            "answered": len(answers),
            "nextQuestion": qs[len(answers)].text if len(answers) < len(qs) else None,
            "startedAt": iso(row.started_at),
            "completedAt": iso(row.completed_at),
        }

    def _open_row(self, db: Any, session_id: str) -> SessionRow:
        row = self._row(db, session_id)
        if row.status == "Completed":
            raise SandboxError(409, "session_completed", f"session {session_id} is already completed")
        if row.status in ("Expired", "Cancelled"):
            raise SandboxError(409, "session_closed", f"session {session_id} is {row.status}")
        return row

    def _start(self, row: SessionRow) -> None:
        if row.status == "New":
            now = self.clock()
            row.status, row.started_at, row.updated_at = "InProgress", now, now

    def start(self, session_id: str) -> dict[str, Any]:
        with self.store.unit() as db:
            row = self._open_row(db, session_id)
            self._start(row)
            return {contract.ENVELOPE_KEY: self._progress(row)}

    def answer(
        self, session_id: str, answers: list[str], question_index: int | None = None
    ) -> dict[str, Any]:
        with self.store.unit() as db:
            row = self._open_row(db, session_id)
            self._start(row)
            stored: list[str] = from_store(row.answers_json)
            total = len(interview.questions(from_store(row.payload_json)))
            if question_index is not None and question_index != len(stored):
                if question_index < len(stored) and len(answers) == 1:
                    stored[question_index] = answers[0]  # an edit of an earlier answer
                    answers = []
                else:
                    raise SandboxError(
                        409,
                        "out_of_order",
                        f"question {question_index} is not next; {len(stored)} of {total} are answered",
                    )
            if len(stored) + len(answers) > total:
                raise SandboxError(
                    409,
                    "too_many_answers",
                    f"the interview has {total} questions and {len(stored)} are answered already",
                )
            stored.extend(answers)
            row.answers_json = json.dumps(stored)
            row.updated_at = self.clock()
            return {contract.ENVELOPE_KEY: self._progress(row)}

    def complete(self, session_id: str, answers: list[str] | None = None) -> dict[str, Any]:
        with self.store.unit() as db:
            row = self._open_row(db, session_id)
            self._start(row)
            payload = from_store(row.payload_json)
            stored: list[str] = from_store(row.answers_json)
            total = len(interview.questions(payload))
            stored = (stored + list(answers or []))[:total]
            row.answers_json = json.dumps(stored)
            row.transcript_json = json.dumps(interview.build_transcript(payload, stored))
            now = self.clock()
            row.status, row.completed_at, row.updated_at = "Completed", now, now
            db.query(MediaRow).filter(MediaRow.session_id == session_id).delete()
            return {contract.ENVELOPE_KEY: self._progress(row)}

    def listing(self, origin: str) -> dict[str, Any]:
        with self.store.unit() as db:
            rows = db.scalars(select(SessionRow).order_by(SessionRow.created_at)).all()
            items = []
            for row in rows:
                payload = from_store(row.payload_json)
                items.append(
                    {
                        "sessionId": row.session_id,
                        "fullName": payload.get("fullName"),
                        "jobRole": payload.get("jobRole"),
                        "status": row.status,
                        "createdBy": payload.get("createdBy"),
                        "createdAt": iso(row.created_at),
                        "completedAt": iso(row.completed_at),
                        "iframeUrl": iframe_url(origin, row.session_id),
                        "demo": row.demo,
                    }
                )
            return {contract.ENVELOPE_KEY: items}

    def payload_and_transcript(
        self, session_id: str
    ) -> tuple[dict[str, Any], list[dict[str, Any]] | None, str]:
        with self.store.unit() as db:
            row = self._row(db, session_id)
            transcript = from_store(row.transcript_json) if row.transcript_json else None
            return from_store(row.payload_json), transcript, row.status
