"""Dashboard test fixtures: an AppTest of app.py wired to a real sandbox and temporary files.

Settings reach the app through ACEINT_* variables (the same path a deployment uses) and
`at.secrets` is always set, so a developer's own .streamlit/secrets.toml, auth.yaml and var/
are never read or written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.repository import SessionRepository
from dashboard.settings import ENV_VARS

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
RUN_TIMEOUT = 30


@dataclass
class DashboardEnv:
    tmp: Path
    auth_file: Path
    database_url: str
    base_url: str | None

    def repository(self) -> SessionRepository:
        return SessionRepository.open(self.database_url)


def _isolate(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def dashboard_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox_url: str) -> DashboardEnv:
    """Sandbox mode against a real in-process sandbox, temp database and users file."""
    _isolate(monkeypatch)
    env = DashboardEnv(
        tmp=tmp_path,
        auth_file=tmp_path / "auth.yaml",
        database_url=f"sqlite:///{tmp_path / 'dashboard.db'}",
        base_url=sandbox_url,
    )
    monkeypatch.setenv("ACEINT_MODE", "sandbox")
    monkeypatch.setenv("ACEINT_BASE_URL", sandbox_url)
    monkeypatch.setenv("ACEINT_DASHBOARD_DATABASE_URL", env.database_url)
    monkeypatch.setenv("ACEINT_DASHBOARD_AUTH_FILE", str(env.auth_file))
    monkeypatch.setenv("ACEINT_SANDBOX_DB", str(tmp_path / "sandbox.db"))
    return env


@pytest.fixture
def offline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., DashboardEnv]:
    """Factory for a dev/prod-style environment with a given users file (no sandbox needed)."""
    _isolate(monkeypatch)

    def make(mode: str, config: dict | None) -> DashboardEnv:
        env = DashboardEnv(tmp_path, tmp_path / "auth.yaml", f"sqlite:///{tmp_path / 'd.db'}", None)
        if config is not None:
            auth.write_config(env.auth_file, config)
        monkeypatch.setenv("ACEINT_MODE", mode)
        monkeypatch.setenv("ACEINT_BASE_URL", "http://127.0.0.1:9/backend/api/v1")
        monkeypatch.setenv("ACEINT_CLIENT_PUBLIC_ID", "client")
        monkeypatch.setenv("ACEINT_API_KEY", "key")
        monkeypatch.setenv("ACEINT_API_SECRET", "secret-value-never-shown")
        monkeypatch.setenv("ACEINT_DASHBOARD_DATABASE_URL", env.database_url)
        monkeypatch.setenv("ACEINT_DASHBOARD_AUTH_FILE", str(env.auth_file))
        return env

    return make


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
    at.secrets = {"aceint": {"cookie_expiry_days": 0}}  # never read the real secrets.toml
    return at


@pytest.fixture
def app() -> Iterator[AppTest]:
    assert os.environ.get("ACEINT_DASHBOARD_AUTH_FILE"), "use dashboard_env or offline_env first"
    yield new_app()


def log_in(at: AppTest, username: str = auth.DEMO_USERNAME, password: str = auth.DEMO_PASSWORD) -> AppTest:
    at.run()
    inputs = [t for t in at.text_input if t.label in ("Username", "Password")]
    assert len(inputs) == 2, [t.label for t in at.text_input]
    inputs[0].input(username)
    inputs[1].input(password)
    next(b for b in at.button if b.label == "Log in").click()
    at.run()
    if at.session_state["authentication_status"]:
        # In a browser the cookie component writes the login cookie and its reply reruns the
        # app; AppTest runs no components, so rerun as that reply would.
        at.run()
    return at


# --- reading and driving the tree -----------------------------------------------------------------


def flatten(at: AppTest) -> list:
    """Every element of the main area in page order (containers are walked, not listed)."""
    out: list = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
        else:
            out.append(node)

    walk(at.main)
    return out


_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """What a reader sees of a markdown string: backslash escapes undone (the pages escape
    user-supplied text, see dashboard.widgets.text.plain)."""
    return _MARKDOWN_ESCAPE.sub(r"\1", markdown).replace("\u2060", "")  # and its invisible joiners


def page_text(at: AppTest) -> str:
    """All visible text of the main area, for 'does the page say X' checks."""
    parts = []
    for el in flatten(at):
        for attr in ("value", "label", "body"):
            value = getattr(el, attr, None)
            if isinstance(value, str):
                parts.append(value)
                parts.append(shown(value))
        proto = getattr(el, "proto", None)
        for attr in ("body", "src", "srcdoc", "text"):
            value = getattr(proto, attr, None)
            if isinstance(value, str) and value:
                parts.append(value)
    return "\n".join(parts)


def widget(at: AppTest, kind: str, label: str, index: int = 0):
    matches = [w for w in getattr(at, kind) if w.label == label]
    assert len(matches) > index, f"no {kind} labelled {label!r}; have {[w.label for w in getattr(at, kind)]}"
    return matches[index]


def messages_after(at: AppTest, label: str, index: int = 0) -> list[str]:
    """The error/warning messages drawn right after the widget with this label (its slot)."""
    elements = flatten(at)
    positions = [i for i, el in enumerate(elements) if getattr(el, "label", None) == label]
    assert len(positions) > index, f"no widget labelled {label!r}"
    found = []
    for el in elements[positions[index] + 1 :]:
        if getattr(el, "type", None) in ("error", "warning", "alert"):
            found.append(shown(el.value))
            continue
        break
    return found


def click(at: AppTest, label: str, index: int = 0) -> AppTest:
    widget(at, "button", label, index).click()
    return at.run()


def import_payload(at: AppTest, text: str) -> AppTest:
    """Paste a payload into the Schedule page's import box and load it."""
    at.text_area(key="schedule.paste").input(text)
    return click(at, "Load pasted JSON")


def attach_uploader(at: AppTest, session_id: str):
    """The Records page's attach uploader for a session (its key changes after each save, so the
    saved file does not linger in it)."""
    prefix = f"records.attach.{session_id}"
    found = [u for u in at.file_uploader if u.key == prefix or str(u.key).startswith(prefix + ".")]
    assert len(found) == 1, [u.key for u in at.file_uploader]
    return found[0]
