"""Pick a token store from one setting string, so the dashboard and scripts configure it the same way."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from aceint_core.errors import ConfigurationError
from aceint_core.stores.errors import mask_url
from aceint_core.token_store import MemoryTokenStore, TokenStore

_SQL_SCHEMES = ("sqlite", "postgresql", "postgres")


def token_store_from_url(url: str) -> TokenStore:
    """The store a setting names.

    - ``"memory"`` (or empty): this process only (MemoryTokenStore).
    - ``"file:///abs/path/tokens.json"`` or a plain path: FileTokenStore.
    - ``"sqlite:///path/tokens.db"``, ``"postgresql+psycopg://user:pass@host/db"``
      (plain ``postgresql://`` uses psycopg 3 too): SQLTokenStore.
    """
    text = (url or "").strip()
    if text.lower() in ("", "memory", "memory://"):
        return MemoryTokenStore()
    scheme, sep, _ = text.partition("://")
    if not sep:
        from aceint_core.stores.file_store import FileTokenStore

        return FileTokenStore(text)
    base = scheme.lower().split("+", 1)[0]
    if base == "file":
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            raise ConfigurationError(
                f"token store {text!r}: file URLs name a local path; write file:///absolute/path/tokens.json"
            )
        from aceint_core.stores.file_store import FileTokenStore

        return FileTokenStore(unquote(parts.path))
    if base in _SQL_SCHEMES:
        from aceint_core.stores.sql_store import SQLTokenStore

        return SQLTokenStore(text)
    raise ConfigurationError(
        f"token store {mask_url(text)}: unknown scheme {scheme!r}; use 'memory', a file path, "
        "file:///path/tokens.json, sqlite:///path/tokens.db or postgresql+psycopg://user@host/db"
    )
