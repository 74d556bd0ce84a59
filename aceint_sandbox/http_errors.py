"""The contract's error body, and the translation of every failure into it.

Every non-2xx answer of the sandbox is `{"error": {"code", "message", "fields"?}}`
(contract.K_ERROR...), so a client has one shape to parse whatever went wrong.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from aceint_core import contract

from .responses import JSONResponse


class SandboxError(Exception):
    """Raised by endpoints; rendered as the contract error body with `status`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers or {}


def error_body(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    inner: dict[str, Any] = {contract.K_ERROR_CODE: code, contract.K_ERROR_MESSAGE: message}
    if fields is not None:
        inner[contract.K_ERROR_FIELDS] = fields
    return {contract.K_ERROR: inner}


def error_response(err: SandboxError) -> JSONResponse:
    return JSONResponse(
        error_body(err.code, err.message, err.fields), status_code=err.status, headers=err.headers
    )


def _wire_path(loc: tuple[Any, ...], message: str) -> str:
    """`("topics", 0, "weightage")` -> "topics.0.weightage".

    Errors of a whole-model check have an empty location; the only such checks on a
    session are about its topics (weightage and time totals, unique ids), so name that.
    """
    parts = [str(p) for p in loc if p not in ("body",)]
    if parts:
        return ".".join(parts)
    return "topics" if "topic" in message.lower() else "body"


def _clean_message(error: dict[str, Any], field: str) -> str:
    msg = str(error.get("msg", "invalid value"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if error.get("type") == "missing":
        return f"{field} is required"
    if error.get("type") == "extra_forbidden":
        return f"{field} is not a known field; remove it"
    return msg


def field_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, str]]:
    """pydantic errors as the contract's [{field, message}] with wire field paths."""
    out: list[dict[str, str]] = []
    for error in exc.errors():
        msg = str(error.get("msg", ""))
        field = _wire_path(tuple(error.get("loc", ())), msg)
        out.append({contract.K_FIELD: field, contract.K_ERROR_MESSAGE: _clean_message(dict(error), field)})
    return out


def validation_error(exc: ValidationError, what: str = "payload") -> SandboxError:
    fields = field_errors(exc)
    summary = "; ".join(
        m if m.startswith(f[contract.K_FIELD]) else f"{f[contract.K_FIELD]}: {m}"
        for f in fields[:5]
        for m in [f[contract.K_ERROR_MESSAGE]]
    )
    return SandboxError(422, "validation_error", f"the {what} is invalid: {summary}", fields=fields)


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    416: "range_not_satisfiable",
    422: "validation_error",
    429: "rate_limited",
}


logger = logging.getLogger("aceint_sandbox")

REQUEST_ID_SCOPE_KEY = "aceint_request_id"
"""Where the fault layer leaves the X-Request-Id it sends, so a logged error can quote it."""


def _stack_without_messages(exc: BaseException) -> str:
    """The traceback of `exc` and the exceptions it was raised from, as frames and type names.

    Exception messages are left out on purpose: one may quote input (a token, a secret),
    and this text goes to a log. The frames (file, line, function, source line) are code.
    """
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        parts.append(f"{type(current).__module__}.{type(current).__qualname__} (message withheld)\n{frames}")
        current = current.__cause__ or current.__context__
    return "raised while handling: ".join(reversed(parts))


_LOGGED_SCOPE_KEY = "aceint_error_logged"


def log_unexpected(scope: dict[str, Any], exc: BaseException) -> None:
    """One error line (with the frames, without messages) per failed request."""
    if scope.get(_LOGGED_SCOPE_KEY):
        return
    scope[_LOGGED_SCOPE_KEY] = True
    request_id = scope.get(REQUEST_ID_SCOPE_KEY, "-")
    logger.error(
        "unexpected %s on %s %s (request id %s), answered 500 internal_error\n%s",
        type(exc).__name__,
        scope.get("method", "?"),
        scope.get("path", "?"),  # the path only: a query string may carry a media signature
        request_id,
        _stack_without_messages(exc),
    )


def internal_error_response(scope: dict[str, Any]) -> JSONResponse:
    request_id = scope.get(REQUEST_ID_SCOPE_KEY)
    quote = f" (quote X-Request-Id {request_id})" if request_id else ""
    message = (
        "the sandbox failed on this request; this is a bug in the sandbox, not in the request. "
        f"The sandbox's log has the details{quote}; retrying will not help"
    )
    return JSONResponse(error_body("internal_error", message), status_code=500)


class UnexpectedErrorGuard:
    """ASGI wrapper around the FastAPI app: any exception that escapes it is logged once
    (without its message, see _stack_without_messages) and never reaches uvicorn, whose
    own log line would print the message; the client gets the contract's 500 body
    (sent by the app's Exception handler, or here if nothing was sent yet)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:  # noqa: BLE001 - the point: nothing unexpected escapes
            log_unexpected(scope, exc)
            if not started:
                await internal_error_response(scope)(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Make FastAPI's own 404/405/422 speak the contract body too, and any unexpected
    exception a 500 in it (UnexpectedErrorGuard logs it)."""

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged before the answer goes out; Starlette sends this, then re-raises the
        # exception to UnexpectedErrorGuard, which keeps it from uvicorn.
        log_unexpected(request.scope, exc)
        return internal_error_response(request.scope)

    @app.exception_handler(SandboxError)
    async def _sandbox_error(_request: Request, exc: SandboxError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = str(exc.detail)
        if exc.status_code == 404:
            message = f"no route {request.method} {request.url.path}"
        return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = field_errors(exc)
        return JSONResponse(error_body("validation_error", "the request is invalid", fields), status_code=422)
