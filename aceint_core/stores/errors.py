"""The one error a shared token store raises, and the masking that keeps secrets out of it.

A store holds tokens, so anything it says about itself (repr, log line, exception) names
only where it lives (path, or URL with the password masked) and never what it holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from aceint_core.errors import AceintError


class TokenStoreError(AceintError):
    """A shared token store could not be read or written (unreachable database, unwritable path).

    A damaged entry is not an error (it is a cache miss); this is for the store itself failing.
    The message names the store by path or masked URL and never carries a token.
    """


def mask_url(url: str) -> str:
    """`url` with any password replaced by ***, for messages and reprs."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - any unparsable URL falls back to the crude mask
        # Not a URL SQLAlchemy understands: drop anything between '://' and '@'.
        scheme, sep, rest = url.partition("://")
        if sep and "@" in rest:
            return f"{scheme}://***@{rest.rpartition('@')[2]}"
        return url


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every non-empty secret in `secrets` replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
