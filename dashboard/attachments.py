"""Transcripts attached to a session from a file recorded elsewhere (Zoom, Teams, Deepgram, ...).

The upload's bytes are decoded by the importer's own `decode_bytes` (UTF-8, UTF-16 with a BOM,
else Windows-1252); decoding them here as UTF-8 would garble every other file for good. What is
stored is that decoded text: exactly what the importer read, so it parses back to the same
turns, keeps the file's own format, and stays the file's size. (The parsed transcript as JSON,
`export.to_json`, was tried: a 6 MB chat log with 400,000 short turns became 47 MB, over the
importer's own limit, and could not be read back.) No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from aceint_core.transcripts import Transcript, TranscriptFormatError, parse_transcript
from aceint_core.transcripts.model import MAX_TRANSCRIPT_BYTES
from aceint_core.transcripts.parse import decode_bytes

MAX_ATTACHMENT_BYTES = MAX_TRANSCRIPT_BYTES  # the importer's own limit, one number
"""The largest transcript file accepted (an hour-long word-level JSON is a few megabytes)."""
_SURROGATES = re.compile("[\ud800-\udfff]")


class AttachmentProblem(ValueError):
    """An uploaded file cannot be attached; the message names the file and what to do."""


@dataclass(frozen=True)
class Attachment:
    transcript: Transcript
    stored_text: str
    """What the repository keeps: the file's text, decoded as the importer decodes it."""


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
    return Attachment(transcript=showable(transcript), stored_text=decode_bytes(data))


def parse_stored(text: str) -> Transcript:
    """Read back what `read_upload` stored (older uploads were kept as UTF-8-decoded text)."""
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
