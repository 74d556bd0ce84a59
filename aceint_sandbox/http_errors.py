"""The contract's error body, and the translation of every failure into it.

Every non-2xx answer of the sandbox is `{"error": {"code", "message", "fields"?}}`
(contract.K_ERROR...), so a client has one shape to parse whatever went wrong.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from aceint_core import contract


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
    422: "validation_error",
    429: "rate_limited",
}


def install_error_handlers(app: FastAPI) -> None:
    """Make FastAPI's own 404/405/422 speak the contract body too."""

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
