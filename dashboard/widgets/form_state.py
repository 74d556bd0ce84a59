"""Keeps the Schedule form's `FormDraft` in Session State and binds widgets to it.

The draft is the source of truth; each widget has a key derived from a generation number and
(for topics and subtopics) the item's stable uid. Importing or resetting bumps the generation,
so every widget starts again from the new draft instead of keeping its old value.

A field's message shows once the recruiter has changed that field, or for every field once
they pressed Schedule or imported a payload: a fresh form does not open with a column of red
"is empty" errors before anything was typed.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import schedule_form

from .text import plain

DRAFT_KEY = "schedule.draft"
GEN_KEY = "schedule.generation"
RESULT_KEY = "schedule.last_created"
"""The last successful create's panel (session id, name, link, the payload it was for)."""
TOUCHED_KEY = "schedule.touched"
"""Keys of the widgets the recruiter changed in this generation of the form."""
SHOW_ALL_KEY = "schedule.show_all_messages"
"""Set by a Schedule click or an import: every message shows, touched or not."""
TOTALS = {"topics.weightage": (".weightage",), "topics.allocated_time": (".allocated_time", ".duration")}
"""A total's message shows once one of the numbers it adds up was changed."""
ALWAYS = ("topics", ".subtopics")
"""Messages about the form's structure follow a click (remove topic / subtopic): always shown."""


def draft(created_by: str = "") -> schedule_form.FormDraft:
    if DRAFT_KEY not in st.session_state:
        st.session_state[DRAFT_KEY] = schedule_form.new_draft(created_by)
        st.session_state[GEN_KEY] = 0
    return st.session_state[DRAFT_KEY]


def replace_draft(new: schedule_form.FormDraft, *, show_all_messages: bool = False) -> None:
    """Swap the whole form (import, reset); widgets are rebuilt from the new draft."""
    st.session_state[DRAFT_KEY] = new
    st.session_state[GEN_KEY] = int(st.session_state.get(GEN_KEY, 0)) + 1
    st.session_state[TOUCHED_KEY] = set()
    st.session_state[SHOW_ALL_KEY] = show_all_messages


def touch(widget_key: str) -> None:
    """on_change of every form widget: from now on its messages show."""
    st.session_state.setdefault(TOUCHED_KEY, set()).add(widget_key)


def show_all_messages() -> None:
    """on_click of Schedule: a submit shows every message, including untouched fields'."""
    st.session_state[SHOW_ALL_KEY] = True


def touched_then(widget_key: str, then: Any = None, *args: Any) -> None:
    """on_change that marks the widget touched and then runs another callback (e.g. id filling)."""
    touch(widget_key)
    if then is not None:
        then(*args)


def key(*parts: str) -> str:
    return "sf" + str(st.session_state.get(GEN_KEY, 0)) + "." + ".".join(parts)


def bind(widget_key: str, value: Any, *, force: bool = False) -> str:
    """Seed a widget's state from the draft the first time it is drawn (or always, with force)."""
    if force or widget_key not in st.session_state:
        st.session_state[widget_key] = value
    return widget_key


class Messages:
    """Per-field message slots: a container under each widget, filled once validation has run."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {}
        self.widget_keys: dict[str, str] = {}

    def slot(self, path: str, widget_key: str | None = None) -> None:
        self.slots[path] = st.container()
        if widget_key is not None:
            self.widget_keys[path] = widget_key

    def visible(self, path: str) -> bool:
        """Whether this field's messages show yet (see the module docstring)."""
        if st.session_state.get(SHOW_ALL_KEY):
            return True
        touched: set[str] = st.session_state.get(TOUCHED_KEY, set())
        if path in TOTALS:
            return any(k.endswith(TOTALS[path]) for k in touched)
        if path == ALWAYS[0] or path.endswith(ALWAYS[1]):
            return True
        widget_key = self.widget_keys.get(path)
        return widget_key is not None and widget_key in touched

    def fill(self, validation: schedule_form.Validation) -> list[str]:
        """Write each visible message beside its field; returns the visible messages that have
        no slot (they are shown together under the form)."""
        orphans = []
        for path, messages in validation.errors.items():
            if path in self.slots:
                if self.visible(path):
                    for message in messages:
                        self.slots[path].error(plain(message))
            elif st.session_state.get(SHOW_ALL_KEY):
                orphans.extend(f"{path}: {m}" for m in messages)
        for path, messages in validation.warnings.items():
            if path in self.slots and not self.visible(path):
                continue
            target = self.slots.get(path)
            for message in messages:
                (target or st).warning(plain(message))
        return orphans


def fill_when_blank(draft: schedule_form.FormDraft, widget_key: str, write: Any, read: Any) -> None:
    """on_change callback of an id field: a cleared id gets a generated one at once.

    Runs before the script, the one moment a widget's own state may be replaced, so the
    field, the draft and the live preview all show the same new id.
    """
    write(str(st.session_state.get(widget_key) or ""))
    if not str(st.session_state.get(widget_key) or "").strip():
        schedule_form.fill_missing_ids(draft)
        st.session_state[widget_key] = read()
