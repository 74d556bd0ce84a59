"""Import refuses what would crash or stall the Schedule form, says why, and keeps the form."""

from __future__ import annotations

import json

import pytest

from dashboard import schedule_form
from dashboard.schedule_form import ImportProblem, parse_import

from .conftest import click, import_payload, log_in, shown, widget

DEEP_OBJECT = '{"a":' * 20000 + "1" + "}" * 20000
DEEP_LIST = "[" * 50000 + "]" * 50000
LONG_INT = '{"duration": ' + "9" * 5000 + "}"


def _topics(seed: dict, n: int) -> list[dict]:
    return [dict(seed["topics"][0], id=f"t{i}", weightage=1, allocated_time=1) for i in range(n)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (DEEP_OBJECT, "nested too deeply"),
        (DEEP_LIST, "nested too deeply"),
        (DEEP_OBJECT.encode(), "nested too deeply"),
        (LONG_INT, "thousands of digits"),
        ("x" * (schedule_form.MAX_IMPORT_BYTES + 1), "over the 1,000,000-byte limit"),
        (b" " * (schedule_form.MAX_IMPORT_BYTES + 1), "over the 1,000,000-byte limit"),
        ('{"fullName": "a\\ud800"}', "lone UTF-16 surrogate"),
    ],
)
def test_parse_import_names_the_problem_instead_of_crashing(text, words):
    with pytest.raises(ImportProblem) as caught:
        parse_import(text)
    assert words in caught.value.message


def test_parse_import_caps_topics_subtopics_and_concepts(seed_payload):
    many = dict(seed_payload, topics=_topics(seed_payload, schedule_form.MAX_TOPICS + 1))
    with pytest.raises(ImportProblem) as caught:
        parse_import(json.dumps(many))
    assert caught.value.field == "topics"
    assert f"at most {schedule_form.MAX_TOPICS} topics" in caught.value.message

    topic = seed_payload["topics"][0]
    subs = [dict(topic["subtopics"][0], id=f"s{j}") for j in range(schedule_form.MAX_SUBTOPICS + 1)]
    with pytest.raises(ImportProblem) as caught:
        parse_import(json.dumps(dict(seed_payload, topics=[dict(topic, subtopics=subs)])))
    assert caught.value.field == "topics[0].subtopics"

    concepts = [f"c{k}" for k in range(schedule_form.MAX_CONCEPTS + 1)]
    sub = dict(topic["subtopics"][0], concepts=concepts)
    with pytest.raises(ImportProblem) as caught:
        parse_import(json.dumps(dict(seed_payload, topics=[dict(topic, subtopics=[sub])])))
    assert caught.value.field == "topics[0].subtopics[0].concepts"

    at_the_cap = dict(seed_payload, duration=180, topics=_topics(seed_payload, schedule_form.MAX_TOPICS))
    assert len(parse_import(json.dumps(at_the_cap)).topics) == schedule_form.MAX_TOPICS


def test_parse_import_refuses_numbers_no_widget_can_hold(seed_payload):
    with pytest.raises(ImportProblem) as caught:
        parse_import(json.dumps(dict(seed_payload, duration=1e300)))
    assert caught.value.field == "duration"
    huge_weight = [dict(seed_payload["topics"][0], weightage=10**30)]
    with pytest.raises(ImportProblem) as caught:
        parse_import(json.dumps(dict(seed_payload, topics=huge_weight)))
    assert caught.value.field == "topics[0].weightage"


def test_validate_caps_concepts_typed_into_the_form(seed_payload):
    draft = parse_import(json.dumps(seed_payload))
    draft.topics[0].subtopics[0].concepts = [f"c{k}" for k in range(schedule_form.MAX_CONCEPTS + 1)]
    result = schedule_form.validate(draft)
    assert not result.ok
    assert any("at most" in m for m in result.errors["topics[0].subtopics[0].concepts"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (DEEP_OBJECT, "nested too deeply"),
        (LONG_INT, "thousands of digits"),
        ("surrogate", "lone UTF-16 surrogate"),
        ("many topics", "at most 50 topics"),
    ],
)
def test_a_refused_import_keeps_the_form_and_says_why(dashboard_env, app, seed_payload, text, words):
    if text == "surrogate":
        text = json.dumps(dict(seed_payload, fullName="a\ud800"))
    elif text == "many topics":
        text = json.dumps(dict(seed_payload, duration=180, topics=_topics(seed_payload, 300)))
    log_in(app)
    widget(app, "text_input", "Candidate full name").input("Keep Me")
    app.run()
    import_payload(app, text)
    assert not app.exception, app.exception
    errors = [shown(e.value) for e in app.error]
    assert any(words in e and "Nothing in the form was changed" in e for e in errors), errors
    assert widget(app, "text_input", "Candidate full name").value == "Keep Me"
    app.run()  # and the page keeps working on the next click
    assert not app.exception
    assert widget(app, "text_input", "Candidate full name").value == "Keep Me"


def test_the_limits_are_stated_beside_import_and_topics(dashboard_env, app):
    log_in(app)
    captions = " ".join(shown(c.value) for c in app.caption)
    assert "Up to 1 MB" in captions
    assert f"At most {schedule_form.MAX_TOPICS} topics" in captions
    assert widget(app, "button", "Add topic").proto.help == f"At most {schedule_form.MAX_TOPICS} topics"
    click(app, "Add topic")
    assert not app.exception
