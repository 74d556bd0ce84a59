"""Serves the recordings at their signed links, with HTTP Range support (browsers seek with it).

Media are made on the first request for them and then kept in the store; a per-session
lock makes concurrent first requests generate once, without holding the store's lock
(generation takes a second or so).
"""

from __future__ import annotations

import re
import threading

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import recordings
from .api import sandbox_of
from .http_errors import SandboxError, error_body
from .media_links import MEDIA_KINDS
from .responses import JSONResponse
from .runtime import Sandbox
from .store import MediaRow

router = APIRouter()

_FILES = {filename: kind for kind, (filename, _type) in MEDIA_KINDS.items()}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_locks: dict[tuple[int, str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(sandbox: Sandbox, session_id: str, kind: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((id(sandbox), session_id, kind), threading.Lock())


def media_bytes(sandbox: Sandbox, session_id: str, kind: str) -> tuple[bytes, str]:
    """The stored recording, generated first if needed."""
    with sandbox.store.unit() as db:
        row = db.get(MediaRow, (session_id, kind))
        if row is not None:
            return row.data, row.content_type
    with _lock_for(sandbox, session_id, kind):
        with sandbox.store.unit() as db:
            row = db.get(MediaRow, (session_id, kind))
            if row is not None:
                return row.data, row.content_type
        payload, transcript, status = sandbox.sessions.payload_and_transcript(session_id)
        if status != "Completed" or transcript is None:
            raise SandboxError(404, "record_not_ready", f"session {session_id} is not completed yet")
        if kind == "audio":
            data = recordings.wav_bytes(transcript, seed=session_id)
        else:
            data = recordings.webm_bytes(payload, transcript)
        content_type = MEDIA_KINDS[kind][1]
        with sandbox.store.unit() as db:
            if db.get(MediaRow, (session_id, kind)) is None:
                db.add(MediaRow(session_id=session_id, kind=kind, content_type=content_type, data=data))
        return data, content_type


_MAX_OFFSET_DIGITS = 18  # beyond this no stored file can reach; int() of 5000 digits would fail


def _offset(digits: str) -> int:
    """A Range offset; one too long to be a real position counts as past any end."""
    return int(digits) if len(digits) <= _MAX_OFFSET_DIGITS else 10**_MAX_OFFSET_DIGITS


def attachment_name(session_id: str, kind: str) -> str:
    """'<sessionId>-audio.wav': safe inside a quoted header value whatever the id holds."""
    safe_id = "".join(ch for ch in session_id if ch.isascii() and (ch.isalnum() or ch in "._-")) or "session"
    return f"{safe_id}-{MEDIA_KINDS[kind][0]}"


def _ranged(request: Request, data: bytes, content_type: str, disposition: str | None = None) -> Response:
    size = len(data)
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, max-age=300"}
    if disposition:
        headers["Content-Disposition"] = disposition
    head = request.method == "HEAD"
    header = request.headers.get("range")
    match = _RANGE.match(header.strip()) if header else None
    if header and match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = _offset(first), min(_offset(last), size - 1) if last else size - 1
        else:  # suffix range: the last N bytes
            start, end = max(0, size - _offset(last)), size - 1
        if start >= size or start > end:
            return Response(
                status_code=416,
                headers={**headers, "Content-Range": f"bytes */{size}"},
                media_type=content_type,
            )
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        chunk = data[start : end + 1]
        headers["Content-Length"] = str(len(chunk))
        return Response(b"" if head else chunk, status_code=206, headers=headers, media_type=content_type)
    # no Range, or one we do not serve (several ranges): the whole file, as HTTP allows
    headers["Content-Length"] = str(size)
    return Response(b"" if head else data, status_code=200, headers=headers, media_type=content_type)


@router.api_route("/media/{session_id}/{filename}", methods=["GET", "HEAD"])
def get_media(
    session_id: str, filename: str, request: Request, expires: int = 0, sig: str = "", download: str = ""
) -> Response:
    """`download=1` asks the browser to save the file instead of opening it in a tab. It is not
    part of the signature, so a link from the record works with or without it."""
    sandbox = sandbox_of(request)
    kind = _FILES.get(filename)
    if kind is None:
        raise SandboxError(404, "not_found", f"no media {filename!r}; use {' or '.join(_FILES)}")
    refused = sandbox.links.check(session_id, kind, expires, sig)
    if refused == "link_expired":
        return JSONResponse(
            error_body(
                "link_expired",
                "this media link has expired; get the session record again for fresh links",
            ),
            status_code=403,
        )
    if refused:
        return JSONResponse(
            error_body(
                "bad_signature", "this media link is not valid; use the links from the session record"
            ),
            status_code=403,
        )
    data, content_type = media_bytes(sandbox, session_id, kind)
    disposition = (
        f'attachment; filename="{attachment_name(session_id, kind)}"' if download in ("1", "true") else None
    )
    return _ranged(request, data, content_type, disposition)
