"""Scrubbing of known secrets from text that came from elsewhere (server messages).

The SDK never formats a secret into a message itself; this guards the one place where
text is not ours: an error message written by the server, which could echo a token back.
"""

from __future__ import annotations

import threading
from collections import deque

REDACTED = "[redacted]"

_MIN_SECRET_LENGTH = 4  # shorter strings would scrub ordinary words


class Redactor:
    """Remembers the api secret and the most recent tokens, and removes them from text."""

    def __init__(self, *secrets: str | None, keep: int = 16) -> None:
        self._fixed = tuple(s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH)
        self._recent: deque[str] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "Redactor()"

    def remember(self, *secrets: str | None) -> None:
        """Add secrets (tokens as they arrive) to what is scrubbed."""
        with self._lock:
            for secret in secrets:
                if secret and len(secret) >= _MIN_SECRET_LENGTH and secret not in self._recent:
                    self._recent.append(secret)

    def scrub(self, text: str) -> str:
        with self._lock:
            secrets = self._fixed + tuple(self._recent)
        for secret in sorted(secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text
