"""Entrypoint of the Aceint recruiter dashboard: page config, login, then the pages this user may open.

Run with `streamlit run app.py` (or `make run`). Before login every page's URL runs the login
page (so no page can be reached, and a deep link such as /records shows the login form, not a
"Page not found"); the page that was asked for is remembered and opened once signed in. After
login the navigation holds the pages for the user's role.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import auth, services
from dashboard.context import page_context
from dashboard.settings import SettingsError
from dashboard.widgets.login import render_login
from dashboard.widgets.sidebar import render_sidebar
from dashboard.widgets.text import plain

SIGNED_IN_STATE_PREFIXES = ("schedule.", "records.", "preview.", "sf")
# The url_path a signed-out visitor asked for (e.g. "records"), opened after login.
REQUESTED_PAGE_KEY = "login.requested_page"
# A local image: an icon-font icon (:material/...) makes the browser fetch fonts.gstatic.com.
PAGE_ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
SCREENS = (
    # (script, title, icon, url_path)
    ("screens/schedule.py", "Schedule", ":material/edit_calendar:", "schedule"),
    ("screens/preview.py", "Preview", ":material/preview:", "preview"),
    ("screens/records.py", "Records", ":material/table_view:", "records"),
)
# What a user without the recruiter role sees at the schedule page's URL.
SCHEDULE_NOT_ALLOWED = "screens/schedule_needs_recruiter.py"

st.set_page_config(page_title="Aceint recruiter dashboard", page_icon=str(PAGE_ICON), layout="wide")


def login_page() -> None:
    render_login(authenticator, mode=settings.mode, demo_hint=hint)  # all three are set below


signed_in = bool(st.session_state.get("authentication_status"))
if not signed_in:
    # Navigation comes first: the browser's first run is the only one that names the page in
    # the address bar, and it is cut short by the next rerun soon after it starts.
    # The login page answers every page's URL (hidden from any menu), so /records signed out
    # shows the login form without a "Page not found" dialog; the page asked for is remembered
    # and opened after login.
    stand_ins = [
        st.Page(login_page, title="Log in", url_path=url_path, visibility="hidden")
        for _, _, _, url_path in SCREENS
    ]
    login = st.Page(login_page, title="Log in", icon=":material/login:", url_path="login", default=True)
    shown_page = st.navigation([login, *stand_ins], position="hidden")
    if shown_page.url_path in {path for *_, path in SCREENS}:
        st.session_state[REQUESTED_PAGE_KEY] = shown_page.url_path


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
    auth.announce_refusal(settings.mode, reasons)  # the terminal too, once per process
    st.error(
        f"The dashboard refuses to start in **{settings.mode}** mode:\n\n"
        + "\n".join(f"- {plain(r)}" for r in reasons)
    )
    st.stop()

authenticator = auth.build_authenticator(auth_file)

if not signed_in:
    demo = settings.is_sandbox and auth.DEMO_USERNAME in auth_file.usernames
    hint = demo and _demo_password_matches(str(auth_file.usernames[auth.DEMO_USERNAME].get("password")))
    shown_page.run()
    st.stop()

ctx = page_context()
roles = auth.roles_of(auth_file, ctx.username)
pages: dict[str, st.Page] = {}  # by url_path (a default page's own .url_path is "")
for script, title, icon, url_path in SCREENS:
    if url_path == "schedule" and not auth.can_schedule(roles):
        continue
    pages[url_path] = st.Page(script, title=title, icon=icon, url_path=url_path, default=not pages)
if "schedule" not in pages:
    # Not in the menu, but /schedule (a bookmark, a deep link) says why instead of "Page not found".
    pages["schedule"] = st.Page(
        SCHEDULE_NOT_ALLOWED, title="Schedule", url_path="schedule", visibility="hidden"
    )

current = st.navigation(list(pages.values()))
# The deep link asked for before login. Forgotten only once that page is showing (or this
# user may not open it): right after login the cookie component's reply reruns the app, and a
# switch requested in a run that rerun replaces would otherwise be lost.
wanted = pages.get(st.session_state.get(REQUESTED_PAGE_KEY) or "")
if wanted is None or wanted.title == current.title:
    st.session_state.pop(REQUESTED_PAGE_KEY, None)
else:
    st.switch_page(wanted)
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
