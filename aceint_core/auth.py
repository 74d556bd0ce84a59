"""The token lifecycle (the `@aceint/auth` part): issue, reuse, refresh, invalidate, revoke.

One `TokenManager` serves every thread of a client. It keeps nothing but a note of when its
own tokens arrived; the tokens themselves live in a `TokenStore`, so several clients or
processes can share them. The rules, and why:

- The first token is issued lazily, on the first protected call.
- A token is reused until `margin = min(REFRESH_MARGIN, lifetime / 2)` before it expires.
  Time is measured on the monotonic clock from when the token was requested (a wall-clock
  jump cannot make it look fresh); a record written by another process has no local arrival
  time, so its wall-clock `expires_at` is used instead.
- Only the holder of the store's refresh lock talks to the token endpoint. Callers that
  find an expired or missing token wait for the lock and then re-read the store, so a burst
  of threads causes one issue. Inside the margin, while the old token still works, callers
  that find the lock taken keep using the old token instead of waiting.
- A refresh that fails for any reason falls back to issuing a new token.
- After a 401 the cached token is dropped only if the store still holds that same issue
  (same generation and access token), so a late 401 cannot discard a newer token.
- Readers get one immutable `TokenRecord`: a token and its expiry always come from one issue.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import constants, contract
from .errors import (
    AceintError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    MalformedResponseError,
    NotFoundError,
)
from .models import unwrap
from .token_store import MemoryTokenStore, TokenRecord, TokenStore
from .transport import Transport

logger = logging.getLogger("aceint")

_TTL_RE = re.compile(r"([0-9]{1,12})([smhd]?)")
_TTL_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_TTL_HINT = "use whole seconds (e.g. 900) or a number with s, m, h or d (e.g. '30s', '15m', '1h', '7d')"


def parse_ttl(value: Any) -> int:
    """An access-token lifetime in whole seconds, from `30s`, `15m`, `1h`, `7d` or plain seconds.

    Bounded to constants.MIN_ACCESS_TTL..MAX_ACCESS_TTL here, so a lifetime Aceint would refuse
    (or fail on) is a clear local error instead of a server error on the first call.
    """
    where = f"access_ttl ({constants.ENV_ACCESS_TTL})"
    if isinstance(value, bool):
        raise ConfigurationError(f"{where} must be a duration, not {value!r}; {_TTL_HINT}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str):
        match = _TTL_RE.fullmatch(value.strip())
        if match is None:
            raise ConfigurationError(f"{where} {value[:40]!r} is not a duration; {_TTL_HINT}")
        seconds = int(match.group(1)) * _TTL_UNITS[match.group(2)]
    else:
        raise ConfigurationError(
            f"{where} must be a string or whole seconds, got {type(value).__name__}; {_TTL_HINT}"
        )
    if seconds < constants.MIN_ACCESS_TTL:
        raise ConfigurationError(f"{where} must be longer than 0 seconds; got {value!r}; {_TTL_HINT}")
    if seconds > constants.MAX_ACCESS_TTL:
        shown = repr(value) if isinstance(value, str) else f"{seconds} seconds" if seconds < 1e15 else "more"
        raise ConfigurationError(
            f"{where} may be at most 7d ({constants.MAX_ACCESS_TTL} seconds, the longest Aceint grants); "
            f"got {shown}; {_TTL_HINT}"
        )
    return seconds


@dataclass(frozen=True)
class Credentials:
    """The client credentials from Aceint's Credentials tab. Only the public id shows in repr."""

    client_public_id: str
    api_key: str = field(repr=False)
    api_secret: str = field(repr=False)


def store_key(base_url: str, client_public_id: str, api_key: str) -> str:
    """The token-store key of one set of credentials on one server.

    Hashed, so a shared store (a file, a database row) names no credential; the secret is
    not part of it at all.
    """
    digest = hashlib.sha256("\n".join((base_url.rstrip("/"), client_public_id, api_key)).encode()).hexdigest()
    return f"aceint:{digest[:32]}"


@dataclass(frozen=True)
class _Arrival:
    """When one of our own tokens was requested, on the monotonic clock."""

    generation: int
    access_token: str = field(repr=False)
    monotonic: float


class TokenManager:
    """Hands out a valid access token to any number of threads, talking to the token endpoint
    as rarely as the rules above allow."""

    def __init__(
        self,
        transport: Transport,
        credentials: Credentials,
        *,
        access_ttl: int,
        store: TokenStore | None = None,
        key: str | None = None,
        refresh_margin: float = constants.REFRESH_MARGIN,
        lock_lease: float = constants.TOKEN_LOCK_LEASE,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.transport = transport
        self.credentials = credentials
        self.access_ttl = access_ttl
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.key = key or store_key(transport.base_url, credentials.client_public_id, credentials.api_key)
        self.refresh_margin = refresh_margin
        self.lock_lease = lock_lease
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._arrival: _Arrival | None = None
        transport.redactor.remember(credentials.api_secret)

    def __repr__(self) -> str:
        return f"TokenManager(base_url={self.transport.base_url!r}, key={self.key!r})"

    # --- reading ---------------------------------------------------------------------------

    def _timing(self, record: TokenRecord) -> tuple[float, float]:
        """(seconds until the refresh is due, seconds until expiry) for `record`."""
        lifetime = max(record.lifetime, 0.0)
        margin = min(self.refresh_margin, lifetime / 2)
        arrival = self._arrival
        if (
            arrival is not None
            and arrival.generation == record.generation
            and arrival.access_token == record.access_token
        ):
            remaining = lifetime - (self._monotonic() - arrival.monotonic)
        else:
            remaining = record.expires_at - self._wall_clock()
        return remaining - margin, remaining

    def token(self) -> TokenRecord:
        """A token that is valid now (issued or refreshed first when needed)."""
        record = self.store.load(self.key)
        if record is not None:
            due_in, remaining = self._timing(record)
            if due_in > 0:
                logger.debug("reusing access token (generation %d, %.0fs left)", record.generation, remaining)
                return record
            if remaining > 0:
                with self.store.refresh_lock(self.key, lease=self.lock_lease, timeout=0) as acquired:
                    if not acquired:
                        logger.debug(
                            "access token (generation %d) is inside its refresh margin and another caller "
                            "is renewing it; using it for %.1fs more",
                            record.generation,
                            remaining,
                        )
                        return record
                    return self._renew_locked()
        with self.store.refresh_lock(self.key, lease=self.lock_lease, timeout=self.lock_lease) as acquired:
            if not acquired:
                logger.debug("refresh lock not free after %.0fs; renewing without it", self.lock_lease)
            return self._renew_locked()

    def _renew_locked(self) -> TokenRecord:
        """Renew the stored token; the caller holds the refresh lock (or gave up waiting for it)."""
        current = self.store.load(self.key)
        if current is not None and self._timing(current)[0] > 0:
            logger.debug("access token was renewed by another caller (generation %d)", current.generation)
            return current
        fresh: tuple[TokenRecord, float] | None = None
        if current is not None and current.refresh_token:
            try:
                fresh = self._refresh(current)
            except AceintError as error:
                logger.debug("token refresh failed (%s); issuing a new token instead", type(error).__name__)
        if fresh is None:
            fresh = self._issue()
        record, requested_at = fresh
        stored = self.store.compare_and_swap(self.key, current.generation if current else None, record)
        if stored is None:
            # Another writer got in despite the lock (its lease ran out): prefer its token if usable.
            other = self.store.load(self.key)
            if other is not None and self._timing(other)[1] > 0:
                return other
            self._arrival = _Arrival(record.generation, record.access_token, requested_at)
            return record
        self._arrival = _Arrival(stored.generation, stored.access_token, requested_at)
        return stored

    # --- talking to the token endpoint -----------------------------------------------------

    def _issue(self) -> tuple[TokenRecord, float]:
        creds = self.credentials
        body = {
            contract.K_CLIENT_PUBLIC_ID: creds.client_public_id,
            contract.K_API_KEY: creds.api_key,
            contract.K_API_SECRET: creds.api_secret,
            contract.K_ACCESS_TTL: self.access_ttl,
        }
        requested_at, requested_wall = self._monotonic(), self._wall_clock()
        method, path = contract.TOKEN_ISSUE
        try:
            data = self.transport.request(method, path, json=body)
        except AuthenticationError as error:
            raise error.with_message(
                f"Aceint refused the client credentials ({error.message}); check client_public_id, api_key "
                f"and api_secret ({constants.ENV_CLIENT_PUBLIC_ID}, {constants.ENV_API_KEY}, "
                f"{constants.ENV_API_SECRET})"
            ) from None
        except APIStatusError as error:
            if error.status_code not in (404, 405):
                raise
            # No token route here: the base URL points somewhere that is not the Aceint API.
            raise error.with_message(
                f"{error.message}; there is no token endpoint at {self.transport.base_url}{path}: check "
                f"base_url ({constants.ENV_BASE_URL}), which must end with {contract.API_PREFIX}, e.g. "
                f"{contract.MODE_BASE_URLS['dev']}"
            ) from None
        record = self._record_from(data, requested_wall, previous_refresh=None, label=f"{method} {path}")
        logger.debug("issued access token (lifetime %.0fs)", record.lifetime)
        return record, requested_at

    def _refresh(self, current: TokenRecord) -> tuple[TokenRecord, float]:
        requested_at, requested_wall = self._monotonic(), self._wall_clock()
        method, path = contract.TOKEN_REFRESH
        logger.debug("refreshing access token (generation %d)", current.generation)
        data = self.transport.request(method, path, json={contract.K_REFRESH_TOKEN: current.refresh_token})
        record = self._record_from(
            data, requested_wall, previous_refresh=current.refresh_token, label=f"{method} {path}"
        )
        logger.debug("refreshed access token (lifetime %.0fs)", record.lifetime)
        return record, requested_at

    def _record_from(
        self, data: Any, requested_wall: float, *, previous_refresh: str | None, label: str
    ) -> TokenRecord:
        try:
            body = unwrap(data)
        except TypeError:
            raise MalformedResponseError(
                f"{label} answered with a body that is not a JSON object", status_code=200
            ) from None
        access = body.get(contract.K_ACCESS_TOKEN)
        refresh = body.get(contract.K_REFRESH_TOKEN) or previous_refresh
        expires_in = body.get(contract.K_EXPIRES_IN)
        if not isinstance(access, str) or not access:
            raise MalformedResponseError(
                f"{label} answered without {contract.K_ACCESS_TOKEN}", status_code=200
            )
        if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)) or expires_in <= 0:
            raise MalformedResponseError(
                f"{label} answered without a positive {contract.K_EXPIRES_IN}", status_code=200
            )
        if refresh is not None and not isinstance(refresh, str):
            refresh = None
        self.transport.redactor.remember(access, refresh)
        return TokenRecord(
            access_token=access,
            refresh_token=refresh,
            issued_at=requested_wall,
            expires_at=requested_wall + float(expires_in),
        )

    # --- after a 401, and at the end -------------------------------------------------------

    def invalidate(self, record: TokenRecord) -> bool:
        """Drop `record` from the store after the server refused it, unless it was already
        replaced. Returns True if it was dropped."""
        current = self.store.load(self.key)
        if (
            current is None
            or current.generation != record.generation
            or current.access_token != record.access_token
        ):
            logger.debug(
                "refused token (generation %d) was already replaced; keeping the newer one", record.generation
            )
            return False
        dropped = self.store.delete(self.key, expected_generation=record.generation)
        logger.debug("dropped refused access token (generation %d): %s", record.generation, dropped)
        return dropped

    def revoke(self) -> None:
        """Revoke the stored access and refresh tokens at the server, then forget them.

        A token the server no longer knows (401/404) counts as revoked. If the server cannot be
        reached the error is raised and the store is left as it was, so revoke() can be retried.
        """
        with self.store.refresh_lock(self.key, lease=self.lock_lease, timeout=self.lock_lease):
            for _ in range(3):
                record = self.store.load(self.key)
                if record is None:
                    break
                for token in (record.refresh_token, record.access_token):
                    if token:
                        self._revoke_one(token)
                if self.store.delete(self.key, expected_generation=record.generation):
                    logger.debug("revoked access and refresh tokens (generation %d)", record.generation)
                    break
            self._arrival = None

    def _revoke_one(self, token: str) -> None:
        method, path = contract.TOKEN_REVOKE
        try:
            self.transport.request(method, path, json={contract.K_TOKEN: token})
        except (AuthenticationError, NotFoundError):
            logger.debug("token was already invalid at the server; treating it as revoked")
