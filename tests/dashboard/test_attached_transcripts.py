"""Attached transcripts: the file's bytes are decoded by the importer (latin-1, cp1252 and
UTF-16 files survive), a faithful JSON form is stored, big files are refused, the parse is
cached across reruns, and a stored transcript that cannot be shown never locks the recruiter
out of replacing or removing it."""

from __future__ import annotations

import codecs
import json

import pytest

from aceint_core.transcripts import parse_transcript
from dashboard import attachments
from dashboard.attachments import AttachmentProblem, read_upload
from dashboard.widgets import attached_transcript, transcript_viewer

from .conftest import attach_uploader, click, import_payload, log_in, page_text, shown, widget

LATIN1 = "Alicé: Voilà, ça marche.\nBöb: Größe ñandú\n"
ENCODED = {
    "latin-1.txt": LATIN1.encode("latin-1"),
    "cp1252.txt": "Zoë: it’s “quoted” – dash €5\nBob: ok\n".encode("cp1252"),
    "utf16.srt": codecs.BOM_UTF16_LE
    + "1\n00:00:01,000 --> 00:00:02,000\nAlicé: héllo wörld\n".encode("utf-16-le"),
}
SURROGATE_JSON = '[{"speaker":"A","role":"candidate","startTime":1,"endTime":2,"text":"hi \\ud800 there"}]'


@pytest.mark.parametrize("name", list(ENCODED))
def test_read_upload_decodes_like_the_importer_and_stores_a_faithful_form(name):
    data = ENCODED[name]
    attachment = read_upload(name, data)
    expected = parse_transcript(data)  # the importer's own reading of the bytes
    assert attachment.transcript.turns == expected.turns
    assert "\ufffd" not in attachment.stored_text
    assert attachments.parse_stored(attachment.stored_text).turns == expected.turns
    encoding = {"latin-1.txt": "latin-1", "cp1252.txt": "cp1252", "utf16.srt": "utf-16"}[name]
    assert attachment.stored_text == data.decode(encoding)  # the file's own text, not a re-encoding


def test_read_upload_refuses_big_and_unreadable_files():
    with pytest.raises(AttachmentProblem, match=r"big\.txt is 20\.0 MB, over the 20 MB limit"):
        read_upload("big.txt", b"A: hi\n" * (attachments.MAX_ATTACHMENT_BYTES // 6 + 1))
    with pytest.raises(AttachmentProblem, match="notes.bin is not a transcript"):
        read_upload("notes.bin", b"\x00\x01\x02 binary")


def test_read_upload_replaces_a_lone_surrogate_and_stores_encodable_text():
    attachment = read_upload("s.json", SURROGATE_JSON.encode())
    assert attachment.transcript.turns[0].text == "hi \ufffd there"
    attachment.stored_text.encode("utf-8")  # storable
    assert attachments.parse_stored(attachment.stored_text).turns[0].text == "hi \ufffd there"


def test_a_file_of_many_short_turns_is_stored_at_its_own_size():
    data = b"A: hello world\n" * 300_000  # 4.5 MB, 300,000 turns
    attachment = read_upload("chat.txt", data)
    assert len(attachment.transcript.turns) == 300_000
    assert len(attachment.stored_text) == len(data)
    assert len(attachments.parse_stored(attachment.stored_text).turns) == 300_000


def _scheduled(app, seed_payload) -> str:
    log_in(app)
    import_payload(app, json.dumps(seed_payload))
    click(app, "Schedule interview")
    app.switch_page("screens/records.py").run()
    return seed_payload["sessionId"]


def _attach(app, sid: str, name: str, data: bytes) -> None:
    attach_uploader(app, sid).set_value((name, data, "text/plain"))
    app.run()
    click(app, "Save attached transcript")


def test_latin1_and_utf16_attachments_show_their_own_characters(dashboard_env, app, seed_payload):
    sid = _scheduled(app, seed_payload)
    _attach(app, sid, "latin-1.txt", ENCODED["latin-1.txt"])
    assert not app.exception
    stored = dashboard_env.repository().attached_transcript(sid)
    assert stored is not None and stored.filename == "latin-1.txt"
    turns = attachments.parse_stored(stored.text).turns
    assert [t.text for t in turns] == ["Voilà, ça marche.", "Größe ñandú"]
    text = page_text(app)
    assert "Voilà, ça marche." in text and "\ufffd" not in text

    _attach(app, sid, "utf16.srt", ENCODED["utf16.srt"])  # replaces the first
    assert not app.exception
    stored = dashboard_env.repository().attached_transcript(sid)
    assert stored.filename == "utf16.srt"
    assert "héllo wörld" in page_text(app) and "Voilà" not in page_text(app)


def test_the_attached_transcript_is_parsed_once_not_on_every_rerun(
    dashboard_env, app, seed_payload, monkeypatch
):
    sid = _scheduled(app, seed_payload)
    calls: list[int] = []
    real = attachments.parse_stored

    def counting(text: str):
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(attachments, "parse_stored", counting)
    _attach(app, sid, "latin-1.txt", ENCODED["latin-1.txt"])
    for _ in range(3):
        app.run()
        assert "Voilà, ça marche." in page_text(app)
    assert calls == [], "the upload's own parse is reused"
    attached_transcript._parsed.clear()  # e.g. a restarted server: parsed once, then cached
    for _ in range(3):
        app.run()
        assert "Voilà, ça marche." in page_text(app)
    assert len(calls) == 1


def test_an_oversized_attachment_is_refused_with_a_message(dashboard_env, app, seed_payload):
    sid = _scheduled(app, seed_payload)
    _attach(app, sid, "huge.txt", b"A: hi\n" * (attachments.MAX_ATTACHMENT_BYTES // 6 + 1))
    assert not app.exception
    assert any("over the 20 MB limit" in shown(e.value) for e in app.error)
    assert dashboard_env.repository().attached_transcript(sid) is None


def test_a_stored_surrogate_neither_breaks_the_page_nor_hides_the_uploader(dashboard_env, app, seed_payload):
    sid = _scheduled(app, seed_payload)
    repo = dashboard_env.repository()
    # As the old page stored it: the file's text, with a JSON escape for a lone surrogate.
    repo.attach_transcript(sid, filename="old.json", text=SURROGATE_JSON, uploaded_by="recruiter")
    app.run()
    assert not app.exception, app.exception
    assert "hi \ufffd there" in page_text(app)
    assert attach_uploader(app, sid) is not None
    click(app, "Remove attached transcript")
    assert not app.exception
    assert repo.attached_transcript(sid) is None
    assert any(shown(s.value) == "Removed old.json." for s in app.success)
    assert not [b for b in app.button if b.label == "Remove attached transcript"]


def test_a_transcript_that_fails_to_render_shows_an_error_and_keeps_replace_and_remove(
    dashboard_env, app, seed_payload
):
    sid = _scheduled(app, seed_payload)
    _attach(app, sid, "latin-1.txt", ENCODED["latin-1.txt"])

    def broken(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    # Its own MonkeyPatch: undoing it must not undo the fixture's environment variables.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transcript_viewer, "render_transcript_viewer", broken)
        app.run()
        assert not app.exception, app.exception
        errors = [shown(e.value) for e in app.error]
        assert any(
            "latin-1.txt" in e and "could not be shown" in e and "UnicodeEncodeError" in e for e in errors
        )
        assert attach_uploader(app, sid) is not None
        assert widget(app, "button", "Remove attached transcript")
        _attach(app, sid, "cp1252.txt", ENCODED["cp1252.txt"])  # replacing it still works
    app.run()
    assert not app.exception
    assert dashboard_env.repository().attached_transcript(sid).filename == "cp1252.txt"
    assert "it’s “quoted” – dash €5" in page_text(app)


def test_saving_says_so_empties_the_uploader_and_a_second_file_says_what_it_replaces(
    dashboard_env, app, seed_payload
):
    sid = _scheduled(app, seed_payload)
    uploader = attach_uploader(app, sid)
    assert "csv" not in uploader.proto.type and ".csv" not in uploader.proto.type  # no CSV format exists
    _attach(app, sid, "latin-1.txt", ENCODED["latin-1.txt"])
    app.run()  # a second rerun (in a browser, e.g. a component's reply) keeps the message
    assert [shown(s.value) for s in app.success] == ["Attached latin-1.txt (2 turns)."]
    assert attach_uploader(app, sid).value is None, "the saved file does not linger in the uploader"
    assert not [b for b in app.button if b.label == "Save attached transcript"]

    attach_uploader(app, sid).set_value(("cp1252.txt", ENCODED["cp1252.txt"], "text/plain"))
    app.run()
    warnings = [shown(w.value) for w in app.warning]
    assert "Saving cp1252.txt replaces the attached latin-1.txt." in warnings
    assert dashboard_env.repository().attached_transcript(sid).filename == "latin-1.txt"  # not yet
    click(app, "Save attached transcript")
    assert [shown(s.value) for s in app.success] == ["Attached cp1252.txt (2 turns)."]
    assert dashboard_env.repository().attached_transcript(sid).filename == "cp1252.txt"


def test_downloads_are_named_per_record_and_per_attached_file(dashboard_env, app, seed_payload):
    sid = _scheduled(app, seed_payload)
    _attach(app, sid, "Teams call (final).txt", ENCODED["latin-1.txt"])
    formats = ("TXT", "WebVTT", "SRT", "JSON")
    buttons = [b.proto for b in app.get("download_button") if b.proto.label in formats]
    assert sorted(b.label for b in buttons) == ["JSON", "SRT", "TXT", "WebVTT"]  # short labels
    # The file name each button saves under is in its tooltip (a browser test saves one).
    assert any(b.help.endswith("(teams-call-final.vtt)") for b in buttons), [b.help for b in buttons]
    assert "Download transcript" in [c.value for c in app.caption]
