"""Checking a recording link before showing a player, and fetching it for "download recording".

Signed media links expire; a dead link in an <audio> tag is just a greyed-out player with no
reason given. So each link is probed first (HEAD, then a ranged GET of a few bytes because
signed S3-style links often refuse HEAD) and a failure becomes a sentence naming the link's
host, never the signed query string.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

import requests

MEDIA_CHECK_TIMEOUT_S = 4.0
MEDIA_DOWNLOAD_TIMEOUT_S = 30.0
MEDIA_DOWNLOAD_MAX_BYTES = 500 * 1024 * 1024
PROBE_BYTES = 32
# Generic types storage buckets send for everything; the first bytes then tell whether it is media.
GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", ""})
MEDIA_APPLICATION_TYPES = frozenset(
    {
        "application/ogg",
        "application/mp4",
        "application/x-mpegurl",
        "application/vnd.apple.mpegurl",
        "application/dash+xml",
    }
)


def link_host(url: str) -> str:
    """The host (and port) of a link, without credentials, path or query: safe to show."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "an invalid link"
    return f"{host}{port}" if host else "an invalid link"


def sniff_media_kind(head: bytes) -> str | None:
    """'audio' or 'video' from a file's first bytes (WAV, WebM/Matroska, MP4, MP3, Ogg, FLAC)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio"
    if head[:4] == b"\x1a\x45\xdf\xa3" or head[4:8] == b"ftyp":
        return "video"
    if (
        head[:3] == b"ID3"
        or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
        or head[:4] in (b"OggS", b"fLaC")
    ):
        return "audio"
    return None


def media_kind(content_type: str | None) -> str | None:
    """'audio' / 'video' for a media Content-Type, None otherwise."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith("audio/"):
        return "audio"
    if mime.startswith("video/") or mime in MEDIA_APPLICATION_TYPES:
        return "video"
    return None


@dataclass(frozen=True)
class MediaCheck:
    """The outcome of probing a recording link: OK with its kind, or a note for the page."""

    ok: bool
    host: str
    kind: str | None = None
    content_type: str | None = None
    status: int | None = None
    note: str = ""


def _status_note(label: str, host: str, status: int) -> str:
    if status in (401, 403, 410):
        return (
            f"The {label} link on {host} has expired or is no longer allowed (HTTP {status}). "
            "Reload the record to get a fresh link."
        )
    if status == 404:
        return f"The {label} on {host} was not found (HTTP 404); it may have been deleted."
    if status >= 500:
        return f"The server {host} failed to serve the {label} (HTTP {status}); try again later."
    return f"The {label} link on {host} answered HTTP {status}, so it cannot be played."


def check_media_link(
    url: str | None,
    *,
    label: str = "recording",
    timeout: float = MEDIA_CHECK_TIMEOUT_S,
    session: requests.Session | None = None,
) -> MediaCheck:
    """Probe a recording link. OK only if it answers 2xx with audio/* or video/* (or media bytes)."""
    if not url or not url.strip():
        return MediaCheck(ok=False, host="", note=f"This record has no {label} link.")
    host = link_host(url)
    if urlsplit(url.strip()).scheme not in ("http", "https") or host == "an invalid link":
        return MediaCheck(ok=False, host=host, note=f"The {label} link is not a web address (http/https).")
    http = session or requests.Session()
    try:
        response = http.head(url, timeout=timeout, allow_redirects=True)
        status, content_type = response.status_code, response.headers.get("Content-Type")
        head = b""
        if not (200 <= status < 300) or media_kind(content_type) is None:
            # Many signed links accept GET only, and a HEAD may not carry the real type.
            with http.get(
                url,
                timeout=timeout,
                stream=True,
                allow_redirects=True,
                headers={"Range": f"bytes=0-{PROBE_BYTES - 1}"},
            ) as got:
                status, content_type = got.status_code, got.headers.get("Content-Type")
                if 200 <= status < 300:
                    head = next(got.iter_content(PROBE_BYTES), b"")
    except requests.Timeout:
        return MediaCheck(
            ok=False,
            host=host,
            note=f"The {label} server {host} did not answer within "
            f"{timeout:g} s, so the {label} cannot be played now.",
        )
    except requests.RequestException:
        return MediaCheck(ok=False, host=host, note=f"The {label} server {host} cannot be reached.")
    finally:
        if session is None:
            http.close()
    if not (200 <= status < 300):
        return MediaCheck(
            ok=False,
            host=host,
            status=status,
            content_type=content_type,
            note=_status_note(label, host, status),
        )
    kind = media_kind(content_type)
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if kind is None and mime in GENERIC_TYPES:
        kind = sniff_media_kind(head)
    if kind is None:
        shown = mime or "no content type"
        return MediaCheck(
            ok=False,
            host=host,
            status=status,
            content_type=content_type,
            note=f"The {label} link on {host} does not point to audio or video ({shown}).",
        )
    return MediaCheck(ok=True, host=host, kind=kind, content_type=content_type, status=status)


# The sandbox's signed recording links: /media/{sessionId}/audio.wav|video.webm?expires=..&sig=..
SANDBOX_MEDIA_FILES = frozenset({"audio.wav", "video.webm"})


def is_sandbox_media_link(url: str) -> bool:
    """True for a link to the local sandbox's /media/ route (the only server known to honour
    ``download=1``); a real Aceint/storage link is left exactly as it came."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    segments = parts.path.split("/")
    query = parse_qs(parts.query)
    return (
        parts.scheme in ("http", "https")
        and len(segments) >= 4
        and segments[-3] == "media"
        and bool(segments[-2])
        and segments[-1] in SANDBOX_MEDIA_FILES
        and "expires" in query
        and "sig" in query
    )


def download_link(url: str) -> str:
    """The link a "download recording" button opens: the sandbox's with ``download=1`` (it then
    answers ``Content-Disposition: attachment`` and the browser saves the file), others unchanged."""
    if not is_sandbox_media_link(url) or "download" in parse_qs(urlsplit(url.strip()).query):
        return url
    stripped = url.strip()
    base, _, fragment = stripped.partition("#")
    joined = f"{base}&download=1"
    return f"{joined}#{fragment}" if fragment else joined


class MediaUnavailable(Exception):
    """The recording could not be downloaded; the message names the host, never the signed URL."""


@dataclass(frozen=True)
class MediaDownload:
    data: bytes
    file_name: str
    mime: str


def media_file_name(url: str, fallback: str = "recording") -> str:
    """The last path segment of the link ('interview.webm'), without the query."""
    try:
        name = PurePosixPath(unquote(urlsplit(url).path)).name
    except ValueError:
        name = ""
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "._-")
    return safe or fallback


def download_media(
    url: str,
    *,
    timeout: float = MEDIA_DOWNLOAD_TIMEOUT_S,
    max_bytes: int = MEDIA_DOWNLOAD_MAX_BYTES,
    label: str = "recording",
) -> MediaDownload:
    """The recording's bytes for a download button (bounded by ``max_bytes``)."""
    host = link_host(url)
    try:
        with requests.get(url, timeout=timeout, stream=True) as response:
            if not (200 <= response.status_code < 300):
                raise MediaUnavailable(_status_note(label, host, response.status_code))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(256 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise MediaUnavailable(
                        f"The {label} on {host} is larger than {max_bytes / 2**20:.1f} MB; "
                        "open it from the link instead."
                    )
                chunks.append(chunk)
            mime = (response.headers.get("Content-Type") or "application/octet-stream").split(";", 1)[0]
    except requests.Timeout:
        raise MediaUnavailable(f"The {label} server {host} did not answer within {timeout:g} s.") from None
    except requests.RequestException:
        raise MediaUnavailable(f"The {label} server {host} cannot be reached.") from None
    return MediaDownload(data=b"".join(chunks), file_name=media_file_name(url, label), mime=mime)
