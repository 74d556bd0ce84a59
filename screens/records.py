"""Records: every interview scheduled here, its status, and the record of a completed one."""

from __future__ import annotations

import streamlit as st

from aceint_core import contract
from aceint_core.transcripts import TranscriptFormatError, parse_transcript
from dashboard import records
from dashboard.context import page_context
from dashboard.csv_export import records_to_csv
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
        st.warning(f"{session_id}: {problem}")

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
if row.status not in records.FINAL_STATUSES and records.refresh_statuses(ctx.client, ctx.repo, [row]).updated:
    row = ctx.repo.get(row.session_id) or row  # the open session's status is always current

st.subheader(f"{row.full_name} — {row.job_role}")
st.caption(f"Session {row.session_id} · scheduled by {row.created_by} · status {row.status}")
lookup = records.fetch_record_cached(
    ctx.client, row.session_id, st.session_state.setdefault(RECORD_CACHE, {})
)
if lookup.problem:
    st.error(f"Could not load the record. {lookup.problem}")
elif lookup.not_completed:
    st.info("This interview is not completed yet: there is no record, transcript or recording so far.")
elif lookup.record is not None:
    record = lookup.record
    m1, m2 = st.columns(2)
    m1.metric("Category", record.category or "—")
    m2.metric("Sub-category", record.sub_category or "—")
    try:
        transcript = parse_transcript(record.transcript)
    except TranscriptFormatError as exc:
        st.error(f"The record's transcript could not be read: {exc}")
    else:
        render_transcript_viewer(
            transcript,
            audio_url=record.audio_link,
            video_url=record.video_link,
            key=f"record-{row.session_id}",
        )

st.divider()
st.subheader("Attached transcript")
attached = ctx.repo.attached_transcript(row.session_id)
if attached is not None:
    st.caption(f"{attached.filename}, uploaded by {attached.uploaded_by}")
    try:
        render_transcript_viewer(parse_transcript(attached.text), key=f"attached-{row.session_id}")
    except TranscriptFormatError as exc:
        st.error(f"The attached transcript could not be read: {exc}")
upload = st.file_uploader(
    "Attach transcript file (for an interview recorded elsewhere)",
    type=["json", "vtt", "srt", "txt", "csv"],
    key=f"records.attach.{row.session_id}",
)
if upload is not None and st.button("Save attached transcript", key=f"records.attach_save.{row.session_id}"):
    text = upload.getvalue().decode("utf-8", errors="replace")
    try:
        parsed = parse_transcript(text)
    except TranscriptFormatError as exc:
        st.error(f"{upload.name} is not a transcript this dashboard can read: {exc}")
    else:
        ctx.repo.attach_transcript(row.session_id, filename=upload.name, text=text, uploaded_by=ctx.username)
        st.success(f"Attached {upload.name} ({len(parsed.turns)} turns).")
        st.rerun()
