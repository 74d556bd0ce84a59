"""The transcript viewer in a real browser: search, click a time, the player seeks; hostile text runs nothing.

Media is served over HTTP on loopback (with Range support, as real storage has) from a WAV
written here with the stdlib wave module. Uses the fixtures in tests/browser_fixtures.py.
"""

from __future__ import annotations

import re
import threading
import wave
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

APP = Path(__file__).parent / "apps" / "transcript_viewer_app.py"
WAV_SECONDS = 300  # long enough for the second "needle" (turn 103, at 244.8 s)
SAMPLE_RATE = 8000


def write_wav(path: Path, seconds: int) -> None:
    """A quiet 8 kHz 8-bit mono tone: small (2.4 MB for 5 minutes) and playable by chromium."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(SAMPLE_RATE)
        period = bytes(128 + (8 if i < 10 else -8) for i in range(20))  # 400 Hz square wave, low volume
        out.writeframes(period * (SAMPLE_RATE * seconds // len(period)))


def media_handler(files: dict[str, tuple[bytes, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, with_body: bool) -> None:
            entry = files.get(self.path.split("?", 1)[0])
            if entry is None:
                self.send_error(404)
                return
            data, ctype = entry
            start, end = 0, len(data) - 1
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
            if match and (match.group(1) or match.group(2)):
                if match.group(1):
                    start = int(match.group(1))
                    end = min(int(match.group(2) or end), end)
                else:
                    start = max(0, len(data) - int(match.group(2)))
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(end - start + 1))
            self.end_headers()
            if with_body:
                try:
                    self.wfile.write(data[start : end + 1])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the browser cancels range requests it no longer needs

        def do_HEAD(self) -> None:  # noqa: N802
            self._send(with_body=False)

        def do_GET(self) -> None:  # noqa: N802
            self._send(with_body=True)

    return Handler


@pytest.fixture
def media_url(tmp_path: Path) -> Iterator[str]:
    wav = tmp_path / "interview.wav"
    write_wav(wav, WAV_SECONDS)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), media_handler({"/interview.wav": (wav.read_bytes(), "audio/wav")})
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/interview.wav?Signature=test"
    server.shutdown()
    server.server_close()


def viewer_frame(page: Any) -> Any:
    """The Frame of the viewer's iframe (the one holding the turns)."""
    page.wait_for_selector("iframe")
    for _ in range(100):
        for frame in page.frames:
            if frame is not page.main_frame and frame.query_selector(".turns"):
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("the transcript iframe never appeared")


def test_search_then_click_a_time_seeks_the_player(
    page: Any, run_streamlit: Callable[..., str], media_url: str, screenshot: Callable[[Any, str], Path]
) -> None:
    url = run_streamlit(APP, env={"TRANSCRIPT_APP_KIND": "long", "TRANSCRIPT_APP_AUDIO": media_url})
    page.goto(url)
    search = page.get_by_label("Search the transcript")
    search.fill("needle")
    search.press("Enter")
    page.get_by_text("1 of 31", exact=True).wait_for()
    page.get_by_role("button", name="Next").click()
    page.get_by_text("2 of 31", exact=True).wait_for()
    page.get_by_text("Turns 101–150 of 3000").wait_for()

    frame = viewer_frame(page)
    # Only one page of turns is in the document, never all 3,000.
    assert frame.locator(".turn").count() == 50
    current = frame.locator("mark.current")
    current.wait_for()
    assert current.inner_text().lower() == "needle"
    turn = frame.locator(".turn", has=current)
    assert "Turn 103:" in turn.inner_text()
    seek = turn.locator("button.seek")
    assert seek.inner_text() == "4:04"  # turn 103 starts at 102 x 2.4 s = 244.8 s
    frame.wait_for_function("document.querySelector('audio.player').readyState >= 1", timeout=20_000)
    assert frame.evaluate("document.querySelector('audio.player').currentTime") < 1

    seek.click()
    frame.wait_for_function("Math.abs(document.querySelector('audio.player').currentTime - 244.8) < 1.5")
    # Move the player elsewhere, click the same time again: it must seek again.
    frame.evaluate(
        "(() => { const a = document.querySelector('audio.player'); a.pause(); a.currentTime = 12; })()"
    )
    frame.wait_for_function("Math.abs(document.querySelector('audio.player').currentTime - 12) < 0.5")
    seek.click()
    frame.wait_for_function("Math.abs(document.querySelector('audio.player').currentTime - 244.8) < 1.5")
    screenshot(page, "transcript-viewer-long")


HOSTILE_VISIBLE = ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">')


def test_html_and_script_in_a_transcript_run_nothing(
    page: Any, run_streamlit: Callable[..., str], screenshot: Callable[[Any, str], Path]
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = run_streamlit(APP, env={"TRANSCRIPT_APP_KIND": "hostile"})
    page.goto(url)
    frame = viewer_frame(page)
    text = frame.locator(".turns").inner_text()
    for hostile in HOSTILE_VISIBLE:
        assert hostile in text  # shown as text
    assert "**bold?** [a link](javascript:window.__pwned=1) <b>not bold</b> &amp; & done" in text
    assert frame.locator(".turns img").count() == 0 and frame.locator(".turns b").count() == 0
    assert frame.locator(".turns a").count() == 0

    search = page.get_by_label("Search the transcript")
    search.fill("script")
    search.press("Enter")
    page.get_by_text("1 of 5", exact=True).wait_for()  # 2 + 0 + 1 (javascript:) + 2
    frame = viewer_frame(page)
    frame.locator("mark.current").wait_for()
    page.wait_for_timeout(500)  # give any injected handler (an onerror on a broken image) time to fire
    for each in page.frames:
        assert each.evaluate("typeof window.__pwned") == "undefined", each.url
    assert dialogs == []
    screenshot(page, "transcript-viewer-hostile")
