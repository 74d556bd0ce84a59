"""Defaults of the SDK in one place, so every default the README quotes is written once."""

from __future__ import annotations

from typing import Final

DEFAULT_MODE: Final = "sandbox"
DEFAULT_ACCESS_TTL: Final = "15m"

# Timeouts in seconds: (connect, read). Every request carries both.
DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_READ_TIMEOUT: Final = 30.0
# Longest connect or read timeout accepted (a longer wait is a hung call, not a slow one).
MAX_TIMEOUT: Final = 600.0

# Shortest and longest access-token lifetime accepted, in seconds (Aceint grants at most 7 days).
MIN_ACCESS_TTL: Final = 1
MAX_ACCESS_TTL: Final = 7 * 86400

# Connections kept open per client; sized for ~32 threads sharing one client (the dashboard).
HTTP_POOL_SIZE: Final = 32

# Retries of connection errors, timeouts, 408, 429 and 5xx (0 turns retries off).
DEFAULT_MAX_RETRIES: Final = 2
MAX_RETRIES_LIMIT: Final = 10
RETRY_BACKOFF_INITIAL: Final = 0.5
RETRY_BACKOFF_MAX: Final = 8.0
RETRY_JITTER: Final = 0.25
RETRY_AFTER_CAP: Final = 30.0

# A token is refreshed this long before it expires, but never earlier than half its lifetime.
REFRESH_MARGIN: Final = 60.0

# How long a process may hold a shared store's refresh lock before others may take it over.
TOKEN_LOCK_LEASE: Final = 10.0

# Environment variables read by SessionClient.from_env() and by the sandbox.
ENV_MODE: Final = "ACEINT_MODE"
ENV_CLIENT_PUBLIC_ID: Final = "ACEINT_CLIENT_PUBLIC_ID"
ENV_API_KEY: Final = "ACEINT_API_KEY"
ENV_API_SECRET: Final = "ACEINT_API_SECRET"
ENV_ACCESS_TTL: Final = "ACEINT_ACCESS_TTL"
ENV_BASE_URL: Final = "ACEINT_BASE_URL"

# Credentials the sandbox accepts when the ACEINT_* variables are unset. They open nothing real.
SANDBOX_CLIENT_PUBLIC_ID: Final = "sandbox-client"
SANDBOX_API_KEY: Final = "sandbox-key"
SANDBOX_API_SECRET: Final = "sandbox-secret"
SANDBOX_HOST: Final = "127.0.0.1"
SANDBOX_PORT: Final = 8765

USER_AGENT: Final = "aceint-python"

# Longest session id sent in a URL path (Aceint's ids are 36-character UUIDs).
MAX_SESSION_ID_LENGTH: Final = 200
