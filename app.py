"""Entrypoint of the Aceint recruiter dashboard: page config, login, then the pages this user may open.

Run with `streamlit run app.py` (or `make run`). Before login the navigation holds only the login
page, so no other page can be reached by URL; after login it holds the pages for the user's role.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, services
from dashboard.context import page_context
from dashboard.settings import SettingsError
from dashboard.widgets.login import render_login
from dashboard.widgets.sidebar import render_sidebar
from dashboard.widgets.text import plain

SIGNED_IN_STATE_PREFIXES = ("schedule.", "records.", "preview.", "sf")

st.set_page_config(page_title="Aceint recruiter dashboard", page_icon=":material/work:", layout="wide")


@st.cache_data(show_spinner=False, max_entries=8)
def _demo_password_matches(password_hash: str) -> bool:
    return auth.demo_password_matches(password_hash)  # bcrypt is slow; check once per hash


try:
    settings = services.current_settings()
except SettingsError as exc:
    st.error(f"The dashboard cannot start: {plain(exc)}")
    st.stop()

try:
    auth_file = auth.prepare_auth_file(
        settings.auth_file,
        mode=settings.mode,
        cookie_name=settings.cookie_name,
        cookie_expiry_days=settings.cookie_expiry_days,
    )
except auth.AuthConfigError as exc:
    st.error(f"The dashboard cannot start: {plain(exc)}")
    st.stop()

reasons = auth.refusals(auth_file, settings.mode)
if reasons:
    st.error(
        f"The dashboard refuses to start in **{settings.mode}** mode:\n\n"
        + "\n".join(f"- {plain(r)}" for r in reasons)
    )
    st.stop()

authenticator = auth.build_authenticator(auth_file)

if not st.session_state.get("authentication_status"):
    demo = settings.is_sandbox and auth.DEMO_USERNAME in auth_file.usernames
    hint = demo and _demo_password_matches(str(auth_file.usernames[auth.DEMO_USERNAME].get("password")))

    def login_page() -> None:
        render_login(authenticator, mode=settings.mode, demo_hint=hint)

    st.navigation([st.Page(login_page, title="Log in", icon=":material/login:", url_path="login")]).run()
    st.stop()

ctx = page_context()
roles = auth.roles_of(auth_file, ctx.username)
pages = []
if auth.can_schedule(roles):
    pages.append(
        st.Page("screens/schedule.py", title="Schedule", icon=":material/edit_calendar:", default=True)
    )
pages.append(st.Page("screens/preview.py", title="Preview", icon=":material/preview:", default=not pages))
pages.append(st.Page("screens/records.py", title="Records", icon=":material/table_view:"))

current = st.navigation(pages)
render_sidebar(
    authenticator,
    display_name=ctx.display_name,
    username=ctx.username,
    mode=settings.mode,
    base_url=ctx.base_url,
)
if not st.session_state.get("authentication_status"):  # the logout button was pressed
    for name in [k for k in st.session_state if str(k).startswith(SIGNED_IN_STATE_PREFIXES)]:
        del st.session_state[name]  # the next user on this browser starts with a clean form
    st.rerun()
current.run()
