"""Fixtures for the sandbox tests: a real sandbox on loopback and a thin HTTP helper."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from aceint_core import constants, contract
from aceint_sandbox.server import SandboxServer

SEED = Path(__file__).parents[1] / "fixtures" / "seed_session.json"
CREDS = {
    contract.K_CLIENT_PUBLIC_ID: constants.SANDBOX_CLIENT_PUBLIC_ID,
    contract.K_API_KEY: constants.SANDBOX_API_KEY,
    contract.K_API_SECRET: constants.SANDBOX_API_SECRET,
}


class Api:
    """Plain `requests` against one sandbox: API calls by contract route, control calls by path."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.origin = base_url[: -len(contract.API_PREFIX)]
        self.http = requests.Session()
        self.access_token: str | None = None

    def url(self, route: tuple[str, str], **params: str) -> str:
        return self.base_url + route[1].format(**params)

    def call(
        self, route: tuple[str, str], *, auth: bool = True, timeout: float = 10, **kwargs: Any
    ) -> requests.Response:
        method, _ = route
        params = kwargs.pop("params", {})
        headers = dict(kwargs.pop("headers", {}))
        if auth and self.access_token:
            headers.setdefault(contract.AUTHORIZATION_HEADER, contract.BEARER_PREFIX + self.access_token)
        return self.http.request(
            method, self.url(route, **params), headers=headers, timeout=timeout, **kwargs
        )

    def issue(self, ttl: int = 60, **overrides: Any) -> dict[str, Any]:
        r = self.call(
            contract.TOKEN_ISSUE, auth=False, json={**CREDS, contract.K_ACCESS_TTL: ttl, **overrides}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        self.access_token = body[contract.K_ACCESS_TOKEN]
        return body

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.http.request(method, self.origin + path, **kwargs)

    def create(self, payload: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.call(contract.SESSION_CREATE, json=payload, **kwargs)

    def stats(self) -> dict[str, Any]:
        return self.control("GET", "/sandbox/stats").json()


@pytest.fixture
def seed() -> dict[str, Any]:
    return json.loads(SEED.read_text())


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    srv = SandboxServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def api(server: SandboxServer) -> Iterator[Api]:
    client = Api(server.base_url)
    yield client
    client.http.close()


@pytest.fixture
def authed(api: Api) -> Api:
    api.issue()
    return api
