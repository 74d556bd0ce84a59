"""A broken users file or setting gives a message naming the file or variable and the fix,
never a traceback; the cookie lifetime is bounded; a base URL with credentials is refused and
URLs are shown without userinfo or query."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import auth
from dashboard.settings import SettingsError, display_url, load_settings

from .conftest import new_app, page_text, shown

GOOD_KEY = "k" * 12 + "Zq8_3nLr0pXv2"
SECRET = "pw-in-the-url-7781"


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


BROKEN_USERS_FILES = {
    "not utf-8": (b"credentials:\n  usernames: {}\n# \xff\xfe\n", "not UTF-8"),
    "usernames is a list": (f"credentials:\n  usernames: [a, b]\ncookie: {{key: {GOOD_KEY}}}\n", "usernames"),
    "user is a string": (
        f"credentials:\n  usernames: {{alice: justastring}}\ncookie: {{key: {GOOD_KEY}}}\n",
        "alice",
    ),
    "expiry is a word": (
        f"credentials:\n  usernames: {{}}\ncookie: {{key: {GOOD_KEY}, expiry_days: soon}}\n",
        "expiry_days",
    ),
    "expiry is huge": (
        f"credentials:\n  usernames: {{}}\ncookie: {{key: {GOOD_KEY}, expiry_days: 1e12}}\n",
        "expiry_days",
    ),
    "cookie is a list": ("credentials:\n  usernames: {}\ncookie: [1]\n", "cookie"),
}


@pytest.mark.parametrize("case", list(BROKEN_USERS_FILES))
def test_read_config_names_the_file_and_the_entry(tmp_path, case):
    content, words = BROKEN_USERS_FILES[case]
    path = _write(tmp_path / "auth.yaml", content)
    with pytest.raises(auth.AuthConfigError) as caught:
        auth.read_config(path)
    assert str(path) in str(caught.value) and words in str(caught.value)


def test_read_config_of_a_folder_or_unreadable_file(tmp_path):
    with pytest.raises(auth.AuthConfigError, match="is a folder, not a file"):
        auth.read_config(tmp_path)
    with pytest.raises(auth.AuthConfigError, match="cannot be read"):
        auth.read_config(tmp_path / "missing.yaml")


def test_cookie_expiry_days_is_bounded():
    assert auth.cookie_expiry_days(0, where="x") == 0.0
    assert auth.cookie_expiry_days(365, where="x") == 365.0
    for bad in (float("inf"), float("nan"), 1e12, -1, "soon", True, None):
        with pytest.raises(auth.AuthConfigError, match="number of days"):
            auth.cookie_expiry_days(bad, where="x")


@pytest.mark.parametrize("case", [*BROKEN_USERS_FILES, "folder"])
def test_a_broken_users_file_stops_the_app_with_a_message(offline_env, case):
    env = offline_env("prod", None)
    if case == "folder":
        env.auth_file.mkdir()
        words = "is a folder"
    else:
        content, words = BROKEN_USERS_FILES[case]
        _write(env.auth_file, content)
    at = new_app().run()
    assert not at.exception, at.exception
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 1 and "cannot start" in errors[0] and words in errors[0]
    assert str(env.auth_file) in errors[0]
    assert not at.text_input  # no login form


@pytest.mark.parametrize("value", ["inf", "1e12", "nan", "-1", "soon"])
def test_cookie_expiry_setting_is_bounded(value):
    with pytest.raises(SettingsError) as caught:
        load_settings({}, {"ACEINT_DASHBOARD_COOKIE_EXPIRY_DAYS": value})
    assert "ACEINT_DASHBOARD_COOKIE_EXPIRY_DAYS" in str(caught.value)
    assert load_settings({}, {"ACEINT_DASHBOARD_COOKIE_EXPIRY_DAYS": "365"}).cookie_expiry_days == 365


def test_a_huge_cookie_expiry_stops_the_app_with_a_message(offline_env, monkeypatch):
    offline_env("sandbox", None)
    monkeypatch.setenv("ACEINT_DASHBOARD_COOKIE_EXPIRY_DAYS", "1e12")
    at = new_app()
    at.secrets = {}
    at.run()
    assert not at.exception, at.exception
    assert any("ACEINT_DASHBOARD_COOKIE_EXPIRY_DAYS" in shown(e.value) for e in at.error)


def test_base_url_with_credentials_is_refused_without_showing_them(offline_env, monkeypatch):
    with pytest.raises(SettingsError) as caught:
        load_settings({}, {"ACEINT_BASE_URL": f"http://user:{SECRET}@127.0.0.1:9/backend/api/v1"})
    assert "ACEINT_BASE_URL" in str(caught.value) and "password" in str(caught.value)
    assert SECRET not in str(caught.value)

    offline_env("sandbox", None)
    monkeypatch.setenv("ACEINT_BASE_URL", f"http://user:{SECRET}@127.0.0.1:9/backend/api/v1")
    at = new_app().run()
    assert not at.exception
    assert any("ACEINT_BASE_URL" in shown(e.value) for e in at.error)
    assert SECRET not in page_text(at)


def test_display_url_drops_userinfo_query_and_fragment():
    assert display_url(f"https://u:{SECRET}@aceint.example:8443/api/v1?token=abc#x") == (
        "https://aceint.example:8443/api/v1"
    )
    assert display_url("http://127.0.0.1:8765/backend/api/v1") == "http://127.0.0.1:8765/backend/api/v1"
