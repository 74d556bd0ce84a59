"""The sandbox's durable state (SQLAlchemy 2.x): tokens, sessions, idempotency keys, media.

One `Store` per sandbox. uvicorn runs the sync endpoints in a thread pool, so every
unit of work takes the store's lock: the sandbox is light, and serialising writes keeps
SQLite (file or in-memory) free of "database is locked" errors and makes the
check-then-insert of an idempotent create atomic.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class TokenRow(Base):
    """An access or refresh token, kept as its SHA-256 hash only."""

    __tablename__ = "sandbox_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "access" | "refresh"
    grant_id: Mapped[str] = mapped_column(String(36), index=True)
    client_id: Mapped[str] = mapped_column(String(200))
    access_ttl: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    rotated: Mapped[bool] = mapped_column(Boolean, default=False)


class SessionRow(Base):
    """A scheduled interview: the payload as sent, its progress and, once completed, its record."""

    __tablename__ = "sandbox_sessions"

    session_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    payload_json: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    livekit_token: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[float] = mapped_column(Float, index=True)
    updated_at: Mapped[float] = mapped_column(Float)
    started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    completed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    answers_json: Mapped[str] = mapped_column(Text, default="[]")
    transcript_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class IdempotencyRow(Base):
    """The first response to a request carrying an Idempotency-Key, replayed on a retry."""

    __tablename__ = "sandbox_idempotency"

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)


class MediaRow(Base):
    """A generated recording (made on first request, then kept)."""

    __tablename__ = "sandbox_media"

    session_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "audio" | "video"
    content_type: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MetaRow(Base):
    """Small key/value facts of this store, e.g. the media-link signing key."""

    __tablename__ = "sandbox_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _create_private_file(path: Path) -> None:
    """Create a new database file 0600 before SQLite does: it holds token hashes and the
    media signing key. SQLite gives its -wal and -shm files the database file's mode.
    An existing file keeps the mode its owner gave it."""
    if str(path).startswith("file:"):
        return  # a SQLite URI filename; SQLite decides
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))


def _make_engine(db_url: str) -> Engine:
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(db_url, pool_pre_ping=True)
    database = url.database or ""
    if database in ("", ":memory:"):
        # One shared connection, so every thread sees the same in-memory database.
        return create_engine(db_url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    path = Path(database).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    _create_private_file(path)
    engine = create_engine(db_url, connect_args={"check_same_thread": False, "timeout": 15})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class Store:
    """Owns the engine; `unit()` yields a transaction under the store lock."""

    def __init__(self, db_url: str) -> None:
        self.engine = _make_engine(db_url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._lock = threading.RLock()

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an exception."""
        with self._lock, self._sessions() as db, db.begin():
            yield db

    @contextmanager
    def core_unit(self) -> Iterator[Connection]:
        """Like `unit()`, on a Core connection: for the hot create path, where an ORM session's
        identity map and flush cost more than the two lookups and two inserts it runs."""
        with self._lock, self.engine.begin() as conn:
            yield conn

    def get_meta(self, db: Session, key: str) -> str | None:
        row = db.get(MetaRow, key)
        return row.value if row else None

    def set_meta(self, db: Session, key: str, value: str) -> None:
        row = db.get(MetaRow, key)
        if row:
            row.value = value
        else:
            db.add(MetaRow(key=key, value=value))

    def session_count(self) -> int:
        with self.unit() as db:
            return len(db.scalars(select(SessionRow.session_id)).all())

    def close(self) -> None:
        self.engine.dispose()
