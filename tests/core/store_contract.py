"""The TokenStore protocol as tests, shared by every store: subclass with a `store` fixture.

Also the process workers the multi-process tests start (top-level functions, so a "spawn"
child can import them) and small helpers to build records and open stores from a spec.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aceint_core.token_store import TokenRecord, TokenStore

KEY = "aceint:test-key"
SECRET_ACCESS = "access-SECRET-4f9c2a7e-d1b3"
SECRET_REFRESH = "refresh-SECRET-8e1d0c55-77aa"


def make_record(
    access: str = SECRET_ACCESS, refresh: str | None = SECRET_REFRESH, ttl: float = 900.0
) -> TokenRecord:
    now = time.time()
    return TokenRecord(access_token=access, refresh_token=refresh, issued_at=now, expires_at=now + ttl)


def open_store(spec: dict[str, Any]) -> TokenStore:
    """A store from a picklable spec, so a child process opens its own connection/handles."""
    if spec["kind"] == "file":
        from aceint_core.stores import FileTokenStore

        return FileTokenStore(spec["path"])
    from aceint_core.stores import SQLTokenStore

    return SQLTokenStore(spec["url"], table_prefix=spec.get("prefix", "aceint_"))


POSTGRES_ENV = "ACEINT_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test server's URL; in CI its absence fails, locally it skips with the fix."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        hint = f"{POSTGRES_ENV} is not set: run `export {POSTGRES_ENV}=$(bash scripts/ensure-postgres.sh)`"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL tests must run in CI; {hint}")
        pytest.skip(hint)
    return url


def store_spec(backend: str, tmp_path: Path) -> dict[str, Any]:
    """A picklable description of a fresh store (own tables on PostgreSQL) for tests and child processes."""
    if backend == "file":
        return {"kind": "file", "path": str(tmp_path / "tokens.json")}
    if backend == "sqlite":
        return {"kind": "sql", "url": f"sqlite:///{tmp_path / 'tokens.db'}"}
    return {"kind": "sql", "url": postgres_url(), "prefix": f"t{uuid.uuid4().hex[:10]}_"}


def drop_spec_tables(spec: dict[str, Any]) -> None:
    if spec["kind"] == "sql" and "prefix" in spec:
        from aceint_core.stores import SQLTokenStore

        store = SQLTokenStore(spec["url"], table_prefix=spec["prefix"])
        store.drop_tables()
        store.dispose()


class TokenStoreContract:
    """Every store must pass these; a subclass provides the `store` fixture."""

    def test_missing_key_is_a_miss(self, store: TokenStore) -> None:
        assert store.load(KEY) is None
        assert store.delete(KEY) is False

    def test_first_write_needs_expected_none_and_round_trips(self, store: TokenStore) -> None:
        record = make_record()
        assert store.compare_and_swap(KEY, 0, record) is None  # nothing stored: only None matches
        stored = store.compare_and_swap(KEY, None, record)
        assert stored is not None
        loaded = store.load(KEY)
        assert loaded == stored
        assert (loaded.access_token, loaded.refresh_token) == (SECRET_ACCESS, SECRET_REFRESH)
        assert loaded.issued_at == pytest.approx(record.issued_at)
        assert loaded.expires_at == pytest.approx(record.expires_at)

    def test_refresh_token_may_be_absent(self, store: TokenStore) -> None:
        stored = store.compare_and_swap(KEY, None, make_record(refresh=None))
        assert stored is not None
        assert store.load(KEY) == stored
        assert store.load(KEY).refresh_token is None

    def test_compare_and_swap_wins_only_on_the_current_generation(self, store: TokenStore) -> None:
        first = store.compare_and_swap(KEY, None, make_record("token-one"))
        assert first is not None
        assert store.compare_and_swap(KEY, None, make_record("late-insert")) is None
        second = store.compare_and_swap(KEY, first.generation, make_record("token-two"))
        assert second is not None and second.generation > first.generation
        # A writer that read `first` and comes late loses and changes nothing.
        assert store.compare_and_swap(KEY, first.generation, make_record("stale")) is None
        assert store.load(KEY).access_token == "token-two"
        assert store.load(KEY).generation == second.generation

    def test_delete_with_expected_generation(self, store: TokenStore) -> None:
        first = store.compare_and_swap(KEY, None, make_record("a"))
        second = store.compare_and_swap(KEY, first.generation, make_record("b"))
        assert store.delete(KEY, expected_generation=first.generation) is False
        assert store.load(KEY).access_token == "b"
        assert store.delete(KEY, expected_generation=second.generation) is True
        assert store.load(KEY) is None
        assert store.delete(KEY) is False

    def test_delete_without_expected_generation(self, store: TokenStore) -> None:
        store.compare_and_swap(KEY, None, make_record())
        assert store.delete(KEY) is True
        assert store.load(KEY) is None

    def test_generations_never_repeat_even_after_delete(self, store: TokenStore) -> None:
        seen: list[int] = []
        for round_ in range(4):
            stored = store.compare_and_swap(KEY, None, make_record(f"r{round_}-0"))
            assert stored is not None
            seen.append(stored.generation)
            again = store.compare_and_swap(KEY, stored.generation, make_record(f"r{round_}-1"))
            assert again is not None
            seen.append(again.generation)
            assert store.delete(KEY, expected_generation=again.generation)
            # Every generation handed out before the delete is now stale for good.
            for old in seen:
                assert store.compare_and_swap(KEY, old, make_record("stale")) is None
        assert seen == sorted(seen)
        assert len(set(seen)) == len(seen)

    def test_keys_are_independent(self, store: TokenStore) -> None:
        a = store.compare_and_swap("key-a", None, make_record("token-a"))
        b = store.compare_and_swap("key-b", None, make_record("token-b"))
        assert a is not None and b is not None
        assert store.delete("key-a")
        assert store.load("key-a") is None
        assert store.load("key-b").access_token == "token-b"

    def test_repr_names_no_token(self, store: TokenStore) -> None:
        stored = store.compare_and_swap(KEY, None, make_record())
        for text in (repr(store), str(store), repr(stored), repr(store.load(KEY))):
            assert SECRET_ACCESS not in text and SECRET_REFRESH not in text
            assert SECRET_ACCESS[:8] not in text

    def test_concurrent_threads_lose_no_update(self, store: TokenStore) -> None:
        store.compare_and_swap(KEY, None, make_record("start"))
        start = store.load(KEY).generation
        wins: list[int] = []
        lock = threading.Lock()

        def writer(n: int) -> None:
            done = 0
            while done < 10:
                current = store.load(KEY)
                stored = store.compare_and_swap(KEY, current.generation, make_record(f"t{n}-{done}"))
                if stored is not None:
                    with lock:
                        wins.append(stored.generation)
                    done += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(wins) == 40
        assert len(set(wins)) == 40  # no two writers won on the same generation
        assert store.load(KEY).generation == max(wins)
        assert max(wins) - start == 40  # one step per successful write

    def test_refresh_lock_excludes_and_times_out(self, store: TokenStore) -> None:
        held = threading.Event()
        release = threading.Event()

        def holder() -> None:
            with store.refresh_lock(KEY, lease=30, timeout=5) as acquired:
                assert acquired
                held.set()
                release.wait(10)

        thread = threading.Thread(target=holder)
        thread.start()
        assert held.wait(10)
        started = time.monotonic()
        with store.refresh_lock(KEY, lease=30, timeout=0.3) as acquired:
            waited = time.monotonic() - started
            assert acquired is False
        assert 0.25 <= waited < 2.0
        with store.refresh_lock(KEY, lease=30, timeout=0) as acquired:
            assert acquired is False
        with store.refresh_lock("another-key", lease=30, timeout=0) as acquired:
            assert acquired is True  # one lock per key
        release.set()
        thread.join(10)
        with store.refresh_lock(KEY, lease=30, timeout=0) as acquired:
            assert acquired is True

    def test_refresh_lock_serialises_threads(self, store: TokenStore) -> None:
        inside = 0
        overlaps = 0
        entries = 0
        guard = threading.Lock()

        def worker() -> None:
            nonlocal inside, overlaps, entries
            for _ in range(5):
                with store.refresh_lock(KEY, lease=30, timeout=30) as acquired:
                    assert acquired
                    with guard:
                        inside += 1
                        entries += 1
                        overlaps += inside > 1
                    time.sleep(0.002)
                    with guard:
                        inside -= 1

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert entries == 20
        assert overlaps == 0

    def test_refresh_lock_released_after_an_exception(self, store: TokenStore) -> None:
        with pytest.raises(RuntimeError), store.refresh_lock(KEY, lease=30, timeout=1) as acquired:
            assert acquired
            raise RuntimeError("boom")
        with store.refresh_lock(KEY, lease=30, timeout=0) as acquired:
            assert acquired is True


# --- workers for the multi-process tests (run in "spawn" children) ---------------------------


def worker_cas_increments(spec: dict[str, Any], worker: int, count: int, results: Any) -> None:
    """Win `count` compare-and-swaps on KEY, retrying losses; report the generations won."""
    store = open_store(spec)
    won: list[int] = []
    attempts = 0
    while len(won) < count:
        attempts += 1
        current = store.load(KEY)
        expected = current.generation if current else None
        stored = store.compare_and_swap(KEY, expected, make_record(f"w{worker}-{len(won)}"))
        if stored is not None:
            won.append(stored.generation)
    results.put(("won", worker, won, attempts))


def worker_reader(spec: dict[str, Any], stop: Any, results: Any) -> None:
    """Load KEY until told to stop; report misses after the first hit and generations going backwards."""
    store = open_store(spec)
    loads = misses = backwards = 0
    last = None
    while not stop.is_set():
        record = store.load(KEY)
        loads += 1
        if record is None:
            misses += last is not None
            continue
        if last is not None and record.generation < last:
            backwards += 1
        last = record.generation
    results.put(("reader", loads, misses, backwards))


def worker_locked_increments(spec: dict[str, Any], counter_path: str, rounds: int, results: Any) -> None:
    """Increment a plain file counter `rounds` times under the refresh lock (a lost update shows overlap)."""
    store = open_store(spec)
    marker = counter_path + ".inside"
    overlaps = 0
    for _ in range(rounds):
        with store.refresh_lock(KEY, lease=30, timeout=60) as acquired:
            assert acquired
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.close(fd)
            except FileExistsError:
                overlaps += 1
            with open(counter_path) as handle:
                value = int(handle.read() or 0)
            time.sleep(0.003)
            with open(counter_path, "w") as handle:
                handle.write(str(value + 1))
            os.unlink(marker) if os.path.exists(marker) else None
    results.put(("locked", os.getpid(), overlaps))


def worker_hold_lock(spec: dict[str, Any], lease: float, ready: Any, exit_now: Any) -> None:
    """Take the refresh lock, say so, and hold it until told to go (or until killed)."""
    store = open_store(spec)
    with store.refresh_lock(KEY, lease=lease, timeout=30) as acquired:
        assert acquired
        ready.set()
        exit_now.wait(120)


def run_processes(targets: list[tuple[Callable[..., None], tuple[Any, ...]]], timeout: float = 120) -> None:
    """Start each (target, args) in a spawn child, wait for all, and fail on a non-zero exit."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    processes = [ctx.Process(target=target, args=args) for target, args in targets]
    for process in processes:
        process.start()
    deadline = time.monotonic() + timeout
    for process in processes:
        process.join(max(0.1, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
    assert [p.exitcode for p in processes] == [0] * len(processes)
