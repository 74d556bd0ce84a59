"""Fixtures shared by every test folder: a real sandbox on loopback and the seed payload."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["tests.browser_fixtures"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    """A fresh in-process sandbox on a free loopback port; yields its API base URL."""
    from aceint_sandbox.server import running_sandbox

    with running_sandbox() as base_url:
        yield base_url


@pytest.fixture
def seed_payload() -> dict[str, Any]:
    """The seed README's exact createSession example (a fresh copy per test)."""
    return json.loads((FIXTURES / "seed_session.json").read_text())
