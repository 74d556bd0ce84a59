"""Retry policy, idempotent creates, timeouts and error mapping, against sandbox faults.

Request counts come from GET /sandbox/stats, so "not retried" means the server saw one request.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from aceint_core import (
    APIConnectionError,
    APITimeoutError,
    ConflictError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    SessionClient,
)
from aceint_core.errors import APIStatusError

from .sandbox_control import SandboxControl

CREATE = "POST /sessions"
GET = "GET /sessions/{session_id}"


@pytest.fixture
def session_id(client: SessionClient, seed_payload: dict[str, Any]) -> str:
    return client.create_session(seed_payload).session_id


def test_503_twice_then_success(client: SessionClient, control: SandboxControl, session_id: str) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="status", status=503, count=2)
    assert client.get_session(session_id).session_id == session_id
    assert control.requests_to(GET) == 3


def test_503_three_times_exhausts_two_retries(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="status", status=503, count=3)
    with pytest.raises(ServerError) as info:
        client.get_session(session_id)
    assert info.value.status_code == 503
    assert control.requests_to(GET) == 3


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_other_retryable_statuses(
    client: SessionClient, control: SandboxControl, session_id: str, status: int
) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="status", status=status, count=1)
    client.get_session(session_id)
    assert control.requests_to(GET) == 2


def test_max_retries_zero_turns_retries_off(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(max_retries=0)
    session_id = client.create_session(seed_payload).session_id
    control.reset_stats()
    control.fail_next(GET, kind="status", status=503, count=1)
    with pytest.raises(ServerError):
        client.get_session(session_id)
    assert control.requests_to(GET) == 1


def test_429_waits_for_retry_after(client: SessionClient, control: SandboxControl, session_id: str) -> None:
    control.reset_stats()
    control.set_faults(retry_after=1, fail_next=[{"route": GET, "kind": "rate_limit", "count": 1}])
    started = time.monotonic()
    client.get_session(session_id)
    waited = time.monotonic() - started
    assert control.requests_to(GET) == 2
    assert waited >= 0.95  # honoured the server's 1 s, not the 0.02 s backoff


def test_retry_after_is_capped(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    policy = RetryPolicy(max_retries=1, backoff_initial=0.01, retry_after_cap=0.2)
    client = make_client(retry_policy=policy)
    session_id = client.create_session(seed_payload).session_id
    control.set_faults(retry_after=30, fail_next=[{"route": GET, "kind": "rate_limit", "count": 1}])
    started = time.monotonic()
    client.get_session(session_id)
    assert time.monotonic() - started < 2.0


def test_429_that_persists_is_a_rate_limit_error(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.set_faults(retry_after=0, fail_next=[{"route": GET, "kind": "rate_limit", "count": 5}])
    with pytest.raises(RateLimitError) as info:
        client.get_session(session_id)
    assert info.value.status_code == 429
    assert info.value.retry_after == 0


def test_404_is_not_retried(client: SessionClient, control: SandboxControl) -> None:
    client.tokens.token()
    control.reset_stats()
    with pytest.raises(NotFoundError) as info:
        client.get_session(str(uuid.uuid4()))
    assert info.value.status_code == 404 and info.value.message
    assert control.requests_to(GET) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, InvalidRequestError), (404, NotFoundError), (409, ConflictError), (422, InvalidRequestError)],
)
def test_injected_client_errors_are_not_retried(
    client: SessionClient, control: SandboxControl, session_id: str, status: int, error: type
) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="status", status=status, count=3)
    with pytest.raises(error) as info:
        client.get_session(session_id)
    assert info.value.status_code == status
    assert control.requests_to(GET) == 1


def test_409_for_a_different_payload_under_an_existing_id(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client.create_session(seed_payload)
    changed = dict(seed_payload, fullName="Someone Else")
    control.reset_stats()
    with pytest.raises(ConflictError) as info:
        client.create_session(changed)
    assert info.value.status_code == 409 and info.value.code
    assert control.requests_to(CREATE) == 1


def test_422_carries_the_servers_field_messages(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    bad = dict(seed_payload)
    del bad["jobRole"]
    client.tokens.token()
    control.reset_stats()
    with pytest.raises(InvalidRequestError) as info:
        client.create_session_raw(bad)
    assert info.value.status_code == 422
    assert any("jobRole" in str(f.get("field")) for f in info.value.fields)
    assert "jobRole" in str(info.value)
    assert control.requests_to(CREATE) == 1


def test_same_payload_again_returns_the_same_session(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    first = client.create_session(seed_payload)
    second = client.create_session(seed_payload)
    assert second.session_id == first.session_id == seed_payload["sessionId"]
    assert control.stats()["sessionsCreated"] == 1


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_create_retried_after_a_lost_response_makes_one_session(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any], kind: str
) -> None:
    payload = dict(seed_payload)
    del payload["sessionId"]  # generated by the SDK, once per call
    client.tokens.token()
    control.reset_stats()
    control.fail_next(CREATE, kind=kind, status=503, count=2, phase="after")
    created = client.create_session(payload)
    stats = control.stats()
    assert stats["requests"][CREATE] == 3
    assert stats["sessionsCreated"] == 1
    listed = [
        s for s in control.sessions() if (s.get("sessionId") or s.get("session_id")) == created.session_id
    ]
    assert len(listed) == 1
    assert len(control.sessions()) == 1


def test_each_create_call_gets_its_own_idempotency_key(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    payload = dict(seed_payload)
    del payload["sessionId"]
    one = client.create_session(payload)
    two = client.create_session(payload)
    assert one.session_id != two.session_id
    stats = control.stats()
    assert stats["sessionsCreated"] == 2
    assert stats.get("idempotentReplays", 0) == 0


def test_create_raw_retried_after_a_lost_response(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client.tokens.token()
    control.reset_stats()
    control.fail_next(CREATE, kind="status", status=502, count=1, phase="after")
    body = client.create_session_raw(seed_payload)
    assert body["data"]["sessionId"] == seed_payload["sessionId"]
    assert control.stats()["sessionsCreated"] == 1


def test_slow_response_beyond_read_timeout_is_a_timeout(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(timeout=(2.0, 0.3), retry_policy=RetryPolicy(max_retries=1, backoff_initial=0.01))
    session_id = client.create_session(seed_payload).session_id
    control.reset_stats()
    control.set_faults(slow_seconds=1.0, fail_next=[{"route": GET, "kind": "slow", "count": 2}])
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        client.get_session(session_id)
    elapsed = time.monotonic() - started
    assert "read timeout" in str(info.value)
    assert control.requests_to(GET) == 2
    assert elapsed < 1.5  # gave up at the read timeout, did not wait for the slow answer


def test_one_slow_response_is_retried(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(timeout=(2.0, 0.3))
    session_id = client.create_session(seed_payload).session_id
    control.set_faults(slow_seconds=1.0, fail_next=[{"route": GET, "kind": "slow", "count": 1}])
    assert client.get_session(session_id).session_id == session_id


def test_dropped_connections_are_retried_then_typed(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="drop", count=1)
    assert client.get_session(session_id).session_id == session_id
    control.fail_next(GET, kind="drop", count=3)
    with pytest.raises(APIConnectionError) as info:
        client.get_session(session_id)
    assert not isinstance(info.value, APITimeoutError)
    assert control.requests_to(GET) == 5


def test_nothing_listening_is_a_connection_error() -> None:
    client = SessionClient(
        base_url="http://127.0.0.1:9/backend/api/v1",
        timeout=(0.5, 0.5),
        retry_policy=RetryPolicy(max_retries=1, backoff_initial=0.01),
    )
    with pytest.raises(APIConnectionError) as info:
        client.get_session("x")
    assert "POST /auth/token" in str(info.value)
    client.close()


def test_malformed_json_on_a_read_is_retried(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="malformed", count=1)
    assert client.get_session(session_id).session_id == session_id
    assert control.requests_to(GET) == 2


def test_malformed_json_every_time_is_a_malformed_response(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.reset_stats()
    control.fail_next(GET, kind="malformed", count=3)
    with pytest.raises(MalformedResponseError) as info:
        client.get_session(session_id)
    assert isinstance(info.value, APIStatusError) and 200 <= info.value.status_code < 300
    assert control.requests_to(GET) == 3


def test_malformed_json_on_a_create_is_retried_with_the_same_key(
    client: SessionClient, control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    control.reset_stats()
    control.fail_next(CREATE, kind="malformed", count=1, phase="after")
    created = client.create_session(seed_payload)
    assert created.session_id == seed_payload["sessionId"]
    assert control.requests_to(CREATE) == 2
    assert control.stats()["sessionsCreated"] == 1


def test_malformed_json_on_a_token_issue_is_not_retried(control: SandboxControl, sandbox_url: str) -> None:
    control.reset_stats()
    control.fail_next("POST /auth/token", kind="malformed", count=1)
    client = SessionClient(base_url=sandbox_url, retry_policy=RetryPolicy(backoff_initial=0.01))
    with pytest.raises(MalformedResponseError):
        client.get_session(str(uuid.uuid4()))
    assert control.requests_to("POST /auth/token") == 1
    client.close()
