"""Faults on demand: latency, error statuses, 429s, dropped connections, slow and malformed
responses, early token expiry.

`FaultMiddleware` wraps the whole ASGI app (outside FastAPI's own middleware, so it sees
uvicorn's real `send`) and only touches the Aceint API routes; /sandbox/, the candidate
page and media are never faulted. Each request draws once: the `fail_next` queue first
(deterministic), then the rates, which are exclusive (their sum is the fault rate).
Phase "after" runs the request first and then spoils the response, e.g. a session is
created but the client never hears so, which is what idempotent retries must survive.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aceint_core import contract

from .http_errors import REQUEST_ID_SCOPE_KEY, error_body
from .stats import Stats

ROUTES: dict[str, tuple[str, str]] = {
    f"{method} {path}": (method, path)
    for method, path in (
        contract.TOKEN_ISSUE,
        contract.TOKEN_REFRESH,
        contract.TOKEN_REVOKE,
        contract.SESSION_CREATE,
        contract.SESSION_GET,
        contract.SESSION_RECORD,
    )
}
"""Route templates as faults and stats name them, e.g. "GET /sessions/{session_id}"."""

_ROUTE_PATTERNS = [
    (name, method, re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"))
    for name, (method, path) in ROUTES.items()
]

Kind = Literal["status", "drop", "slow", "malformed", "rate_limit"]
Phase = Literal["before", "after"]


def route_of(method: str, path: str) -> str | None:
    """The route template an API request matches, or None (path is relative to the prefix)."""
    for name, m, pattern in _ROUTE_PATTERNS:
        if m == method and pattern.match(path):
            return name
    return None


def _check_route(route: str, allow_any: bool) -> str:
    if route in ROUTES or (allow_any and route == "*"):
        return route
    choices = ", ".join(ROUTES)
    raise ValueError(f"unknown route {route!r}; use one of {choices}" + (" or *" if allow_any else ""))


class FailNext(BaseModel):
    """The next `count` requests to `route` ("*" for any) get this fault."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    route: str = "*"
    kind: Kind = "status"
    status: int = Field(default=503, ge=400, le=599)
    count: int = Field(default=1, ge=1)
    phase: Phase = "before"

    @field_validator("route")
    @classmethod
    def _route(cls, v: str) -> str:
        return _check_route(v, allow_any=True)


class FaultConfig(BaseModel):
    """The JSON of GET/PUT /sandbox/faults. Rates are probabilities per request (0..1).

    NaN and infinities are refused (allow_inf_nan=False): a cap of Infinity would be
    accepted by `gt=0` and then make every snapshot unencodable as JSON.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    latency_ms: float = Field(default=0, ge=0, le=120_000)
    error_rate: float = Field(default=0, ge=0, le=1)
    error_status: int = Field(default=503, ge=400, le=599)
    routes: list[str] = Field(default_factory=list, description="empty: every API route")
    rate_limit_rate: float = Field(default=0, ge=0, le=1)
    retry_after: float = Field(default=1, ge=0, le=3600)
    drop_rate: float = Field(default=0, ge=0, le=1)
    slow_rate: float = Field(default=0, ge=0, le=1)
    slow_seconds: float = Field(default=5, ge=0, le=600)
    malformed_rate: float = Field(default=0, ge=0, le=1)
    token_ttl_cap_s: float | None = Field(default=None, gt=0)
    phase: Phase = "before"
    """Sandbox extension: when the rate-drawn faults strike (fail_next entries carry their own)."""
    seed: int | None = None
    """Sandbox extension: seed the random draws, so a run is repeatable."""
    fail_next: list[FailNext] = Field(default_factory=list)

    @field_validator("routes")
    @classmethod
    def _routes(cls, v: list[str]) -> list[str]:
        return [_check_route(r, allow_any=False) for r in v]

    @model_validator(mode="after")
    def _rates_fit(self) -> FaultConfig:
        total = self.error_rate + self.rate_limit_rate + self.drop_rate + self.slow_rate + self.malformed_rate
        if total > 1 + 1e-9:
            raise ValueError(
                f"the fault rates add up to {total:g}; each request draws one fault, "
                "so they may total at most 1"
            )
        return self


@dataclass(frozen=True)
class Fault:
    kind: Kind
    phase: Phase
    status: int = 503


class FaultInjector:
    """Holds the live fault configuration and makes each request's draw (thread-safe)."""

    def __init__(self, stats: Stats, initial: dict[str, Any] | None = None) -> None:
        self.stats = stats
        self._lock = threading.Lock()
        self.config = FaultConfig()
        self._queue: list[FailNext] = []
        self._rng = random.Random()
        if initial:
            self.set(FaultConfig.model_validate(initial))

    def set(self, config: FaultConfig) -> None:
        with self._lock:
            self._apply(config)

    def _apply(self, config: FaultConfig) -> None:
        self.config = config
        self._queue = [entry.model_copy() for entry in config.fail_next]
        self._rng = random.Random(config.seed)

    def merge(self, changes: dict[str, Any]) -> FaultConfig:
        """PATCH: the current settings with `changes` on top (fail_next entries are appended).

        Validated as a whole before anything changes (a ValidationError leaves the settings
        as they were), and done under the lock, so no request's draw is lost in between.
        """
        with self._lock:
            current = self.config.model_dump()
            current["fail_next"] = [e.model_dump() for e in self._queue]
            changes = dict(changes)
            extra = changes.pop("fail_next", None)
            current.update(changes)
            if isinstance(extra, list):
                current["fail_next"] = current["fail_next"] + extra
            elif extra is not None:
                current["fail_next"] = extra  # not a list: let validation name the field
            config = FaultConfig.model_validate(current)
            self._apply(config)
            return config

    def clear(self) -> None:
        self.set(FaultConfig())

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            data = self.config.model_dump()
            data["fail_next"] = [e.model_dump() for e in self._queue]
            return data

    def draw(self, route: str) -> tuple[float, Fault | None]:
        """(latency in seconds, the fault for this request or None)."""
        with self._lock:
            cfg = self.config
            for entry in self._queue:
                if entry.route in ("*", route):
                    entry.count -= 1
                    if entry.count <= 0:
                        self._queue.remove(entry)
                    return cfg.latency_ms / 1000, Fault(entry.kind, entry.phase, entry.status)
            if cfg.routes and route not in cfg.routes:
                return 0.0, None
            u = self._rng.random()
            for kind, rate in (
                ("status", cfg.error_rate),
                ("rate_limit", cfg.rate_limit_rate),
                ("drop", cfg.drop_rate),
                ("slow", cfg.slow_rate),
                ("malformed", cfg.malformed_rate),
            ):
                if u < rate:
                    return cfg.latency_ms / 1000, Fault(kind, cfg.phase, cfg.error_status)  # type: ignore[arg-type]
                u -= rate
            return cfg.latency_ms / 1000, None


def _retry_after_text(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


class FaultMiddleware:
    """ASGI wrapper that counts API requests per route and applies the drawn fault."""

    def __init__(self, app: Any, injector: FaultInjector, stats: Stats) -> None:
        self.app = app
        self.injector = injector
        self.stats = stats

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(contract.API_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        route = route_of(scope["method"], path[len(contract.API_PREFIX) :])
        if route is None:
            await self.app(scope, receive, send)
            return
        self.stats.request(route)
        raw_send, send = send, _with_request_id(send, scope)
        latency, fault = self.injector.draw(route)
        if latency:
            await asyncio.sleep(latency)
        if fault is None:
            await self.app(scope, receive, send)
            return
        self.stats.bump("faultsInjected")
        if fault.phase == "before":
            if fault.kind == "slow":
                await asyncio.sleep(self.injector.config.slow_seconds)
                await self.app(scope, receive, send)
            else:
                await self._spoil(fault, route, send, raw_send, None)
            return
        # phase "after": run the request, hold its response, then spoil it.
        held: list[dict[str, Any]] = []

        async def hold(message: dict[str, Any]) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        if fault.kind == "slow":
            await asyncio.sleep(self.injector.config.slow_seconds)
            for message in held:
                await send(message)
            return
        body = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
        await self._spoil(fault, route, send, raw_send, body)

    async def _spoil(
        self, fault: Fault, route: str, send: Any, raw_send: Any, real_body: bytes | None
    ) -> None:
        if fault.kind == "drop":
            await _drop_connection(raw_send)
        elif fault.kind == "malformed":
            body = real_body[: max(1, len(real_body) // 2)] if real_body else b'{"data": {"sessionId": '
            await _send_raw(send, 200, body)
        elif fault.kind == "rate_limit":
            wait = self.injector.config.retry_after
            msg = f"sandbox fault: too many requests to {route}; retry after {_retry_after_text(wait)} s"
            await _send_raw(
                send,
                429,
                json.dumps(error_body("rate_limited", msg)).encode(),
                [(contract.RETRY_AFTER_HEADER.lower().encode(), _retry_after_text(wait).encode())],
            )
        else:
            msg = f"sandbox fault: injected {fault.status} on {route}"
            await _send_raw(send, fault.status, json.dumps(error_body("injected_fault", msg)).encode())


def _with_request_id(send: Any, scope: dict[str, Any]) -> Any:
    """`send` that adds an X-Request-Id to the response, so errors can be traced to one request
    (also left in the scope, for the log line of an unexpected error)."""
    request_id = uuid.uuid4().hex.encode()
    scope[REQUEST_ID_SCOPE_KEY] = request_id.decode()
    header = contract.REQUEST_ID_HEADER.lower().encode()

    async def sender(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (header, request_id)]}
        await send(message)

    return sender


async def _send_raw(
    send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    all_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})


async def _drop_connection(send: Any) -> None:
    """Break the connection with no response, so the client sees a connection error.

    uvicorn's `send` is a method of its request cycle, which holds the socket transport;
    aborting it resets the connection. Without that, promise more body than is sent and
    close, which a client sees as a broken read.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.abort()
        await asyncio.sleep(0)  # let uvicorn notice the disconnect before the app returns
        await asyncio.sleep(0)
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"100000")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"data":', "more_body": True})
    raise ConnectionAbortedError("sandbox fault: connection dropped")
