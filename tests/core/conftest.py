"""Fixtures for the SDK tests: a control channel to the sandbox and a client factory.

`sandbox_url` (a fresh sandbox per test, over real HTTP on loopback) comes from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from aceint_core import RetryPolicy, SessionClient

from .sandbox_control import SandboxControl

# Short waits so retry tests stay quick; the default policy's arithmetic is tested on its own.
FAST_RETRIES = RetryPolicy(max_retries=2, backoff_initial=0.02, backoff_max=0.1, retry_after_cap=5.0)


@pytest.fixture
def control(sandbox_url: str) -> Iterator[SandboxControl]:
    ctl = SandboxControl(sandbox_url)
    yield ctl
    ctl.close()


@pytest.fixture
def make_client(sandbox_url: str) -> Iterator[Callable[..., SessionClient]]:
    """Build sandbox clients against this test's sandbox; all are closed afterwards."""
    made: list[SessionClient] = []

    def factory(**options: Any) -> SessionClient:
        options.setdefault("base_url", sandbox_url)
        if "max_retries" not in options:
            options.setdefault("retry_policy", FAST_RETRIES)
        client = SessionClient(mode="sandbox", **options)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., SessionClient]) -> SessionClient:
    return make_client()
