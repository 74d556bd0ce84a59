"""The one place a request body becomes JSON, with the limits every endpoint relies on.

A body is refused, with the contract error naming the problem, when it is larger than
MAX_BODY_BYTES (413), not UTF-8 JSON, nested deeper than MAX_NESTING, or holds a string
with an unpaired UTF-16 surrogate (`"\\ud800"` is valid JSON but no UTF-8 text: stored,
it would make every later response that carries it unencodable). Checking once here means
no service can be handed a value that fails later in hashing, SQLite or a response.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from aceint_core import contract

from .http_errors import SandboxError
from .responses import printable

MAX_BODY_BYTES = 1_000_000
"""Largest request body accepted; the biggest real payload (a session) is a few kB."""
MAX_NESTING = 32
"""Deepest nesting of arrays/objects accepted; a session payload is 5 levels deep."""

_STATE_KEY = "aceint_raw_body"


def _field_error(field: str, message: str, status: int = 422, code: str = "invalid_json") -> SandboxError:
    return SandboxError(
        status, code, message, fields=[{contract.K_FIELD: field, contract.K_ERROR_MESSAGE: message}]
    )


def _too_large() -> SandboxError:
    return SandboxError(
        413,
        "payload_too_large",
        f"the request body is larger than {MAX_BODY_BYTES:,} bytes; send a smaller body",
    )


async def raw_body(request: Request) -> bytes:
    """The body, read at most once and never past MAX_BODY_BYTES (a 413 beyond)."""
    cached = getattr(request.state, _STATE_KEY, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and (len(declared) > 12 or int(declared) > MAX_BODY_BYTES):
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    body = b"".join(chunks)
    setattr(request.state, _STATE_KEY, body)
    return body


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _join(path: str, part: str | int) -> str:
    return f"{path}.{part}" if path else str(part)


def check_json_value(value: Any) -> None:
    """Refuse nesting deeper than MAX_NESTING and strings (or keys) with unpaired surrogates.

    Iterative, so a deep value cannot overflow the stack here either.
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if not _is_text(item):
                field = path or "body"
                raise _field_error(
                    field,
                    f"{field} contains an unpaired surrogate (a \\ud800-\\udfff escape without its pair); "
                    "send valid Unicode text",
                    code="validation_error",
                )
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_NESTING:
            raise _field_error(
                "body",
                f"the request body is nested too deeply (more than {MAX_NESTING} levels of arrays "
                "and objects); send a flatter body",
            )
        if isinstance(item, list):
            stack.extend((v, _join(path, i), depth + 1) for i, v in enumerate(item))
            continue
        for key, v in item.items():
            if not _is_text(key):
                where = path or "the body"
                raise _field_error(
                    _join(path, printable(key)),
                    f"a key in {where} ({printable(key)!r}) contains an unpaired surrogate; "
                    "send valid Unicode text",
                    code="validation_error",
                )
            stack.append((v, _join(path, key), depth + 1))


_MAX_INT_DIGITS = 4000  # below Python's int-from-text limit (4300), which raises ValueError


def _parse_int(text: str) -> int | float:
    """A JSON integer; one too long to read becomes infinity, as `1e400` already does, so
    the field's own range check refuses it and names the field."""
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        return float("-inf") if text.startswith("-") else float("inf")
    return int(text)


def parse_json(raw: bytes) -> Any:
    """`raw` as JSON that passed check_json_value, or the SandboxError saying why not."""
    if not raw.strip():
        raise _field_error("body", "the request body is empty; send a JSON object")
    try:
        value = json.loads(raw, parse_int=_parse_int)
    except RecursionError:
        raise _field_error(
            "body",
            f"the request body is nested too deeply (more than {MAX_NESTING} levels of arrays "
            "and objects); send a flatter body",
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _field_error("body", f"the request body is not valid JSON: {exc}") from None
    check_json_value(value)
    return value


async def json_body(request: Request) -> Any:
    """The parsed, checked JSON body (a 413 or 422 saying what is wrong otherwise)."""
    return parse_json(await raw_body(request))


async def optional_json_body(request: Request) -> Any:
    """Like json_body, but an empty body is allowed (None)."""
    raw = await raw_body(request)
    return parse_json(raw) if raw.strip() else None
