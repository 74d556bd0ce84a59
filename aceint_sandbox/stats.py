"""Counters the tests and benchmarks read through GET /sandbox/stats (in memory, per process)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    """Thread-safe counters: token issues/refreshes/revokes, sessions created, requests per route."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._counts: Counter[str] = Counter()
            self._requests: Counter[str] = Counter()

    def bump(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] += n

    def request(self, route: str) -> None:
        with self._lock:
            self._requests[route] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "tokensIssued": self._counts["tokensIssued"],
                "tokensRefreshed": self._counts["tokensRefreshed"],
                "tokensRevoked": self._counts["tokensRevoked"],
                "sessionsCreated": self._counts["sessionsCreated"],
                "idempotentReplays": self._counts["idempotentReplays"],
                "faultsInjected": self._counts["faultsInjected"],
                "requests": dict(self._requests),
            }
