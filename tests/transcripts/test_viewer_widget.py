"""The viewer widget driven by AppTest: controls, match count, next/previous paging, media notes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import shown

APP = Path(__file__).resolve().parents[1] / "browser" / "apps" / "transcript_viewer_app.py"


class ExpiredHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_response(403)
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815


@pytest.fixture
def expired_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ExpiredHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_app(monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    assert not app.exception
    return app


def label(app: AppTest) -> str:
    return next((m.value for m in app.markdown if "of" in m.value or "No matches" in m.value), "")


def test_search_counts_and_next_previous_move_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch)
    assert app.number_input(key="viewer-page").value == 1
    assert app.button(key="viewer-next").disabled
    app.text_input(key="viewer-query").input("needle").run()
    assert label(app) == "**1 of 31**"
    app.button(key="viewer-next").click().run()
    # Needles sit in turns 5, 102, 199, ... (every 97th): the second is on page 3 (turns 101-150).
    assert label(app) == "**2 of 31**" and app.number_input(key="viewer-page").value == 3
    app.button(key="viewer-prev").click().run()
    app.button(key="viewer-prev").click().run()
    assert (
        label(app) == "**31 of 31**" and app.number_input(key="viewer-page").value == (5 + 30 * 97) // 50 + 1
    )
    app.number_input(key="viewer-page").set_value(10).run()
    assert app.number_input(key="viewer-page").value == 10
    assert any("Turns 451–500 of 3000" in c.value for c in app.caption)


def test_speaker_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch)
    app.multiselect(key="viewer-speakers").select("Candidate").run()
    assert any("of 1500" in c.value for c in app.caption)


def test_no_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_app(monkeypatch)
    app.text_input(key="viewer-query").input("zebra-not-there").run()
    assert label(app) == "**No matches**"


def test_expired_recording_gives_a_note_naming_the_host(
    monkeypatch: pytest.MonkeyPatch, expired_server: str
) -> None:
    app = run_app(monkeypatch, TRANSCRIPT_APP_AUDIO=f"{expired_server}/rec.wav?Signature=s3cr3t")
    notes = [w.value for w in app.warning]
    host = expired_server.removeprefix("http://")
    assert len(notes) == 1
    seen = shown(notes[0])  # what the reader sees: the markdown's escapes undone
    assert host in seen and "expired" in seen and "s3cr3t" not in seen
    # The host comes from the record, so it reaches markdown escaped (no autolink, no markup).
    assert host not in notes[0] and host.replace(".", "\\.").replace(":", "\\:") in notes[0]
