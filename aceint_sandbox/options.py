"""Everything a sandbox instance can be configured with, in one dataclass.

The CLI, `SandboxServer` and `running_sandbox` all build a `SandboxOptions`, so a
default is written here once. Credentials default to the same `ACEINT_*` variables
the SDK reads, so a client and a sandbox started in one shell agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from aceint_core import constants

IN_MEMORY_DB: str = "sqlite://"
CLI_DEFAULT_DB: str = "sqlite:///var/sandbox.db"

_TTL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _ttl_seconds(text: str) -> int:
    """Seconds of a TTL written like constants.DEFAULT_ACCESS_TTL ("15m")."""
    text = text.strip()
    if text[-1:] in _TTL_UNITS:
        return int(text[:-1]) * _TTL_UNITS[text[-1]]
    return int(text)


DEFAULT_ACCESS_TTL_S: int = _ttl_seconds(constants.DEFAULT_ACCESS_TTL)
MAX_ACCESS_TTL_S: int = constants.MAX_ACCESS_TTL
"""The longest accessTtl a client may ask for; `access_ttl_max_s` may grant less."""
DEFAULT_REFRESH_TTL_S: int = 30 * 86400
DEFAULT_MEDIA_LINK_TTL_S: int = 3600


@dataclass(frozen=True)
class Credentials:
    """The one client the sandbox accepts. repr hides the key and the secret."""

    client_public_id: str
    api_key: str
    api_secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(client_public_id={self.client_public_id!r}, api_key=***, api_secret=***)"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Credentials:
        """Read ACEINT_CLIENT_PUBLIC_ID / ACEINT_API_KEY / ACEINT_API_SECRET, else the sandbox defaults."""
        env = os.environ if environ is None else environ
        return cls(
            client_public_id=env.get(constants.ENV_CLIENT_PUBLIC_ID) or constants.SANDBOX_CLIENT_PUBLIC_ID,
            api_key=env.get(constants.ENV_API_KEY) or constants.SANDBOX_API_KEY,
            api_secret=env.get(constants.ENV_API_SECRET) or constants.SANDBOX_API_SECRET,
        )


@dataclass
class SandboxOptions:
    """How one sandbox behaves. Tests get in-memory state and no demo data by default."""

    db_url: str = IN_MEMORY_DB
    credentials: Credentials | None = None
    """None means: read the ACEINT_* variables (sandbox defaults when unset)."""
    seed_demo: bool = False
    host: str = constants.SANDBOX_HOST
    port: int = 0
    """0 picks a free port."""
    access_ttl_max_s: int = MAX_ACCESS_TTL_S
    refresh_ttl_s: int = DEFAULT_REFRESH_TTL_S
    media_link_ttl_s: int = DEFAULT_MEDIA_LINK_TTL_S
    faults: dict[str, Any] | None = None
    """Initial fault configuration, same JSON shape as PUT /sandbox/faults."""

    def resolved_credentials(self) -> Credentials:
        return self.credentials or Credentials.from_env()
