"""The session calls end to end against the sandbox: create (typed and raw), get, record."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
from pydantic import ValidationError

from aceint_core import (
    AceintError,
    CreatedSession,
    InvalidPayloadError,
    NotFoundError,
    SessionClient,
    SessionDetails,
    SessionInput,
    SessionRecord,
    contract,
)

from .sandbox_control import SandboxControl


def test_seed_example_creates_a_session_whose_iframe_opens(
    client: SessionClient, seed_payload: dict[str, Any]
) -> None:
    created = client.create_session(seed_payload)
    assert isinstance(created, CreatedSession)
    assert created.session_id == seed_payload["sessionId"]
    assert created.status
    assert created.token is not None and created.token.get_secret_value()
    assert created.livekit_url
    page = requests.get(created.iframe_url, timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


def test_create_accepts_a_validated_model(client: SessionClient, seed_payload: dict[str, Any]) -> None:
    model = SessionInput.model_validate(seed_payload)
    assert client.create_session(model).session_id == model.session_id


def test_invalid_input_fails_before_any_request(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    bad = dict(seed_payload, interviewDifficulty="Impossible")
    with pytest.raises(ValueError, match="interviewDifficulty"):
        client.create_session(bad)
    assert control.stats()["requests"] == {}


def test_an_invalid_dict_is_an_aceint_error_listing_every_field_by_wire_path(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    bad = dict(seed_payload, userId="not-a-uuid")
    del bad["fullName"]
    bad["topics"] = [dict(seed_payload["topics"][0], weightage=500)]
    with pytest.raises(InvalidPayloadError) as info:
        client.create_session(bad)
    assert isinstance(info.value, AceintError)
    assert {f["field"] for f in info.value.fields} == {"userId", "fullName", "topics.0.weightage"}
    assert "nothing was sent" in str(info.value) and "userId must be a UUID" in str(info.value)
    assert control.stats()["requests"] == {}


def test_a_base_url_without_the_api_path_names_the_fix(sandbox_url: str) -> None:
    origin = sandbox_url.removesuffix(contract.API_PREFIX)
    with SessionClient(base_url=origin) as client:
        with pytest.raises(NotFoundError) as info:
            client.get_session(str(uuid.uuid4()))
    assert contract.API_PREFIX in str(info.value) and "ACEINT_BASE_URL" in str(info.value)


def test_get_session_returns_the_stored_payload(client: SessionClient, seed_payload: dict[str, Any]) -> None:
    client.create_session(seed_payload)
    details = client.get_session(seed_payload["sessionId"])
    assert isinstance(details, SessionDetails)
    assert details.session_id == seed_payload["sessionId"]
    assert details.full_name == seed_payload["fullName"]
    assert details.job_role == seed_payload["jobRole"]
    assert details.effective_status == "New"
    assert details.created_at is not None
    assert details.raw[contract.ENVELOPE_KEY]["topics"] == seed_payload["topics"]


def test_record_is_404_until_completed_then_normalised(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    session_id = client.create_session(seed_payload).session_id
    with pytest.raises(NotFoundError) as info:
        client.get_session_record(session_id)
    assert "record" in info.value.message
    control.complete(session_id)
    record = client.get_session_record(session_id)
    assert isinstance(record, SessionRecord)
    assert record.session_id == session_id
    assert record.video_link and record.audio_link
    assert isinstance(record.transcript, list) and record.transcript
    roles = {turn["role"] for turn in record.transcript}
    assert {"interviewer", "candidate"} <= roles
    assert client.get_session(session_id).effective_status == "Completed"


def test_create_raw_passes_the_dict_through(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    payload = dict(seed_payload, sessionId=str(uuid.uuid4()))
    body = client.create_session_raw(payload)
    assert isinstance(body, dict)
    assert body[contract.ENVELOPE_KEY]["sessionId"] == payload["sessionId"]
    assert control.stats()["sessionsCreated"] == 1


def test_session_id_is_path_escaped(client: SessionClient) -> None:
    for session_id in ("%2e%2e", "a?b=c", "a#b", "..x", "\u202eid"):
        with pytest.raises(NotFoundError):
            client.get_session(session_id)
    with pytest.raises(ValueError, match="session_id"):
        client.get_session("  ")


@pytest.mark.parametrize(
    "session_id",
    [".", "..", " .. ", "", "../auth/token", "a/b", "a\\b", "a\x00b", "a\nb", "\ud800", "x" * 201, None, 5],
    ids=[
        "dot",
        "dotdot",
        "spaced-dotdot",
        "empty",
        "walk-up",
        "slash",
        "backslash",
        "nul",
        "newline",
        "surrogate",
        "too-long",
        "none",
        "int",
    ],
)
def test_ids_that_cannot_name_a_session_are_refused_before_any_request(
    client: SessionClient, control: SandboxControl, session_id: Any
) -> None:
    for call in (client.get_session, client.get_session_record):
        with pytest.raises(InvalidPayloadError, match="session_id") as info:
            call(session_id)
        assert isinstance(info.value, ValueError)
        assert "sessionId that create_session returned" in str(info.value)  # the fix
    assert sum(control.stats()["requests"].values()) == 0  # not even a token call


NOT_JSON = {
    "nan": ({"duration": float("nan")}, "payload['duration'] is nan"),
    "infinity": ({"topics": [{"weightage": float("inf")}]}, "payload['topics'][0]['weightage'] is inf"),
    "set": ({"topics": {1, 2}}, "payload['topics'] is a set"),
    "bytes": ({"fullName": b"x"}, "payload['fullName'] is a bytes"),
    "tuple-key": ({(1, 2): "x"}, "tuple key"),
    "huge-int": ({"duration": 10**5000}, "payload['duration'] is an integer too long"),
}


@pytest.mark.parametrize("case", list(NOT_JSON))
def test_a_payload_that_is_not_json_fails_once_locally_naming_the_value(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any], case: str
) -> None:
    change, named = NOT_JSON[case]
    with pytest.raises(InvalidPayloadError) as info:
        client.create_session_raw({**seed_payload, **change})
    assert isinstance(info.value, ValueError)
    assert named in str(info.value)
    assert sum(control.stats()["requests"].values()) == 0  # nothing sent, so nothing retried


def test_a_deeply_nested_payload_fails_locally(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    deep: list[Any] = []
    cursor = deep
    for _ in range(5000):
        cursor.append([])
        cursor = cursor[0]
    looped: dict[str, Any] = {}
    looped["self"] = looped
    for bad in (deep, looped):
        with pytest.raises(InvalidPayloadError, match="nested|refers to itself") as info:
            client.create_session_raw(dict(seed_payload, topics=bad))
        assert len(str(info.value)) < 500
    assert sum(control.stats()["requests"].values()) == 0


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"weightage": 60}, "weightages add up to 120"),  # two topics of 60
        ({"allocated_time": 20}, "adds up to 40 minutes, more than the 30-minute duration"),
        ({}, "topic ids must be unique"),
    ],
)
def test_cross_topic_errors_are_reported_on_topics(
    seed_payload: dict[str, Any], change: dict[str, Any], named: str
) -> None:
    topic = dict(seed_payload["topics"][0], weightage=10, allocated_time=5)
    second = dict(topic, **change)
    if change:
        second["id"] = topic["id"] + "-2"
    payload = dict(seed_payload, duration=30, topics=[dict(topic, **change), second])
    with pytest.raises(ValidationError) as info:
        SessionInput.model_validate(payload)
    errors = info.value.errors()
    assert [e["loc"] for e in errors] == [("topics",)]
    assert named in errors[0]["msg"]
    assert "topics" in str(info.value)


def test_context_manager_closes_the_pool(sandbox_url: str, seed_payload: dict[str, Any]) -> None:
    with SessionClient(base_url=sandbox_url) as client:
        client.create_session(seed_payload)
        adapter = client._transport._session.get_adapter(sandbox_url)
        assert adapter.poolmanager.pools  # a kept-alive pool while open
    assert not adapter.poolmanager.pools
