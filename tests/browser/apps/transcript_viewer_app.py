"""Streamlit script for the transcript browser tests: the viewer on a generated transcript.

TRANSCRIPT_APP_KIND=long (3,000 turns, default) or hostile (HTML/script/markdown as text);
TRANSCRIPT_APP_AUDIO / TRANSCRIPT_APP_VIDEO: media URLs served over HTTP on loopback.
"""

from __future__ import annotations

import os

import streamlit as st

from aceint_core.transcripts import Transcript
from aceint_core.transcripts.model import make_turn
from dashboard.widgets.transcript_viewer import render_transcript_viewer
from tests.transcripts.synthetic import long_interview

HOSTILE_TEXTS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "**bold?** [a link](javascript:window.__pwned=1) <b>not bold</b> &amp; & done",
    "</div></div><script>window.__pwned=1</script><div>",
)


def hostile() -> Transcript:
    turns = [
        make_turn("Candidate <img src=x onerror=window.__pwned=1>" if i == 1 else "Interviewer",
                  "candidate" if i % 2 else "interviewer", float(i * 3), float(i * 3 + 2), text)
        for i, text in enumerate(HOSTILE_TEXTS)
    ]
    return Transcript(turns=tuple(turns))


st.set_page_config(page_title="Transcript viewer test", layout="wide")
kind = os.environ.get("TRANSCRIPT_APP_KIND", "long")
transcript = hostile() if kind == "hostile" else long_interview()
st.title("Transcript viewer")
render_transcript_viewer(
    transcript,
    audio_url=os.environ.get("TRANSCRIPT_APP_AUDIO") or None,
    video_url=os.environ.get("TRANSCRIPT_APP_VIDEO") or None,
    key="viewer",
)
