"""What the Records page shows, computed without Streamlit: the table, status refresh, a record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import ValidationError

from aceint_core import SessionClient, errors
from aceint_core.models import CreatedSession, SessionInput, SessionRecord

from . import scheduling
from .api_errors import describe
from .repository import ScheduledSession, SessionRepository

TABLE_COLUMNS = {
    "full_name": "Candidate",
    "job_role": "Job role",
    "status": "Status",
    "created_at": "Created",
    "payload_created_by": "Created by",
    "created_by": "Scheduled by",
    "session_id": "Session ID",
}
"""Two different people: "Created by" is the payload's `createdBy` (what Aceint shows as the
interview's creator, typed in the form); "Scheduled by" is the dashboard user who sent it."""


def _cell(row: ScheduledSession, column: str) -> Any:
    if column == "payload_created_by":
        return str(row.payload.get("createdBy", "") or "")  # the wire key, as in schedule_form
    return getattr(row, column)


def table(rows: list[ScheduledSession]) -> pd.DataFrame:
    """The Records table: one line per session, newest first, times in UTC."""
    data = [{col: _cell(r, col) for col in TABLE_COLUMNS} for r in rows]
    frame = pd.DataFrame(data, columns=list(TABLE_COLUMNS))
    if not frame.empty:
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M UTC")
    return frame.rename(columns=TABLE_COLUMNS)


@dataclass
class RefreshReport:
    updated: int = 0
    unchanged: int = 0
    problems: dict[str, str] = field(default_factory=dict)
    confirmed: list[str] = field(default_factory=list)
    """Unconfirmed sessions found at Aceint (or sent again and created) during this refresh."""
    failed: list[str] = field(default_factory=list)
    """Unconfirmed sessions Aceint does not have and refused when they were sent again."""


def refresh_statuses(
    client: SessionClient, repo: SessionRepository, rows: list[ScheduledSession]
) -> RefreshReport:
    """Ask Aceint for each session's status and store it; one failing session does not stop the rest.

    An "Unconfirmed" row (a create whose outcome was unknown, see `dashboard.scheduling`) is
    settled here. The recruiter pressed "Schedule" for it and was told Refresh would confirm it,
    so the rule finishes what they asked for:

    - Aceint has the session: the row takes its status, and its candidate link (from the
      session if it carries one, else from sending the same create again, which Aceint answers
      with the existing session because the `sessionId` is the same);
    - Aceint has no such session: the same create is sent again, so the interview is scheduled
      as intended (it cannot be created twice: same `sessionId`); if Aceint refuses it (400,
      401, 403, 404, 409, 422) the row becomes "Failed" and the reason is in `problems`;
    - anything still ambiguous: the row stays "Unconfirmed" for the next refresh.
    """
    report = RefreshReport()
    for row in rows:
        if scheduling.needs_confirmation(row):
            _settle(client, repo, row, report)
            continue
        if row.status in scheduling.LOCAL_STATUSES:  # failed, or being sent right now
            report.unchanged += 1
            continue
        try:
            details = client.get_session(row.session_id)
        except errors.AceintError as exc:
            report.problems[row.session_id] = describe(exc)
            continue
        status = details.effective_status or row.status
        repo.update_status(row.session_id, status)
        if status != row.status:
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _settle(
    client: SessionClient, repo: SessionRepository, row: ScheduledSession, report: RefreshReport
) -> None:
    still = "Still unconfirmed (Refresh again later): "
    try:
        details = client.get_session(row.session_id)
    except errors.NotFoundError:
        details = None
    except errors.AceintError as exc:
        report.problems[row.session_id] = still + describe(exc)
        return
    if details is not None:
        try:  # if Aceint's getSession carries the candidate link, no second call is needed
            known = CreatedSession.from_response(details.raw)
        except (ValidationError, TypeError):
            pass
        else:
            _confirmed(repo, row, known.status, known.iframe_url, report)
            return
    try:
        created = client.create_session(SessionInput.model_validate(row.payload))
    except scheduling.DEFINITIVE_REFUSALS as exc:
        if details is not None:  # Aceint has it, but not with this payload: nothing to fix here
            report.problems[row.session_id] = still + describe(exc)
            return
        repo.mark(row.session_id, scheduling.FAILED)
        report.failed.append(row.session_id)
        report.updated += 1
        report.problems[row.session_id] = "Aceint does not have it and refused it: " + describe(exc)
        return
    except errors.AceintError as exc:
        report.problems[row.session_id] = still + describe(exc)
        return
    except ValueError as exc:  # the stored payload no longer validates
        report.problems[row.session_id] = f"Its stored payload is not valid any more: {exc}"
        return
    _confirmed(repo, row, created.status, created.iframe_url, report)


def _confirmed(
    repo: SessionRepository, row: ScheduledSession, status: str, link: str, report: RefreshReport
) -> None:
    repo.confirm(row.session_id, status=status, iframe_url=link)
    report.confirmed.append(row.session_id)
    report.updated += 1


@dataclass
class RecordLookup:
    """A session's record, or why there is none."""

    record: SessionRecord | None = None
    not_completed: bool = False
    problem: str | None = None


def fetch_record(client: SessionClient, session_id: str) -> RecordLookup:
    """The record of a completed interview; a 404 means "not completed yet", not a failure."""
    try:
        return RecordLookup(record=client.get_session_record(session_id))
    except errors.NotFoundError:
        return RecordLookup(not_completed=True)
    except errors.AceintError as exc:
        return RecordLookup(problem=describe(exc))


FINAL_STATUSES = frozenset({"Completed", "Expired", "Cancelled", scheduling.FAILED})
"""Statuses a session does not leave, so the page stops asking Aceint about them."""


def fetch_record_cached(
    client: SessionClient, session_id: str, cache: dict[str, RecordLookup]
) -> RecordLookup:
    """Like fetch_record, but a record once found is kept in `cache` (a finished interview's
    record does not change), so searching its transcript does not call Aceint on every rerun."""
    if session_id in cache:
        return cache[session_id]
    lookup = fetch_record(client, session_id)
    if lookup.record is not None:
        cache[session_id] = lookup
    return lookup


def session_label(row: ScheduledSession) -> str:
    return f"{row.full_name} — {row.job_role} — {row.status} — {row.session_id[:8]}"


def option_map(rows: list[ScheduledSession]) -> dict[str, Any]:
    return {row.session_id: session_label(row) for row in rows}
