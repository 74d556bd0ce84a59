"""Token-endpoint calls for 1,000 protected calls from 32 threads sharing one SessionClient.

Goal (issue 3): 1. Every call is a GET /sessions/{id} on a client that starts with no token,
all threads released together, so they all race for the first token.

    .venv/bin/python benchmarks/token_calls_threads.py
"""

from __future__ import annotations

import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from _common import add_sandbox_flag, fresh_payload, reset_stats, sandbox, stats

from aceint_core import SessionClient

CALLS = 1000
THREADS = 32
GOAL = 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_sandbox_flag(parser)
    args = parser.parse_args()
    with sandbox(in_process=not args.sandbox_process) as base_url:
        with SessionClient(base_url=base_url) as setup:
            session_id = setup.create_session(fresh_payload()).session_id
        reset_stats(base_url)

        client = SessionClient(base_url=base_url)  # no token yet
        barrier = threading.Barrier(THREADS)
        share = [CALLS // THREADS + (1 if i < CALLS % THREADS else 0) for i in range(THREADS)]

        def work(n: int) -> int:
            barrier.wait()
            for _ in range(n):
                client.get_session(session_id)
            return n

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            done = sum(pool.map(work, share))
        elapsed = time.perf_counter() - started
        client.close()
        counts = stats(base_url)

    token_calls = counts["tokensIssued"] + counts["tokensRefreshed"]
    protected = counts["requests"].get("GET /sessions/{session_id}", 0)
    print(
        f"protected calls:        {done} from {THREADS} threads on one client in {elapsed:.2f} s "
        f"({done / elapsed:.0f} calls/s)"
    )
    print(
        f"token-endpoint calls:   {token_calls} (issued {counts['tokensIssued']}, "
        f"refreshed {counts['tokensRefreshed']})"
    )
    print(f"requests the API saw:   {protected} (401 retries: {protected - done})")
    verdict = "MET" if token_calls == GOAL else "MISSED"
    print(f"ratio to goal ({GOAL}):      {token_calls / GOAL:.2f}  -> {verdict}")
    return 0 if token_calls == GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
