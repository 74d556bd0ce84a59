"""What every page needs, resolved once per rerun: settings, the client, the repository, the user.

Pages call `page_context()` and get either a ready context or a clear error on the page (and
a stop), so no page has to know how the services are built.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from aceint_core import SessionClient, errors

from . import services
from .repository import SessionRepository
from .settings import DashboardSettings, SettingsError
from .widgets.text import plain


@dataclass(frozen=True)
class PageContext:
    settings: DashboardSettings
    base_url: str
    client: SessionClient
    repo: SessionRepository
    username: str
    display_name: str


def signed_in_user() -> tuple[str, str]:
    """(username, display name) of the signed-in user, from streamlit-authenticator's state."""
    username = str(st.session_state.get("username") or "")
    return username, str(st.session_state.get("name") or username)


def page_context() -> PageContext:
    """Build (from the per-process caches) or explain on the page why it cannot be built."""
    try:
        settings = services.current_settings()
        base_url = services.base_url(settings)
        client = services.client(settings)
        repo = services.repository(settings)
    except SettingsError as exc:
        st.error(f"A dashboard setting is wrong: {plain(exc)}")
        st.stop()
    except errors.ConfigurationError as exc:
        st.error(f"The Aceint client cannot be configured: {plain(exc)}")
        st.stop()
    except Exception as exc:  # noqa: BLE001 - e.g. the sandbox or the database cannot start
        st.error(f"The dashboard could not start its services ({type(exc).__name__}: {plain(exc)}).")
        st.stop()
    username, name = signed_in_user()
    return PageContext(settings, base_url, client, repo, username, name)
