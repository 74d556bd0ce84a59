"""`python -m aceint_sandbox` serves with the ACEINT_* credentials, and neither it nor the
in-process server ever logs the api secret, a token, a media signature or a piece of one."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from aceint_core import constants, contract
from aceint_sandbox.server import running_sandbox

from .conftest import CREDS, Api

ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pieces(secret: str, n: int = 8) -> set[str]:
    return {secret[i : i + n] for i in range(len(secret) - n + 1)}


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return sorted({p for s in secrets for p in _pieces(s) if p in text})


def _exercise(api: Api, seed: dict, **creds: str) -> list[str]:
    """Issue, use, refresh, revoke, create, complete and fetch media; return every secret seen."""
    body = api.issue(ttl=60, **creds)
    session_token = api.create(seed).json()["data"]["token"]
    api.call(contract.SESSION_GET, params={"session_id": seed["sessionId"]})
    api.call(
        contract.SESSION_GET,
        params={"session_id": "x"},
        headers={contract.AUTHORIZATION_HEADER: "Bearer bad"},
    )
    refreshed = api.call(
        contract.TOKEN_REFRESH, auth=False, json={contract.K_REFRESH_TOKEN: body[contract.K_REFRESH_TOKEN]}
    ).json()
    api.control("POST", f"/sandbox/sessions/{seed['sessionId']}/complete")
    api.access_token = refreshed[contract.K_ACCESS_TOKEN]
    record = api.call(contract.SESSION_RECORD, params={"session_id": seed["sessionId"]}).json()["data"]
    requests.get(record["audioLink"], headers={"Range": "bytes=0-99"}, timeout=30)
    api.call(contract.TOKEN_REVOKE, json={contract.K_TOKEN: refreshed[contract.K_REFRESH_TOKEN]})
    sig = record["audioLink"].split("sig=")[1]
    return [
        body[contract.K_ACCESS_TOKEN], body[contract.K_REFRESH_TOKEN], refreshed[contract.K_ACCESS_TOKEN],
        refreshed[contract.K_REFRESH_TOKEN], session_token, sig,
    ]  # fmt: skip


def test_cli_serves_with_env_credentials_and_logs_no_secret(tmp_path: Path, seed: dict) -> None:
    port = _free_port()
    secret = "cli-secret-7f3e9a1b2c"
    env = {**os.environ, constants.ENV_CLIENT_PUBLIC_ID: "cli-client", constants.ENV_API_SECRET: secret}
    env.pop(constants.ENV_API_KEY, None)
    cmd = [sys.executable, "-m", "aceint_sandbox", "--host", "127.0.0.1", "--port", str(port),
           "--db", f"sqlite:///{tmp_path / 'cli.db'}", "--no-demo", "--latency-ms", "1"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        api = Api(f"http://127.0.0.1:{port}{contract.API_PREFIX}")
        deadline = time.monotonic() + 20
        while True:
            try:
                api.control("GET", "/sandbox/stats", timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "the CLI did not start"
                time.sleep(0.1)
        assert api.call(contract.TOKEN_ISSUE, auth=False, json=CREDS).status_code == 401
        creds = {contract.K_CLIENT_PUBLIC_ID: "cli-client", contract.K_API_SECRET: secret}
        api.issue(**creds)
        assert api.control("GET", "/sandbox/faults").json()["latency_ms"] == 1
        seen = _exercise(api, seed, **creds) + [secret]
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=15)
    assert "Aceint sandbox on http://127.0.0.1" in output and '"POST /backend/api/v1/sessions' in output
    assert _leaks(output, seen) == []
    assert (tmp_path / "cli.db").exists()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_in_process_logs_hold_no_secret_at_debug(caplog: pytest.LogCaptureFixture, seed: dict) -> None:
    caplog.set_level(logging.DEBUG)
    # Streamlit (imported by other tests in this process) gives the uvicorn loggers handlers of
    # their own with propagate=False, so listen on them directly as well as on the root.
    direct = _Collect()
    uvicorn_loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.access", "uvicorn.error")]
    for lg in uvicorn_loggers:
        lg.addHandler(direct)
    try:
        with running_sandbox() as url:
            seen = _exercise(Api(url), seed) + [constants.SANDBOX_API_SECRET]
    finally:
        for lg in uvicorn_loggers:
            lg.removeHandler(direct)
    # urllib3 is the test's own client (it logs the URLs it fetches); everything else is the server side
    records = {id(r): r for r in [*caplog.records, *direct.records]}.values()
    text = "\n".join(r.getMessage() for r in records if not r.name.startswith("urllib3"))
    assert "/media/" in text  # the access log did record the requests, paths only
    assert _leaks(text, seen) == []
