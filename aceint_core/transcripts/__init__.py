"""Transcript import (many real-world formats) and export, into one model. Never imports Streamlit."""

from aceint_core.transcripts.model import UNKNOWN_SPEAKER, Transcript, TranscriptFormatError, Turn

__all__ = ["UNKNOWN_SPEAKER", "Transcript", "TranscriptFormatError", "Turn"]
