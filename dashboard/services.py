"""The process-wide objects the pages share: settings, the SessionClient, the repository, the sandbox.

Streamlit reruns every script on every click; `st.cache_resource` keeps one client (and so one
access token) and one database engine per process instead of one per rerun. Each cache is keyed
by the settings it was built from, so a test (or an edited secrets file) with other settings gets
its own objects rather than a stale one.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from aceint_core import SessionClient

from . import embedded_sandbox
from .repository import SessionRepository
from .settings import DashboardSettings, load_settings


def _secrets_table() -> dict[str, Any]:
    """The secrets file's contents, or nothing when there is no secrets file."""
    try:
        return {k: st.secrets[k] for k in st.secrets}  # noqa: SIM118 - st.secrets is not a dict
    except Exception:  # noqa: BLE001 - no secrets.toml (or an unreadable one) means "no secrets"
        return {}


def current_settings() -> DashboardSettings:
    """Settings for this run: secrets.toml's [aceint] table, overridden by ACEINT_* variables."""
    return load_settings(_secrets_table(), os.environ)


@st.cache_resource(show_spinner="Starting the local Aceint sandbox…")
def _sandbox(key: str, _settings: DashboardSettings) -> embedded_sandbox.EmbeddedSandbox:
    return embedded_sandbox.start_or_find(_settings)


def base_url(settings: DashboardSettings) -> str:
    """The Aceint API base URL in use (starting the embedded sandbox when that is the setting)."""
    if settings.embeds_sandbox:
        return _sandbox(f"{settings.sandbox_db}|{settings.sandbox_port}", settings).base_url
    from aceint_core.client import resolve_base_url

    return resolve_base_url(settings.mode, settings.base_url)


@st.cache_resource(show_spinner=False)
def _client(key: str, _settings: DashboardSettings, url: str) -> SessionClient:
    store = None
    if _settings.token_store_url:
        from aceint_core.stores.factory import token_store_from_url

        store = token_store_from_url(_settings.token_store_url)
    return SessionClient(
        mode=_settings.mode,
        client_public_id=_settings.client_public_id,
        api_key=_settings.api_key.get_secret_value() if _settings.api_key else None,
        api_secret=_settings.api_secret.get_secret_value() if _settings.api_secret else None,
        access_ttl=_settings.access_ttl,
        base_url=url,
        token_store=store,
    )


def client(settings: DashboardSettings) -> SessionClient:
    """The one SessionClient of this process for these settings."""
    url = base_url(settings)
    return _client(settings.fingerprint() + "|" + url, settings, url)


@st.cache_resource(show_spinner=False)
def _repository(database_url: str) -> SessionRepository:
    return SessionRepository.open(database_url)


@st.cache_resource(show_spinner="Importing the sandbox's demo interviews…")
def _demo_import(database_url: str, url: str) -> int:
    return embedded_sandbox.import_demo_sessions(url, _repository(database_url))


def repository(settings: DashboardSettings) -> SessionRepository:
    """The local database of scheduled sessions; on first run on the embedded sandbox it gets
    the sandbox's demo interviews so Records is not empty."""
    repo = _repository(settings.database_url)
    if settings.embeds_sandbox:
        _demo_import(settings.database_url, base_url(settings))
    return repo
