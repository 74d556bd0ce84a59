"""Token issue, refresh (rotating), revoke and check, with real expiry.

Only SHA-256 hashes of tokens are stored, so the database never holds a usable token.
A *grant* is one issue and every refresh that follows from it; revoking any of its
tokens revokes the whole grant (a logout). A refreshed-away access token stays valid
until it expires, so threads still using it during a refresh are not failed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update

from aceint_core import contract

from .http_errors import SandboxError
from .options import DEFAULT_ACCESS_TTL_S, MAX_ACCESS_TTL_S, Credentials
from .stats import Stats
from .store import Store, TokenRow

ACCESS_PREFIX = "sbx_at_"
REFRESH_PREFIX = "sbx_rt_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _unauthorized(code: str, message: str) -> SandboxError:
    return SandboxError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="aceint-sandbox"'})


def _string_field(body: dict[str, Any], key: str, fields: list[dict[str, str]]) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        fields.append(
            {contract.K_FIELD: key, contract.K_ERROR_MESSAGE: f"{key} is required (a non-empty string)"}
        )
        return ""
    return value


def _ttl_field(body: dict[str, Any], fields: list[dict[str, str]], default: int, limit: int) -> int:
    """accessTtl: whole seconds in 1..limit (NaN, infinities, fractions, huge or non-numbers
    refused; checked before any int(), so no value can make the check itself fail)."""
    raw = body.get(contract.K_ACCESS_TTL, default)
    ok = (
        not isinstance(raw, bool)
        and isinstance(raw, int | float)
        and 1 <= raw <= limit  # False for NaN
        and float(raw).is_integer()
    )
    if not ok:
        fields.append(
            {
                contract.K_FIELD: contract.K_ACCESS_TTL,
                contract.K_ERROR_MESSAGE: (
                    f"{contract.K_ACCESS_TTL} must be whole seconds from 1 to {limit}"
                    + (" (7 days)" if limit == 7 * 86400 else "")
                ),
            }
        )
        return default
    return int(raw)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class TokenService:
    """The /auth endpoints' logic. `ttl_cap` returns the fault layer's early-expiry cap, if any."""

    def __init__(
        self,
        store: Store,
        stats: Stats,
        credentials: Credentials,
        *,
        access_ttl_max_s: int,
        refresh_ttl_s: int,
        ttl_cap: Callable[[], float | None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.stats = stats
        self.credentials = credentials
        self.access_ttl_max_s = access_ttl_max_s
        # The accessTtl a client may ask for (the documented 7 days); a lower access_ttl_max_s
        # is a server that grants less than asked (expiresIn says so), not a 422.
        self.ttl_limit = max(MAX_ACCESS_TTL_S, access_ttl_max_s)
        self.refresh_ttl_s = refresh_ttl_s
        self.ttl_cap = ttl_cap
        self.clock = clock
        # hash -> (client id, expires_at) of access tokens seen valid. This process is the only
        # writer of its store, so the cache is cleared on every revoke/expire and stays coherent.
        self._valid: dict[str, tuple[str, float]] = {}

    # --- issue / refresh / revoke ---------------------------------------------------------

    def _check_credentials(self, client_id: str, api_key: str, api_secret: str) -> None:
        c = self.credentials
        ok = all(
            hmac.compare_digest(_utf8(given), _utf8(want))
            for given, want in (
                (client_id, c.client_public_id),
                (api_key, c.api_key),
                (api_secret, c.api_secret),
            )
        )
        if not ok:
            raise _unauthorized(
                "invalid_credentials",
                "the client credentials (clientPublicId, apiKey, apiSecret) are not accepted by this sandbox",
            )

    def _mint(self, db: Any, grant_id: str, client_id: str, requested_ttl: int) -> dict[str, Any]:
        now = self.clock()
        expires_in = min(requested_ttl, self.access_ttl_max_s)
        real_ttl = float(expires_in)
        cap = self.ttl_cap()
        if cap is not None:
            # Early expiry fault: the client is told expires_in, the token dies sooner.
            real_ttl = min(real_ttl, float(cap))
        access = ACCESS_PREFIX + secrets.token_urlsafe(32)
        refresh = REFRESH_PREFIX + secrets.token_urlsafe(32)
        db.add(
            TokenRow(
                token_hash=token_hash(access),
                kind="access",
                grant_id=grant_id,
                client_id=client_id,
                access_ttl=requested_ttl,
                issued_at=now,
                expires_at=now + real_ttl,
            )
        )
        db.add(
            TokenRow(
                token_hash=token_hash(refresh),
                kind="refresh",
                grant_id=grant_id,
                client_id=client_id,
                access_ttl=requested_ttl,
                issued_at=now,
                expires_at=now + self.refresh_ttl_s,
            )
        )
        return {
            contract.K_ACCESS_TOKEN: access,
            contract.K_REFRESH_TOKEN: refresh,
            contract.K_TOKEN_TYPE: "Bearer",
            contract.K_EXPIRES_IN: expires_in,
        }

    def issue(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise SandboxError(
                422,
                "validation_error",
                "the token request must be a JSON object",
                fields=[{contract.K_FIELD: "body", contract.K_ERROR_MESSAGE: "expected a JSON object"}],
            )
        fields: list[dict[str, str]] = []
        client_id = _string_field(body, contract.K_CLIENT_PUBLIC_ID, fields)
        api_key = _string_field(body, contract.K_API_KEY, fields)
        api_secret = _string_field(body, contract.K_API_SECRET, fields)
        ttl = _ttl_field(body, fields, DEFAULT_ACCESS_TTL_S, self.ttl_limit)
        if fields:
            raise SandboxError(
                422,
                "validation_error",
                "the token request is invalid: " + "; ".join(f[contract.K_ERROR_MESSAGE] for f in fields),
                fields=fields,
            )
        self._check_credentials(client_id, api_key, api_secret)
        with self.store.unit() as db:
            result = self._mint(db, str(uuid.uuid4()), client_id, ttl)
        self.stats.bump("tokensIssued")
        return result

    def refresh(self, body: Any) -> dict[str, Any]:
        fields: list[dict[str, str]] = []
        if not isinstance(body, dict):
            body = {}
        refresh = _string_field(body, contract.K_REFRESH_TOKEN, fields)
        if fields:
            raise SandboxError(422, "validation_error", "refreshToken is required", fields=fields)
        with self.store.unit() as db:
            row = db.get(TokenRow, token_hash(refresh))
            if row is None or row.kind != "refresh":
                raise _unauthorized("invalid_token", "the refresh token is not recognised; issue a new token")
            if row.revoked:
                raise _unauthorized("token_revoked", "the refresh token was revoked; issue a new token")
            if row.rotated:
                raise _unauthorized(
                    "token_rotated",
                    "the refresh token was already used; use the newest one or issue a new token",
                )
            if row.expires_at <= self.clock():
                raise _unauthorized("token_expired", "the refresh token expired; issue a new token")
            ttl = row.access_ttl
            if contract.K_ACCESS_TTL in body:
                ttl = _ttl_field(body, fields, row.access_ttl, self.ttl_limit)
                if fields:
                    raise SandboxError(
                        422, "validation_error", fields[0][contract.K_ERROR_MESSAGE], fields=fields
                    )
            row.rotated = True
            result = self._mint(db, row.grant_id, row.client_id, ttl)
        self.stats.bump("tokensRefreshed")
        return result

    def revoke(self, body: Any) -> dict[str, Any]:
        fields: list[dict[str, str]] = []
        if not isinstance(body, dict):
            body = {}
        token = _string_field(body, contract.K_TOKEN, fields)
        if fields:
            raise SandboxError(
                422, "validation_error", "token is required (an access or a refresh token)", fields=fields
            )
        with self.store.unit() as db:
            self._valid.clear()  # under the store lock, so no check can re-cache a stale row
            row = db.get(TokenRow, token_hash(token))
            revoked = 0
            if row is not None:
                result = db.execute(
                    update(TokenRow)
                    .where(TokenRow.grant_id == row.grant_id, TokenRow.revoked.is_(False))
                    .values(revoked=True)
                )
                revoked = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if row is not None:
            self.stats.bump("tokensRevoked")
        # As RFC 7009: an unknown token is not an error, the answer just says nothing was revoked.
        return {"revoked": row is not None, "tokensRevoked": revoked}

    # --- checks and sandbox controls ------------------------------------------------------

    def authenticate(self, authorization: str | None) -> str:
        """The client id behind a `Bearer` access token, or a 401 saying what is wrong."""
        prefix = contract.BEARER_PREFIX
        if (
            not authorization
            or not authorization.startswith(prefix)
            or not authorization[len(prefix) :].strip()
        ):
            raise _unauthorized(
                "missing_authorization",
                f"send the header {contract.AUTHORIZATION_HEADER}: {prefix}<access token> "
                "(from POST /auth/token)",
            )
        digest = token_hash(authorization[len(prefix) :].strip())
        cached = self._valid.get(digest)
        if cached is not None and cached[1] > self.clock():
            return cached[0]
        with self.store.unit() as db:
            row = db.get(TokenRow, digest)
            if row is None or row.kind != "access":
                raise _unauthorized("invalid_token", "the access token is not recognised")
            if row.revoked:
                raise _unauthorized("token_revoked", "the access token was revoked; issue a new token")
            if row.expires_at <= self.clock():
                raise _unauthorized(
                    "token_expired", "the access token expired; refresh it or issue a new one"
                )
            self._valid[digest] = (row.client_id, row.expires_at)
            return row.client_id

    def expire_all(self, include_refresh: bool = False) -> int:
        now = self.clock()
        with self.store.unit() as db:
            self._valid.clear()  # under the store lock, so no check can re-cache a stale row
            stmt = update(TokenRow).where(TokenRow.expires_at > now)
            if not include_refresh:
                stmt = stmt.where(TokenRow.kind == "access")
            return int(db.execute(stmt.values(expires_at=now - 1)).rowcount or 0)  # type: ignore[attr-defined]

    def revoke_all(self) -> int:
        with self.store.unit() as db:
            self._valid.clear()
            result = db.execute(update(TokenRow).where(TokenRow.revoked.is_(False)).values(revoked=True))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def live_count(self) -> int:
        now = self.clock()
        with self.store.unit() as db:
            rows = db.scalars(
                select(TokenRow.token_hash).where(
                    TokenRow.kind == "access", TokenRow.expires_at > now, TokenRow.revoked.is_(False)
                )
            ).all()
            return len(rows)
