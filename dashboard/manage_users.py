"""Create or update the dashboard's users file for dev/prod, from the command line.

    python -m dashboard.manage_users add alice --name "Alice Smith" --email alice@example.com
    python -m dashboard.manage_users remove-demo

The password is read without echo and stored only as a bcrypt hash; a missing or default
cookie key is replaced by a random one. The file path comes from the same settings as the app
(ACEINT_DASHBOARD_AUTH_FILE or `auth_file` in secrets.toml; default .streamlit/auth.yaml).
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from . import auth
from .settings import load_settings


def _load(path: Path, cookie_name: str, expiry: float) -> dict[str, Any]:
    config = auth.read_config(path) if path.exists() else {"credentials": {"usernames": {}}}
    config.setdefault("credentials", {}).setdefault("usernames", {})
    config["credentials"]["usernames"] = config["credentials"]["usernames"] or {}
    cookie = config.setdefault("cookie", {})
    cookie.setdefault("name", cookie_name)
    cookie.setdefault("expiry_days", expiry)
    key = str(cookie.get("key") or "")
    if key in auth.KNOWN_DEFAULT_COOKIE_KEYS or len(key) < auth.MIN_COOKIE_KEY_LENGTH:
        cookie["key"] = secrets.token_urlsafe(32)
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.manage_users", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a user or change a user's password")
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument(
        "--role", default=auth.DEFAULT_ROLE, choices=[auth.DEFAULT_ROLE, auth.VIEWER_ROLE, "admin"]
    )
    sub.add_parser("remove-demo", help=f"remove the sandbox demo account `{auth.DEMO_USERNAME}`")
    args = parser.parse_args(argv)

    settings = load_settings({}, os.environ)
    path = Path(settings.auth_file)
    config = _load(path, settings.cookie_name, settings.cookie_expiry_days)
    users = config["credentials"]["usernames"]
    if args.command == "add":
        username = args.username.strip().lower()
        password = getpass.getpass(f"Password for {username}: ")
        if len(password) < 10:
            print("Use a password of at least 10 characters.", file=sys.stderr)
            return 2
        if getpass.getpass("Again: ") != password:
            print("The passwords differ; nothing was changed.", file=sys.stderr)
            return 2
        users[username] = {
            "name": args.name,
            "email": args.email,
            "password": auth.hash_password(password),
            "roles": [args.role],
        }
    else:
        users.pop(auth.DEMO_USERNAME, None)
    auth.write_config(path, config)
    print(f"Wrote {path}: users {', '.join(sorted(users)) or '(none)'}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
