"""Preview shows the candidate embed; Records lists sessions and shows a completed one's transcript."""

from __future__ import annotations

import html
import json

import requests

from aceint_core import SessionClient
from aceint_core.transcripts import parse_transcript
from dashboard.embedded_sandbox import server_root

from .conftest import attach_uploader, click, flatten, import_payload, log_in, page_text, shown, widget


def _schedule(at, payload: dict) -> None:
    import_payload(at, json.dumps(payload))
    click(at, "Schedule interview")
    assert any("Scheduled the interview" in s.value for s in at.success), [e.value for e in at.error]


def test_preview_shows_the_candidate_iframe_and_its_url(dashboard_env, app, seed_payload):
    log_in(app)
    _schedule(app, seed_payload)
    row = dashboard_env.repository().get(seed_payload["sessionId"])
    app.switch_page("screens/preview.py").run()
    assert not app.exception
    assert row.iframe_url in [c.value for c in app.code]
    iframes = [el for el in flatten(app) if getattr(el, "type", None) == "iframe"]
    assert [el.proto.src for el in iframes] == [row.iframe_url]
    assert any(
        getattr(el, "type", None) == "link_button" and el.proto.url == row.iframe_url for el in flatten(app)
    )
    # The URL really is the sandbox's candidate page.
    assert "<html" in requests.get(row.iframe_url, timeout=10).text.lower()


def test_preview_without_sessions_says_so(dashboard_env, app):
    log_in(app)
    app.switch_page("screens/preview.py").run()
    assert "No interviews scheduled yet" in page_text(app)


def test_records_lists_session_then_shows_transcript_after_completion(dashboard_env, app, seed_payload):
    log_in(app)
    _schedule(app, seed_payload)
    second = dict(seed_payload, sessionId="0d8a4c0e-5a7e-4a43-9c1e-2f1a7a0b9e11", fullName="Other Person")
    _schedule(app, second)
    app.switch_page("screens/records.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert set(table["Candidate"]) == {"Sample Candidate", "Other Person"}
    assert set(table["Scheduled by"]) == {"recruiter"}  # the dashboard user who sent it
    assert set(table["Created by"]) == {seed_payload["createdBy"]}  # the payload's createdBy
    assert set(table["Status"]) == {"New"}

    widget(app, "selectbox", "Open a record").select(seed_payload["sessionId"])
    app.run()
    assert "not completed yet" in page_text(app)

    resp = requests.post(
        server_root(dashboard_env.base_url) + f"/sandbox/sessions/{seed_payload['sessionId']}/complete",
        timeout=10,
    )
    assert resp.status_code == 200, resp.text
    click(app, "Refresh statuses")
    table = app.dataframe[0].value
    status = dict(zip(table["Candidate"], table["Status"], strict=True))
    assert status["Sample Candidate"] == "Completed" and status["Other Person"] == "New"

    with SessionClient(mode="sandbox", base_url=dashboard_env.base_url) as client:
        record = client.get_session_record(seed_payload["sessionId"])
    turns = parse_transcript(record.transcript).turns
    assert len(turns) >= 4
    text = page_text(app)
    assert "not completed yet" not in text
    for turn in (turns[0], turns[1], turns[-1]):
        assert any(
            form in text for form in (turn.text, html.escape(turn.text), html.escape(turn.text, quote=False))
        )
    assert [m.value for m in app.metric if m.label == "Category"] == [record.category or "—"]

    # Search and status filter narrow the table.
    widget(app, "text_input", "Search interviews").input("other")
    app.run()
    assert list(app.dataframe[0].value["Candidate"]) == ["Other Person"]
    widget(app, "text_input", "Search interviews").input("")
    widget(app, "selectbox", "Status").select("Completed")
    app.run()
    assert list(app.dataframe[0].value["Candidate"]) == ["Sample Candidate"]


def test_attach_transcript_file_for_an_interview_recorded_elsewhere(dashboard_env, app, seed_payload):
    log_in(app)
    _schedule(app, seed_payload)
    app.switch_page("screens/records.py").run()
    uploader = attach_uploader(app, seed_payload["sessionId"])
    uploader.set_value(("notes.txt", b"\x00\x01 not a transcript \x02", "text/plain"))
    app.run()
    click(app, "Save attached transcript")
    assert any("notes.txt is not a transcript" in shown(e.value) for e in app.error)
    assert dashboard_env.repository().attached_transcript(seed_payload["sessionId"]) is None

    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Tell me about closures.\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Candidate>A closure keeps its scope alive.\n"
    )
    attach_uploader(app, seed_payload["sessionId"]).set_value(
        ("call.vtt", vtt.encode(), "text/vtt")
    )
    app.run()
    click(app, "Save attached transcript")
    assert not app.exception
    stored = dashboard_env.repository().attached_transcript(seed_payload["sessionId"])
    assert stored is not None and stored.filename == "call.vtt" and stored.uploaded_by == "recruiter"
    app.run()
    assert "A closure keeps its scope alive." in page_text(app)


def test_one_run_shows_one_status_when_the_open_record_has_moved_on(dashboard_env, app, seed_payload):
    log_in(app)
    _schedule(app, seed_payload)
    app.switch_page("screens/records.py").run()
    assert list(app.dataframe[0].value["Status"]) == ["New"]
    requests.post(
        server_root(dashboard_env.base_url) + f"/sandbox/sessions/{seed_payload['sessionId']}/complete",
        timeout=10,
    ).raise_for_status()
    app.run()  # no Refresh: opening the record is what finds it completed
    assert list(app.dataframe[0].value["Status"]) == ["Completed"]
    picker = widget(app, "selectbox", "Open a record")
    assert " — Completed — " in picker.format_func(picker.value)
    assert any("status Completed" in shown(c.value) for c in app.caption)


def test_csv_has_both_creator_columns(dashboard_env, app, seed_payload):
    from dashboard import records
    from dashboard.csv_export import records_to_csv

    log_in(app)
    _schedule(app, seed_payload)
    frame = records.table(dashboard_env.repository().sessions())
    lines = records_to_csv(frame).decode("utf-8-sig").splitlines()
    assert lines[0] == "Candidate,Job role,Status,Created,Created by,Scheduled by,Session ID"
    assert f",{seed_payload['createdBy']},recruiter," in lines[1]
