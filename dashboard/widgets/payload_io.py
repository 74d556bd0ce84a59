"""Import (upload or paste) and export (download) of a payload, and the live JSON preview."""

from __future__ import annotations

import streamlit as st

from dashboard import schedule_form

from .form_state import RESULT_KEY, replace_draft
from .text import plain

IMPORT_MESSAGE_KEY = "schedule.import_message"
IMPORTED_FILE_KEY = "schedule.imported_file"
PASTE_KEY = "schedule.paste"


def _import(text: str | bytes, source: str) -> None:
    """Replace the form with the imported payload, or keep it and say what is wrong."""
    st.session_state.pop(RESULT_KEY, None)  # a new attempt: the last create's panel is not about it
    try:
        new = schedule_form.parse_import(text)
    except schedule_form.ImportProblem as problem:
        listed = problem.problems
        if len(listed) == 1:
            text = f"Import refused ({plain(source)}) — {plain(listed[0][0])}: {plain(listed[0][1])}. "
        else:
            text = f"Import refused ({plain(source)}): {len(listed)} problems.\n\n" + "".join(
                f"- {plain(field)}: {plain(message)}\n" for field, message in listed
            ) + "\n"
        st.session_state[IMPORT_MESSAGE_KEY] = ("error", text + "Nothing in the form was changed.")
        return
    schedule_form.fill_missing_ids(new)
    replace_draft(new, show_all_messages=True)  # an import is a whole form to check at once
    issues = schedule_form.validate(new)
    if issues.errors:
        st.session_state[IMPORT_MESSAGE_KEY] = (
            "warning",
            f"Imported from {plain(source)}; {len(issues.errors)} field(s) need attention (see the messages "
            "beside them).",
        )
    else:
        st.session_state[IMPORT_MESSAGE_KEY] = ("success", f"Imported from {plain(source)}.")


def render_import() -> None:
    """Upload or paste a payload. Runs before the form is drawn, so an import shows at once."""
    with st.expander("Import a payload (JSON)", expanded=False):
        st.caption(
            f"Up to {schedule_form.MAX_IMPORT_BYTES // 1_000_000} MB, with at most "
            f"{schedule_form.MAX_TOPICS} topics, {schedule_form.MAX_SUBTOPICS} subtopics per topic and "
            f"{schedule_form.MAX_CONCEPTS} concepts per subtopic."
        )
        uploaded = st.file_uploader("Upload a .json payload", type=["json"], key="schedule.upload")
        if uploaded is not None and st.session_state.get(IMPORTED_FILE_KEY) != uploaded.file_id:
            st.session_state[IMPORTED_FILE_KEY] = uploaded.file_id
            _import(uploaded.getvalue(), uploaded.name)
        st.text_area("…or paste a payload", key=PASTE_KEY, height=120)
        if st.button("Load pasted JSON", key="schedule.load_paste"):
            _import(st.session_state.get(PASTE_KEY, ""), "pasted JSON")
    message = st.session_state.get(IMPORT_MESSAGE_KEY)
    if message:
        kind, text = message
        getattr(st, kind)(text)


def render_preview_and_export(draft: schedule_form.FormDraft) -> None:
    """The exact JSON the create call will send, and a download of it."""
    text = schedule_form.payload_json(draft)
    st.subheader("Payload preview")
    st.caption("Exactly what is sent to Aceint's create-session call.")
    st.code(text, language="json", wrap_lines=True)
    st.download_button(
        "Export payload (JSON)",
        data=text,
        file_name=f"session-{draft.fields.get('sessionId') or 'draft'}.json",
        mime="application/json",
        key="schedule.export",
    )
