"""Sandbox-only endpoints under /sandbox/ (server root): stats, faults, token controls,
and the interview steps the candidate page uses, so a test can finish an interview
without a browser. They need no token: they exist only on a local sandbox."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from aceint_core import contract

from .api import JsonBody, origin_of, sandbox_of
from .faults import FaultConfig
from .http_errors import SandboxError, validation_error
from .request_body import optional_json_body
from .responses import JSONResponse

router = APIRouter(prefix="/sandbox")


OptionalJsonBody = Annotated[Any, Depends(optional_json_body)]


@router.get("/stats")
def get_stats(request: Request) -> JSONResponse:
    return JSONResponse(sandbox_of(request).stats.snapshot())


@router.post("/stats/reset")
def reset_stats(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    sandbox.stats.reset()
    return JSONResponse(sandbox.stats.snapshot())


@router.get("/faults")
def get_faults(request: Request) -> JSONResponse:
    return JSONResponse(sandbox_of(request).faults.snapshot())


def _fault_config(body: Any) -> FaultConfig:
    if not isinstance(body, dict):
        raise SandboxError(422, "validation_error", "send the fault settings as a JSON object")
    try:
        return FaultConfig.model_validate(body)
    except ValidationError as exc:
        raise validation_error(exc, "fault configuration") from None


@router.put("/faults")
def put_faults(request: Request, body: JsonBody) -> JSONResponse:
    """Replace every fault setting (fields left out go back to their defaults)."""
    sandbox = sandbox_of(request)
    sandbox.faults.set(_fault_config(body))
    return JSONResponse(sandbox.faults.snapshot())


@router.patch("/faults")
def patch_faults(request: Request, body: JsonBody) -> JSONResponse:
    """Change only the given settings; fail_next entries are appended to the queue."""
    sandbox = sandbox_of(request)
    if not isinstance(body, dict):
        raise SandboxError(422, "validation_error", "send the fault settings as a JSON object")
    try:
        sandbox.faults.merge(dict(body))
    except ValidationError as exc:
        raise validation_error(exc, "fault configuration") from None
    return JSONResponse(sandbox.faults.snapshot())


@router.delete("/faults")
def delete_faults(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    sandbox.faults.clear()
    return JSONResponse(sandbox.faults.snapshot())


@router.post("/tokens/expire-all")
def expire_all(request: Request, include_refresh: bool = False) -> JSONResponse:
    """Expire every live access token now (and refresh tokens with ?include_refresh=true)."""
    return JSONResponse({"expired": sandbox_of(request).tokens.expire_all(include_refresh)})


@router.post("/tokens/revoke-all")
def revoke_all(request: Request) -> JSONResponse:
    return JSONResponse({"revoked": sandbox_of(request).tokens.revoke_all()})


@router.get("/sessions")
def list_sessions(request: Request) -> JSONResponse:
    return JSONResponse(sandbox_of(request).sessions.listing(origin_of(request)))


@router.get("/sessions/{session_id}")
def session_progress(session_id: str, request: Request) -> JSONResponse:
    return JSONResponse({contract.ENVELOPE_KEY: sandbox_of(request).sessions.progress(session_id)})


@router.post("/sessions/{session_id}/start")
def start_session(session_id: str, request: Request) -> JSONResponse:
    return JSONResponse(sandbox_of(request).sessions.start(session_id))


def _answers(body: Any, required: bool) -> tuple[list[str], int | None]:
    """Accepts {"answer": "..."} (with optional "questionIndex") or {"answers": [...]}."""
    if body is None and not required:
        return [], None
    if not isinstance(body, dict):
        raise SandboxError(422, "validation_error", 'send {"answer": "..."} or {"answers": ["...", ...]}')
    index = body.get("questionIndex")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise SandboxError(
            422,
            "validation_error",
            "questionIndex must be a whole number from 0",
            fields=[{contract.K_FIELD: "questionIndex", contract.K_ERROR_MESSAGE: "a whole number from 0"}],
        )
    if "answer" in body:
        if not isinstance(body["answer"], str):
            raise SandboxError(
                422,
                "validation_error",
                "answer must be a string",
                fields=[{contract.K_FIELD: "answer", contract.K_ERROR_MESSAGE: "must be a string"}],
            )
        return [body["answer"]], index
    answers = body.get("answers")
    if answers is None and not required:
        return [], None
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise SandboxError(
            422,
            "validation_error",
            "answers must be a list of strings",
            fields=[{contract.K_FIELD: "answers", contract.K_ERROR_MESSAGE: "must be a list of strings"}],
        )
    return list(answers), index


@router.post("/sessions/{session_id}/answer")
def answer_session(session_id: str, request: Request, body: JsonBody) -> JSONResponse:
    answers, index = _answers(body, required=True)
    return JSONResponse(sandbox_of(request).sessions.answer(session_id, answers, index))


@router.post("/sessions/{session_id}/complete")
def complete_session(session_id: str, request: Request, body: OptionalJsonBody) -> JSONResponse:
    """Finish the interview; unanswered questions get generated candidate answers."""
    answers, _ = _answers(body, required=False)
    return JSONResponse(sandbox_of(request).sessions.complete(session_id, answers))
