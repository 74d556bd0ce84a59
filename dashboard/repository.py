"""The local database of sessions scheduled from this dashboard (SQLAlchemy 2.x; no Streamlit).

Aceint holds the sessions, but it has no "list my sessions" call, so the dashboard keeps its own
row per session it created: who it is for, who scheduled it, the payload it sent and the last
status it saw. SQLite by default (`sqlite:///var/dashboard.db`), so rows survive restarts; any
SQLAlchemy URL works. A transcript uploaded for an interview recorded elsewhere is kept beside
its session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, create_engine, func, or_, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


def _now() -> datetime:
    return datetime.now(UTC)


class _Base(DeclarativeBase):
    pass


class ScheduledSessionRow(_Base):
    __tablename__ = "scheduled_sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    job_role: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(200))
    iframe_url: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AttachedTranscriptRow(_Base):
    __tablename__ = "attached_transcripts"

    session_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("scheduled_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    filename: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    uploaded_by: Mapped[str] = mapped_column(String(200))


_Row = TypeVar("_Row", ScheduledSessionRow, AttachedTranscriptRow)


def _get_or_add(db: Session, model: type[_Row], session_id: str, **defaults: Any) -> _Row:
    """The row of `model` for `session_id`, added (with `defaults`) when there is none yet."""
    row = db.get(model, session_id)
    if row is None:
        row = model(session_id=session_id, **defaults)
        db.add(row)
    return row


def _existing(db: Session, session_id: str) -> ScheduledSessionRow:
    """The scheduled session's row; KeyError when this dashboard has none of that id."""
    row = db.get(ScheduledSessionRow, session_id)
    if row is None:
        raise KeyError(session_id)
    return row


@dataclass(frozen=True)
class ScheduledSession:
    """A detached snapshot of one row (safe to keep after the database session closes)."""

    session_id: str
    full_name: str
    job_role: str
    status: str
    created_at: datetime
    created_by: str
    iframe_url: str
    payload: dict[str, Any]
    last_synced_at: datetime | None


@dataclass(frozen=True)
class AttachedTranscript:
    session_id: str
    filename: str
    text: str
    uploaded_at: datetime
    uploaded_by: str


def _aware(value: datetime | None) -> datetime | None:
    # SQLite drops the zone; everything is stored in UTC, so put it back.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _snapshot(row: ScheduledSessionRow) -> ScheduledSession:
    return ScheduledSession(
        session_id=row.session_id,
        full_name=row.full_name,
        job_role=row.job_role,
        status=row.status,
        created_at=_aware(row.created_at) or _now(),
        created_by=row.created_by,
        iframe_url=row.iframe_url,
        payload=dict(row.payload or {}),
        last_synced_at=_aware(row.last_synced_at),
    )


class SessionRepository:
    """Scheduled sessions and their attached transcripts, in one database."""

    def __init__(self, database_url: str, *, engine: Engine | None = None) -> None:
        self.database_url = database_url
        self.engine = engine or create_engine(database_url, future=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, database_url: str) -> SessionRepository:
        """Open (and create, for a SQLite file, including its folder) the database."""
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        repo = cls(database_url)
        _Base.metadata.create_all(repo.engine)
        return repo

    def close(self) -> None:
        self.engine.dispose()

    # --- sessions ------------------------------------------------------------------------------

    def add(
        self,
        *,
        session_id: str,
        full_name: str,
        job_role: str,
        status: str,
        created_by: str,
        iframe_url: str,
        payload: dict[str, Any],
        created_at: datetime | None = None,
    ) -> ScheduledSession:
        """Store a newly created session; creating the same session id again updates its row."""
        with self._sessions.begin() as db:
            row = _get_or_add(db, ScheduledSessionRow, session_id, created_at=created_at or _now())
            row.full_name = full_name
            row.job_role = job_role
            row.status = status
            row.created_by = created_by
            row.iframe_url = iframe_url
            row.payload = json.loads(json.dumps(payload))
            db.flush()
            return _snapshot(row)

    def get(self, session_id: str) -> ScheduledSession | None:
        with self._sessions() as db:
            row = db.get(ScheduledSessionRow, session_id)
            return _snapshot(row) if row is not None else None

    def sessions(self, *, search: str = "", status: str | None = None) -> list[ScheduledSession]:
        """Newest first; `search` matches candidate, job role, creator or id (case-insensitive)."""
        query = select(ScheduledSessionRow).order_by(ScheduledSessionRow.created_at.desc())
        if status:
            query = query.where(ScheduledSessionRow.status == status)
        term = search.strip().lower()
        if term:
            like = f"%{term}%"
            query = query.where(
                or_(
                    func.lower(ScheduledSessionRow.full_name).like(like),
                    func.lower(ScheduledSessionRow.job_role).like(like),
                    func.lower(ScheduledSessionRow.created_by).like(like),
                    func.lower(ScheduledSessionRow.session_id).like(like),
                )
            )
        with self._sessions() as db:
            return [_snapshot(r) for r in db.scalars(query)]

    def count(self) -> int:
        with self._sessions() as db:
            return int(db.scalar(select(func.count()).select_from(ScheduledSessionRow)) or 0)

    def statuses(self) -> list[str]:
        with self._sessions() as db:
            return sorted(db.scalars(select(ScheduledSessionRow.status).distinct()))

    def update_status(self, session_id: str, status: str, *, synced_at: datetime | None = None) -> None:
        with self._sessions.begin() as db:
            row = _existing(db, session_id)
            row.status = status
            row.last_synced_at = synced_at or _now()

    # --- a create whose outcome is not known yet (see dashboard.scheduling) ------------------------

    def begin_submission(
        self,
        *,
        session_id: str,
        full_name: str,
        job_role: str,
        status: str,
        created_by: str,
        payload: dict[str, Any],
    ) -> ScheduledSession:
        """Write the row before the create is sent, with no candidate link yet and `created_at`
        now (a resubmission is a new scheduling moment); replaces an unconfirmed row of that id."""
        with self._sessions.begin() as db:
            row = _get_or_add(db, ScheduledSessionRow, session_id)
            row.full_name = full_name
            row.job_role = job_role
            row.status = status
            row.created_at = _now()
            row.created_by = created_by
            row.iframe_url = ""
            row.payload = json.loads(json.dumps(payload))
            row.last_synced_at = None
            db.flush()
            return _snapshot(row)

    def confirm(self, session_id: str, *, status: str, iframe_url: str) -> ScheduledSession:
        """Aceint answered for this session: store its status and candidate link."""
        with self._sessions.begin() as db:
            row = _existing(db, session_id)
            row.status = status
            row.iframe_url = iframe_url
            row.last_synced_at = _now()
            db.flush()
            return _snapshot(row)

    def mark(self, session_id: str, status: str) -> None:
        """Set a local status that did not come from Aceint (so `last_synced_at` stays as it was)."""
        with self._sessions.begin() as db:
            row = _existing(db, session_id)
            row.status = status

    def restore(self, snapshot: ScheduledSession) -> None:
        """Put a row back exactly as `snapshot` shows it (undo a submission Aceint refused)."""
        with self._sessions.begin() as db:
            row = _get_or_add(db, ScheduledSessionRow, snapshot.session_id)
            for name in ScheduledSession.__dataclass_fields__:
                value = getattr(snapshot, name)
                setattr(row, name, json.loads(json.dumps(value)) if name == "payload" else value)

    def delete(self, session_id: str) -> None:
        """Remove a session's row (and its attached transcript); no error if there is none."""
        with self._sessions.begin() as db:
            attached = db.get(AttachedTranscriptRow, session_id)
            if attached is not None:
                db.delete(attached)
            row = db.get(ScheduledSessionRow, session_id)
            if row is not None:
                db.delete(row)

    # --- attached transcripts -------------------------------------------------------------------

    def attach_transcript(
        self, session_id: str, *, filename: str, text: str, uploaded_by: str
    ) -> AttachedTranscript:
        """Keep an uploaded transcript for a session (replaces an earlier upload)."""
        with self._sessions.begin() as db:
            _existing(db, session_id)
            row = _get_or_add(db, AttachedTranscriptRow, session_id)
            row.filename = filename
            row.text = text
            row.uploaded_by = uploaded_by
            row.uploaded_at = _now()
            return AttachedTranscript(session_id, filename, text, row.uploaded_at, uploaded_by)

    def remove_attached_transcript(self, session_id: str) -> bool:
        """Forget a session's attached transcript; True if there was one."""
        with self._sessions.begin() as db:
            row = db.get(AttachedTranscriptRow, session_id)
            if row is None:
                return False
            db.delete(row)
            return True

    def attached_transcript(self, session_id: str) -> AttachedTranscript | None:
        with self._sessions() as db:
            row = db.get(AttachedTranscriptRow, session_id)
            if row is None:
                return None
            return AttachedTranscript(
                session_id=row.session_id,
                filename=row.filename,
                text=row.text,
                uploaded_at=_aware(row.uploaded_at) or _now(),
                uploaded_by=row.uploaded_by,
            )
