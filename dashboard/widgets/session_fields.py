"""The Schedule form's session fields (everything except topics), bound to the draft.

Labels are for recruiters; the payload's wire key (`fullName`, ...) is in each field's tooltip,
and choices show a readable label while the payload keeps the wire value.
"""

from __future__ import annotations

import streamlit as st

from dashboard import schedule_form
from dashboard.schedule_form import CHOICES, LABELS

from .form_state import Messages, bind, fill_when_blank, key, touched_then

ID_HELP = "Leave empty to generate a UUID."


def wire_help(name: str, extra: str | None = None) -> str:
    """The tooltip of a field: what to enter (if anything needs saying) and its payload key."""
    return (f"{extra} " if extra else "") + f"Sent to Aceint as `{name}`."


def _text(draft: schedule_form.FormDraft, name: str, messages: Messages, help: str | None = None) -> None:
    k = bind(key(name), str(draft.fields.get(name) or ""))
    args: tuple = (k,)
    if name in schedule_form.UUID_FIELDS:
        args = (
            k,
            fill_when_blank,
            draft,
            k,
            lambda v: draft.fields.__setitem__(name, v),
            lambda: draft.fields[name],
        )
    draft.fields[name] = st.text_input(
        LABELS[name], key=k, help=wire_help(name, help), on_change=touched_then, args=args
    )
    messages.slot(name, k)


def _select(draft: schedule_form.FormDraft, name: str, messages: Messages) -> None:
    options = list(CHOICES[name])
    k = bind(key(name), draft.fields.get(name) if draft.fields.get(name) in options else options[0])
    draft.fields[name] = st.selectbox(
        LABELS[name],
        options,
        key=k,
        format_func=schedule_form.choice_label,
        help=wire_help(name),
        on_change=touched_then,
        args=(k,),
    )
    messages.slot(name, k)


def render_session_fields(draft: schedule_form.FormDraft, messages: Messages, generated: list[str]) -> None:
    for name in generated:
        if name in schedule_form.UUID_FIELDS:
            bind(key(name), draft.fields[name], force=True)
    st.subheader("Candidate")
    c1, c2 = st.columns(2)
    with c1:
        _text(draft, "fullName", messages)
    with c2:
        _text(draft, "jobRole", messages)
    st.subheader("Interview")
    c1, c2, c3 = st.columns(3)
    with c1:
        _select(draft, "interviewCategory", messages)
        _select(draft, "experience", messages)
    with c2:
        _select(draft, "interviewDomain", messages)
        _select(draft, "interviewDifficulty", messages)
    with c3:
        _select(draft, "interviewMode", messages)
        _select(draft, "sessionStatus", messages)
    c1, c2 = st.columns(2)
    with c1:
        k = bind(key("duration"), int(draft.fields.get("duration") or 0))
        draft.fields["duration"] = int(
            st.number_input(
                LABELS["duration"],
                step=1,
                key=k,
                help=wire_help("duration"),
                on_change=touched_then,
                args=(k,),
            )
        )
        messages.slot("duration", k)
    with c2:
        _text(draft, "createdBy", messages, help="The interview's creator as Aceint shows it.")
    st.subheader("Identifiers")
    for name in schedule_form.UUID_FIELDS:  # full width: a UUID does not fit a third of the form
        _text(draft, name, messages, help=ID_HELP)
