"""Builds the sandbox ASGI app: the API, the /sandbox/ controls, the candidate page and media,
all wrapped in the unexpected-error guard and then the fault layer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from . import api, candidate_page, control, media
from .faults import FaultMiddleware
from .http_errors import UnexpectedErrorGuard, install_error_handlers
from .options import SandboxOptions
from .runtime import Sandbox


def create_app(options: SandboxOptions | None = None) -> tuple[Any, Sandbox]:
    """(the ASGI app to serve, the sandbox behind it)."""
    options = options or SandboxOptions()
    sandbox = Sandbox.build(options)
    app = FastAPI(title="Aceint sandbox", docs_url=None, redoc_url=None, openapi_url="/sandbox/openapi.json")
    app.state.sandbox = sandbox
    install_error_handlers(app)
    app.include_router(api.api_router())
    app.include_router(control.router)
    app.include_router(candidate_page.router)
    app.include_router(media.router)
    if options.seed_demo:
        from .demo import seed_demo_sessions

        seed_demo_sessions(sandbox)
    return FaultMiddleware(UnexpectedErrorGuard(app), sandbox.faults, sandbox.stats), sandbox
