"""A create whose outcome is unknown is never lost: scheduling keeps the row as "Unconfirmed" and
Refresh statuses settles it with the sandbox. Deterministic `fail_next` faults, real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from aceint_core import SessionClient, errors
from aceint_core.models import SessionInput
from aceint_core.transport import RetryPolicy
from dashboard import records, scheduling
from dashboard.repository import SessionRepository
from tests.core.sandbox_control import SandboxControl

from .conftest import click, import_payload, log_in, shown, widget

CREATE = "POST /sessions"
GET = "GET /sessions/{session_id}"
ATTEMPTS = 3  # max_retries=2
FAST = RetryPolicy(max_retries=ATTEMPTS - 1, backoff_initial=0.01, backoff_max=0.05)
OTHER_ID = "6f1c2b7e-3d4a-4b5c-8d9e-0a1b2c3d4e5f"


@pytest.fixture
def control(sandbox_url: str) -> Iterator[SandboxControl]:
    ctl = SandboxControl(sandbox_url)
    yield ctl
    ctl.close()


@pytest.fixture
def client(sandbox_url: str) -> Iterator[SessionClient]:
    with SessionClient(base_url=sandbox_url, timeout=(2, 2), retry_policy=FAST) as c:
        yield c


@pytest.fixture
def repo(tmp_path) -> Iterator[SessionRepository]:
    r = SessionRepository.open(f"sqlite:///{tmp_path / 'dashboard.db'}")
    yield r
    r.close()


def _sandbox_ids(control: SandboxControl) -> dict[str, dict[str, Any]]:
    return {s["sessionId"]: s for s in control.sessions()}


def _unconfirmed(client, repo, control, payload: dict, **fault: Any) -> Exception:
    """Schedule `payload` while every attempt of the create meets `fault`; return the error."""
    control.fail_next(CREATE, count=ATTEMPTS, **fault)
    with pytest.raises(errors.AceintError) as caught:
        scheduling.schedule(client, repo, SessionInput.model_validate(payload), scheduled_by="alice")
    row = repo.get(payload["sessionId"])
    assert row is not None and row.status == scheduling.UNCONFIRMED
    assert row.created_by == "alice" and row.payload == SessionInput.model_validate(payload).to_wire()
    assert row.iframe_url == ""
    return caught.value


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"kind": "drop"}, errors.APIConnectionError),
        ({"kind": "status", "status": 503}, errors.ServerError),
    ],
)
def test_lost_answer_after_aceint_created_it_is_kept_then_confirmed(
    client, repo, control, seed_payload, fault, expected
):
    error = _unconfirmed(client, repo, control, seed_payload, phase="after", **fault)
    assert isinstance(error, expected)
    sid = seed_payload["sessionId"]
    assert set(_sandbox_ids(control)) == {sid}, "the sandbox processed the create"

    report = records.refresh_statuses(client, repo, repo.sessions())
    assert report.confirmed == [sid] and not report.problems and not report.failed
    row = repo.get(sid)
    sandbox = _sandbox_ids(control)[sid]
    assert row.status == sandbox["status"] == "New"
    assert row.iframe_url == sandbox["iframeUrl"] != ""
    assert row.last_synced_at is not None
    assert control.stats()["sessionsCreated"] == 1, "confirming it made no second session"


def test_malformed_answer_after_the_create_is_retried_then_unconfirmed(client, repo, control, seed_payload):
    # A garbled 2xx to a create is retried by the SDK (the Idempotency-Key makes a repeat safe):
    # one garbled answer is absorbed, and the sandbox still holds exactly one session.
    control.fail_next(CREATE, kind="malformed", phase="after")
    row = scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="alice")
    assert row.status == "New" and set(_sandbox_ids(control)) == {seed_payload["sessionId"]}
    assert control.stats()["sessionsCreated"] == 1

    # Every attempt garbled: the outcome is unknown, so the row is kept Unconfirmed, then settled.
    other = dict(seed_payload, sessionId=OTHER_ID)
    control.fail_next(CREATE, kind="malformed", count=ATTEMPTS, phase="after")
    with pytest.raises(errors.MalformedResponseError):
        scheduling.schedule(client, repo, SessionInput.model_validate(other), scheduled_by="alice")
    assert repo.get(OTHER_ID).status == scheduling.UNCONFIRMED
    records.refresh_statuses(client, repo, repo.sessions())
    assert repo.get(OTHER_ID).status == "New"
    assert control.stats()["sessionsCreated"] == 2


def test_create_that_never_reached_aceint_is_sent_again_by_refresh(client, repo, control, seed_payload):
    _unconfirmed(client, repo, control, seed_payload, kind="status", status=503, phase="before")
    assert _sandbox_ids(control) == {}, "nothing was processed"

    report = records.refresh_statuses(client, repo, repo.sessions())
    sid = seed_payload["sessionId"]
    assert report.confirmed == [sid]
    sandbox = _sandbox_ids(control)
    assert set(sandbox) == {sid}
    assert repo.get(sid).iframe_url == sandbox[sid]["iframeUrl"]
    assert repo.get(sid).status == "New"
    assert control.stats()["sessionsCreated"] == 1


def test_ambiguous_refresh_leaves_it_unconfirmed_for_next_time(client, repo, control, seed_payload):
    _unconfirmed(client, repo, control, seed_payload, kind="drop", phase="after")
    control.fail_next(GET, count=ATTEMPTS, kind="status", status=502)
    report = records.refresh_statuses(client, repo, repo.sessions())
    sid = seed_payload["sessionId"]
    assert repo.get(sid).status == scheduling.UNCONFIRMED
    assert report.problems[sid].startswith("Still unconfirmed") and not report.confirmed

    assert records.refresh_statuses(client, repo, repo.sessions()).confirmed == [sid]
    assert repo.get(sid).status == "New"


def test_refresh_marks_failed_when_aceint_lacks_it_and_refuses_it(client, repo, control, seed_payload):
    _unconfirmed(client, repo, control, seed_payload, kind="status", status=503, phase="before")
    control.fail_next(CREATE, kind="status", status=422)
    report = records.refresh_statuses(client, repo, repo.sessions())
    sid = seed_payload["sessionId"]
    assert report.failed == [sid] and "refused" in report.problems[sid]
    assert repo.get(sid).status == scheduling.FAILED
    assert _sandbox_ids(control) == {}

    # A failed row is not asked about again (nothing to ask), and is no problem any more.
    before = control.stats()["requests"]
    again = records.refresh_statuses(client, repo, repo.sessions())
    assert not again.problems and again.unchanged == 1
    assert control.stats()["requests"] == before

    # Scheduling it again (same id) replaces the failed row and creates it.
    row = scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="bob")
    assert (row.status, row.created_by) == ("New", "bob") and set(_sandbox_ids(control)) == {sid}


def test_definitive_refusal_leaves_no_row(client, repo, control, seed_payload):
    # Aceint holds another payload under OTHER_ID; scheduling ours under it is a 409.
    client.create_session(dict(seed_payload, sessionId=OTHER_ID, fullName="Someone Else"))
    ours = SessionInput.model_validate(dict(seed_payload, sessionId=OTHER_ID))
    with pytest.raises(errors.ConflictError):
        scheduling.schedule(client, repo, ours, scheduled_by="alice")
    assert repo.get(OTHER_ID) is None and repo.count() == 0

    control.fail_next(CREATE, kind="status", status=422)
    with pytest.raises(errors.InvalidRequestError):
        scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="alice")
    assert repo.count() == 0


def test_refused_resubmission_puts_the_unconfirmed_row_back(client, repo, control, seed_payload):
    _unconfirmed(client, repo, control, seed_payload, kind="status", status=503, phase="before")
    original = repo.get(seed_payload["sessionId"])
    control.fail_next(CREATE, kind="status", status=403)
    with pytest.raises(errors.PermissionDeniedError):
        scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="bob")
    assert repo.get(seed_payload["sessionId"]) == original


def test_confirmed_row_is_untouched_by_a_failed_resubmission(client, repo, control, seed_payload):
    first = scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="alice")
    control.fail_next(CREATE, count=ATTEMPTS, kind="drop", phase="before")
    with pytest.raises(errors.APIConnectionError):
        scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="bob")
    assert repo.get(seed_payload["sessionId"]) == first


def test_stale_submission_is_settled_but_a_fresh_one_is_left_alone(client, repo, control, seed_payload):
    payload = SessionInput.model_validate(seed_payload)
    row = repo.begin_submission(
        session_id=payload.session_id,
        full_name=payload.full_name,
        job_role=payload.job_role,
        status=scheduling.SUBMITTING,
        created_by="alice",
        payload=payload.to_wire(),
    )
    assert not scheduling.needs_confirmation(row)
    assert records.refresh_statuses(client, repo, [row]).unchanged == 1
    assert _sandbox_ids(control) == {}
    later = row.created_at + scheduling.SUBMITTING_STALE_AFTER + timedelta(seconds=1)
    assert scheduling.needs_confirmation(row, now=later)


def test_schedule_page_says_unconfirmed_and_refresh_confirms_it(dashboard_env, app, seed_payload):
    control = SandboxControl(dashboard_env.base_url)
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    control.fail_next(CREATE, count=ATTEMPTS, kind="drop", phase="after")
    click(app, "Schedule interview")
    assert not app.exception
    warnings = " ".join(w.value for w in app.warning)
    assert "may or may not have created" in warnings and "Refresh statuses" in warnings
    assert not any("was not scheduled" in e.value for e in app.error)
    assert not any("Scheduled the interview" in s.value for s in app.success)
    sid = seed_payload["sessionId"]
    assert dashboard_env.repository().get(sid).status == scheduling.UNCONFIRMED

    app.switch_page("screens/records.py").run()
    assert not app.exception
    click(app, "Refresh statuses")
    assert not app.exception
    row = dashboard_env.repository().get(sid)
    assert row.status == "New"
    assert row.iframe_url == _sandbox_ids(control)[sid]["iframeUrl"]
    assert control.stats()["sessionsCreated"] == 1
    control.close()


TOKEN = "POST /auth/token"


@pytest.mark.parametrize(
    ("fault", "expected"),
    [({"kind": "drop"}, errors.APIConnectionError), ({"kind": "status", "status": 503}, errors.ServerError)],
)
def test_sign_in_failure_sends_nothing_and_keeps_no_row(client, repo, control, seed_payload, fault, expected):
    control.fail_next(TOKEN, count=ATTEMPTS, **fault)
    with pytest.raises(scheduling.NotSent) as caught:
        scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="alice")
    assert isinstance(caught.value.cause, expected)
    assert repo.get(seed_payload["sessionId"]) is None, "nothing was sent, so nothing is kept"
    assert control.requests_to(CREATE) == 0 and _sandbox_ids(control) == {}
    # Once Aceint can be reached again the same form schedules normally.
    row = scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="alice")
    assert row.status == "New" and set(_sandbox_ids(control)) == {seed_payload["sessionId"]}


def test_sign_in_failure_on_a_resubmission_leaves_the_earlier_row_as_it_was(
    client, repo, control, seed_payload
):
    _unconfirmed(client, repo, control, seed_payload, kind="drop", phase="before")
    before = repo.get(seed_payload["sessionId"])
    client.revoke()  # the next schedule has to sign in again
    control.fail_next(TOKEN, count=ATTEMPTS, kind="drop")
    with pytest.raises(scheduling.NotSent):
        scheduling.schedule(client, repo, SessionInput.model_validate(seed_payload), scheduled_by="bob")
    assert repo.get(seed_payload["sessionId"]) == before


def test_schedule_page_says_nothing_was_created_when_sign_in_fails(dashboard_env, app, seed_payload):
    control = SandboxControl(dashboard_env.base_url)
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    control.fail_next(TOKEN, count=ATTEMPTS, kind="drop")
    click(app, "Schedule interview")
    assert not app.exception
    errors_shown = [shown(e.value) for e in app.error]
    assert any(
        "Could not reach Aceint to sign in" in e and "nothing was created" in e for e in errors_shown
    ), errors_shown
    assert not any("may or may not" in w.value for w in app.warning)
    assert dashboard_env.repository().get(seed_payload["sessionId"]) is None
    assert control.requests_to(CREATE) == 0
    assert widget(app, "text_input", "Candidate full name").value == seed_payload["fullName"]
    click(app, "Schedule interview")  # the form was kept: pressing again schedules it
    assert any("Scheduled the interview" in s.value for s in app.success)
    control.close()
