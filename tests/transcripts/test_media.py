"""Recording-link checks against a real HTTP server on loopback (no mocked requests)."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard.media import (
    MediaUnavailable,
    check_media_link,
    download_media,
    link_host,
    media_file_name,
    sniff_media_kind,
)

WAV = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + b"\x00" * 64
SECRET = "X-Amz-Signature=deadbeefsecret"


class MediaHandler(BaseHTTPRequestHandler):
    """Routes that behave like real storage: fine, expired, HEAD-refusing, generic-typed, slow, HTML."""

    def log_message(self, *args: object) -> None:
        pass

    def _route(self, with_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        status, ctype, body = 200, "audio/wav", WAV
        if path == "/video.webm":
            ctype, body = "video/webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 60
        elif path == "/expired":
            status, ctype, body = 403, "application/xml", b"<Error>AccessDenied</Error>"
        elif path == "/gone":
            status, ctype, body = 410, "text/plain", b"gone"
        elif path == "/missing":
            status, ctype, body = 404, "text/plain", b"nope"
        elif path == "/signed-get-only.wav" and self.command == "HEAD":
            status, ctype, body = 403, "application/xml", b""
        elif path == "/octet":
            ctype = "application/octet-stream"
        elif path == "/octet-text":
            ctype, body = "application/octet-stream", b"hello, not media at all........................"
        elif path == "/page.html":
            ctype, body = "text/html; charset=utf-8", b"<html>login</html>"
        elif path == "/slow":
            time.sleep(1.5)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._route(with_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._route(with_body=True)


@pytest.fixture(scope="module")
def media_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), MediaHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_playable_audio_and_video(media_server: str) -> None:
    audio = check_media_link(f"{media_server}/a.wav?{SECRET}")
    assert (audio.ok, audio.kind, audio.note) == (True, "audio", "")
    video = check_media_link(f"{media_server}/video.webm")
    assert (video.ok, video.kind) == (True, "video")


@pytest.mark.parametrize(
    ("path", "words"), [("/expired", "expired"), ("/gone", "expired"), ("/missing", "not found")]
)
def test_dead_links_get_a_note_naming_only_the_host(media_server: str, path: str, words: str) -> None:
    result = check_media_link(f"{media_server}{path}?{SECRET}", label="audio")
    assert not result.ok
    host = media_server.removeprefix("http://")
    assert host in result.note and words in result.note and "audio" in result.note
    assert "deadbeef" not in result.note and path not in result.note


def test_link_refusing_head_is_checked_with_a_ranged_get(media_server: str) -> None:
    result = check_media_link(f"{media_server}/signed-get-only.wav?{SECRET}")
    assert (result.ok, result.kind) == (True, "audio")


def test_generic_content_type_is_sniffed(media_server: str) -> None:
    assert check_media_link(f"{media_server}/octet").kind == "audio"
    not_media = check_media_link(f"{media_server}/octet-text")
    assert not not_media.ok and "does not point to audio or video" in not_media.note


def test_html_page_is_not_media(media_server: str) -> None:
    result = check_media_link(f"{media_server}/page.html")
    assert not result.ok and "text/html" in result.note


def test_slow_server_times_out_with_a_note(media_server: str) -> None:
    started = time.monotonic()
    result = check_media_link(f"{media_server}/slow", timeout=0.3)
    assert time.monotonic() - started < 1.4
    assert not result.ok and "did not answer within 0.3 s" in result.note


def test_unreachable_host() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check_media_link(f"http://127.0.0.1:{port}/x.wav?{SECRET}")
    assert (
        not result.ok
        and f"127.0.0.1:{port} cannot be reached" in result.note
        and "deadbeef" not in result.note
    )


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)", "ftp://host/x.wav", "http://"])
def test_missing_or_non_web_links(url: str | None) -> None:
    result = check_media_link(url)
    assert not result.ok and result.note


def test_link_host_hides_credentials_and_query() -> None:
    assert link_host("https://user:pw@media.example.com:8443/a/b.webm?sig=1") == "media.example.com:8443"
    assert media_file_name("https://x.example/rec/interview%201.webm?sig=abc") == "interview1.webm"
    assert media_file_name("https://x.example/?sig=abc") == "recording"


def test_sniffing() -> None:
    assert sniff_media_kind(WAV) == "audio"
    assert sniff_media_kind(b"\x00\x00\x00\x20ftypisom") == "video"
    assert sniff_media_kind(b"OggS\x00") == "audio"
    assert sniff_media_kind(b"<html>") is None


def test_download_media(media_server: str) -> None:
    got = download_media(f"{media_server}/interview.wav?{SECRET}")
    assert (got.data, got.file_name, got.mime) == (WAV, "interview.wav", "audio/wav")
    with pytest.raises(MediaUnavailable) as raised:
        download_media(f"{media_server}/expired?{SECRET}")
    assert "127.0.0.1" in str(raised.value) and "deadbeef" not in str(raised.value)
    with pytest.raises(MediaUnavailable, match="larger than"):
        download_media(f"{media_server}/a.wav", max_bytes=10)
