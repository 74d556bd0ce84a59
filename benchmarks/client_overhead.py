"""Per-call overhead of SessionClient against a zero-latency sandbox, pooled vs a new connection.

Four ways to make the same GET /sessions/{id}, timed in interleaved rounds (medians printed):
  raw pooled       requests.Session with a ready bearer token (the floor: HTTP + sandbox work)
  client pooled    SessionClient.get_session (token lookup, headers, decode, pydantic model)
  raw new conn     requests.get per call (a fresh TCP connection each time)
  client new conn  a new SessionClient per call, sharing one token store (so no token issue)

    .venv/bin/python benchmarks/client_overhead.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import requests
from _common import add_sandbox_flag, fresh_payload, sandbox

from aceint_core import MemoryTokenStore, SessionClient, contract

ROUNDS = 10
CALLS_PER_ROUND = 40
WARMUP = 30


def measure(variants: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds per call of each variant, over rounds that interleave the variants,
    so a change in machine load during the run hits all of them alike."""
    for call in variants.values():
        for _ in range(WARMUP):
            call()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, call in variants.items():
            started = time.perf_counter()
            for _ in range(CALLS_PER_ROUND):
                call()
            samples[name].append((time.perf_counter() - started) / CALLS_PER_ROUND)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_sandbox_flag(parser)
    args = parser.parse_args()
    with sandbox(in_process=not args.sandbox_process) as base_url:
        store = MemoryTokenStore()
        client = SessionClient(base_url=base_url, token_store=store)
        session_id = client.create_session(fresh_payload()).session_id
        token = client.tokens.token().access_token
        url = base_url + contract.SESSION_GET[1].format(session_id=session_id)
        headers = {contract.AUTHORIZATION_HEADER: contract.BEARER_PREFIX + token}
        raw = requests.Session()

        def raw_pooled() -> object:
            response = raw.get(url, headers=headers, timeout=5)
            response.raise_for_status()
            return response.json()

        def raw_new_connection() -> object:
            response = requests.get(url, headers=headers, timeout=5)
            response.raise_for_status()
            return response.json()

        def client_new_connection() -> object:
            with SessionClient(base_url=base_url, token_store=store) as fresh:
                return fresh.get_session(session_id)

        where = "a child process" if args.sandbox_process else "this process"
        print(
            f"GET /sessions/{{id}}, {ROUNDS} interleaved rounds of {CALLS_PER_ROUND} sequential calls per "
            f"variant, zero-latency sandbox in {where} (load average {os.getloadavg()[0]:.1f}); medians:"
        )
        results = measure(
            {
                "raw pooled": raw_pooled,
                "client pooled": lambda: client.get_session(session_id),
                "raw new conn": raw_new_connection,
                "client new conn": client_new_connection,
            }
        )
        for name, seconds in results.items():
            print(f"  {name:<16} {seconds * 1000:7.3f} ms/call")
        floor, pooled = results["raw pooled"], results["client pooled"]
        raw_new, client_new = results["raw new conn"], results["client new conn"]
        client.close()
        raw.close()

    print()
    print(
        f"SDK overhead per call (client pooled - raw pooled):  {(pooled - floor) * 1000:.3f} ms "
        f"(ratio {pooled / floor:.2f})"
    )
    print(
        f"new connection per call vs pooled (client):          {client_new / pooled:.2f}x "
        f"(+{(client_new - pooled) * 1000:.3f} ms)"
    )
    print(f"new connection per call vs pooled (raw requests):    {raw_new / floor:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
