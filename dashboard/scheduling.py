"""Submitting a validated form: keep a local row for the session, then create it at Aceint.

A create can fail in a way that says nothing about what Aceint did: the request may have been
processed and only its answer lost (a dropped connection, a timeout, a 5xx from a proxy, a
garbled body). Writing the row only after a success would then lose a session Aceint has. So
the row is written first, as "Submitting", and the create's outcome decides what becomes of it:

- success: the row takes Aceint's status and the candidate link;
- a definitive refusal (400/401/403/404/409/422: Aceint did not take it): the row is removed, or
  put back as it was if this was a resubmission, so nothing is shown that Aceint does not have;
- anything else: the row stays, as "Unconfirmed", and `records.refresh_statuses` settles it
  later (the create is idempotent on `sessionId`, so settling it can never make a second one).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aceint_core import SessionClient, errors
from aceint_core.models import SessionInput

from .repository import ScheduledSession, SessionRepository

SUBMITTING = "Submitting"
"""The create is being sent right now (or the process died while sending it)."""
UNCONFIRMED = "Unconfirmed"
"""The create failed in a way that does not say whether Aceint created the session."""
FAILED = "Failed"
"""Refresh found that Aceint does not have the session and refused to create it."""
LOCAL_STATUSES = (SUBMITTING, UNCONFIRMED, FAILED)
"""Statuses the dashboard sets itself; every other status is one Aceint reported."""

SUBMITTING_STALE_AFTER = timedelta(minutes=10)
"""A row still "Submitting" after this long was left by a process that stopped mid-create
(a create with the default timeouts and retries gives up within about two minutes)."""

DEFINITIVE_REFUSALS: tuple[type[errors.AceintError], ...] = (
    errors.InvalidRequestError,  # 400, 422
    errors.AuthenticationError,  # 401
    errors.PermissionDeniedError,  # 403
    errors.NotFoundError,  # 404: no such route there, so nothing was created
    errors.ConflictError,  # 409: the id is taken by another payload
)
"""Errors after which Aceint certainly has no session from this request. A retry that follows
an attempt Aceint did process is answered as a success (same sessionId and Idempotency-Key),
so one of these at the end of the retries means the request was not taken."""


class NotSent(errors.AceintError):
    """The create was never sent: getting an access token failed first. Nothing can have been
    created, so no row is kept; `cause` is the SDK's error (also the `__cause__`)."""

    def __init__(self, cause: errors.AceintError) -> None:
        super().__init__(str(cause))
        self.cause = cause


def sign_in(client: SessionClient) -> None:
    """Get (or reuse) the access token before the create, so a failure to reach the token route
    is known to have sent nothing. Inside create_session a token failure is ambiguous: it can
    follow a 401 on a create attempt whose earlier, lost attempt Aceint may have processed."""
    try:
        client.authenticate()
    except errors.AceintError as exc:
        raise NotSent(exc) from exc


def schedule(
    client: SessionClient, repo: SessionRepository, session: SessionInput, *, scheduled_by: str
) -> ScheduledSession:
    """Create the session and keep its row; raises NotSent or the SDK's typed errors.

    After an error, `repo.get(session.session_id)` tells the caller what is known: no row (or
    the earlier row, unchanged) when the create was not sent or Aceint refused it, a row with
    status `UNCONFIRMED` when the outcome is unknown.
    """
    session_id = session.session_id
    sign_in(client)  # before any row is written: NotSent leaves the repository as it was
    previous = repo.get(session_id)
    if previous is not None and previous.status not in LOCAL_STATUSES:
        # Aceint already has this id, so sending it again cannot create anything new: the row
        # is only updated by a success and stays as it is after any failure (e.g. a 409).
        created = client.create_session(session)
        return repo.add(
            session_id=created.session_id,
            full_name=session.full_name,
            job_role=session.job_role,
            status=created.status,
            created_by=scheduled_by,
            iframe_url=created.iframe_url,
            payload=session.to_wire(),
        )
    repo.begin_submission(
        session_id=session_id,
        full_name=session.full_name,
        job_role=session.job_role,
        status=SUBMITTING,
        created_by=scheduled_by,
        payload=session.to_wire(),
    )
    try:
        created = client.create_session(session)
    except DEFINITIVE_REFUSALS:
        if previous is None:
            repo.delete(session_id)
        else:
            repo.restore(previous)
        raise
    except BaseException:
        repo.mark(session_id, UNCONFIRMED)
        raise
    return repo.confirm(session_id, status=created.status, iframe_url=created.iframe_url)


def needs_confirmation(row: ScheduledSession, *, now: datetime | None = None) -> bool:
    """Whether refresh must settle this row with Aceint: unconfirmed, or a stale submission."""
    if row.status == UNCONFIRMED:
        return True
    if row.status == SUBMITTING:
        return (now or datetime.now(UTC)) - row.created_at > SUBMITTING_STALE_AFTER
    return False
