"""Settings loading and the local database, without Streamlit."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.repository import SessionRepository
from dashboard.schedule_form import ImportProblem, draft_from_payload, parse_import, to_payload, validate
from dashboard.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


def test_defaults_and_environment_over_secrets():
    s = load_settings({}, {})
    assert s.mode == "sandbox" and s.database_url == DEFAULT_DATABASE_URL and s.embeds_sandbox
    secrets = {"aceint": {"mode": "dev", "api_secret": "from-secrets", "database_url": "sqlite:///x.db"}}
    s = load_settings(secrets, {"ACEINT_MODE": "prod", "ACEINT_DASHBOARD_DATABASE_URL": ""})
    assert s.mode == "prod"  # the variable wins
    assert s.database_url == "sqlite:///x.db"  # an empty variable does not erase the file's value
    assert s.api_secret is not None and s.api_secret.get_secret_value() == "from-secrets"
    assert "from-secrets" not in repr(s) and "from-secrets" not in str(s.model_dump())
    assert "from-secrets" not in s.fingerprint()


def test_bad_setting_names_the_setting_and_variable_without_the_value():
    with pytest.raises(SettingsError) as info:
        load_settings({}, {"ACEINT_MODE": "staging", "ACEINT_SANDBOX_PORT": "abc"})
    text = str(info.value)
    assert (
        "mode" in text and "ACEINT_MODE" in text and "sandbox_port" in text and "ACEINT_SANDBOX_PORT" in text
    )


def test_repository_survives_reopen_and_filters(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'db.sqlite'}"
    repo = SessionRepository.open(url)
    old = datetime.now(UTC) - timedelta(days=1)
    repo.add(
        session_id="a",
        full_name="Ada Lovelace",
        job_role="Engineer",
        status="New",
        created_by="r1",
        iframe_url="http://x/a",
        payload={"k": 1},
        created_at=old,
    )
    repo.add(
        session_id="b",
        full_name="Bob",
        job_role="Analyst",
        status="Completed",
        created_by="r2",
        iframe_url="http://x/b",
        payload={},
    )
    repo.close()
    repo = SessionRepository.open(url)
    assert [r.session_id for r in repo.sessions()] == ["b", "a"]  # newest first
    assert [r.session_id for r in repo.sessions(search="LOVELACE")] == ["a"]
    assert [r.session_id for r in repo.sessions(status="Completed")] == ["b"]
    repo.update_status("a", "Completed")
    assert repo.get("a").status == "Completed" and repo.get("a").last_synced_at is not None
    assert repo.get("a").created_at == old
    repo.attach_transcript("a", filename="t.vtt", text="WEBVTT", uploaded_by="r1")
    assert repo.attached_transcript("a").filename == "t.vtt"
    with pytest.raises(KeyError):
        repo.attach_transcript("missing", filename="t", text="", uploaded_by="r1")
    repo.close()


def test_import_round_trips_the_seed_and_names_structural_problems(seed_payload):
    draft = draft_from_payload(seed_payload)
    assert to_payload(draft) == seed_payload
    assert validate(draft).ok
    for mutate, field in (
        (lambda p: p.update(extra=1), "extra"),
        (lambda p: p.update(duration="30"), "duration"),
        (lambda p: p.update(interviewMode="REMOTE"), "interviewMode"),
        (
            lambda p: p["topics"][0]["subtopics"][0].update(concepts=["ok", 3]),
            "topics[0].subtopics[0].concepts[1]",
        ),
        (lambda p: p["topics"][0].pop("name"), "topics[0].name"),
    ):
        payload = copy.deepcopy(seed_payload)
        mutate(payload)
        with pytest.raises(ImportProblem) as info:
            parse_import(json.dumps(payload))
        assert info.value.field == field


def test_secrets_example_names_only_real_settings():
    import tomllib

    from dashboard.settings import ENV_VARS, ROOT_DIR

    text = (ROOT_DIR / ".streamlit" / "secrets.toml.example").read_text()
    table = tomllib.loads(text)["aceint"]
    assert set(table) <= set(ENV_VARS)
    commented = {line.lstrip("# ").split(" =")[0] for line in text.splitlines() if " = " in line}
    assert commented <= set(ENV_VARS), commented - set(ENV_VARS)
    for name, var in ENV_VARS.items():
        assert var in text, f"{var} ({name}) is not documented in secrets.toml.example"
    settings = load_settings({"aceint": table}, {})
    assert settings.mode == "dev" and settings.api_secret.get_secret_value() == "your-api-secret"


def test_manage_users_makes_a_file_prod_accepts(tmp_path, monkeypatch):
    from dashboard import auth, manage_users

    path = tmp_path / "auth.yaml"
    auth.write_config(path, auth.demo_config("c", 1))
    monkeypatch.setenv("ACEINT_DASHBOARD_AUTH_FILE", str(path))
    answers = iter(["correct horse battery", "correct horse battery"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert manage_users.main(["add", "Alice", "--name", "Alice", "--email", "a@example.com"]) == 0
    file = auth.prepare_auth_file(path, mode="prod", cookie_name="c", cookie_expiry_days=1)
    assert auth.refusals(file, "prod") and "demo account" in auth.refusals(file, "prod")[0]
    assert manage_users.main(["remove-demo"]) == 0
    file = auth.prepare_auth_file(path, mode="prod", cookie_name="c", cookie_expiry_days=1)
    assert auth.refusals(file, "prod") == []
    assert "correct horse" not in path.read_text()
    assert auth.roles_of(file, "alice") == {"recruiter"}
