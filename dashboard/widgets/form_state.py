"""Keeps the Schedule form's `FormDraft` in Session State and binds widgets to it.

The draft is the source of truth; each widget has a key derived from a generation number and
(for topics and subtopics) the item's stable uid. Importing or resetting bumps the generation,
so every widget starts again from the new draft instead of keeping its old value.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import schedule_form

from .text import plain

DRAFT_KEY = "schedule.draft"
GEN_KEY = "schedule.generation"


def draft(created_by: str = "") -> schedule_form.FormDraft:
    if DRAFT_KEY not in st.session_state:
        st.session_state[DRAFT_KEY] = schedule_form.new_draft(created_by)
        st.session_state[GEN_KEY] = 0
    return st.session_state[DRAFT_KEY]


def replace_draft(new: schedule_form.FormDraft) -> None:
    """Swap the whole form (import, reset); widgets are rebuilt from the new draft."""
    st.session_state[DRAFT_KEY] = new
    st.session_state[GEN_KEY] = int(st.session_state.get(GEN_KEY, 0)) + 1


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

    def slot(self, path: str) -> None:
        self.slots[path] = st.container()

    def fill(self, validation: schedule_form.Validation) -> list[str]:
        """Write each message beside its field; returns the messages that have no slot."""
        orphans = []
        for path, messages in validation.errors.items():
            if path in self.slots:
                for message in messages:
                    self.slots[path].error(plain(message))
            else:
                orphans.extend(f"{path}: {m}" for m in messages)
        for path, messages in validation.warnings.items():
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
