"""Login: the users file, the sandbox demo account, and the refusals in dev/prod.

Users and their bcrypt hashes live in a YAML file kept out of git (`.streamlit/auth.yaml` by
default), in streamlit-authenticator's format. In sandbox mode a missing file is created with a
demo recruiter and a random cookie key, so a newcomer can log in at once; in dev/prod the demo
account or a missing/default cookie key means anyone who read the README could sign in, so
the app refuses to start. Only `build_authenticator` touches Streamlit (through the library).
"""

from __future__ import annotations

import math
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .settings import ENV_VARS, MAX_COOKIE_EXPIRY_DAYS

DEMO_USERNAME = "recruiter"
DEMO_PASSWORD = "aceint-demo"  # noqa: S105 - documented sandbox-only password; refused in dev/prod
DEMO_NAME = "Demo Recruiter"
DEMO_EMAIL = "recruiter@sandbox.invalid"
DEFAULT_ROLE = "recruiter"
VIEWER_ROLE = "viewer"
"""A user whose only role is `viewer` sees Preview and Records but cannot schedule."""

# Keys people copy from examples; a cookie signed with one of these can be forged by anyone.
AUTH_FILE_VAR = ENV_VARS["auth_file"]

KNOWN_DEFAULT_COOKIE_KEYS = frozenset({"", "some_key", "some_signature_key", "changeme", "secret", "key"})
MIN_COOKIE_KEY_LENGTH = 24


REMOVE_DEMO_COMMAND = "python -m dashboard.manage_users remove-demo"
ADD_USER_COMMAND = "python -m dashboard.manage_users add <username>"
_ANNOUNCED_REFUSALS: set[tuple[str, ...]] = set()


class AuthConfigError(ValueError):
    """The users file is missing, unreadable or unsafe; the message says which and how to fix it."""


@dataclass(frozen=True)
class AuthFile:
    """The parsed users file."""

    path: Path
    config: dict[str, Any]
    created_now: bool = False

    @property
    def usernames(self) -> dict[str, Any]:
        return dict(self.config.get("credentials", {}).get("usernames") or {})

    @property
    def cookie(self) -> dict[str, Any]:
        return dict(self.config.get("cookie") or {})


def hash_password(password: str) -> str:
    """bcrypt hash in the form streamlit-authenticator checks."""
    import bcrypt

    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def demo_config(cookie_name: str, cookie_expiry_days: float) -> dict[str, Any]:
    """A users file holding only the demo recruiter, with a fresh random cookie key."""
    return {
        "credentials": {
            "usernames": {
                DEMO_USERNAME: {
                    "name": DEMO_NAME,
                    "email": DEMO_EMAIL,
                    "password": hash_password(DEMO_PASSWORD),
                    "roles": [DEFAULT_ROLE],
                }
            }
        },
        "cookie": {
            "name": cookie_name,
            "key": secrets.token_urlsafe(32),
            "expiry_days": cookie_expiry_days,
        },
    }


def write_config(path: Path, config: dict[str, Any]) -> None:
    """Write the users file readable by its owner only (it holds hashes and the cookie key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        yaml.safe_dump(config, out, sort_keys=False)


def read_config(path: Path) -> dict[str, Any]:
    """Read and check the users file; every way it can be wrong is an AuthConfigError that names
    the file, the entry and the fix (never a traceback on the login page)."""
    fix = f"fix it, or point {AUTH_FILE_VAR} at the right file"
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise AuthConfigError(f"the users file {path} is a folder, not a file; {fix}") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise AuthConfigError(f"the users file {path} cannot be read ({reason}); {fix}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AuthConfigError(
            f"the users file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AuthConfigError(f"the users file {path} is not valid YAML ({exc.__class__.__name__})") from None
    except RecursionError:
        raise AuthConfigError(f"the users file {path} is nested too deeply to be a users file") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("credentials"), dict):
        raise AuthConfigError(f"the users file {path} needs a `credentials: usernames:` section")
    check_config(path, loaded)
    return loaded


def check_config(path: Path, config: dict[str, Any]) -> None:
    """The shape streamlit-authenticator relies on, checked up front."""
    users = config["credentials"].get("usernames")
    if users is not None and not isinstance(users, dict):
        raise AuthConfigError(
            f"in {path}, `credentials: usernames:` must map each username to its entry "
            f"(name, email, password, roles), not be a {_yaml_kind(users)}; see the README, 'Logging in'"
        )
    for name, entry in (users or {}).items():
        if not isinstance(entry, dict):
            raise AuthConfigError(
                f"in {path}, the user `{name}` must be an entry with name, email and password "
                f"(a bcrypt hash), not a {_yaml_kind(entry)}; add users with "
                "`python -m dashboard.manage_users add`"
            )
        if not isinstance(entry.get("password"), str) or not entry["password"]:
            raise AuthConfigError(
                f"in {path}, the user `{name}` has no password hash; set one with "
                "`python -m dashboard.manage_users add`"
            )
        roles = entry.get("roles")
        if roles is not None and not isinstance(roles, list):
            raise AuthConfigError(f"in {path}, the roles of `{name}` must be a list, e.g. [recruiter]")
    cookie = config.get("cookie")
    if cookie is None:
        return
    if not isinstance(cookie, dict):
        raise AuthConfigError(f"in {path}, `cookie:` must have name, key and expiry_days entries")
    if "expiry_days" in cookie:
        cookie_expiry_days(cookie["expiry_days"], where=f"`cookie: expiry_days:` in {path}")


def cookie_expiry_days(value: Any, *, where: str) -> float:
    """A login cookie lifetime in days, within 0..MAX_COOKIE_EXPIRY_DAYS (0: no remembered login)."""
    hint = f"use a number of days from 0 to {MAX_COOKIE_EXPIRY_DAYS:g}, e.g. 1"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AuthConfigError(f"{where} must be a number of days, not {str(value)[:40]!r}; {hint}")
    if not math.isfinite(value) or not 0 <= value <= MAX_COOKIE_EXPIRY_DAYS:
        raise AuthConfigError(f"{where} is {str(value)[:20]}; {hint}")
    return float(value)


def _yaml_kind(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "yes/no value"}.get(
        type(value), type(value).__name__
    )


def announce_demo_account(path: Path, stream: Any = None) -> None:
    """Print the demo login once, to the terminal that started the app (never to a page log)."""
    out = stream or sys.stderr
    print(
        "\n  Aceint dashboard (sandbox mode): created a demo login in "
        f"{path}\n    username: {DEMO_USERNAME}\n    password: {DEMO_PASSWORD}\n",
        file=out,
        flush=True,
    )


def announce_refusal(mode: str, reasons: list[str], stream: Any = None) -> bool:
    """Print why the dashboard refuses to start to the terminal that started it, once per process
    for the same reasons (every page load reruns the app); the page says the same. True if printed."""
    seen = (mode, *reasons)
    if seen in _ANNOUNCED_REFUSALS:
        return False
    _ANNOUNCED_REFUSALS.add(seen)
    lines = "\n".join(f"    - {r}" for r in reasons)
    print(
        f"\n  Aceint dashboard: refusing to start in {mode} mode:\n{lines}\n",
        file=stream or sys.stderr,
        flush=True,
    )
    return True


def prepare_auth_file(path: Path, *, mode: str, cookie_name: str, cookie_expiry_days: float) -> AuthFile:
    """Load the users file; in sandbox mode create it with the demo account when it is missing."""
    path = Path(path)
    if not path.exists():
        if mode != "sandbox":
            raise AuthConfigError(
                f"no users file at {path}. In {mode} mode create it with your recruiters and a random "
                "cookie key (see the README, 'Log in'), or set ACEINT_DASHBOARD_AUTH_FILE."
            )
        try:
            write_config(path, demo_config(cookie_name, cookie_expiry_days))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise AuthConfigError(
                f"cannot create the users file {path} ({reason}); make its folder writable or set "
                f"{AUTH_FILE_VAR} to a writable path"
            ) from None
        announce_demo_account(path)
        return AuthFile(path, read_config(path), created_now=True)
    return AuthFile(path, read_config(path))


def refusals(auth: AuthFile, mode: str) -> list[str]:
    """Why this users file must not guard a real Aceint account (empty in sandbox mode)."""
    if mode == "sandbox":
        return []
    reasons = []
    if DEMO_USERNAME in {u.lower() for u in auth.usernames}:
        reasons.append(
            f"the sandbox demo account `{DEMO_USERNAME}` is in {auth.path}; its password is public. "
            f"Remove it with `{REMOVE_DEMO_COMMAND}` and add your own recruiters with `{ADD_USER_COMMAND}`."
        )
    key = str(auth.cookie.get("key") or "")
    if not key:
        reasons.append(f"{auth.path} has no cookie key (cookie: key:); set a long random one.")
    elif key in KNOWN_DEFAULT_COOKIE_KEYS or len(key) < MIN_COOKIE_KEY_LENGTH:
        reasons.append(
            f"the cookie key in {auth.path} is a default or shorter than {MIN_COOKIE_KEY_LENGTH} "
            "characters; anyone could forge a login cookie. Set a long random one, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )
    if not auth.usernames:
        reasons.append(f"{auth.path} lists no users; add one with `{ADD_USER_COMMAND}`.")
    return reasons


def roles_of(auth: AuthFile, username: str | None) -> set[str]:
    """The user's roles; a user listed without roles is a recruiter."""
    if not username:
        return set()
    entry = auth.usernames.get(username) or auth.usernames.get(username.lower()) or {}
    roles = entry.get("roles") or [DEFAULT_ROLE]
    return {str(r) for r in roles}


def can_schedule(roles: set[str]) -> bool:
    return bool(roles) and roles != {VIEWER_ROLE}


def build_authenticator(auth: AuthFile) -> Any:
    """The streamlit-authenticator object for this users file.

    It gets a copy of the credentials, not the path, so the library never rewrites the file
    (it would otherwise store login bookkeeping in it on every sign-in).
    """
    import copy

    import streamlit_authenticator as stauth

    cookie = auth.cookie
    return stauth.Authenticate(
        copy.deepcopy(auth.config["credentials"]),
        cookie_name=str(cookie.get("name") or "aceint_dashboard_auth"),
        cookie_key=str(cookie.get("key") or secrets.token_urlsafe(32)),
        cookie_expiry_days=cookie_expiry_days(
            cookie.get("expiry_days", 1.0), where=f"`cookie: expiry_days:` in {auth.path}"
        ),
        auto_hash=False,
        login_sleep_time=0,
    )


def demo_password_matches(password_hash: str) -> bool:
    """True when this hash is of the documented demo password (so the login hint is right)."""
    import bcrypt

    try:
        return bool(password_hash) and bcrypt.checkpw(DEMO_PASSWORD.encode(), password_hash.encode())
    except ValueError:
        return False
