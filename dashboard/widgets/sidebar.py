"""The sidebar every signed-in page shares: who is signed in, logout, mode and Aceint URL."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.settings import display_url

from .text import plain


def render_sidebar(authenticator: Any, *, display_name: str, username: str, mode: str, base_url: str) -> None:
    with st.sidebar:
        st.markdown(f"Signed in as **{plain(display_name)}** ({plain(username)})")
        authenticator.logout(button_name="Log out", location="sidebar", key="sidebar_logout")
        st.divider()
        st.caption("Aceint connection")
        st.markdown(f"Mode: **{plain(mode)}**")
        st.markdown("Base URL:")
        st.code(display_url(base_url), language=None, wrap_lines=True)
