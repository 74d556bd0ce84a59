"""The whole product in a real browser: log in, schedule the seed example, run it inside the
Preview iframe on the sandbox's candidate page, and read its transcript in Records.

The dashboard runs as `streamlit run app.py` with the embedded sandbox (no ACEINT_BASE_URL), a
temporary database, users file and sandbox store, and from a temporary working directory so
a developer's own .streamlit/secrets.toml, auth.yaml and var/ are never read or written.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from aceint_core import SessionClient
from aceint_core.transcripts import parse_transcript
from dashboard.auth import DEMO_PASSWORD, DEMO_USERNAME
from dashboard.repository import SessionRepository
from tests.browser_fixtures import ROOT, free_port

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "seed_session.json"


def _env(tmp: Path, sandbox_port: int) -> dict[str, str]:
    return {
        "ACEINT_MODE": "sandbox",
        "ACEINT_BASE_URL": "",
        "ACEINT_CLIENT_PUBLIC_ID": "",
        "ACEINT_API_KEY": "",
        "ACEINT_API_SECRET": "",
        "ACEINT_SANDBOX_PORT": str(sandbox_port),
        "ACEINT_SANDBOX_DB": str(tmp / "sandbox.db"),
        "ACEINT_DASHBOARD_DATABASE_URL": f"sqlite:///{tmp / 'dashboard.db'}",
        "ACEINT_DASHBOARD_AUTH_FILE": str(tmp / "auth.yaml"),
    }


def _workdir(tmp: Path) -> Path:
    """An empty working directory with only the repo's Streamlit config (theme, no telemetry)."""
    work = tmp / "cwd"
    (work / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", work / ".streamlit" / "config.toml")
    return work


def _go_to(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


def _local(request_url: str) -> bool:
    return request_url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))


def test_schedule_preview_run_and_review(run_streamlit, page, screenshot, tmp_path, seed_payload):
    sandbox_port = free_port()
    url = run_streamlit(ROOT / "app.py", env=_env(tmp_path, sandbox_port), cwd=_workdir(tmp_path))
    base_url = f"http://127.0.0.1:{sandbox_port}/backend/api/v1"
    outside: list[str] = []  # every request the page makes must stay on loopback (works offline)
    page.on("request", lambda request: None if _local(request.url) else outside.append(request.url))

    # Before login only the login page exists, whatever the URL asks for: a deep link shows the
    # login form (no "Page not found" dialog) and opens once signed in.
    page.goto(url + "/records")
    page.get_by_role("heading", name="Aceint recruiter dashboard").wait_for()
    page.get_by_role("textbox", name="Username").wait_for()
    page.wait_for_timeout(1500)  # the dialog, when there was one, came a moment after the form
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_text("Interview records").count() == 0
    assert page.get_by_test_id("stSidebarNav").count() == 0
    screenshot(page, "e2e-01-login")

    page.get_by_role("textbox", name="Username").fill(DEMO_USERNAME)
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Interview records").wait_for()  # the page that was asked for
    assert page.url.rstrip("/").endswith("/records")
    assert page.get_by_text("Page not found").count() == 0
    expect(page.get_by_test_id("stSidebar")).to_contain_text(base_url, timeout=20_000)
    screenshot(page, "e2e-01b-deep-link-after-login")
    # The page icon is a local image (an icon font would be fetched from fonts.gstatic.com).
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert "gstatic" not in icon and icon, icon
    # The login cookie was written: a reload stays signed in.
    assert any(c["name"] == "aceint_dashboard_auth" for c in page.context.cookies())
    _go_to(page, "Schedule")
    page.get_by_role("heading", name="Schedule an interview").wait_for()
    page.reload()
    page.get_by_role("heading", name="Schedule an interview").wait_for()
    # A fresh form opens without a column of red errors.
    assert page.get_by_test_id("stAlertContentError").count() == 0

    # Schedule the seed example (imported from its JSON file, then sent by the form).
    page.get_by_text("Import a payload (JSON)").click()
    page.locator("input[type=file]").first.set_input_files(str(FIXTURE))
    page.get_by_text("Imported from seed_session.json").wait_for()
    page.get_by_text("Topic weightages add up to 25").first.wait_for()
    screenshot(page, "e2e-02-schedule-filled")
    # The topic builder's buttons show their whole label at this width (no "↑ Subto…").
    for name in (
        "↑ Subtopic up",
        "↓ Subtopic down",
        "✕ Remove subtopic",
        "Add subtopic",
        "Move topic up",
        "Move topic down",
        "Remove topic",
    ):
        button = page.get_by_role("button", name=name, exact=True).first
        cut = button.evaluate(
            "b => [b, ...b.querySelectorAll('*')].filter(n => n.scrollWidth > n.clientWidth + 1).length"
        )
        assert cut == 0, f"the {name!r} button's label is cut off"
    page.get_by_role("button", name="Schedule interview").click()
    page.get_by_text("Scheduled the interview for Sample Candidate").wait_for()
    screenshot(page, "e2e-03-scheduled")

    # Preview: the candidate page loads inside the iframe; run the interview there.
    _go_to(page, "Preview")
    page.get_by_role("heading", name="Preview the candidate page").wait_for()
    iframe = page.locator(f"iframe[src*='/interview/{seed_payload['sessionId']}']")
    iframe.wait_for()
    candidate = iframe.content_frame
    candidate.get_by_role("button", name="Start interview").click()
    concepts = [c for t in seed_payload["topics"] for s in t["subtopics"] for c in s["concepts"]]
    for n, concept in enumerate(concepts):
        candidate.locator("#question").wait_for()
        assert candidate.locator("#question-topic").inner_text().endswith(concept)
        candidate.locator("#answer").fill(f"My answer about {concept}, number {n + 1}.")
        if n == 0:
            screenshot(page, "e2e-04-preview-question")
        label = "Finish interview" if n == len(concepts) - 1 else "Next question"
        candidate.get_by_role("button", name=label).click()
        if n < len(concepts) - 1:
            candidate.get_by_text(f"Question {n + 2} of {len(concepts)}").wait_for()
    candidate.locator("#done").wait_for(state="visible")
    screenshot(page, "e2e-05-preview-done")

    # Records: the session is listed, completed, and its transcript shows the answers given.
    _go_to(page, "Records")
    page.get_by_role("heading", name="Interview records").wait_for()
    page.get_by_role("button", name="Refresh statuses").click()
    page.get_by_text("Statuses refreshed").wait_for()
    page.get_by_role("textbox", name="Search interviews").fill("Sample Candidate")
    page.get_by_role("textbox", name="Search interviews").press("Enter")
    page.get_by_role("heading", name="Sample Candidate — Java Developer").wait_for()
    page.get_by_text("status Completed").wait_for()

    with SessionClient(mode="sandbox", base_url=base_url) as client:
        record = client.get_session_record(seed_payload["sessionId"])
    turns = parse_transcript(record.transcript).turns
    assert any("My answer about Temporal Dead Zone" in t.text for t in turns)
    viewer = page.locator("iframe[srcdoc]").first
    viewer.wait_for()
    viewer_text = viewer.content_frame.locator("body").inner_text(timeout=20_000)
    for turn in turns:
        assert re.sub(r"\s+", " ", html.unescape(turn.text)) in re.sub(r"\s+", " ", viewer_text)
    viewer.scroll_into_view_if_needed()
    # The frame fits its turns: no band of white under a short transcript (and nothing cut off).
    frame_height = viewer.evaluate("el => el.getBoundingClientRect().height")
    content_height = viewer.content_frame.locator("body").evaluate("b => b.scrollHeight")
    assert content_height <= frame_height + 2 and frame_height - content_height < 120, (
        frame_height,
        content_height,
    )
    # The one status in the table matches the details.
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "e2e-06-records-transcript")
    with page.expect_download() as download:
        page.get_by_role("button", name="WebVTT", exact=True).first.click()
    expected = f"transcript-sample-candidate-{seed_payload['sessionId'][:8]}.vtt"
    assert download.value.suggested_filename == expected

    # Attach a short transcript recorded elsewhere: the save says so, the uploader empties, and
    # the second viewer fits its three turns.
    attached = tmp_path / "Teams call.vtt"
    attached.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Interviewer>Tell me about closures.\n\n"
        "00:00:04.000 --> 00:00:08.000\n<v Candidate>A closure keeps its scope alive.\n\n"
        "00:00:09.000 --> 00:00:10.000\n<v Interviewer>Thanks.\n",
        encoding="utf-8",
    )
    page.locator("[data-testid='stFileUploader'] input[type=file]").last.set_input_files(str(attached))
    page.get_by_role("button", name="Save attached transcript").click()
    saved = page.get_by_test_id("stAlertContentSuccess").filter(has_text="Attached Teams call.vtt (3 turns).")
    saved.wait_for()
    page.wait_for_timeout(1500)  # later reruns keep the message (a toast says it too)
    assert saved.count() == 1
    assert page.get_by_role("button", name="Save attached transcript").count() == 0
    assert page.get_by_text("Teams call.vtt", exact=True).count() == 0, "the uploader still lists the file"
    second = page.locator("iframe[srcdoc]").nth(1)
    second.wait_for()
    second.content_frame.get_by_text("A closure keeps its scope alive.").wait_for()
    frame_height = second.evaluate("el => el.getBoundingClientRect().height")
    content_height = second.content_frame.locator("body").evaluate("b => b.scrollHeight")
    assert content_height <= frame_height + 2 and frame_height - content_height < 120, (
        frame_height,
        content_height,
    )
    second.scroll_into_view_if_needed()
    screenshot(page, "e2e-07-attached-transcript")
    with page.expect_download() as download:
        page.get_by_role("button", name="SRT", exact=True).last.click()
    assert download.value.suggested_filename == "teams-call.srt"
    assert not outside, outside

    repo = SessionRepository.open(f"sqlite:///{tmp_path / 'dashboard.db'}")
    try:
        rows = {r.session_id: r for r in repo.sessions()}
        assert rows[seed_payload["sessionId"]].status == "Completed"
        assert rows[seed_payload["sessionId"]].created_by == DEMO_USERNAME
        assert rows[seed_payload["sessionId"]].payload == json.loads(FIXTURE.read_text())
        assert any(r.created_by == "sandbox demo" for r in rows.values()), "demo interviews were imported"
    finally:
        repo.close()
