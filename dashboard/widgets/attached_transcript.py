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
from dashboard.repository import AttachedTranscript, ScheduledSession, SessionRepository
from dashboard.widgets import transcript_viewer

from .text import plain

log = logging.getLogger(__name__)
UPLOAD_TYPES = ["json", "vtt", "srt", "txt", "csv"]
NOTICE_PREFIX = "records.attach_notice."


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


def render_attached_transcript(repo: SessionRepository, row: ScheduledSession, *, username: str) -> None:
    sid = row.session_id
    st.subheader("Attached transcript")
    attached = repo.attached_transcript(sid)
    if attached is not None:
        st.caption(f"{plain(attached.filename)}, uploaded by {plain(attached.uploaded_by)}")
        try:
            transcript = _cached(attached)
            transcript_viewer.render_transcript_viewer(transcript, key=f"attached-{sid}")
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
            st.session_state[f"{NOTICE_PREFIX}{sid}"] = f"Removed {plain(attached.filename)}."
            st.rerun()
    notice = st.session_state.pop(f"{NOTICE_PREFIX}{sid}", None)
    if notice:
        st.success(notice)
    upload = st.file_uploader(
        "Attach transcript file (for an interview recorded elsewhere)",
        type=UPLOAD_TYPES,
        key=f"records.attach.{sid}",
        help=f"Up to {attachments.MAX_ATTACHMENT_BYTES // 1_000_000} MB; a new file replaces the attached "
        "one. WebVTT, SRT, plain text, "
        "or JSON from Aceint, Zoom, Teams, Deepgram, AssemblyAI, AWS Transcribe, Whisper, Rev.ai, …",
    )
    if upload is not None and st.button("Save attached transcript", key=f"records.attach_save.{sid}"):
        try:
            attachment = attachments.read_upload(upload.name, upload.getvalue())
        except attachments.AttachmentProblem as problem:
            st.error(plain(problem))
            return
        stored = repo.attach_transcript(
            sid, filename=upload.name, text=attachment.stored_text, uploaded_by=username
        )
        _cached(stored, attachment.transcript)  # the next run shows it without parsing it again
        st.session_state[f"{NOTICE_PREFIX}{sid}"] = (
            f"Attached {plain(upload.name)} ({len(attachment.transcript.turns)} turns)."
        )
        st.rerun()
