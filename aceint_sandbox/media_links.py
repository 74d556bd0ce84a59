"""Signed, expiring links to a session's recordings.

Like a real object store's pre-signed URLs: the link carries an expiry and an HMAC of
(session, kind, expiry) made with a key kept in the store, so links survive a restart
and a fresh GET of the record always hands out fresh links.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from urllib.parse import quote

from .store import Store

MEDIA_KINDS: dict[str, tuple[str, str]] = {
    "audio": ("audio.wav", "audio/wav"),
    "video": ("video.webm", "video/webm"),
}

_KEY_META = "media_signing_key"


class MediaLinks:
    """Makes and checks media URLs of the form /media/{sessionId}/{file}?expires=..&sig=.."""

    def __init__(self, store: Store, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        with store.unit() as db:
            key = store.get_meta(db, _KEY_META)
            if key is None:
                key = secrets.token_hex(32)
                store.set_meta(db, _KEY_META, key)
        self._key = bytes.fromhex(key)

    def _sig(self, session_id: str, kind: str, expires: int) -> str:
        msg = f"{session_id}:{kind}:{expires}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def url(self, origin: str, session_id: str, kind: str) -> str:
        expires = math.ceil(self.clock() + self.ttl_s)  # valid for at least ttl_s
        filename = MEDIA_KINDS[kind][0]
        return (
            f"{origin}/media/{quote(session_id)}/{filename}"
            f"?expires={expires}&sig={self._sig(session_id, kind, expires)}"
        )

    def check(self, session_id: str, kind: str, expires: int, sig: str) -> str | None:
        """None when the link is good, else the reason it is refused."""
        # bytes, not str: compare_digest refuses a str with non-ASCII characters (?sig=%C3%A9)
        given = sig.encode("utf-8", "surrogatepass")
        if not hmac.compare_digest(given, self._sig(session_id, kind, expires).encode()):
            return "bad_signature"
        if expires <= self.clock():
            return "link_expired"
        return None
