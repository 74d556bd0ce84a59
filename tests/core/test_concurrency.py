"""One client shared by many threads: one issue, one refresh per expiry, consistent reads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aceint_core import SessionClient, TokenRecord

from .sandbox_control import SandboxControl

THREADS = 32


def _hammer(threads: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` on `threads` threads released at the same moment."""
    barrier = threading.Barrier(threads)

    def run(i: int) -> Any:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))


def test_32_threads_cause_exactly_one_issue(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    creator = make_client()
    session_id = creator.create_session(seed_payload).session_id
    control.reset_stats()
    client = make_client()  # a fresh client: no token yet

    def calls(_: int) -> set[str]:
        seen = set()
        for _ in range(10):
            assert client.get_session(session_id).session_id == session_id
            record = client.tokens.store.load(client.tokens.key)
            assert record is not None
            seen.add(record.access_token)
        return seen

    results = _hammer(THREADS, calls)
    stats = control.stats()
    assert stats["tokensIssued"] == 1
    assert stats["tokensRefreshed"] == 0
    assert stats["requests"]["GET /sessions/{session_id}"] == THREADS * 10  # no 401 retries
    assert len(set().union(*results)) == 1


def test_one_refresh_per_expiry_under_load(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(access_ttl=2)
    session_id = client.create_session(seed_payload).session_id
    first_seen: dict[str, float] = {}
    records: dict[str, set[tuple[Any, ...]]] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + 3.6
    errors: list[BaseException] = []
    done = [0]

    def calls(_: int) -> None:
        while time.monotonic() < stop_at:
            try:
                record: TokenRecord = client.tokens.token()
                client.get_session(session_id)
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
                return
            with lock:
                done[0] += 1
                first_seen.setdefault(record.access_token, time.monotonic())
                records.setdefault(record.access_token, set()).add(
                    (record.refresh_token, record.issued_at, record.expires_at, record.generation)
                )
            time.sleep(0.005)

    _hammer(THREADS, calls)
    assert errors == []
    stats = control.stats()
    assert stats["tokensIssued"] == 1
    # Every refresh produced one token, and each token was seen by someone.
    assert stats["tokensRefreshed"] == len(first_seen) - 1
    # ~3.6 s of 2 s tokens refreshed 1 s before expiry: one refresh per second, never two at once.
    assert 2 <= stats["tokensRefreshed"] <= 4
    times = sorted(first_seen.values())
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) > 0.5, gaps
    # A reader always got one issue's token with that issue's expiry and refresh token.
    assert all(len(variants) == 1 for variants in records.values())
    # No request was sent with an expired token: nothing needed a 401 retry.
    assert stats["requests"]["GET /sessions/{session_id}"] == done[0]


def test_inside_the_margin_others_keep_using_the_old_token(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    """While one thread holds the refresh lock, a token that is due but still valid is handed out."""
    client = make_client(access_ttl=2)
    client.create_session(seed_payload)
    old = client.tokens.token()
    time.sleep(1.2)  # inside the 1 s margin, still valid
    manager = client.tokens
    with manager.store.refresh_lock(manager.key, lease=5, timeout=1) as held:
        assert held
        started = time.monotonic()
        got = _hammer(8, lambda _: manager.token())
        assert time.monotonic() - started < 2.0  # nobody waited for the lock (it is held 10 s+)
    assert all(r.access_token == old.access_token for r in got)
    assert control.stats()["tokensRefreshed"] == 0
    assert manager.token().access_token != old.access_token  # lock free: refreshed now
    assert control.stats()["tokensRefreshed"] == 1
