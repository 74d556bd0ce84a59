"""The local sandbox the dashboard runs on when no Aceint URL is configured (no Streamlit here).

In sandbox mode without ACEINT_BASE_URL, a newcomer should get a working product from one
command, so the dashboard finds a sandbox already answering on the configured port or starts
one in a background thread of its own process (falling back to a free port when the port is
taken by something else). It also copies the sandbox's demo interviews into an empty local
database so the Records page has something to show on first run.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from aceint_core import constants, contract

from .repository import SessionRepository
from .settings import DashboardSettings

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 1.5
DEMO_IMPORTED_BY = "sandbox demo"


@dataclass
class EmbeddedSandbox:
    """Where the sandbox answers, and the server object when this process started it."""

    base_url: str
    server: Any = None

    @property
    def started_here(self) -> bool:
        return self.server is not None


def server_root(base_url: str) -> str:
    """`http://host:port` of an API base URL (the sandbox's own endpoints live at the root)."""
    return base_url.removesuffix("/").removesuffix(contract.API_PREFIX)


def _url_for_port(port: int) -> str:
    return f"http://{constants.SANDBOX_HOST}:{port}{contract.API_PREFIX}"


def answers_as_sandbox(base_url: str) -> bool:
    """True when an Aceint sandbox (not some other program) answers at this base URL."""
    try:
        resp = requests.get(server_root(base_url) + "/sandbox/stats", timeout=PROBE_TIMEOUT)
        return resp.status_code == 200 and isinstance(resp.json(), dict)
    except (requests.RequestException, ValueError):
        return False


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((constants.SANDBOX_HOST, port))
        except OSError:
            return False
        return True


def start_or_find(settings: DashboardSettings) -> EmbeddedSandbox:
    """Use a sandbox already answering on the configured port, else start one here."""
    port = settings.sandbox_port
    if port and answers_as_sandbox(_url_for_port(port)):
        log.info("using the sandbox already running on port %s", port)
        return EmbeddedSandbox(_url_for_port(port))
    if port and not _port_free(port):
        log.warning("port %s is taken by something that is not a sandbox; using a free port", port)
        port = 0
    from aceint_sandbox.server import SandboxServer

    db_path = Path(settings.sandbox_db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    server = SandboxServer(
        db_url=f"sqlite:///{db_path}",
        seed_demo=settings.sandbox_seed_demo,
        credentials=(
            settings.client_public_id or constants.SANDBOX_CLIENT_PUBLIC_ID,
            settings.api_key.get_secret_value() if settings.api_key else constants.SANDBOX_API_KEY,
            settings.api_secret.get_secret_value() if settings.api_secret else constants.SANDBOX_API_SECRET,
        ),
        host=constants.SANDBOX_HOST,
        port=port,
    )
    base_url = server.start()
    log.info("started the embedded sandbox at %s", base_url)
    return EmbeddedSandbox(base_url, server)


def import_demo_sessions(base_url: str, repo: SessionRepository) -> int:
    """Copy the sandbox's demo interviews into an empty repository; returns how many were added."""
    if repo.count():
        return 0
    try:
        resp = requests.get(server_root(base_url) + "/sandbox/sessions", timeout=5)
        resp.raise_for_status()
        body = resp.json()
    except (requests.RequestException, ValueError) as exc:
        log.warning("could not list the sandbox's demo sessions: %s", type(exc).__name__)
        return 0
    items = body.get(contract.ENVELOPE_KEY) if isinstance(body, dict) else None
    added = 0
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not item.get("demo") or not item.get("sessionId"):
            continue  # only the sandbox's own demo interviews, not sessions other clients made
        created_at = None
        if item.get("createdAt"):
            try:
                created_at = datetime.fromisoformat(str(item["createdAt"]).replace("Z", "+00:00"))
            except ValueError:
                created_at = None
        repo.add(
            session_id=str(item["sessionId"]),
            full_name=str(item.get("fullName") or "Demo candidate"),
            job_role=str(item.get("jobRole") or ""),
            status=str(item.get("status") or "Completed"),
            created_by=DEMO_IMPORTED_BY,
            iframe_url=str(item.get("iframeUrl") or ""),
            payload={k: item[k] for k in ("sessionId", "fullName", "jobRole", "createdBy") if k in item},
            created_at=created_at,
        )
        added += 1
    return added
