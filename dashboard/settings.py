"""Every dashboard setting in one place: mode, Aceint credentials, database, login file, sandbox.

Settings come from two mappings: the `[aceint]` table of `.streamlit/secrets.toml` (or
`st.secrets`) and the `ACEINT_*` environment variables; an environment variable wins over the
secrets file so a deployment or a test can override one value without editing files.
`load_settings` takes plain mappings, so it is testable without Streamlit. Secrets are held as
`SecretStr`, so they never show in a repr, a log line or a page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from aceint_core import constants, contract

# Defaults, written once. Relative paths are resolved from the working directory (the repo root
# when started with `make run` / `streamlit run app.py`).
DEFAULT_DATABASE_URL = "sqlite:///var/dashboard.db"
DEFAULT_AUTH_FILE = ".streamlit/auth.yaml"
DEFAULT_SANDBOX_DB = "var/sandbox.db"
DEFAULT_COOKIE_NAME = "aceint_dashboard_auth"
DEFAULT_COOKIE_EXPIRY_DAYS = 1.0
MAX_COOKIE_EXPIRY_DAYS = 365.0
"""The longest a login cookie may keep someone signed in."""
ROOT_DIR = Path(__file__).resolve().parents[1]
"""The repository root (where app.py and .streamlit/ live)."""
SECRETS_TABLE = "aceint"
"""The table of `.streamlit/secrets.toml` the dashboard reads (`[aceint]`)."""

# Setting name -> environment variable. The SDK's own variables keep the SDK's names.
ENV_VARS: dict[str, str] = {
    "mode": constants.ENV_MODE,
    "client_public_id": constants.ENV_CLIENT_PUBLIC_ID,
    "api_key": constants.ENV_API_KEY,
    "api_secret": constants.ENV_API_SECRET,
    "access_ttl": constants.ENV_ACCESS_TTL,
    "base_url": constants.ENV_BASE_URL,
    "database_url": "ACEINT_DASHBOARD_DATABASE_URL",
    "auth_file": "ACEINT_DASHBOARD_AUTH_FILE",
    "cookie_name": "ACEINT_DASHBOARD_COOKIE_NAME",
    "cookie_expiry_days": "ACEINT_DASHBOARD_COOKIE_EXPIRY_DAYS",
    "token_store_url": "ACEINT_TOKEN_STORE_URL",
    "sandbox_db": "ACEINT_SANDBOX_DB",
    "sandbox_port": "ACEINT_SANDBOX_PORT",
    "sandbox_seed_demo": "ACEINT_SANDBOX_SEED_DEMO",
}


class SettingsError(ValueError):
    """A setting has a value that cannot work; the message names the setting and its variable."""


class DashboardSettings(BaseModel):
    """The dashboard's configuration. Frozen: one value per process run."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    mode: str = constants.DEFAULT_MODE
    client_public_id: str | None = None
    api_key: SecretStr | None = None
    api_secret: SecretStr | None = None
    access_ttl: str = constants.DEFAULT_ACCESS_TTL
    base_url: str | None = None
    """Overrides the mode's base URL. Unset in sandbox mode: the dashboard embeds a sandbox."""
    database_url: str = DEFAULT_DATABASE_URL
    auth_file: Path = Path(DEFAULT_AUTH_FILE)
    cookie_name: str = DEFAULT_COOKIE_NAME
    cookie_expiry_days: float = Field(
        default=DEFAULT_COOKIE_EXPIRY_DAYS, ge=0, le=MAX_COOKIE_EXPIRY_DAYS, allow_inf_nan=False
    )
    """Days a login stays remembered in the browser; 0: not remembered (the cookie expires at once)."""
    token_store_url: str | None = None
    """Where the SDK keeps access tokens (shared stores); unset means in memory per process."""
    sandbox_db: Path = Path(DEFAULT_SANDBOX_DB)
    sandbox_port: int = Field(default=constants.SANDBOX_PORT, ge=0, le=65535)
    sandbox_seed_demo: bool = True

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        value = value.lower()
        if value not in contract.MODES:
            raise ValueError(f"must be one of {', '.join(contract.MODES)}")
        return value

    @field_validator("base_url", "client_public_id", "token_store_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("api_key", "api_secret", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("base_url")
    @classmethod
    def _no_credentials_in_url(cls, value: str | None) -> str | None:
        if value is not None and has_userinfo(value):
            raise ValueError(
                "must not contain a user name or password (`user:password@`); remove that part, "
                "the dashboard signs in with the client credentials (ACEINT_CLIENT_PUBLIC_ID, "
                "ACEINT_API_KEY, ACEINT_API_SECRET)"
            )
        return value

    @property
    def is_sandbox(self) -> bool:
        return self.mode == "sandbox"

    @property
    def embeds_sandbox(self) -> bool:
        """True when the dashboard must start (or find) a local sandbox itself."""
        return self.is_sandbox and self.base_url is None

    def fingerprint(self) -> str:
        """A cache key naming everything a cached client depends on, without any secret in clear."""
        import hashlib

        secret_part = hashlib.sha256(
            "|".join(
                s.get_secret_value() if s is not None else "" for s in (self.api_key, self.api_secret)
            ).encode()
        ).hexdigest()[:16]
        return "|".join(
            str(v)
            for v in (
                self.mode,
                self.client_public_id,
                self.access_ttl,
                self.base_url,
                self.token_store_url,
                self.sandbox_db,
                self.sandbox_port,
                secret_part,
            )
        )


def has_userinfo(url: str) -> bool:
    """True when `url` carries `user[:password]@` before its host."""
    authority = re.split(r"[/?#]", url.strip().split("//", 1)[-1], maxsplit=1)[0]
    return "@" in authority


def display_url(url: str) -> str:
    """`url` as safe to show on a page: no `user:password@`, no query, no fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "(an invalid URL)"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def load_settings(
    secrets: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> DashboardSettings:
    """Merge the secrets table and the environment (environment wins) into validated settings.

    `secrets` is the `[aceint]` table (or a whole secrets mapping that contains it).
    Raises SettingsError naming the setting and where it can be set.
    """
    table: dict[str, Any] = {}
    if secrets:
        inner = secrets.get(SECRETS_TABLE) if isinstance(secrets, Mapping) else None
        source = inner if isinstance(inner, Mapping) else secrets
        table = {k: v for k, v in source.items() if k in ENV_VARS}
    for name, var in ENV_VARS.items():
        if env is not None and var in env and env[var] != "":
            table[name] = env[var]
    try:
        return DashboardSettings.model_validate(table)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "settings"
            where = f"{ENV_VARS.get(name, name)} or `{name}` in [{SECRETS_TABLE}] of secrets.toml"
            problems.append(f"{name}: {err['msg'].removeprefix('Value error, ')} (set {where})")
        raise SettingsError("; ".join(problems)) from None
