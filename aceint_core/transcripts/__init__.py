"""Transcript import (many real-world formats) and export, into one model. Never imports Streamlit."""

from aceint_core.transcripts.model import UNKNOWN_SPEAKER, Transcript, TranscriptFormatError, Turn
from aceint_core.transcripts.parse import SUPPORTED_FORMATS, parse_transcript

__all__ = [
    "SUPPORTED_FORMATS",
    "UNKNOWN_SPEAKER",
    "Transcript",
    "TranscriptFormatError",
    "Turn",
    "parse_transcript",
]
