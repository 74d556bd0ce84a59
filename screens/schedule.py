"""Schedule an interview: the session form, the topic builder, import/export and the live payload."""

from __future__ import annotations

import streamlit as st

from aceint_core import errors
from dashboard import schedule_form, scheduling
from dashboard.api_errors import describe, describe_not_sent, describe_unconfirmed
from dashboard.context import page_context
from dashboard.widgets import form_state
from dashboard.widgets.payload_io import render_import, render_preview_and_export
from dashboard.widgets.session_fields import render_session_fields
from dashboard.widgets.text import plain
from dashboard.widgets.topic_builder import render_topic_builder

LAST_KEY = form_state.RESULT_KEY

ctx = page_context()
st.title("Schedule an interview")

form_col, side_col = st.columns([3, 2], gap="large")
with side_col:
    render_import()
draft = form_state.draft(created_by=ctx.display_name)
generated = schedule_form.fill_missing_ids(draft)
messages = form_state.Messages()

with form_col:
    render_session_fields(draft, messages, generated)
    render_topic_builder(draft, messages, generated)
    validation = schedule_form.validate(draft)
    orphans = messages.fill(validation)
    for text in orphans:
        st.error(plain(text))
    st.divider()
    if st.button(
        "Schedule interview", type="primary", key="schedule.submit", on_click=form_state.show_all_messages
    ):
        st.session_state.pop(LAST_KEY, None)  # a new attempt: the last one's result is not this one's
        if validation.session_input is None:
            count = sum(len(m) for m in validation.errors.values())
            st.error(f"Not scheduled yet: {count} field(s) need attention; see the messages beside them.")
        else:
            try:
                row = scheduling.schedule(
                    ctx.client, ctx.repo, validation.session_input, scheduled_by=ctx.username
                )
            except scheduling.NotSent as exc:
                st.error(f"The interview was not scheduled. {plain(describe_not_sent(exc))}")
            except errors.AceintError as exc:
                kept = ctx.repo.get(validation.session_input.session_id)
                if kept is not None and kept.status == scheduling.UNCONFIRMED:
                    st.warning(plain(describe_unconfirmed(exc)))
                else:
                    st.error(f"The interview was not scheduled. {plain(describe(exc))}")
            else:
                payload = schedule_form.payload_json(draft)
                st.session_state[LAST_KEY] = (row.session_id, row.full_name, row.iframe_url, payload)
    last = st.session_state.get(LAST_KEY)
    if last and last[3] != schedule_form.payload_json(draft):
        del st.session_state[LAST_KEY]  # the form changed since: that panel is about another payload
        last = None
    if last:
        session_id, name, iframe_url, _ = last
        st.success(f"Scheduled the interview for {plain(name)}.")
        st.markdown("Session ID")
        st.code(session_id, language=None)
        st.markdown("Candidate link")
        st.code(iframe_url, language=None)
        c1, c2 = st.columns(2)
        c1.link_button("Open the candidate page", iframe_url)
        if c2.button("Schedule another interview", key="schedule.new"):
            form_state.replace_draft(schedule_form.new_draft(ctx.display_name))
            del st.session_state[LAST_KEY]
            st.rerun()

with side_col:
    render_preview_and_export(draft)
