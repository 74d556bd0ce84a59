"""The Aceint API routes under contract.API_PREFIX: paths and methods come from the contract."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from aceint_core import contract

from .request_body import json_body
from .responses import JSONResponse
from .runtime import Sandbox


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox  # type: ignore[no-any-return]


def origin_of(request: Request) -> str:
    """Scheme, host and port the client used, so links point back to this sandbox."""
    return str(request.base_url).rstrip("/")


def client_id(request: Request) -> str:
    """The authenticated client; a 401 for a missing, unknown, expired or revoked token."""
    return sandbox_of(request).tokens.authenticate(request.headers.get(contract.AUTHORIZATION_HEADER))


JsonBody = Annotated[Any, Depends(json_body)]

# The API endpoints are `async` and call the (sync, sub-millisecond, lock-guarded) services
# directly: a thread-pool hop per dependency and endpoint cost more than the work itself and
# capped throughput when a benchmark shares the process (and the GIL) with the sandbox.


def _data(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse({contract.ENVELOPE_KEY: body}, status_code=status)


async def issue_token(request: Request, body: JsonBody) -> JSONResponse:
    return JSONResponse(sandbox_of(request).tokens.issue(body))


async def refresh_token(request: Request, body: JsonBody) -> JSONResponse:
    return JSONResponse(sandbox_of(request).tokens.refresh(body))


async def revoke_token(request: Request, body: JsonBody) -> JSONResponse:
    return _data(sandbox_of(request).tokens.revoke(body))


async def create_session(request: Request) -> JSONResponse:
    client = client_id(request)  # a 401 comes before anything about the body
    body = await json_body(request)
    key = request.headers.get(contract.IDEMPOTENCY_HEADER)
    reply = sandbox_of(request).sessions.create(client, body, origin_of(request), key)
    headers = {"Idempotent-Replayed": "true"} if reply.replayed else {}
    return JSONResponse(reply.body, status_code=reply.status, headers=headers)


async def get_session(session_id: str, request: Request) -> JSONResponse:
    client_id(request)
    return JSONResponse(sandbox_of(request).sessions.details(session_id))


async def get_record(session_id: str, request: Request) -> JSONResponse:
    client_id(request)
    return JSONResponse(sandbox_of(request).sessions.record(session_id, origin_of(request)))


def api_router() -> APIRouter:
    router = APIRouter(prefix=contract.API_PREFIX)
    for (method, path), endpoint in (
        (contract.TOKEN_ISSUE, issue_token),
        (contract.TOKEN_REFRESH, refresh_token),
        (contract.TOKEN_REVOKE, revoke_token),
        (contract.SESSION_CREATE, create_session),
        (contract.SESSION_GET, get_session),
        (contract.SESSION_RECORD, get_record),
    ):
        router.add_api_route(path, endpoint, methods=[method])
    return router
