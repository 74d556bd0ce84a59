"""The Records page's "Attached transcript" section: show, replace or remove a session's upload.

The upload and remove controls are drawn whatever happens to the transcript itself, so a
stored transcript that cannot be read or shown never locks the recruiter out of replacing it.
The parsed transcript is cached per process, keyed by session and upload time, so a click
elsewhere on the page does not parse a long file again.
"""

from __future__ import annotations

import logging

import streamlit as st

from aceint_core.transcripts import Transcript, TranscriptFormatError
from dashboard import attachments
from dashboard.download_names import attached_stem
from dashboard.repository import AttachedTranscript, ScheduledSession, SessionRepository
from dashboard.widgets import transcript_viewer

from .text import plain

log = logging.getLogger(__name__)
UPLOAD_TYPES = ["json", "vtt", "srt", "txt", "log"]
"""What the importer reads: JSON exports, WebVTT, SRT and plain-text logs (there is no CSV format)."""
NOTICE_PREFIX = "records.attach_notice."
GENERATION_PREFIX = "records.attach_generation."


@st.cache_resource(max_entries=16, show_spinner="Reading the attached transcript…")
def _parsed(
    session_id: str, uploaded_at: str, size: int, _text: str, _known: Transcript | None = None
) -> Transcript:
    # Keyed by the upload (a replacement has a new time); the text itself is not hashed, and
    # the Transcript is immutable, so every browser session can share the one parsed copy.
    # `_known` primes the cache with the transcript just parsed from the upload.
    return _known if _known is not None else attachments.parse_stored(_text)


def _cached(attached: AttachedTranscript, known: Transcript | None = None) -> Transcript:
    return _parsed(
        attached.session_id, attached.uploaded_at.isoformat(), len(attached.text), attached.text, known
    )


def uploader_key(sid: str) -> str:
    """The uploader's key; a new generation after each save gives an empty uploader (Streamlit
    keeps a file in an uploader until its key changes)."""
    generation = int(st.session_state.get(f"{GENERATION_PREFIX}{sid}", 0))
    return f"records.attach.{sid}" + (f".{generation}" if generation else "")


def _show_notice(sid: str, attached: AttachedTranscript | None) -> None:
    """The last save's or removal's message. It stays while that outcome is what the page shows
    (a rerun that arrives right after the save must not swallow it), and goes with the next change."""
    notice = st.session_state.get(f"{NOTICE_PREFIX}{sid}")
    if not notice:
        return
    stamp, text = notice
    current = attached.uploaded_at.isoformat() if attached is not None else None
    if stamp == current:
        st.success(text)
    else:
        st.session_state.pop(f"{NOTICE_PREFIX}{sid}", None)


def render_attached_transcript(repo: SessionRepository, row: ScheduledSession, *, username: str) -> None:
    sid = row.session_id
    st.subheader("Attached transcript")
    attached = repo.attached_transcript(sid)
    _show_notice(sid, attached)
    if attached is not None:
        st.caption(f"{plain(attached.filename)}, uploaded by {plain(attached.uploaded_by)}")
        try:
            transcript = _cached(attached)
            transcript_viewer.render_transcript_viewer(
                transcript, key=f"attached-{sid}", file_stem=attached_stem(attached.filename, sid)
            )
        except TranscriptFormatError as exc:
            st.error(f"The attached transcript could not be read: {plain(exc)}")
        except Exception as exc:  # noqa: BLE001 - one bad stored transcript must not break the page
            log.warning("attached transcript of %s could not be shown: %s", sid, type(exc).__name__)
            st.error(
                f"The attached transcript ({plain(attached.filename)}) could not be shown "
                f"({type(exc).__name__}). Replace it with another file or remove it below."
            )
        if st.button("Remove attached transcript", key=f"records.attach_remove.{sid}"):
            repo.remove_attached_transcript(sid)
            st.session_state[f"{NOTICE_PREFIX}{sid}"] = (None, f"Removed {plain(attached.filename)}.")
            st.rerun()
    upload = st.file_uploader(
        "Replace the attached transcript" if attached is not None
        else "Attach transcript file (for an interview recorded elsewhere)",
        type=UPLOAD_TYPES,
        key=uploader_key(sid),
        help=f"Up to {attachments.MAX_ATTACHMENT_BYTES // 1_000_000} MB; a new file replaces the attached "
        "one. WebVTT, SRT, plain text, "
        "or JSON from Aceint, Zoom, Teams, Deepgram, AssemblyAI, AWS Transcribe, Whisper, Rev.ai, …",
    )
    if upload is None:
        return
    if attached is not None:
        st.warning(
            f"Saving {plain(upload.name)} replaces the attached {plain(attached.filename)}.",
            icon=":material/swap_horiz:",
        )
    if st.button("Save attached transcript", key=f"records.attach_save.{sid}"):
        try:
            attachment = attachments.read_upload(upload.name, upload.getvalue())
        except attachments.AttachmentProblem as problem:
            st.error(plain(problem))
            return
        stored = repo.attach_transcript(
            sid, filename=upload.name, text=attachment.stored_text, uploaded_by=username
        )
        _cached(stored, attachment.transcript)  # the next run shows it without parsing it again
        message = f"Attached {plain(upload.name)} ({len(attachment.transcript.turns)} turns)."
        st.session_state[f"{NOTICE_PREFIX}{sid}"] = (stored.uploaded_at.isoformat(), message)
        st.session_state[f"{GENERATION_PREFIX}{sid}"] = (
            int(st.session_state.get(f"{GENERATION_PREFIX}{sid}", 0)) + 1
        )
        st.toast(message)
        st.rerun()
