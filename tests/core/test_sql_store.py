"""SQLTokenStore on SQLite and on a real PostgreSQL: the protocol, tombstones, races, leases, hygiene."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from aceint_core.stores import SQLTokenStore, TokenStoreError, token_store_from_url
from aceint_core.token_store import TokenStore
from tests.core.store_contract import (
    KEY,
    SECRET_ACCESS,
    SECRET_REFRESH,
    TokenStoreContract,
    drop_spec_tables,
    make_record,
    store_spec,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    described = store_spec(request.param, tmp_path)
    yield described
    drop_spec_tables(described)


@pytest.fixture
def store(spec: dict[str, Any]) -> Iterator[SQLTokenStore]:
    made = SQLTokenStore(spec["url"], table_prefix=spec.get("prefix", "aceint_"))
    yield made
    made.dispose()


def _second(spec: dict[str, Any]) -> SQLTokenStore:
    """Another store on the same tables with its own engine, as another process would have."""
    return SQLTokenStore(spec["url"], table_prefix=spec.get("prefix", "aceint_"))


class TestSQLStoreContract(TokenStoreContract):
    """The shared protocol tests on SQLite and PostgreSQL."""


def test_the_store_implements_the_protocol(store: SQLTokenStore) -> None:
    assert isinstance(store, TokenStore)


def test_tables_are_created_on_first_use(store: SQLTokenStore) -> None:
    prefix = store._tokens.name.removesuffix("tokens")
    assert not sa.inspect(store.engine).has_table(store._tokens.name)
    assert store.load(KEY) is None
    names = set(sa.inspect(store.engine).get_table_names())
    assert {f"{prefix}tokens", f"{prefix}token_leases"} <= names


def test_delete_keeps_a_tombstone_that_carries_the_generation(store: SQLTokenStore) -> None:
    first = store.compare_and_swap(KEY, None, make_record())
    second = store.compare_and_swap(KEY, first.generation, make_record())
    assert store.delete(KEY)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(store._tokens).where(store._tokens.c.key == KEY)).one()
    assert row.access_token is None and row.refresh_token is None
    assert row.generation == second.generation
    revived = store.compare_and_swap(KEY, None, make_record())
    assert revived.generation == second.generation + 1


def test_racing_first_writes_from_separate_engines_have_one_winner(spec: dict[str, Any]) -> None:
    stores = [_second(spec) for _ in range(4)]
    stores[0].load(KEY)  # create the tables once, so the race is about the row
    try:
        for round_ in range(5):
            key = f"race-{round_}"
            barrier = threading.Barrier(len(stores))
            results: list[Any] = [None] * len(stores)

            def write(
                i: int, key: str = key, barrier: threading.Barrier = barrier, results: list[Any] = results
            ) -> None:
                barrier.wait(10)
                results[i] = stores[i].compare_and_swap(key, None, make_record(f"writer-{i}"))

            threads = [threading.Thread(target=write, args=(i,)) for i in range(len(stores))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            winners = [r for r in results if r is not None]
            assert len(winners) == 1, results
            assert stores[0].load(key) == winners[0]
    finally:
        for made in stores:
            made.dispose()


def test_an_expired_lease_row_is_taken_over(spec: dict[str, Any], store: SQLTokenStore) -> None:
    other = _second(spec)
    held = other.refresh_lock(KEY, lease=0.5, timeout=1)
    assert held.__enter__() is True  # entered and never left: a holder that died
    try:
        with store.refresh_lock(KEY, lease=5, timeout=0.1) as acquired:
            assert acquired is False
        started = time.monotonic()
        with store.refresh_lock(KEY, lease=5, timeout=5) as acquired:
            assert acquired is True
            assert time.monotonic() - started < 2
            # The late holder's release must not free the lease we now hold.
            held.__exit__(None, None, None)
            with other.refresh_lock(KEY, lease=5, timeout=0.1) as stolen:
                assert stolen is False
        with other.refresh_lock(KEY, lease=5, timeout=0.1) as acquired:
            assert acquired is True
    finally:
        other.dispose()


def test_sqlite_file_is_created_0600(tmp_path: Path) -> None:
    path = tmp_path / "tokens.db"
    store = SQLTokenStore(f"sqlite:///{path}")
    store.compare_and_swap(KEY, None, make_record())
    assert (path.stat().st_mode & 0o777) == 0o600
    store.dispose()


def test_in_memory_sqlite_is_shared_by_threads() -> None:
    store = SQLTokenStore("sqlite://")
    stored = store.compare_and_swap(KEY, None, make_record())
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(store.load(KEY)))
    thread.start()
    thread.join(10)
    assert seen == [stored]


def test_unreachable_database_error_masks_the_password() -> None:
    store = SQLTokenStore("postgresql+psycopg://aceint:hunter2-password@127.0.0.1:1/nowhere")
    assert "hunter2" not in repr(store)
    with pytest.raises(TokenStoreError) as caught:
        store.load(KEY)
    message = str(caught.value)
    assert "127.0.0.1:1/nowhere" in message and "***" in message
    assert "hunter2" not in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_a_failed_write_names_no_token_even_with_a_chatty_engine(tmp_path: Path) -> None:
    """An Engine passed in without hide_parameters would put SQL parameters in its errors."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    store = SQLTokenStore(engine)
    store.load(KEY)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE aceint_tokens"))
        conn.execute(sa.text("CREATE TABLE aceint_tokens (key VARCHAR PRIMARY KEY, access_token TEXT)"))
    with pytest.raises(TokenStoreError) as caught:
        store.compare_and_swap(KEY, None, make_record())
    error = caught.value
    for text in (str(error), repr(error)):
        assert SECRET_ACCESS not in text and SECRET_REFRESH not in text
        assert SECRET_ACCESS[:8] not in text
    assert "compare_and_swap" in str(error)
    assert error.__context__ is None


def test_a_bad_url_is_a_clear_store_error_and_creates_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TokenStoreError, match="not a usable database URL"):
        SQLTokenStore("sqlite+nosuchdriver://user:pw@/x")
    assert list(tmp_path.iterdir()) == []


def test_token_store_from_url_builds_sql_stores(tmp_path: Path) -> None:
    sqlite = token_store_from_url(f"sqlite:///{tmp_path / 'a.db'}")
    assert isinstance(sqlite, SQLTokenStore)
    plain_postgres = token_store_from_url("postgresql://u:secret-pw@127.0.0.1:1/db")
    assert isinstance(plain_postgres, SQLTokenStore)
    assert plain_postgres.engine.url.drivername == "postgresql+psycopg"  # psycopg 3, the pinned driver
    assert "secret-pw" not in repr(plain_postgres)
