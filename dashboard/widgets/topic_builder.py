"""Topic, subtopic and concept builder: add, edit, remove and reorder, bound to the draft.

Each topic is an expander with its fields and move/remove buttons that say what they move;
each subtopic has a name, an id and its concepts one per line (so editing, removing and
reordering concepts is editing text).
Buttons act through callbacks on the draft, so a click changes the form before it is drawn.
Every widget has a key built from the item's uid, which lets tests find and drive them.
"""

from __future__ import annotations

import streamlit as st

from dashboard import schedule_form
from dashboard.schedule_form import FormDraft

from .form_state import Messages, bind, fill_when_blank, key, touched_then
from .text import plain


def _topic_fields(draft: FormDraft, i: int, messages: Messages) -> None:
    topic = draft.topics[i]
    p = f"topics[{i}]"
    c1, c2 = st.columns([3, 1])
    with c1:
        k = bind(key("t", topic.uid, "name"), topic.name)
        topic.name = st.text_input("Topic name", key=k, on_change=touched_then, args=(k,))
        messages.slot(f"{p}.name", k)
    with c2:
        k = bind(key("t", topic.uid, "id"), topic.id)
        topic.id = st.text_input(
            "Topic id",
            key=k,
            help="Empty: topic-N",
            on_change=touched_then,
            args=(k, fill_when_blank, draft, k, lambda v: setattr(topic, "id", v), lambda: topic.id),
        )
        messages.slot(f"{p}.id", k)
    c1, c2, c3 = st.columns(3)
    for column, (name, label) in zip(
        (c1, c2, c3),
        (
            ("weightage", "Weightage"),
            ("allocated_time", "Allocated time (minutes)"),
            ("knowledge_depth", "Knowledge depth (1-5)"),
        ),
        strict=True,
    ):
        with column:
            k = bind(key("t", topic.uid, name), getattr(topic, name))
            setattr(
                topic,
                name,
                int(
                    st.number_input(
                        label, step=1, key=k, help=f"Sent as `{name}`.", on_change=touched_then, args=(k,)
                    )
                ),
            )
            messages.slot(f"{p}.{name}", k)


def _subtopic(draft: FormDraft, i: int, j: int, messages: Messages) -> None:
    topic = draft.topics[i]
    sub = topic.subtopics[j]
    sp = f"topics[{i}].subtopics[{j}]"
    st.markdown(f"**Subtopic {j + 1}**")
    c1, c2 = st.columns([3, 1])
    with c1:
        k = bind(key("s", sub.uid, "name"), sub.name)
        sub.name = st.text_input("Subtopic name", key=k, on_change=touched_then, args=(k,))
        messages.slot(f"{sp}.name", k)
    with c2:
        k = bind(key("s", sub.uid, "id"), sub.id)
        sub.id = st.text_input(
            "Subtopic id",
            key=k,
            help="Empty: subtopic-N",
            on_change=touched_then,
            args=(k, fill_when_blank, draft, k, lambda v: setattr(sub, "id", v), lambda: sub.id),
        )
        messages.slot(f"{sp}.id", k)
    k = bind(key("s", sub.uid, "concepts"), schedule_form.concepts_to_text(sub.concepts))
    text = st.text_area(
        "Concepts (one per line)",
        help=f"At most {schedule_form.MAX_CONCEPTS} concepts per subtopic",
        key=k,
        height=90,
        on_change=touched_then,
        args=(k,),
    )
    sub.concepts = schedule_form.concepts_from_text(text)
    messages.slot(f"{sp}.concepts", k)
    # A wrapping row sized to the labels: fixed columns beside the JSON preview cut them ("↑ Subto…").
    row = st.container(horizontal=True)
    row.button(
        "↑ Subtopic up",
        key=key("s", sub.uid, "up"),
        help=f"Move subtopic {j + 1} above the one before it",
        disabled=j == 0,
        on_click=schedule_form.move_subtopic,
        args=(draft, topic.uid, sub.uid, -1),
    )
    row.button(
        "↓ Subtopic down",
        key=key("s", sub.uid, "down"),
        help=f"Move subtopic {j + 1} below the one after it",
        disabled=j == len(topic.subtopics) - 1,
        on_click=schedule_form.move_subtopic,
        args=(draft, topic.uid, sub.uid, 1),
    )
    row.button(
        "✕ Remove subtopic",
        key=key("s", sub.uid, "remove"),
        help=f"Remove subtopic {j + 1} and its concepts",
        on_click=schedule_form.remove_subtopic,
        args=(draft, topic.uid, sub.uid),
    )


def render_topic_builder(draft: FormDraft, messages: Messages, generated: list[str]) -> None:
    """Draw every topic; ids filled in this run (`generated`) overwrite their widgets' state."""
    for path in generated:
        if path.startswith("topics["):
            i = int(path[7 : path.index("]")])
            topic = draft.topics[i]
            if ".subtopics[" in path:
                j = int(path.split(".subtopics[")[1].split("]")[0])
                bind(key("s", topic.subtopics[j].uid, "id"), topic.subtopics[j].id, force=True)
            else:
                bind(key("t", topic.uid, "id"), topic.id, force=True)
    st.subheader("Topics")
    st.caption(
        f"At most {schedule_form.MAX_TOPICS} topics, {schedule_form.MAX_SUBTOPICS} subtopics per topic and "
        f"{schedule_form.MAX_CONCEPTS} concepts per subtopic."
    )
    messages.slot("topics")
    for i, topic in enumerate(draft.topics):
        name = plain(topic.name) if topic.name else "(unnamed)"
        title = f"Topic {i + 1}: {name} — weightage {topic.weightage}, {topic.allocated_time} min"
        with st.expander(title, expanded=True):
            _topic_fields(draft, i, messages)
            for j in range(len(topic.subtopics)):
                _subtopic(draft, i, j, messages)
            messages.slot(f"topics[{i}].subtopics")
            row = st.container(horizontal=True)  # wraps rather than cutting labels
            row.button(
                "Add subtopic",
                key=key("t", topic.uid, "add_sub"),
                disabled=len(topic.subtopics) >= schedule_form.MAX_SUBTOPICS,
                help=f"At most {schedule_form.MAX_SUBTOPICS} subtopics per topic",
                on_click=schedule_form.add_subtopic,
                args=(draft, topic.uid),
            )
            row.button(
                "Move topic up",
                key=key("t", topic.uid, "up"),
                help=f"Move topic {i + 1} above the one before it",
                disabled=i == 0,
                on_click=schedule_form.move_topic,
                args=(draft, topic.uid, -1),
            )
            row.button(
                "Move topic down",
                key=key("t", topic.uid, "down"),
                help=f"Move topic {i + 1} below the one after it",
                disabled=i == len(draft.topics) - 1,
                on_click=schedule_form.move_topic,
                args=(draft, topic.uid, 1),
            )
            row.button(
                "Remove topic",
                key=key("t", topic.uid, "remove"),
                help=f"Remove topic {i + 1} with its subtopics",
                on_click=schedule_form.remove_topic,
                args=(draft, topic.uid),
            )
    st.button(
        "Add topic",
        key=key("add_topic"),
        on_click=schedule_form.add_topic,
        args=(draft,),
        disabled=len(draft.topics) >= schedule_form.MAX_TOPICS,
        help=f"At most {schedule_form.MAX_TOPICS} topics",
    )
    st.markdown("**Totals**")
    weight = sum(t.weightage for t in draft.topics)
    minutes = sum(t.allocated_time for t in draft.topics)
    st.caption(
        f"Weightage total: {weight} / 100 · Topic time: {minutes} of {draft.fields.get('duration')} minutes"
    )
    messages.slot("topics.weightage")
    messages.slot("topics.allocated_time")
