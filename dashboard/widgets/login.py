"""The login screen: the only page reachable before signing in."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import auth


def render_login(authenticator: Any, *, mode: str, demo_hint: bool) -> None:
    st.title("Aceint recruiter dashboard")
    authenticator.login(location="main", key="login", fields={"Form name": "Log in", "Login": "Log in"})
    status = st.session_state.get("authentication_status")
    if status:
        # No st.rerun() here: this run must reach the browser, where the cookie component writes
        # the login cookie (a reload stays signed in); the component's reply reruns the app.
        st.caption("Signed in; opening the dashboard...")
    elif status is False:
        st.error("Username or password is incorrect.")
    if demo_hint:
        st.info(
            f"Sandbox mode: log in as **{auth.DEMO_USERNAME}** with password **{auth.DEMO_PASSWORD}** "
            "(the demo account; it is refused in dev and prod)."
        )
    elif mode == "sandbox":
        st.caption("Sandbox mode.")
