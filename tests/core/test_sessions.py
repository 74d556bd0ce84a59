"""The session calls end to end against the sandbox: create (typed and raw), get, record."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from aceint_core import (
    CreatedSession,
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
    with pytest.raises(NotFoundError):
        client.get_session("../auth/token")
    with pytest.raises(ValueError, match="session_id"):
        client.get_session("  ")


def test_context_manager_closes_the_pool(sandbox_url: str, seed_payload: dict[str, Any]) -> None:
    with SessionClient(base_url=sandbox_url) as client:
        client.create_session(seed_payload)
        adapter = client._transport._session.get_adapter(sandbox_url)
        assert adapter.poolmanager.pools  # a kept-alive pool while open
    assert not adapter.poolmanager.pools
