"""HTTP for the SDK: one pooled connection set per client, timeouts, retries, typed errors.

Both the session calls and the token calls go through `Transport.request`, so they share one
connection pool, one retry policy and one mapping from HTTP outcomes to `aceint_core.errors`.
A `requests.Session` is used from many threads at once; its urllib3 pool is thread-safe and
sized by `constants.HTTP_POOL_SIZE` so ~32 threads each get a kept-alive connection.
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from . import constants, contract
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    MalformedResponseError,
    error_for_status,
)
from .redaction import Redactor

logger = logging.getLogger("aceint")

Timeout = tuple[float, float]

RETRYABLE_STATUSES = frozenset({408, 429})
"""Besides these, every 5xx is retried. 400, 401, 403, 404, 409 and 422 never are."""


def is_retryable_status(status_code: int) -> bool:
    return status_code in RETRYABLE_STATUSES or 500 <= status_code <= 599


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before retrying a failed attempt.

    The wait before retry n (1-based) is `backoff_initial * 2**(n-1)`, capped at `backoff_max`,
    then spread by +/- `jitter` (a fraction) so many clients do not retry in lockstep. A server's
    `Retry-After` replaces the computed wait, but never beyond `retry_after_cap`.
    """

    max_retries: int = constants.DEFAULT_MAX_RETRIES
    backoff_initial: float = constants.RETRY_BACKOFF_INITIAL
    backoff_max: float = constants.RETRY_BACKOFF_MAX
    jitter: float = constants.RETRY_JITTER
    retry_after_cap: float = constants.RETRY_AFTER_CAP

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or not 0 <= self.max_retries <= constants.MAX_RETRIES_LIMIT
        ):
            raise ConfigurationError(
                f"max_retries must be a whole number from 0 to {constants.MAX_RETRIES_LIMIT} "
                f"(0 turns retries off); got {self.max_retries!r}"
            )
        for name in ("backoff_initial", "backoff_max", "retry_after_cap"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 <= value <= constants.MAX_TIMEOUT:
                raise ConfigurationError(
                    f"{name} must be a number of seconds from 0 to {constants.MAX_TIMEOUT:g}; got {value!r}"
                )
        if not isinstance(self.jitter, (int, float)) or not 0 <= self.jitter < 1:
            raise ConfigurationError(f"jitter must be a fraction in [0, 1); got {self.jitter!r}")

    def delay(
        self, retry_number: int, retry_after: float | None = None, *, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait before retry `retry_number` (1 for the first retry)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap)
        base = min(self.backoff_max, self.backoff_initial * (2 ** (retry_number - 1)))
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        return max(0.0, base * (1.0 + spread))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date. None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(seconds, 0.0)


def normalise_timeout(timeout: Any) -> Timeout:
    """Accept one number (both timeouts) or a (connect, read) pair; each in (0, MAX_TIMEOUT] seconds."""
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        pair: tuple[Any, ...] = (timeout, timeout)
    elif isinstance(timeout, (tuple, list)) and len(timeout) == 2:
        pair = tuple(timeout)
    else:
        raise ConfigurationError(
            f"timeout must be seconds or a (connect, read) pair such as "
            f"({constants.DEFAULT_CONNECT_TIMEOUT}, {constants.DEFAULT_READ_TIMEOUT}); got {timeout!r}"
        )
    for name, value in zip(("connect", "read"), pair, strict=True):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 < value <= constants.MAX_TIMEOUT
        ):
            raise ConfigurationError(
                f"timeout: the {name} timeout must be a number of seconds > 0 and at most "
                f"{constants.MAX_TIMEOUT:g}; got {value!r}"
            )
    return float(pair[0]), float(pair[1])


class Transport:
    """Sends one API call, retrying what is safe to retry, and returns the decoded JSON body.

    Every attempt of one call sends the same headers and body, so a call that carries an
    idempotency key is safe to repeat.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: Timeout = (constants.DEFAULT_CONNECT_TIMEOUT, constants.DEFAULT_READ_TIMEOUT),
        retry: RetryPolicy | None = None,
        redactor: Redactor | None = None,
        pool_size: int = constants.HTTP_POOL_SIZE,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.redactor = redactor or Redactor()
        self._sleep = sleep
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"User-Agent": constants.USER_AGENT, "Accept": "application/json"})
        # Read the proxy and CA-bundle environment once, here, instead of on every request
        # (requests re-reads it per call, ~1 ms), and never let a ~/.netrc entry replace our
        # Authorization header.
        self._session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if ca_bundle:
            self._session.verify = ca_bundle
        self._session.trust_env = False

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def close(self) -> None:
        self._session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        route: str | None = None,
    ) -> Any:
        """One API call with retries. `route` names the call in logs (a path template, no ids)."""
        label = f"{method} {route or path}"
        attempts = self.retry.max_retries + 1
        # A garbled 2xx body is retried only where a repeat cannot do anything twice: reads, and
        # writes that carry an Idempotency-Key (the server replays its first answer).
        repeatable = method == "GET" or contract.IDEMPOTENCY_HEADER in (headers or {})
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt(method, path, json=json, headers=headers, label=label)
            except (APIConnectionError, APIStatusError) as error:
                status = getattr(error, "status_code", None)
                if isinstance(error, MalformedResponseError):
                    retryable = repeatable
                else:
                    retryable = isinstance(error, APIConnectionError) or (
                        status is not None and is_retryable_status(status)
                    )
                if not retryable or attempt == attempts:
                    raise
                retry_after = getattr(error, "retry_after", None)
                wait = self.retry.delay(attempt, retry_after)
                cause = f"HTTP {status}" if status is not None else type(error).__name__
                logger.debug(
                    "retrying %s after %s (retry %d of %d) in %.2fs%s",
                    label,
                    cause,
                    attempt,
                    self.retry.max_retries,
                    wait,
                    " as Retry-After asked" if retry_after is not None else "",
                )
                if wait > 0:
                    self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self, method: str, path: str, *, json: Any, headers: Mapping[str, str] | None, label: str
    ) -> Any:
        url = self.base_url + path
        started = time.perf_counter()
        try:
            response = self._session.request(
                method,
                url,
                json=json,
                headers=dict(headers or {}),
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.exceptions.ConnectTimeout:
            raise APITimeoutError(
                f"{label}: no connection to {self.base_url} within {self.timeout[0]:g}s (connect timeout)",
                url=url,
            ) from None
        except requests.exceptions.Timeout:
            raise APITimeoutError(
                f"{label}: no response from {self.base_url} within {self.timeout[1]:g}s (read timeout)",
                url=url,
            ) from None
        except requests.exceptions.RequestException as exc:
            # `from None`: the requests exception holds the prepared request and its
            # Authorization header; keeping it as the cause would carry the token along.
            raise APIConnectionError(
                f"{label}: connection to {self.base_url} failed ({type(exc).__name__})", url=url
            ) from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.debug("%s -> %d (%.1f ms)", label, response.status_code, elapsed_ms)
        return self._decode(response, label)

    def _decode(self, response: requests.Response, label: str) -> Any:
        status = response.status_code
        request_id = response.headers.get(contract.REQUEST_ID_HEADER)
        if 200 <= status < 300:
            if status == 204 or not response.content:
                return {}
            try:
                return response.json()
            except ValueError:
                raise MalformedResponseError(
                    f"{label} answered {status} with a body that is not JSON",
                    status_code=status,
                    request_id=request_id,
                ) from None
        code, message, fields = self._error_body(response)
        retry_after = parse_retry_after(response.headers.get(contract.RETRY_AFTER_HEADER))
        raise error_for_status(status)(
            message,
            status_code=status,
            code=code,
            request_id=request_id,
            fields=fields,
            retry_after=retry_after,
        )

    def _error_body(self, response: requests.Response) -> tuple[str | None, str, list[dict[str, Any]]]:
        """The server's code, message and field messages from the contract's error body."""
        fallback = f"HTTP {response.status_code} {response.reason or ''}".strip()
        try:
            body = response.json()
        except ValueError:
            return None, fallback, []
        error = body.get(contract.K_ERROR) if isinstance(body, dict) else None
        if not isinstance(error, dict):
            detail = body.get("detail") if isinstance(body, dict) else None
            return None, self.redactor.scrub(detail) if isinstance(detail, str) else fallback, []
        code = error.get(contract.K_ERROR_CODE)
        message = error.get(contract.K_ERROR_MESSAGE)
        raw_fields = error.get(contract.K_ERROR_FIELDS) or []
        fields = [
            {
                contract.K_FIELD: self.redactor.scrub(str(f.get(contract.K_FIELD))),
                contract.K_ERROR_MESSAGE: self.redactor.scrub(str(f.get(contract.K_ERROR_MESSAGE))),
            }
            for f in raw_fields
            if isinstance(f, dict)
        ]
        return (
            self.redactor.scrub(str(code)) if code is not None else None,
            self.redactor.scrub(str(message)) if message else fallback,
            fields,
        )
