"""Preview: what the candidate sees, embedded as it will be on the recruiter's own site."""

from __future__ import annotations

import streamlit as st

from dashboard.context import page_context
from dashboard.records import option_map

ctx = page_context()
st.title("Preview the candidate page")

rows = [r for r in ctx.repo.sessions() if r.iframe_url]
if not rows:
    st.info("No interviews scheduled yet. Schedule one first; its candidate page shows here.")
    st.stop()

labels = option_map(rows)
chosen = st.selectbox("Scheduled interview", list(labels), format_func=labels.get, key="preview.session")
row = next(r for r in rows if r.session_id == chosen)

st.markdown("Candidate link (copy it to send, or embed it in your site):")
st.code(row.iframe_url, language=None)
st.link_button("Open in a new tab", row.iframe_url)
st.iframe(row.iframe_url, height=720)
