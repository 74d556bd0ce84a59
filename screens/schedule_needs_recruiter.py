"""Schedule, for a user who may not schedule: opened at /schedule so a viewer's bookmark or
deep link explains itself instead of ending in Streamlit's "Page not found" dialog."""

from __future__ import annotations

import streamlit as st

st.title("Schedule")
st.info("Scheduling needs the recruiter role; ask an admin to add it to your account.")
st.page_link("screens/records.py", label="Go to Records", icon=":material/table_view:")
