"""Where access tokens live between requests: the `TokenStore` protocol and the in-memory store.

A store is shared by every thread of one client (memory) or by several processes (the file
and SQL stores in `aceint_core.stores`). Writes are compare-and-swap on a generation number,
so a late writer cannot overwrite a newer token, and one refresh lock per key makes sure
only one thread or process talks to the token endpoint at a time.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar, runtime_checkable

_Held = TypeVar("_Held")


@dataclass(frozen=True)
class TokenRecord:
    """One issue of a token. Both token strings are secrets and are kept out of repr."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    issued_at: float
    """Wall-clock time (time.time()) the token arrived."""
    expires_at: float
    """Wall-clock expiry: issued_at + the lifetime the server granted."""
    generation: int = 0
    """Increases by one with every successful write to a store; the CAS compares it."""

    @property
    def lifetime(self) -> float:
        return self.expires_at - self.issued_at

    def with_generation(self, generation: int) -> TokenRecord:
        return replace(self, generation=generation)


@runtime_checkable
class TokenStore(Protocol):
    """What the token manager needs from a store. Keys identify one set of client credentials."""

    def load(self, key: str) -> TokenRecord | None:
        """The current record for `key`, or None. A damaged entry is a miss, never an error."""
        ...

    def compare_and_swap(
        self, key: str, expected_generation: int | None, record: TokenRecord
    ) -> TokenRecord | None:
        """Store `record` if the stored generation is `expected_generation` (None: nothing stored).

        Generations never repeat for a key, even after a delete, so a stale generation can
        never match a newer record.

        Returns the record as stored (with its new generation) on success, None if another
        writer got there first.
        """
        ...

    def delete(self, key: str, expected_generation: int | None = None) -> bool:
        """Remove the record (only if it still has `expected_generation`, when given)."""
        ...

    def refresh_lock(
        self, key: str, *, lease: float, timeout: float
    ) -> contextlib.AbstractContextManager[bool]:
        """Hold the refresh lock for `key` across threads (and processes, for shared stores).

        Yields True once acquired, False if `timeout` passed first. A holder that dies keeps
        others waiting at most `lease` seconds.
        """
        ...


class KeyLocks:
    """One threading.Lock per key, made on first use: the in-process half of every refresh lock."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


@contextlib.contextmanager
def queued_refresh_lock(
    local: threading.Lock,
    timeout: float,
    take_shared: Callable[[float], _Held | None],
    release_shared: Callable[[_Held], None],
) -> Iterator[bool]:
    """Threads of one process queue on `local`; only the winner competes for the shared lease.

    `take_shared(deadline)` returns a handle for the lease (None if the monotonic deadline
    passed first); `release_shared(handle)` gives it back. Yields whether the lock is held.
    """
    deadline = time.monotonic() + max(0.0, timeout)
    if not local.acquire(timeout=max(0.0, timeout)):
        yield False
        return
    try:
        held = take_shared(deadline)
        if held is None:
            yield False
            return
        try:
            yield True
        finally:
            release_shared(held)
    finally:
        local.release()


class MemoryTokenStore:
    """The default store: tokens in this process's memory, shared by the threads of a client."""

    def __init__(self) -> None:
        self._records: dict[str, TokenRecord] = {}
        self._last_generation: dict[str, int] = {}  # survives delete, so generations never repeat
        self._guard = threading.Lock()
        self._key_locks = KeyLocks()

    def __repr__(self) -> str:
        return f"MemoryTokenStore(keys={len(self._records)})"

    def load(self, key: str) -> TokenRecord | None:
        with self._guard:
            return self._records.get(key)

    def compare_and_swap(
        self, key: str, expected_generation: int | None, record: TokenRecord
    ) -> TokenRecord | None:
        with self._guard:
            current = self._records.get(key)
            current_generation = current.generation if current else None
            if current_generation != expected_generation:
                return None
            stored = record.with_generation(self._last_generation.get(key, 0) + 1)
            self._records[key] = stored
            self._last_generation[key] = stored.generation
            return stored

    def delete(self, key: str, expected_generation: int | None = None) -> bool:
        with self._guard:
            current = self._records.get(key)
            if current is None:
                return False
            if expected_generation is not None and current.generation != expected_generation:
                return False
            del self._records[key]
            return True

    @contextlib.contextmanager
    def refresh_lock(self, key: str, *, lease: float, timeout: float) -> Iterator[bool]:
        lock = self._key_locks(key)
        acquired = lock.acquire(timeout=timeout)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()
