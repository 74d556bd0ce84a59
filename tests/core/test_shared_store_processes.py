"""Several real processes ("spawn") sharing one store: atomic writes, one lock holder, dead and hung
holders, and, end to end, SessionClients in separate processes sharing one token against one sandbox."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from aceint_core import contract
from tests.core.store_contract import (
    KEY,
    drop_spec_tables,
    make_record,
    open_store,
    run_processes,
    store_spec,
    worker_cas_increments,
    worker_hold_lock,
    worker_locked_increments,
    worker_reader,
)

CTX = multiprocessing.get_context("spawn")
BACKENDS = ["file", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    described = store_spec(request.param, tmp_path)
    yield described
    drop_spec_tables(described)


def _drain(queue: Any, count: int, timeout: float = 120) -> list[Any]:
    return [queue.get(timeout=timeout) for _ in range(count)]


def test_concurrent_writers_in_processes_lose_no_update_and_readers_never_miss(spec: dict[str, Any]) -> None:
    store = open_store(spec)
    start = store.compare_and_swap(KEY, None, make_record())
    assert start is not None
    results = CTX.Queue()
    stop = CTX.Event()
    writers, per_writer = 4, 15
    reader = CTX.Process(target=worker_reader, args=(spec, stop, results))
    reader.start()
    try:
        run_processes([(worker_cas_increments, (spec, n, per_writer, results)) for n in range(writers)])
    finally:
        stop.set()
        reader.join(30)
    reports = _drain(results, writers + 1)
    won = [g for report in reports if report[0] == "won" for g in report[2]]
    assert len(won) == writers * per_writer
    assert len(set(won)) == len(won)  # no generation was won twice
    final = store.load(KEY)
    assert final.generation == start.generation + writers * per_writer == max(won)
    (_, loads, misses, backwards), *_ = [r for r in reports if r[0] == "reader"]
    assert loads > 0
    assert misses == 0  # atomic replace / transactions: a reader never saw a half-written store
    assert backwards == 0
    if spec["kind"] == "file":
        json.loads(Path(spec["path"]).read_text())  # the file is whole after all that


def test_the_refresh_lock_has_one_holder_across_processes(spec: dict[str, Any], tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    results = CTX.Queue()
    processes, rounds = 4, 5
    run_processes(
        [(worker_locked_increments, (spec, str(counter), rounds, results)) for _ in range(processes)]
    )
    reports = _drain(results, processes)
    assert sum(report[2] for report in reports) == 0  # nobody was inside with somebody else
    assert int(counter.read_text()) == processes * rounds  # no lost read-modify-write


def _start_holder(spec: dict[str, Any], lease: float) -> tuple[Any, Any]:
    ready, exit_now = CTX.Event(), CTX.Event()
    holder = CTX.Process(target=worker_hold_lock, args=(spec, lease, ready, exit_now))
    holder.start()
    assert ready.wait(60), "the holder process never took the lock"
    return holder, exit_now


def test_a_holder_killed_with_sigkill_blocks_nobody_beyond_its_lease(spec: dict[str, Any]) -> None:
    lease = 1.5
    holder, _ = _start_holder(spec, lease)
    store = open_store(spec)
    with store.refresh_lock(KEY, lease=10, timeout=0.2) as acquired:
        assert acquired is False  # alive and within its lease: it really holds the lock
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    killed_at = time.monotonic()
    with store.refresh_lock(KEY, lease=10, timeout=lease + 5) as acquired:
        waited = time.monotonic() - killed_at
        assert acquired is True
    assert waited < lease + 1.0
    if spec["kind"] == "file":
        assert waited < 0.5  # the kernel dropped the dead holder's flock: no need to wait the lease out


@pytest.mark.timeout(60)
@pytest.mark.parametrize("backend", ["file"])
def test_a_hung_file_lock_holder_is_taken_over_after_its_lease(backend: str, tmp_path: Path) -> None:
    """SIGSTOP keeps the holder alive with its flock: waiters must wait the lease out, then take over,
    and the holder's late release must not free the lease of the process that took over."""
    spec = store_spec(backend, tmp_path)
    lease = 1.0
    holder, exit_now = _start_holder(spec, lease)
    os.kill(holder.pid, signal.SIGSTOP)
    try:
        store, third = open_store(spec), open_store(spec)
        started = time.monotonic()
        with store.refresh_lock(KEY, lease=10, timeout=5) as acquired:
            waited = time.monotonic() - started
            assert acquired is True
            assert 0.5 <= waited < lease + 1.0
            os.kill(holder.pid, signal.SIGCONT)  # first: a stopped process cannot acknowledge the event
            exit_now.set()
            holder.join(10)
            assert holder.exitcode == 0  # it woke up and released its (taken over) lease
            with third.refresh_lock(KEY, lease=10, timeout=0.3) as stolen:
                assert stolen is False  # ...which did not free ours
        with third.refresh_lock(KEY, lease=10, timeout=1) as acquired:
            assert acquired is True
    finally:
        if holder.is_alive():
            os.kill(holder.pid, signal.SIGCONT)
            holder.kill()


# --- end to end: SessionClients in separate processes, one sandbox ---------------------------

ACCESS_TTL_S = 6  # the refresh falls due at half the lifetime (the margin is capped at lifetime / 2)


def worker_client_calls(
    spec: dict[str, Any], base_url: str, session_id: str, calls: int, start: Any, phase_two: Any, results: Any
) -> None:
    """A process with its own SessionClient on the shared store: `calls` calls now, `calls` more later."""
    from aceint_core import SessionClient

    with SessionClient(
        mode="sandbox", base_url=base_url, token_store=open_store(spec), access_ttl=ACCESS_TTL_S
    ) as client:
        start.wait(60)
        for _ in range(calls):
            assert client.get_session(session_id).session_id == session_id
        results.put(("phase-one", os.getpid()))
        assert phase_two.wait(120)
        for _ in range(calls):
            assert client.get_session(session_id).session_id == session_id
        results.put(("phase-two", os.getpid()))


def _stats(base_url: str) -> dict[str, Any]:
    root = base_url[: -len(contract.API_PREFIX)]
    response = requests.get(root + "/sandbox/stats", timeout=10)
    response.raise_for_status()
    return response.json()


def test_processes_sharing_a_store_make_one_issue_and_one_refresh_per_expiry(
    spec: dict[str, Any], sandbox_url: str, seed_payload: dict[str, Any]
) -> None:
    from aceint_core import SessionClient

    with SessionClient(mode="sandbox", base_url=sandbox_url) as setup:  # its own memory store
        session_id = setup.create_session(seed_payload).session_id
    before = _stats(sandbox_url)
    assert before["tokensIssued"] == 1  # the set-up client's, not shared

    processes, calls = 3, 15
    start, phase_two, results = CTX.Barrier(processes + 1), CTX.Event(), CTX.Queue()
    children = [
        CTX.Process(
            target=worker_client_calls,
            args=(spec, sandbox_url, session_id, calls, start, phase_two, results),
        )
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    try:
        start.wait(120)  # every process has imported everything and built its client
        assert {r[0] for r in _drain(results, processes)} == {"phase-one"}
        after_one = _stats(sandbox_url)
        assert after_one["tokensIssued"] - before["tokensIssued"] == 1
        assert after_one["tokensRefreshed"] == 0

        shared = open_store(spec).load(_only_key(spec))
        assert shared is not None
        # Sleep into the refresh window (past half the lifetime, well before expiry), then all call at once.
        time.sleep(max(0.0, shared.issued_at + ACCESS_TTL_S / 2 + 0.3 - time.time()))
        phase_two.set()
        assert {r[0] for r in _drain(results, processes)} == {"phase-two"}
        after_two = _stats(sandbox_url)
        assert after_two["tokensIssued"] - before["tokensIssued"] == 1
        assert after_two["tokensRefreshed"] == 1
        get_route = " ".join(contract.SESSION_GET)
        assert after_two["requests"][get_route] == 2 * processes * calls  # no 401 round trips either
    finally:
        for child in children:
            child.join(60)
            if child.is_alive():
                child.kill()
    assert [child.exitcode for child in children] == [0] * processes


def _only_key(spec: dict[str, Any]) -> str:
    """The one key the clients wrote (the SDK derives it from the credentials and the base URL)."""
    if spec["kind"] == "file":
        keys = list(json.loads(Path(spec["path"]).read_text())["records"])
    else:
        import sqlalchemy as sa

        store = open_store(spec)
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            keys = [row[0] for row in conn.execute(sa.select(store._tokens.c.key))]  # type: ignore[attr-defined]
    assert len(keys) == 1, keys
    return keys[0]
