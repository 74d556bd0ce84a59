"""The candidate page at iframeUrl: served as self-contained HTML that may be framed, showing
one question per concept; a real browser can run the interview inside an iframe."""

from __future__ import annotations

import copy
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from aceint_core import contract

from .conftest import Api


def _iframe_url(api: Api, payload: dict) -> str:
    r = api.create(payload)
    assert r.status_code == 201, r.text
    return r.json()[contract.ENVELOPE_KEY]["iframeUrl"]


def test_page_is_frameable_self_contained_html_with_the_questions(authed: Api, seed: dict) -> None:
    payload = copy.deepcopy(seed)
    payload["fullName"] = "Ada <script>alert(1)</script> Lovelace"
    page = requests.get(_iframe_url(authed, payload), timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "x-frame-options" not in {k.lower() for k in page.headers}
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    html = page.text
    assert "<script>alert(1)</script>" not in html and "Ada &lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?://""", html), "no external resources"
    for element in ('id="start"', 'id="answer"', 'id="next"', 'id="question"', 'id="done"'):
        assert element in html
    data = json.loads(re.search(r'id="interview-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert [q["concept"] for q in data["questions"]] == ["Function Scope", "Temporal Dead Zone"]
    assert all(q["topic"] in q["text"] and q["subtopic"] in q["text"] for q in data["questions"])


def test_unknown_session_page_is_a_404_page(api: Api) -> None:
    r = requests.get(api.origin + "/interview/no-such-id", timeout=10)
    assert r.status_code == 404 and "Interview not found" in r.text


@pytest.fixture
def host_page(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A page on another loopback origin that will frame the candidate page (like the dashboard)."""
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.browser
def test_a_person_runs_the_interview_inside_an_iframe(
    authed: Api, seed: dict, host_page: tuple[Path, str], page: Any
) -> None:
    folder, origin = host_page
    iframe = _iframe_url(authed, seed)
    (folder / "host.html").write_text(f"<iframe id='embed' src='{iframe}' width='760' height='560'></iframe>")
    page.goto(origin + "/host.html")
    frame = page.frame_locator("#embed")
    frame.locator("#start").click()
    frame.locator("#progress").filter(has_text="Question 1 of 2").wait_for(timeout=10_000)
    assert "Function Scope" in frame.locator("#question").text_content(timeout=10_000)
    frame.locator("#next").click()  # empty answer: refused with a message
    assert "type an answer" in frame.locator("#error").text_content()
    frame.locator("#answer").fill("var is scoped to the function.")
    frame.locator("#next").click()
    frame.locator("#progress").filter(has_text="Question 2 of 2").wait_for(timeout=10_000)
    assert "Temporal Dead Zone" in frame.locator("#question").text_content()
    frame.locator("#answer").fill("let is unusable before its declaration runs.")
    frame.locator("#next").click()
    frame.locator("#done").wait_for(state="visible", timeout=10_000)
    r = authed.call(contract.SESSION_RECORD, params={"session_id": seed["sessionId"]})
    assert r.status_code == 200
    texts = [t["text"] for t in r.json()["data"]["transcript"]]
    assert "var is scoped to the function." in texts
    assert "let is unusable before its declaration runs." in texts
