"""Login and the refusals: nothing is reachable before signing in; unsafe users files stop the app."""

from __future__ import annotations

import pytest
import yaml

from dashboard import auth

from .conftest import log_in, new_app, shown, widget

REQUESTED_PAGE_KEY = "login.requested_page"  # app.py: the page asked for while signed out
SCHEDULE_NOT_ALLOWED = "screens/schedule_needs_recruiter.py"


def widget_value(at, label: str) -> str:
    return widget(at, "text_input", label).value


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def test_first_run_creates_demo_account_and_random_cookie_key(dashboard_env, app):
    app.run()
    assert not app.exception
    config = yaml.safe_load(dashboard_env.auth_file.read_text())
    user = config["credentials"]["usernames"][auth.DEMO_USERNAME]
    assert user["password"].startswith("$2")  # a bcrypt hash, not the password
    assert auth.DEMO_PASSWORD not in dashboard_env.auth_file.read_text()
    assert len(config["cookie"]["key"]) >= auth.MIN_COOKIE_KEY_LENGTH
    assert (dashboard_env.auth_file.stat().st_mode & 0o077) == 0
    # A second process reading the same file keeps it (same key, no new account).
    new_app().run()
    assert yaml.safe_load(dashboard_env.auth_file.read_text())["cookie"]["key"] == config["cookie"]["key"]


def test_nothing_but_login_is_reachable_before_login(dashboard_env, app):
    app.run()
    assert [t.value for t in app.title] == ["Aceint recruiter dashboard"]
    assert {t.label for t in app.text_input} == {"Username", "Password"}
    assert not app.sidebar.button  # no logout, no links to other pages
    for page in ("screens/schedule.py", "screens/preview.py", "screens/records.py"):
        # Not registered with st.navigation before login: only the login page is, under its own
        # URL and (so a deep link shows the login form, not "Page not found") each page's URL.
        with pytest.raises(ValueError, match="Known pages: \\['Log in', 'schedule', 'preview', 'records'\\]"):
            app.switch_page(page)
    log_in(app)
    for page, title in (
        ("screens/preview.py", "Preview the candidate page"),
        ("screens/records.py", "Interview records"),
    ):
        app.switch_page(page).run()
        assert title in [t.value for t in app.title]


def test_wrong_password_is_refused(dashboard_env, app):
    log_in(app, password="not-the-password")
    assert not app.exception
    assert any("incorrect" in e.value for e in app.error)
    assert app.session_state["authentication_status"] is False
    assert "Schedule an interview" not in [t.value for t in app.title]


def test_right_password_lands_on_schedule_with_sidebar(dashboard_env, app):
    log_in(app)
    assert not app.exception, app.exception
    assert [t.value for t in app.title] == ["Schedule an interview"]
    sidebar = "\n".join(m.value for m in app.sidebar.markdown)
    assert auth.DEMO_NAME in sidebar and "sandbox" in sidebar
    assert [c.value for c in app.sidebar.code] == [dashboard_env.base_url]
    assert [b.label for b in app.sidebar.button] == ["Log out"]
    app.text_input(key="sf0.fullName").input("Left Behind").run()
    app.sidebar.button[0].click().run()
    assert [t.value for t in app.title] == ["Aceint recruiter dashboard"]
    assert not any(str(k).startswith(("schedule.", "sf")) for k in app.session_state)
    log_in(app)
    assert widget_value(app, "Candidate full name") == ""


def _config_with(users: dict, key: str | None) -> dict:
    cookie = {"name": "c", "expiry_days": 1}
    if key is not None:
        cookie["key"] = key
    return {"credentials": {"usernames": users}, "cookie": cookie}


REAL_USER = {
    "alice": {"name": "Alice", "email": "a@example.com", "password": auth.hash_password("pw-alice-1")}
}
GOOD_KEY = "k" * 12 + "Zq8_3nLr0pXv2"


def test_prod_refuses_demo_account(offline_env, capsys):
    demo = auth.demo_config("c", 1)["credentials"]["usernames"]
    offline_env("prod", _config_with({**REAL_USER, **demo}, GOOD_KEY))
    capsys.readouterr()
    at = new_app().run()
    assert not at.exception
    text = shown(_texts(at))
    assert "refuses to start" in text and "demo account" in text
    assert "python -m dashboard.manage_users remove-demo" in text  # the page names the fix
    assert not at.text_input  # no login form
    # The terminal that started the dashboard says it too (once per process, not per page load).
    printed = capsys.readouterr().err
    assert "refusing to start in prod mode" in printed
    assert "python -m dashboard.manage_users remove-demo" in printed
    assert "python -m dashboard.manage_users add <username>" in printed
    new_app().run()
    assert "refusing to start" not in capsys.readouterr().err


def test_dev_refuses_default_or_missing_cookie_key(offline_env):
    offline_env("dev", _config_with(REAL_USER, "some_key"))
    at = new_app().run()
    assert "refuses to start" in _texts(at) and "cookie key" in _texts(at)
    assert not at.text_input
    offline_env("dev", _config_with(REAL_USER, None))
    at = new_app().run()
    assert "no cookie key" in _texts(at)
    assert "secret-value-never-shown" not in _texts(at)


def test_prod_without_users_file_explains_and_creates_nothing(offline_env):
    env = offline_env("prod", None)
    at = new_app().run()
    assert "no users file" in _texts(at)
    assert not env.auth_file.exists()


def test_prod_with_safe_file_shows_login(offline_env):
    offline_env("prod", _config_with(REAL_USER, GOOD_KEY))
    at = new_app().run()
    assert not at.exception
    assert {t.label for t in at.text_input} == {"Username", "Password"}
    assert not any("recruiter" in m.value and "aceint-demo" in m.value for m in at.info)


def test_viewer_role_gets_preview_and_records_but_not_schedule(dashboard_env, app):
    config = auth.demo_config("c", 1)
    config["credentials"]["usernames"]["vera"] = {
        "name": "Vera Viewer",
        "email": "v@example.com",
        "password": auth.hash_password("vera-pass-123"),
        "roles": [auth.VIEWER_ROLE],
    }
    auth.write_config(dashboard_env.auth_file, config)
    log_in(app, "vera", "vera-pass-123")
    assert not app.exception
    assert [t.value for t in app.title] == ["Preview the candidate page"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("screens/schedule.py")


def _add_viewer(dashboard_env) -> None:
    config = auth.demo_config("c", 1)
    config["credentials"]["usernames"]["vera"] = {
        "name": "Vera Viewer",
        "email": "v@example.com",
        "password": auth.hash_password("vera-pass-123"),
        "roles": [auth.VIEWER_ROLE],
    }
    auth.write_config(dashboard_env.auth_file, config)


def test_viewer_opening_schedule_is_told_why_not_page_not_found(dashboard_env, app):
    _add_viewer(dashboard_env)
    # /schedule asked for while signed out: the app remembers "schedule" and opens it after login.
    app.run()
    app.session_state[REQUESTED_PAGE_KEY] = "schedule"
    log_in(app, "vera", "vera-pass-123")
    assert not app.exception
    assert [t.value for t in app.title] == ["Schedule"]
    assert [i.value for i in app.info] == [
        "Scheduling needs the recruiter role; ask an admin to add it to your account."
    ]
    assert not app.text_input  # no form: nothing to fill in and be refused
    assert REQUESTED_PAGE_KEY not in app.session_state
    # The same page answers when switched to directly (the URL /schedule in a browser).
    app.switch_page(SCHEDULE_NOT_ALLOWED).run()
    assert [t.value for t in app.title] == ["Schedule"] and not app.exception


def test_recruiter_at_schedule_still_gets_the_form(dashboard_env, app):
    app.run()
    app.session_state[REQUESTED_PAGE_KEY] = "schedule"
    log_in(app)
    assert [t.value for t in app.title] == ["Schedule an interview"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(SCHEDULE_NOT_ALLOWED)
