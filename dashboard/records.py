"""What the Records page shows, computed without Streamlit: the table, status refresh, a record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from aceint_core import SessionClient, errors
from aceint_core.models import SessionRecord

from .api_errors import describe
from .repository import ScheduledSession, SessionRepository

TABLE_COLUMNS = {
    "full_name": "Candidate",
    "job_role": "Job role",
    "status": "Status",
    "created_at": "Created",
    "created_by": "Created by",
    "session_id": "Session ID",
}


def table(rows: list[ScheduledSession]) -> pd.DataFrame:
    """The Records table: one line per session, newest first, times in UTC."""
    data = [{col: getattr(r, col) for col in TABLE_COLUMNS} for r in rows]
    frame = pd.DataFrame(data, columns=list(TABLE_COLUMNS))
    if not frame.empty:
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M UTC")
    return frame.rename(columns=TABLE_COLUMNS)


@dataclass
class RefreshReport:
    updated: int = 0
    unchanged: int = 0
    problems: dict[str, str] = field(default_factory=dict)


def refresh_statuses(
    client: SessionClient, repo: SessionRepository, rows: list[ScheduledSession]
) -> RefreshReport:
    """Ask Aceint for each session's status and store it; one failing session does not stop the rest."""
    report = RefreshReport()
    for row in rows:
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


FINAL_STATUSES = frozenset({"Completed", "Expired", "Cancelled"})
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
