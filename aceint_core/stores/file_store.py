"""A token store in one JSON file, shared by the processes of one machine (or one shared volume).

Why it is safe to share:
- Every write replaces the file atomically (temp file in the same directory, fsync, os.replace),
  so a reader sees the old file or the new one, never half of one. Readers take no lock.
- Writers (compare-and-swap, delete, lease changes) hold an exclusive `fcntl.flock` on the sibling
  `<file>.lock`, and the threads of one process also queue on a threading lock in front of it.
- The file and every temp/lock file are created with mode 0600 directly (no chmod-after window).
- A missing, empty, corrupt or half-written file is a cache miss; the next write replaces it.

The refresh lock is a lease recorded in the file (`leases[key]`: owner, pid, host, deadline),
held together with a `flock` on a per-key sibling `<file>.refresh-<hash>.lock`:
- a holder that dies loses its flock at once, so the next waiter sees "lease says flock-held,
  but I could take the flock" and takes over immediately;
- a holder that hangs keeps its flock, so waiters take over only once its deadline (`lease`
  seconds after it acquired) has passed. A take-over holder cannot hold the flock (the hung
  process still has it), so its own lease is released by it or by its deadline, nothing else.
Deadlines are wall-clock (time.time()); processes sharing a file over a network volume need
synchronised clocks, as token expiry already does.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from aceint_core.stores.errors import TokenStoreError
from aceint_core.token_store import KeyLocks, TokenRecord, queued_refresh_lock

FILE_MODE = 0o600
_FORMAT_VERSION = 1
_DATA_LOCK_TIMEOUT = 30.0
"""How long a writer waits for `<file>.lock`; critical sections take milliseconds."""
_POLL_START = 0.002
_STALE_TEMP_AGE = 60.0
_POLL_MAX = 0.05


def _generation_floor() -> int:
    """Where generations start in a fresh (or repaired) file.

    Microseconds since the epoch: a repaired file starts above every generation the damaged
    one can have handed out (a write, with its fsync, takes far longer than a microsecond), so
    generations never repeat for a key even when the file itself was lost. Milliseconds were
    too coarse: a file written and damaged within one millisecond repeated a generation.
    """
    return time.time_ns() // 1000


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decode_record(raw: Any) -> TokenRecord | None:
    """A stored entry as a TokenRecord, or None when it is damaged in any way."""
    if not isinstance(raw, dict):
        return None
    access, refresh = raw.get("access_token"), raw.get("refresh_token")
    issued, expires, generation = raw.get("issued_at"), raw.get("expires_at"), raw.get("generation")
    if not isinstance(access, str) or not access:
        return None
    if refresh is not None and not isinstance(refresh, str):
        return None
    if not _is_number(issued) or not _is_number(expires):
        return None
    if not isinstance(generation, int) or isinstance(generation, bool):
        return None
    return TokenRecord(access, refresh, float(issued), float(expires), generation)


def _encode_record(record: TokenRecord) -> dict[str, Any]:
    return {
        "access_token": record.access_token,
        "refresh_token": record.refresh_token,
        "issued_at": record.issued_at,
        "expires_at": record.expires_at,
        "generation": record.generation,
    }


@dataclass
class _State:
    """The whole file in memory."""

    generation_floor: int
    last_generation: dict[str, int]
    records: dict[str, Any]
    leases: dict[str, Any]

    @classmethod
    def fresh(cls) -> _State:
        return cls(_generation_floor(), {}, {}, {})

    @classmethod
    def parse(cls, raw: bytes) -> _State | None:
        """The state in `raw`, or None if it is not a complete file of this format."""
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return None
        if not isinstance(data, dict) or data.get("version") != _FORMAT_VERSION:
            return None
        floor, last = data.get("generation_floor"), data.get("last_generation")
        records, leases = data.get("records"), data.get("leases")
        if not isinstance(floor, int) or not isinstance(last, dict):
            return None
        if not isinstance(records, dict) or not isinstance(leases, dict):
            return None
        clean_last = {k: v for k, v in last.items() if isinstance(v, int) and not isinstance(v, bool)}
        return cls(floor, clean_last, records, leases)

    def dump(self) -> bytes:
        return json.dumps(
            {
                "version": _FORMAT_VERSION,
                "generation_floor": self.generation_floor,
                "last_generation": self.last_generation,
                "records": self.records,
                "leases": self.leases,
            },
            separators=(",", ":"),
        ).encode()

    def next_generation(self, key: str, current: TokenRecord | None) -> int:
        last = self.last_generation.get(key, self.generation_floor)
        if current is not None:
            last = max(last, current.generation)
        return last + 1


@dataclass
class _Lease:
    owner: str
    fd: int
    has_flock: bool


def _open_private(path: Path, flags: int) -> int:
    """Open (creating with mode 0600 when absent) and make sure the mode is 0600 even under an odd umask."""
    fd = os.open(path, flags | os.O_CLOEXEC, FILE_MODE)
    try:
        if os.fstat(fd).st_mode & 0o777 != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


class FileTokenStore:
    """Tokens in one JSON file (mode 0600), shared by threads and processes. See the module doc."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser().absolute()
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.Lock()  # threads of this process queue here before the flock
        self._key_locks = KeyLocks()
        self._host = socket.gethostname()
        self._sweep_stale_temp_files()

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"

    # --- the protocol ---------------------------------------------------------------------

    def load(self, key: str) -> TokenRecord | None:
        state = self._read_state()
        if state is None:
            return None
        return _decode_record(state.records.get(key))

    def compare_and_swap(
        self, key: str, expected_generation: int | None, record: TokenRecord
    ) -> TokenRecord | None:
        with self._data_lock():
            state = self._read_state() or _State.fresh()
            current = _decode_record(state.records.get(key))
            if (current.generation if current else None) != expected_generation:
                return None
            stored = record.with_generation(state.next_generation(key, current))
            state.records[key] = _encode_record(stored)
            state.last_generation[key] = stored.generation
            self._write_state(state)
            return stored

    def delete(self, key: str, expected_generation: int | None = None) -> bool:
        with self._data_lock():
            state = self._read_state()
            if state is None:
                return False
            current = _decode_record(state.records.get(key))
            if current is None:
                return False
            if expected_generation is not None and current.generation != expected_generation:
                return False
            del state.records[key]
            state.last_generation[key] = max(state.last_generation.get(key, 0), current.generation)
            self._write_state(state)
            return True

    def refresh_lock(
        self, key: str, *, lease: float, timeout: float
    ) -> contextlib.AbstractContextManager[bool]:
        return queued_refresh_lock(
            self._key_locks(key),
            timeout,
            lambda deadline: self._acquire_lease(key, lease, deadline),
            lambda held: self._release_lease(key, held),
        )

    # --- the refresh lease ----------------------------------------------------------------

    def _refresh_lock_path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        return self.path.with_name(f"{self.path.name}.refresh-{digest}.lock")

    def _acquire_lease(self, key: str, lease: float, deadline: float) -> _Lease | None:
        owner = f"{self._host}:{os.getpid()}:{uuid.uuid4().hex}"
        fd = self._open(self._refresh_lock_path(key), os.O_RDWR | os.O_CREAT)
        delay = _POLL_START
        try:
            while True:
                has_flock = _try_flock(fd)
                with self._data_lock():
                    state = self._read_state() or _State.fresh()
                    current = state.leases.get(key)
                    now = time.time()
                    if self._lease_is_free(current, now, has_flock):
                        state.leases[key] = {
                            "owner": owner,
                            "pid": os.getpid(),
                            "host": self._host,
                            "until": now + lease,
                            "flock": has_flock,
                        }
                        self._write_state(state)
                        return _Lease(owner, fd, has_flock)
                if has_flock:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    os.close(fd)
                    return None
                time.sleep(min(delay, remaining))
                delay = min(delay * 1.5, _POLL_MAX)
        except BaseException:
            os.close(fd)
            raise

    @staticmethod
    def _lease_is_free(current: Any, now: float, has_flock: bool) -> bool:
        if not isinstance(current, dict):
            return True  # no lease, or a damaged one
        until = current.get("until")
        if not _is_number(until) or until <= now:
            return True  # expired: the holder hung past its lease (or died without the flock)
        # The holder took the per-key flock with its lease; if we could take it, the holder died.
        return has_flock and current.get("flock") is True

    def _release_lease(self, key: str, held: _Lease) -> None:
        try:
            with self._data_lock():
                state = self._read_state()
                if state is not None:
                    current = state.leases.get(key)
                    if isinstance(current, dict) and current.get("owner") == held.owner:
                        del state.leases[key]
                        self._write_state(state)
        finally:
            # Unlock only after the lease entry is gone, so nobody mistakes a live holder for a dead one.
            if held.has_flock:
                fcntl.flock(held.fd, fcntl.LOCK_UN)
            os.close(held.fd)

    # --- file plumbing --------------------------------------------------------------------

    def _sweep_stale_temp_files(self) -> None:
        """Remove temp files of writers killed between write and rename (older than a minute).

        A live writer holds its temp file for milliseconds, so an old one is an orphan.
        """
        cutoff = time.time() - _STALE_TEMP_AGE
        with contextlib.suppress(OSError):
            for temp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    if temp.stat().st_mtime < cutoff:
                        temp.unlink()

    def _open(self, path: Path, flags: int) -> int:
        try:
            return _open_private(path, flags)
        except FileNotFoundError:
            self._make_parent()
            try:
                return _open_private(path, flags)
            except OSError as exc:
                raise self._error(f"cannot open {path.name}", exc) from None
        except OSError as exc:
            raise self._error(f"cannot open {path.name}", exc) from None

    def _make_parent(self) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise self._error("cannot create the directory", exc) from None

    def _error(self, what: str, exc: OSError) -> TokenStoreError:
        reason = exc.strerror or type(exc).__name__
        return TokenStoreError(f"token file {self.path}: {what}: {reason}")

    @contextlib.contextmanager
    def _data_lock(self) -> Iterator[None]:
        """Exclusive across threads (threading lock) and processes (flock on `<file>.lock`)."""
        if not self._thread_lock.acquire(timeout=_DATA_LOCK_TIMEOUT):
            raise TokenStoreError(f"token file {self.path}: timed out waiting for the lock")
        try:
            fd = self._open(self._lock_path, os.O_RDWR | os.O_CREAT)
            try:
                deadline = time.monotonic() + _DATA_LOCK_TIMEOUT
                delay = _POLL_START / 2
                while not _try_flock(fd):
                    if time.monotonic() >= deadline:
                        raise TokenStoreError(
                            f"token file {self.path}: timed out waiting for {self._lock_path.name}"
                        )
                    time.sleep(delay)
                    delay = min(delay * 1.5, _POLL_MAX / 5)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            self._thread_lock.release()

    def _read_state(self) -> _State | None:
        """The file's state; None when it is missing, empty, corrupt or half-written."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError as exc:
            raise self._error("cannot read", exc) from None
        except OSError as exc:
            raise self._error("cannot read", exc) from None
        return _State.parse(raw) if raw else None

    def _write_state(self, state: _State) -> None:
        """Replace the file atomically: temp file in the same directory, fsync, rename, fsync the dir."""
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
        fd = self._open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            try:
                data = memoryview(state.dump())
                while data:
                    written = os.write(fd, data)
                    data = data[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise self._error("cannot write", exc) from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
