"""Transcripts attached to a session from a file recorded elsewhere (Zoom, Teams, Deepgram, ...).

The upload's bytes go to `parse_transcript` as they are: it decodes UTF-8, UTF-16 with a BOM
and Windows-1252 itself, so decoding them here first would garble every file that is not UTF-8.
What is stored is the parsed transcript in Aceint's own JSON shape (`export.to_json`), a text
form that reads back to the same turns whatever the original encoding or format was.
No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from aceint_core.transcripts import Transcript, TranscriptFormatError, parse_transcript
from aceint_core.transcripts.export import to_json

MAX_ATTACHMENT_BYTES = 20_000_000
"""The largest transcript file accepted (an hour-long word-level JSON is a few megabytes)."""
_SURROGATES = re.compile("[\ud800-\udfff]")


class AttachmentProblem(ValueError):
    """An uploaded file cannot be attached; the message names the file and what to do."""


@dataclass(frozen=True)
class Attachment:
    transcript: Transcript
    stored_text: str
    """What the repository keeps: the transcript as Aceint-shaped JSON."""


def read_upload(filename: str, data: bytes) -> Attachment:
    """Parse an uploaded transcript file; raises AttachmentProblem naming the file."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentProblem(
            f"{filename} is {len(data) / 1_000_000:.1f} MB, over the "
            f"{MAX_ATTACHMENT_BYTES // 1_000_000} MB limit for a transcript file; split it or "
            "export it without word-level detail"
        )
    try:
        transcript = parse_transcript(data)
    except TranscriptFormatError as exc:
        raise AttachmentProblem(f"{filename} is not a transcript this dashboard can read: {exc}") from None
    except RecursionError:
        raise AttachmentProblem(f"{filename} is nested too deeply to be a transcript") from None
    except ValueError:  # e.g. a JSON number of thousands of digits
        raise AttachmentProblem(f"{filename} holds a value that cannot be read as a transcript") from None
    transcript = showable(transcript)
    return Attachment(transcript=transcript, stored_text=to_json(transcript))


def parse_stored(text: str) -> Transcript:
    """Read back what `read_upload` stored (or an older upload, kept as the file's own text)."""
    return showable(parse_transcript(text))


def showable(transcript: Transcript) -> Transcript:
    """The transcript with any lone UTF-16 surrogate (legal in a JSON `\\u` escape, but not
    encodable, so it can be neither stored nor sent to the browser) replaced by U+FFFD; the
    rest of the text is kept as it was."""
    if not any(_SURROGATES.search(t.text) or _SURROGATES.search(t.speaker) for t in transcript.turns):
        return transcript
    turns = tuple(
        replace(t, text=_SURROGATES.sub("\ufffd", t.text), speaker=_SURROGATES.sub("\ufffd", t.speaker))
        for t in transcript.turns
    )
    return Transcript(turns=turns, source_format=transcript.source_format)
