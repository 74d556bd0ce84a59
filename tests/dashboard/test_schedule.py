"""Schedule page: the seed example built through the form, validation beside fields, import/export."""

from __future__ import annotations

import json

from aceint_core import SessionClient

from .conftest import click, flatten, import_payload, log_in, messages_after, page_text, shown, widget

SEED_TOPIC = "JavaScript Fundamentals"


def _preview(at) -> dict:
    codes = [c for c in at.code if c.language == "json"]
    assert len(codes) == 1
    return json.loads(codes[0].value)


def _type(at, label: str, value: str, index: int = 0) -> None:
    widget(at, "text_input", label, index).input(value)


def _fill_seed_by_hand(at, seed: dict) -> None:
    """Every field typed or chosen as a recruiter would, including the topic builder."""
    for key, label in (
        ("fullName", "Candidate full name"),
        ("jobRole", "Job role"),
        ("createdBy", "Created by"),
        ("userId", "User ID"),
        ("taskId", "Task ID"),
        ("sessionId", "Session ID"),
    ):
        _type(at, label, seed[key])
    for key, label in (
        ("interviewCategory", "Interview category"),
        ("interviewDomain", "Interview domain"),
        ("interviewMode", "Interview mode"),
        ("experience", "Experience (years)"),
        ("interviewDifficulty", "Difficulty"),
        ("sessionStatus", "Session status"),
    ):
        widget(at, "selectbox", label).select(seed[key])
    widget(at, "number_input", "Duration (minutes)").set_value(seed["duration"])
    topic = seed["topics"][0]
    sub = topic["subtopics"][0]
    _type(at, "Topic name", topic["name"])
    _type(at, "Topic id", topic["id"])
    widget(at, "number_input", "Weightage").set_value(topic["weightage"])
    widget(at, "number_input", "Allocated time (minutes)").set_value(topic["allocated_time"])
    widget(at, "number_input", "Knowledge depth (1-5)").set_value(topic["knowledge_depth"])
    _type(at, "Subtopic name", sub["name"])
    _type(at, "Subtopic id", sub["id"])
    widget(at, "text_area", "Concepts (one per line)").input("\n".join(sub["concepts"]))
    at.run()


def test_schedule_the_seed_example_through_the_form(dashboard_env, app, seed_payload):
    log_in(app)
    _fill_seed_by_hand(app, seed_payload)
    assert not app.exception
    assert _preview(app) == seed_payload  # the live preview is exactly the seed README's payload
    # Weightage 25 is under 100: a warning beside the total, not a blocker.
    assert any(
        "add up to 25" in m
        for m in messages_after(app, "Knowledge depth (1-5)") + [w.value for w in app.warning]
    )
    submit = widget(app, "button", "Schedule interview")
    assert not submit.disabled
    submit.click().run()
    assert not app.exception
    assert any("Scheduled the interview for Sample Candidate" in s.value for s in app.success)
    codes = [c.value for c in app.code if c.language != "json"]
    assert seed_payload["sessionId"] in codes
    iframe_url = next(c for c in codes if c.startswith("http"))
    assert seed_payload["sessionId"] in iframe_url

    row = dashboard_env.repository().get(seed_payload["sessionId"])
    assert row is not None and row.created_by == "recruiter" and row.full_name == "Sample Candidate"
    assert row.payload == seed_payload and row.iframe_url == iframe_url
    with SessionClient(mode="sandbox", base_url=dashboard_env.base_url) as client:
        details = client.get_session(seed_payload["sessionId"])
    assert details.full_name == "Sample Candidate"
    assert details.raw["data"]["topics"] == seed_payload["topics"]


def test_validation_messages_sit_beside_their_fields(dashboard_env, app):
    log_in(app)
    _type(app, "User ID", "not-a-uuid")
    widget(app, "number_input", "Duration (minutes)").set_value(10)
    widget(app, "number_input", "Weightage").set_value(120)
    widget(app, "number_input", "Allocated time (minutes)").set_value(15)
    widget(app, "number_input", "Knowledge depth (1-5)").set_value(9)
    app.run()
    assert not app.exception
    assert any("User ID" in m and "UUID" in m for m in messages_after(app, "User ID"))
    assert any("between 1 and 100" in m for m in messages_after(app, "Weightage"))
    assert any("between 1 and 5" in m for m in messages_after(app, "Knowledge depth (1-5)"))
    totals = " ".join(e.value for e in app.error)
    assert "add up to 120, over 100" in totals
    assert "add up to 15 minutes, more than the 10-minute duration" in totals
    # A field nobody touched yet says nothing until Schedule is pressed...
    assert messages_after(app, "Candidate full name") == []
    click(app, "Schedule interview")
    assert any("Candidate full name is required" in m for m in messages_after(app, "Candidate full name"))
    assert any("need attention" in shown(e.value) for e in app.error)
    assert not [s for s in app.success if "Scheduled" in s.value]
    assert dashboard_env.repository().count() == 0  # ...and nothing was sent
    # Fixing a field removes its message (and only its message).
    _type(app, "User ID", "62704ecf-9ef2-4915-ae04-bb79ef2b25a5")
    app.run()
    assert messages_after(app, "User ID") == []
    assert any("between 1 and 100" in m for m in messages_after(app, "Weightage"))


def test_a_fresh_form_shows_no_errors_and_reads_like_a_form(dashboard_env, app):
    log_in(app)
    assert [e.value for e in app.error] == []  # nothing typed yet: no red "is required"
    name = widget(app, "text_input", "Candidate full name")
    assert "fullName" in name.help and "fullName" not in name.label  # the wire key is in the tooltip
    mode = widget(app, "selectbox", "Interview mode")
    assert mode.value == "BY_CLIENT" and mode.format_func("BY_CLIENT") == "Hosted by client (BY_CLIENT)"
    assert "interviewMode" in mode.help
    assert _preview(app)["interviewMode"] == "BY_CLIENT"  # the payload keeps the wire value
    widget(app, "selectbox", "Experience (years)").select("2-5")
    app.run()
    assert _preview(app)["experience"] == "2-5"
    assert widget(app, "selectbox", "Experience (years)").format_func("2-5") == "2-5 years"
    # Typing then clearing a field shows its message beside it.
    _type(app, "Candidate full name", "x")
    app.run()
    _type(app, "Candidate full name", "")
    app.run()
    assert messages_after(app, "Candidate full name") == ["Candidate full name is required."]
    assert messages_after(app, "Job role") == []  # still untouched


def test_subtopic_buttons_say_what_they_do(dashboard_env, app):
    log_in(app)
    labels = {b.label: b.help for b in app.button}
    wanted = ("↑ Subtopic up", "↓ Subtopic down", "✕ Remove subtopic", "Move topic up", "Move topic down")
    for label in wanted:
        assert label in labels and labels[label], label
    assert "subtopic 1" in labels["✕ Remove subtopic"]


def test_the_result_panel_goes_when_the_form_changes_or_a_new_attempt_fails(dashboard_env, app, seed_payload):
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    click(app, "Schedule interview")
    assert any("Scheduled the interview for Sample Candidate" in s.value for s in app.success)
    app.run()
    assert any("Scheduled the interview for Sample Candidate" in s.value for s in app.success)  # stays
    _type(app, "Candidate full name", "Different Name")
    app.run()
    assert not [s for s in app.success if "Scheduled the interview" in s.value]  # the form changed
    click(app, "Schedule interview")  # same session id, different payload: Aceint refuses it (409)
    assert any("was not scheduled" in shown(e.value) for e in app.error)
    assert not [s for s in app.success if "Scheduled the interview" in s.value]
    assert "Sample Candidate" not in " ".join(c.value for c in app.code if c.language != "json")


def test_a_refused_import_after_a_schedule_does_not_leave_the_old_panel(dashboard_env, app, seed_payload):
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    click(app, "Schedule interview")
    assert any("Scheduled the interview" in s.value for s in app.success)
    import_payload(app, json.dumps(dict(seed_payload, duration="soon")))
    assert any("Import refused" in shown(e.value) for e in app.error)
    assert not [s for s in app.success if "Scheduled the interview" in s.value]


def test_an_import_with_several_bad_fields_lists_them_all(dashboard_env, app, seed_payload):
    log_in(app)
    bad = dict(seed_payload, duration="thirty", interviewMode="REMOTE", fullName=7)
    bad["topics"] = [dict(seed_payload["topics"][0], weightage="high")]
    import_payload(app, json.dumps(bad))
    errors = [shown(e.value) for e in app.error if "Import refused" in shown(e.value)]
    assert len(errors) == 1, [shown(e.value) for e in app.error]
    message = errors[0]
    assert "4 problems" in message
    for field in ("duration:", "interviewMode:", "fullName:", "topics[0].weightage:"):
        assert field in message, (field, message)
    assert "Nothing in the form was changed" in message


def test_weightage_total_over_100_across_topics_is_an_error(dashboard_env, app):
    log_in(app)
    widget(app, "number_input", "Weightage").set_value(60)
    app.run()
    assert [shown(w.value) for w in app.warning] == [
        "Topic weightages add up to 60 of 100. Aceint accepts this; the rest is unallocated."
    ]
    click(app, "Add topic")
    widget(app, "number_input", "Weightage", 1).set_value(50)
    app.run()
    assert any("add up to 110, over 100" in e.value for e in app.error)
    assert [t["weightage"] for t in _preview(app)["topics"]] == [60, 50]


def test_missing_ids_are_generated(dashboard_env, app):
    log_in(app)
    _type(app, "Session ID", "")
    _type(app, "Topic id", "")
    app.run()
    payload = _preview(app)
    assert len(payload["sessionId"]) == 36 and payload["sessionId"].count("-") == 4
    assert payload["topics"][0]["id"] == "topic-1"
    app.run()
    assert _preview(app)["sessionId"] == payload["sessionId"]  # stable, not a new id per rerun


def test_topic_builder_add_edit_reorder_remove(dashboard_env, app):
    log_in(app)
    _type(app, "Topic name", "First")
    app.run()
    click(app, "Add topic")
    _type(app, "Topic name", "Second", 1)
    click(app, "Add subtopic", 1)
    _type(app, "Subtopic name", "Sub B1", 1)
    _type(app, "Subtopic name", "Sub B2", 2)
    app.run()
    topics = _preview(app)["topics"]
    assert [t["name"] for t in topics] == ["First", "Second"]
    assert [s["id"] for s in topics[1]["subtopics"]] == ["subtopic-1", "subtopic-2"]
    click(app, "Move topic up", 1)
    assert [t["name"] for t in _preview(app)["topics"]] == ["Second", "First"]
    assert widget(app, "text_input", "Topic name", 0).value == "Second"  # widgets follow their topic
    click(app, "↓ Subtopic down", 0)  # move Sub B1 below Sub B2
    assert [s["name"] for s in _preview(app)["topics"][0]["subtopics"]] == ["Sub B2", "Sub B1"]
    click(app, "✕ Remove subtopic", 0)  # remove Sub B2
    assert [s["name"] for s in _preview(app)["topics"][0]["subtopics"]] == ["Sub B1"]
    click(app, "Remove topic", 1)
    assert [t["name"] for t in _preview(app)["topics"]] == ["Second"]


def test_import_bad_json_keeps_the_form(dashboard_env, app, seed_payload):
    log_in(app)
    _type(app, "Candidate full name", "Keep Me")
    app.run()
    before = _preview(app)
    import_payload(app, '{"fullName": "X", ')
    errors = [shown(e.value) for e in app.error]
    assert any("JSON" in e and "line 1" in e and "Nothing in the form was changed" in e for e in errors)
    assert _preview(app) == before
    broken = dict(seed_payload)
    broken["topics"] = [dict(seed_payload["topics"][0], weightage="lots")]
    import_payload(app, json.dumps(broken))
    errors = [shown(e.value) for e in app.error]
    assert any("topics[0].weightage" in e and "whole number" in e for e in errors)
    assert _preview(app) == before
    assert widget(app, "text_input", "Candidate full name").value == "Keep Me"


def test_import_good_payload_fills_every_field_and_export_offers_it(dashboard_env, app, seed_payload):
    log_in(app)
    app.file_uploader(key="schedule.upload").set_value(
        ("seed.json", json.dumps(seed_payload).encode(), "application/json")
    )
    app.run()
    assert not app.exception
    assert _preview(app) == seed_payload
    assert widget(app, "text_input", "Topic name").value == SEED_TOPIC
    assert widget(app, "text_area", "Concepts (one per line)").value == "Function Scope\nTemporal Dead Zone"
    assert any(shown(s.value).startswith("Imported from seed.json") for s in app.success)
    assert "Export payload (JSON)" in page_text(app) or any(
        getattr(el, "type", "") == "download_button" for el in flatten(app)
    )


def test_conflicting_session_id_is_explained_without_a_traceback(dashboard_env, app, seed_payload):
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    click(app, "Schedule interview")
    click(app, "Schedule another interview")
    import_payload(app, json.dumps(dict(seed_payload, fullName="Someone Else")))
    click(app, "Schedule interview")
    assert not app.exception
    assert any("different session with this session id" in e.value for e in app.error)
    assert dashboard_env.repository().get(seed_payload["sessionId"]).full_name == "Sample Candidate"


def test_refused_credentials_are_explained_and_the_secret_never_shown(
    dashboard_env, app, seed_payload, monkeypatch
):
    secret = "wrong-secret-9f8e7d6c5b4a"
    monkeypatch.setenv("ACEINT_API_SECRET", secret)
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    click(app, "Schedule interview")
    assert not app.exception
    errors = " ".join(e.value for e in app.error)
    assert "refused the dashboard's credentials" in errors
    assert secret not in page_text(app) and secret not in errors
    assert dashboard_env.repository().get(seed_payload["sessionId"]) is None
