"""Records: every interview scheduled here, its status, and the record of a completed one."""

from __future__ import annotations

import streamlit as st

from aceint_core import contract
from aceint_core.transcripts import TranscriptFormatError, parse_transcript
from dashboard import records
from dashboard.attachments import showable
from dashboard.context import page_context
from dashboard.csv_export import records_to_csv
from dashboard.download_names import record_stem
from dashboard.widgets.attached_transcript import render_attached_transcript
from dashboard.widgets.text import plain
from dashboard.widgets.transcript_viewer import render_transcript_viewer

ALL = "All statuses"
RECORD_CACHE = "records.cache"

ctx = page_context()
st.title("Interview records")

c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
search = c1.text_input(
    "Search interviews", placeholder="candidate, job role, creator or session id", key="records.search"
)
status_choices = [ALL, *dict.fromkeys([*contract.SESSION_STATUSES, *ctx.repo.statuses()])]
status = c2.selectbox("Status", status_choices, key="records.status")
if c3.button("Refresh statuses", key="records.refresh"):
    with st.spinner("Asking Aceint for each session's status…"):
        report = records.refresh_statuses(ctx.client, ctx.repo, ctx.repo.sessions())
        st.session_state.pop(RECORD_CACHE, None)
    st.toast(f"Statuses refreshed: {report.updated} changed, {report.unchanged} unchanged.")
    for session_id, problem in report.problems.items():
        st.warning(f"{plain(session_id)}: {plain(problem)}")

rows = ctx.repo.sessions(search=search, status=None if status == ALL else status)
if rows:
    # The open session's status is asked for before anything is drawn, so the table, the
    # picker and the details below all show the same status in this run.
    open_id = st.session_state.get("records.session")
    open_row = next((r for r in rows if r.session_id == open_id), rows[0])
    if (
        open_row.status not in records.FINAL_STATUSES
        and records.refresh_statuses(ctx.client, ctx.repo, [open_row]).updated
    ):
        rows = ctx.repo.sessions(search=search, status=None if status == ALL else status)
frame = records.table(rows)
st.dataframe(frame, hide_index=True, width="stretch")
st.download_button(
    "Download table (CSV)",
    data=records_to_csv(frame),
    file_name="aceint-interviews.csv",
    mime="text/csv",
    key="records.csv",
    on_click="ignore",
    disabled=not rows,
)
if not rows:
    st.info(
        "No interviews match." if ctx.repo.count() else "No interviews scheduled from this dashboard yet."
    )
    st.stop()

labels = records.option_map(rows)
chosen = st.selectbox("Open a record", list(labels), format_func=labels.get, key="records.session")
row = next(r for r in rows if r.session_id == chosen)

st.subheader(f"{plain(row.full_name)} — {plain(row.job_role)}")
st.caption(
    f"Session {plain(row.session_id)} · scheduled by {plain(row.created_by)} · status {plain(row.status)}"
)
lookup = records.fetch_record_cached(
    ctx.client, row.session_id, st.session_state.setdefault(RECORD_CACHE, {})
)
if lookup.problem:
    st.error(f"Could not load the record. {plain(lookup.problem)}")
elif lookup.not_completed:
    st.info("This interview is not completed yet: there is no record, transcript or recording so far.")
elif lookup.record is not None:
    record = lookup.record
    try:
        m1, m2 = st.columns(2)
        m1.metric("Category", record.category or "—")
        m2.metric("Sub-category", record.sub_category or "—")
        transcript = showable(parse_transcript(record.transcript))
        render_transcript_viewer(
            transcript,
            audio_url=record.audio_link,
            video_url=record.video_link,
            key=f"record-{row.session_id}",
            file_stem=record_stem(row.full_name, row.session_id),
        )
    except TranscriptFormatError as exc:
        st.error(f"The record's transcript could not be read: {plain(exc)}")
    except Exception as exc:  # noqa: BLE001 - one record that cannot be shown must not break the page
        st.error(
            f"The record of this interview could not be shown ({type(exc).__name__}); the rest of "
            "the page still works, and it is fetched again on the next click."
        )
        st.session_state.get(RECORD_CACHE, {}).pop(row.session_id, None)

st.divider()
render_attached_transcript(ctx.repo, row, username=ctx.username)
