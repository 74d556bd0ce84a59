"""User-supplied text reaches the page as text: a name, a job role, a topic or a file name full
of markdown shows character for character and never becomes an image, a link or bold."""

from __future__ import annotations

import json
import re

import pytest

from dashboard.widgets.text import plain

from .conftest import attach_uploader, click, import_payload, log_in, shown, widget

EVIL_ROLE = "![t](http://evil.example/p.png) **bold** <b>x</b>"
EVIL_NAME = "[Click](javascript:alert(1)) _Ann_ `code` :red[x] $x^2$"
EVIL_TOPIC = "# Heading ~~gone~~ | a | b |"
EVIL_FILE = "**md** [x](javascript:alert(1)) ![i](http://evil.example/i.png).txt"
# Markup an escaped string may not contain: every one of these starts an image, link, emphasis,
# code, HTML, strikethrough, LaTeX or a directive when it is not preceded by a backslash.
UNESCAPED_MARKUP = re.compile(r"(?<!\\)(!\[|\]\(|\*\*|(?<!\\)_|`|<[a-z/]|~~|\$|:red\[)")


def _unescaped_markup(body: str) -> list[str]:
    return UNESCAPED_MARKUP.findall(body.replace("\\\\", ""))


@pytest.mark.parametrize(
    "value",
    [
        EVIL_ROLE,
        EVIL_NAME,
        EVIL_TOPIC,
        EVIL_FILE,
        "- a list item",
        "+ another",
        "1. ordered",
        "7) ordered",
        "a\n# heading on a new line",
        "www.evil.example and mail@evil.example and http://evil.example",
        "&lt;not an entity&gt; \\ backslash",
    ],
)
def test_plain_escapes_every_markup_and_shows_the_same_characters(value):
    escaped = plain(value)
    assert not _unescaped_markup(escaped), escaped
    assert "\n" not in escaped
    assert shown(escaped) == value.replace("\n", " ")
    for pattern in (r"(?i)www\\?\.", r"@\w", r"://"):  # what remark-gfm would make a link of
        assert not re.search(pattern, escaped), (pattern, escaped)
    assert not re.search(r"(?<!\\)&", escaped.replace("\\\\", ""))  # so are entities
    assert not re.match(r"\s*([-+]|\d+[.)])\s", escaped), "a leading list marker is escaped"


def _bodies(elements) -> list[str]:
    return [getattr(el, "value", None) or getattr(el.proto, "body", "") for el in elements]


def test_schedule_and_records_show_names_and_roles_as_text(dashboard_env, app, seed_payload):
    payload = dict(seed_payload, fullName=EVIL_NAME, jobRole=EVIL_ROLE)
    payload["topics"] = [dict(seed_payload["topics"][0], name=EVIL_TOPIC)]
    log_in(app)
    import_payload(app, json.dumps(payload))
    topic_labels = [e.label for e in app.expander if e.label.startswith("Topic 1")]
    assert topic_labels and all(EVIL_TOPIC not in label for label in topic_labels)
    assert EVIL_TOPIC in shown(topic_labels[0]) and not _unescaped_markup(topic_labels[0])

    click(app, "Schedule interview")
    assert not app.exception
    success = [s.value for s in app.success if "Scheduled the interview" in s.value]
    assert len(success) == 1
    assert shown(success[0]) == f"Scheduled the interview for {EVIL_NAME}."
    assert not _unescaped_markup(success[0]), success[0]

    app.switch_page("screens/records.py").run()
    assert not app.exception
    headers = [h.value for h in app.subheader if "evil" in shown(h.value)]
    assert headers == [plain(EVIL_NAME) + " — " + plain(EVIL_ROLE)]
    assert shown(headers[0]) == f"{EVIL_NAME} — {EVIL_ROLE}"
    assert not _unescaped_markup(headers[0])
    for body in _bodies(app.caption) + _bodies(app.error) + _bodies(app.warning):
        assert not _unescaped_markup(body), body


def test_upload_file_names_are_shown_as_text(dashboard_env, app, seed_payload):
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    click(app, "Schedule interview")
    app.switch_page("screens/records.py").run()
    uploader = attach_uploader(app, seed_payload["sessionId"])
    uploader.set_value((EVIL_FILE, b"\x00\x01 not a transcript \x02", "text/plain"))
    app.run()
    click(app, "Save attached transcript")
    errors = [e.value for e in app.error if "is not a transcript" in shown(e.value)]
    assert len(errors) == 1 and shown(errors[0]).startswith(EVIL_FILE)
    assert not _unescaped_markup(errors[0]), errors[0]

    uploader = attach_uploader(app, seed_payload["sessionId"])
    uploader.set_value((EVIL_FILE, b"Alice: hello\nBob: hi there\n", "text/plain"))
    app.run()
    click(app, "Save attached transcript")
    assert not app.exception
    notices = [s.value for s in app.success if "Attached" in s.value]
    assert [shown(n) for n in notices] == [f"Attached {EVIL_FILE} (2 turns)."]
    captions = [c.value for c in app.caption if "uploaded by" in c.value]
    assert [shown(c) for c in captions] == [f"{EVIL_FILE}, uploaded by recruiter"]
    for body in notices + captions:
        assert not _unescaped_markup(body), body


def test_the_sidebar_shows_the_user_as_text(dashboard_env, app):
    log_in(app)
    sidebar = [m.value for m in app.sidebar.markdown]
    signed_in = [m for m in sidebar if m.startswith("Signed in as")]
    assert signed_in == [f"Signed in as **{plain('Demo Recruiter')}** ({plain('recruiter')})"]
    widget(app, "text_input", "Candidate full name")  # the page itself still works
