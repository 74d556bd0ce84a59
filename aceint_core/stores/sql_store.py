"""A token store in a SQL database (SQLAlchemy 2.x; SQLite and PostgreSQL), shared by processes and hosts.

Why it is safe to share:
- compare-and-swap is one conditional `UPDATE ... WHERE key = :key AND generation = :expected`;
  the database decides who wins, and the loser sees zero rows updated.
- "Nothing stored" (expected None) is an INSERT, or an UPDATE of the key's tombstone; two
  processes racing to insert meet the primary key, and the one that hits the unique violation loses.
- A delete keeps the row as a tombstone (token columns NULL, generation kept), so the next
  write continues the count and generations never repeat for a key.
- The refresh lock is a lease row (owner, lease_until) taken with a conditional UPDATE (only
  when expired) or an INSERT (only when absent), polled until the timeout. A holder that dies
  blocks others until its lease runs out; releasing sets lease_until to 0.
Deadlines use each client's wall clock (time.time()), so hosts sharing a database need
synchronised clocks, as token expiry already does.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from aceint_core.stores.errors import TokenStoreError, mask_url, scrub
from aceint_core.token_store import KeyLocks, TokenRecord, queued_refresh_lock

DEFAULT_TABLE_PREFIX = "aceint_"
_SQLITE_BUSY_TIMEOUT = 30.0
_POLL_START = 0.005
_POLL_MAX = 0.1
_T = TypeVar("_T")


def _engine_for(url: str) -> Engine:
    """An engine tuned for a shared token store: no SQL parameters (tokens) in error messages."""
    parsed = sa.engine.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is the pinned driver
    kwargs: dict[str, object] = {"hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": _SQLITE_BUSY_TIMEOUT, "check_same_thread": False}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool  # one in-memory database shared by the threads
    else:
        kwargs["pool_pre_ping"] = True
    # The engine first: an unusable URL (say, an unknown driver) must fail before any file is made.
    engine = sa.create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _create_private_file(parsed.database)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_wal(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # WAL lets readers go on while a writer commits; processes share the file.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


def _create_private_file(database: str) -> None:
    """Create a new SQLite file with mode 0600 before SQLite does (its -wal/-shm files copy the mode)."""
    if database.startswith("file:"):
        return  # a SQLite URI filename; SQLite decides
    path = os.path.abspath(os.path.expanduser(database))
    with contextlib.suppress(FileExistsError, FileNotFoundError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))


class SQLTokenStore:
    """Tokens in two tables (`<prefix>tokens`, `<prefix>token_leases`), created on first use."""

    def __init__(self, url_or_engine: str | Engine, *, table_prefix: str = DEFAULT_TABLE_PREFIX) -> None:
        if isinstance(url_or_engine, Engine):
            self.engine = url_or_engine
        else:
            try:
                self.engine = _engine_for(url_or_engine)
            except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ValueError) as exc:
                raise TokenStoreError(
                    f"SQL token store {mask_url(str(url_or_engine))}: not a usable database URL "
                    f"({type(exc).__name__}); use e.g. sqlite:///path/tokens.db or postgresql+psycopg://user@host/db"
                ) from None
        self.url = self.engine.url.render_as_string(hide_password=True)
        metadata = sa.MetaData()
        self._tokens = sa.Table(
            f"{table_prefix}tokens",
            metadata,
            sa.Column("key", sa.String(255), primary_key=True),
            sa.Column("access_token", sa.Text, nullable=True),  # NULL: tombstone after a delete
            sa.Column("refresh_token", sa.Text, nullable=True),
            sa.Column("issued_at", sa.Double, nullable=True),
            sa.Column("expires_at", sa.Double, nullable=True),
            sa.Column("generation", sa.BigInteger, nullable=False),
        )
        self._leases = sa.Table(
            f"{table_prefix}token_leases",
            metadata,
            sa.Column("key", sa.String(255), primary_key=True),
            sa.Column("owner", sa.String(200), nullable=False),
            sa.Column("lease_until", sa.Double, nullable=False),
        )
        self._metadata = metadata
        self._ready = False
        self._ready_lock = threading.Lock()
        self._key_locks = KeyLocks()
        self._host = socket.gethostname()

    def __repr__(self) -> str:
        return f"SQLTokenStore(url={self.url!r})"

    def dispose(self) -> None:
        """Close pooled connections (the store stays usable; a new pool opens on next use)."""
        self.engine.dispose()

    def drop_tables(self) -> None:
        """Drop this store's tables (tests, and resetting a store)."""
        self._run("drop_tables", lambda: self._metadata.drop_all(self.engine))
        self._ready = False

    # --- the protocol ---------------------------------------------------------------------

    def load(self, key: str) -> TokenRecord | None:
        def run() -> TokenRecord | None:
            t = self._tokens
            with self.engine.connect() as conn:
                row = conn.execute(sa.select(t).where(t.c.key == key)).first()
            if row is None or not row.access_token or row.issued_at is None or row.expires_at is None:
                return None  # absent, tombstone or damaged: a miss
            return TokenRecord(
                row.access_token, row.refresh_token, row.issued_at, row.expires_at, row.generation
            )

        return self._run("load", run)

    def compare_and_swap(
        self, key: str, expected_generation: int | None, record: TokenRecord
    ) -> TokenRecord | None:
        t = self._tokens
        values = {
            "access_token": record.access_token,
            "refresh_token": record.refresh_token,
            "issued_at": record.issued_at,
            "expires_at": record.expires_at,
            "generation": t.c.generation + 1,
        }

        def run() -> TokenRecord | None:
            with self.engine.begin() as conn:
                if expected_generation is not None:
                    result = conn.execute(
                        t.update()
                        .where(
                            t.c.key == key,
                            t.c.generation == expected_generation,
                            t.c.access_token.is_not(None),
                        )
                        .values(**values)
                    )
                    return record.with_generation(expected_generation + 1) if result.rowcount == 1 else None
                # Nothing stored: revive the tombstone if there is one, else insert the first row.
                result = conn.execute(
                    t.update().where(t.c.key == key, t.c.access_token.is_(None)).values(**values)
                )
                if result.rowcount == 1:
                    generation = conn.execute(sa.select(t.c.generation).where(t.c.key == key)).scalar_one()
                    return record.with_generation(generation)
            return self._insert_first(conn_factory=self.engine.begin, key=key, record=record)

        return self._run("compare_and_swap", run, secrets=(record.access_token, record.refresh_token))

    def _insert_first(
        self,
        *,
        conn_factory: Callable[[], contextlib.AbstractContextManager[Connection]],
        key: str,
        record: TokenRecord,
    ) -> TokenRecord | None:
        stored = record.with_generation(1)
        try:
            with conn_factory() as conn:
                conn.execute(
                    self._tokens.insert().values(
                        key=key,
                        access_token=stored.access_token,
                        refresh_token=stored.refresh_token,
                        issued_at=stored.issued_at,
                        expires_at=stored.expires_at,
                        generation=stored.generation,
                    )
                )
        except sa_exc.IntegrityError:
            return None  # another writer inserted (or revived) the key first
        return stored

    def delete(self, key: str, expected_generation: int | None = None) -> bool:
        t = self._tokens

        def run() -> bool:
            conditions = [t.c.key == key, t.c.access_token.is_not(None)]
            if expected_generation is not None:
                conditions.append(t.c.generation == expected_generation)
            with self.engine.begin() as conn:
                result = conn.execute(
                    t.update()
                    .where(*conditions)
                    .values(access_token=None, refresh_token=None, issued_at=None, expires_at=None)
                )
                return result.rowcount == 1

        return self._run("delete", run)

    def refresh_lock(
        self, key: str, *, lease: float, timeout: float
    ) -> contextlib.AbstractContextManager[bool]:
        owner = f"{self._host}:{os.getpid()}:{uuid.uuid4().hex}"
        return queued_refresh_lock(
            self._key_locks(key),
            timeout,
            lambda deadline: owner if self._acquire_lease(key, owner, lease, deadline) else None,
            lambda held: self._release_lease(key, held),
        )

    # --- the refresh lease ----------------------------------------------------------------

    def _try_lease(self, key: str, owner: str, lease: float) -> bool:
        t = self._leases

        def run() -> bool:
            now = time.time()
            with self.engine.begin() as conn:
                result = conn.execute(
                    t.update()
                    .where(t.c.key == key, t.c.lease_until <= now)
                    .values(owner=owner, lease_until=now + lease)
                )
                if result.rowcount == 1:
                    return True
                exists = conn.execute(sa.select(t.c.key).where(t.c.key == key)).first() is not None
            if exists:
                return False  # held by someone whose lease has not run out
            try:
                with self.engine.begin() as conn:
                    conn.execute(t.insert().values(key=key, owner=owner, lease_until=now + lease))
            except sa_exc.IntegrityError:
                return False  # another process inserted the lease row first
            return True

        return self._run("refresh_lock", run)

    def _acquire_lease(self, key: str, owner: str, lease: float, deadline: float) -> bool:
        delay = _POLL_START
        while True:
            if self._try_lease(key, owner, lease):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(delay, remaining))
            delay = min(delay * 1.5, _POLL_MAX)

    def _release_lease(self, key: str, owner: str) -> None:
        t = self._leases

        def run() -> None:
            with self.engine.begin() as conn:
                conn.execute(t.update().where(t.c.key == key, t.c.owner == owner).values(lease_until=0.0))

        self._run("refresh_lock release", run)

    # --- plumbing -------------------------------------------------------------------------

    def _ensure_tables(self) -> None:
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            try:
                self._metadata.create_all(self.engine, checkfirst=True)
            except (sa_exc.IntegrityError, sa_exc.ProgrammingError, sa_exc.OperationalError):
                # Another process created them between our check and our CREATE (SQLite says
                # "already exists", PostgreSQL a duplicate type or table); checking again settles
                # it, and a real failure (unreachable server) fails again and is reported.
                time.sleep(0.05)
                self._metadata.create_all(self.engine, checkfirst=True)
            self._ready = True

    def _run(self, operation: str, fn: Callable[[], _T], secrets: tuple[str | None, ...] = ()) -> _T:
        """Run `fn` with the tables in place; database failures become a TokenStoreError without secrets.

        The error is raised outside the `except` block so the database exception (whose text may
        hold SQL parameters when the caller passed an Engine without hide_parameters) is not even
        kept as its context.
        """
        try:
            if operation != "drop_tables":
                self._ensure_tables()
            return fn()
        except sa_exc.SQLAlchemyError as exc:
            message = self._describe(operation, exc, secrets)
        raise TokenStoreError(message)

    def _describe(self, operation: str, exc: sa_exc.SQLAlchemyError, secrets: tuple[str | None, ...]) -> str:
        orig = getattr(exc, "orig", None)
        detail = type(orig or exc).__name__
        text = str(orig).strip() if orig is not None else ""
        reason = text.splitlines()[0] if text else ""
        password = self.engine.url.password
        reason = scrub(reason, (*secrets, str(password) if password else None))
        message = f"SQL token store {self.url}: {operation} failed ({detail})"
        return f"{message}: {reason}" if reason else message
