"""Submitting a validated form: create the session at Aceint, then keep a row for it locally."""

from __future__ import annotations

from aceint_core import SessionClient
from aceint_core.models import SessionInput

from .repository import ScheduledSession, SessionRepository


def schedule(
    client: SessionClient, repo: SessionRepository, session: SessionInput, *, scheduled_by: str
) -> ScheduledSession:
    """Create the session (raises the SDK's typed errors) and store it with who scheduled it.

    The row is written only after Aceint accepted the session, so the local list never shows a
    session Aceint does not have; creating again with the same session id is idempotent.
    """
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
