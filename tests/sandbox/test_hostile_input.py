"""Hostile and malformed input over real HTTP: every answer is the contract's JSON error body
(a 4xx naming the field and the fix when the client is at fault), nothing is half-applied,
and no stored value can make a later response fail."""

from __future__ import annotations

import json
import logging
import os
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from aceint_core import contract
from aceint_sandbox.request_body import MAX_BODY_BYTES, MAX_NESTING
from aceint_sandbox.server import SandboxServer, running_sandbox
from aceint_sandbox.store import SessionRow

from .conftest import CREDS, Api

JSON = {"Content-Type": "application/json"}


def _error(r: requests.Response) -> dict[str, Any]:
    assert r.headers["content-type"].startswith("application/json"), (r.status_code, r.text[:200])
    return r.json()[contract.K_ERROR]  # type: ignore[no-any-return]


def _fields(r: requests.Response) -> list[str]:
    return [f[contract.K_FIELD] for f in _error(r).get(contract.K_ERROR_FIELDS, [])]


def _token_body_with_ttl(literal: str) -> str:
    """A token request whose accessTtl is `literal` written into the JSON text as is."""
    return json.dumps(CREDS)[:-1] + f', "{contract.K_ACCESS_TTL}": {literal}}}'


def _post_raw(api: Api, route: tuple[str, str], text: str, **kwargs: Any) -> requests.Response:
    return api.call(route, data=text.encode("utf-8"), headers=JSON, **kwargs)


# --- 1. accessTtl ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    ["NaN", "Infinity", "-Infinity", "1e30", "1e400", str(10**30), str(2**63), "9" * 5000, "-" + "9" * 5000],
    ids=["nan", "inf", "-inf", "1e30", "1e400", "10**30", "2**63", "5000-digits", "-5000-digits"],
)
def test_an_access_ttl_out_of_range_is_422_naming_it_and_its_range(api: Api, literal: str) -> None:
    r = _post_raw(api, contract.TOKEN_ISSUE, _token_body_with_ttl(literal), auth=False)
    assert r.status_code == 422, r.text[:300]
    assert _fields(r) == [contract.K_ACCESS_TTL]
    assert "whole seconds from 1 to 604800" in _error(r)[contract.K_ERROR_MESSAGE]


def test_a_refresh_with_ttl_nan_is_422_and_the_refresh_token_is_not_used_up(api: Api) -> None:
    tokens = api.issue()
    refresh = tokens[contract.K_REFRESH_TOKEN]
    text = json.dumps({contract.K_REFRESH_TOKEN: refresh})[:-1] + f', "{contract.K_ACCESS_TTL}": NaN}}'
    r = _post_raw(api, contract.TOKEN_REFRESH, text, auth=False)
    assert r.status_code == 422 and _fields(r) == [contract.K_ACCESS_TTL]
    again = api.call(contract.TOKEN_REFRESH, auth=False, json={contract.K_REFRESH_TOKEN: refresh})
    assert again.status_code == 200, again.text


# --- 2. unpaired surrogates --------------------------------------------------------------------

LONE = "a\ud800b"


def _ascii_json(value: Any) -> str:
    """JSON text as a client would send it: the lone surrogate as its \\ud800 escape."""
    return json.dumps(value, ensure_ascii=True)


@pytest.mark.parametrize("field", [contract.K_CLIENT_PUBLIC_ID, contract.K_API_KEY, contract.K_API_SECRET])
def test_a_lone_surrogate_in_a_token_field_is_422_naming_it(api: Api, field: str) -> None:
    r = _post_raw(api, contract.TOKEN_ISSUE, _ascii_json({**CREDS, field: LONE}), auth=False)
    assert r.status_code == 422 and _fields(r) == [field]
    assert f"{field} contains an unpaired surrogate" in _error(r)[contract.K_ERROR_MESSAGE]


def test_a_lone_surrogate_in_revoke_or_refresh_is_422_naming_the_field(api: Api) -> None:
    r = _post_raw(api, contract.TOKEN_REVOKE, _ascii_json({contract.K_TOKEN: LONE}), auth=False)
    assert r.status_code == 422 and _fields(r) == [contract.K_TOKEN]
    r = _post_raw(api, contract.TOKEN_REFRESH, _ascii_json({contract.K_REFRESH_TOKEN: LONE}), auth=False)
    assert r.status_code == 422 and _fields(r) == [contract.K_REFRESH_TOKEN]


def test_a_lone_surrogate_anywhere_in_a_session_is_422_naming_its_path(authed: Api, seed: dict) -> None:
    named = dict(seed, fullName=LONE)
    r = _post_raw(authed, contract.SESSION_CREATE, _ascii_json(named))
    assert r.status_code == 422 and _fields(r) == ["fullName"]
    deep = json.loads(json.dumps(seed))
    deep["topics"][0]["subtopics"][0]["concepts"][1] = LONE
    r = _post_raw(authed, contract.SESSION_CREATE, _ascii_json(deep))
    assert r.status_code == 422 and _fields(r) == ["topics.0.subtopics.0.concepts.1"]
    keyed = {LONE: 1, **seed}
    r = _post_raw(authed, contract.SESSION_CREATE, _ascii_json(keyed))
    assert r.status_code == 422 and "unpaired surrogate" in _error(r)[contract.K_ERROR_MESSAGE]
    got = authed.call(contract.SESSION_GET, params={"session_id": seed["sessionId"]})
    assert got.status_code == 404  # nothing was created


def test_an_answer_with_a_lone_surrogate_is_refused_and_the_record_stays_servable(
    authed: Api, seed: dict
) -> None:
    assert authed.create(seed).status_code == 201
    sid = seed["sessionId"]
    r = authed.control(
        "POST", f"/sandbox/sessions/{sid}/answer", data=_ascii_json({"answer": "\ud800"}), headers=JSON
    )
    assert r.status_code == 422 and _fields(r) == ["answer"]
    fine = authed.control("POST", f"/sandbox/sessions/{sid}/answer", json={"answer": "fine"})
    assert fine.status_code == 200
    assert authed.control("POST", f"/sandbox/sessions/{sid}/complete").status_code == 200
    record = authed.call(contract.SESSION_RECORD, params={"session_id": sid})
    assert record.status_code == 200
    assert "fine" in [t["text"] for t in record.json()["data"]["transcript"]]


def test_a_store_holding_lone_surrogates_still_serves_every_view(server: SandboxServer, seed: dict) -> None:
    """As if written by an older sandbox that let them in: the record, details, listing,
    candidate page and audio are served, with U+FFFD in place of each surrogate."""
    api = Api(server.base_url)
    api.issue()
    assert api.create(seed).status_code == 201
    sid = seed["sessionId"]
    assert server.sandbox is not None
    with server.sandbox.store.unit() as db:
        row = db.get(SessionRow, sid)
        assert row is not None
        payload = json.loads(row.payload_json)
        payload["fullName"] = "Sam \ud800 Doe"
        # SQLite cannot hold a raw surrogate, so stored text has the escapes json.dumps writes
        row.payload_json = json.dumps(payload)
        row.answers_json = json.dumps(["an answer \udfff"])
    assert api.control("POST", f"/sandbox/sessions/{sid}/complete").status_code == 200
    for _ in range(2):  # and again: nothing became permanently unservable
        record = api.call(contract.SESSION_RECORD, params={"session_id": sid})
        assert record.status_code == 200, record.text[:300]
        texts = [t["text"] for t in record.json()["data"]["transcript"]]
        assert "an answer \ufffd" in texts
        details = api.call(contract.SESSION_GET, params={"session_id": sid})
        assert details.status_code == 200 and details.json()["data"]["fullName"] == "Sam \ufffd Doe"
        assert api.control("GET", "/sandbox/sessions").status_code == 200
        assert api.control("GET", f"/interview/{sid}").status_code == 200
    audio = requests.get(record.json()["data"]["audioLink"], headers={"Range": "bytes=0-3"}, timeout=30)
    assert audio.status_code == 206 and audio.content == b"RIFF"


# --- 3. nesting and size ---------------------------------------------------------------------

DEEP_BODIES = {
    "array-100k": "[" * 100_000 + "]" * 100_000,
    "object-50k": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "just-over-the-limit": '{"a":' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1),
}


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_deeply_nested_body_is_422_nested_too_deeply(authed: Api, body: str) -> None:
    for route in (contract.TOKEN_ISSUE, contract.SESSION_CREATE):
        r = _post_raw(authed, route, body)
        assert r.status_code == 422, (route, r.status_code, r.text[:200])
        assert "nested too deeply" in _error(r)[contract.K_ERROR_MESSAGE] and _fields(r) == ["body"]


def test_a_body_over_the_limit_is_413_with_the_contract_body(authed: Api, seed: dict) -> None:
    big = json.dumps({**seed, "fullName": "x" * MAX_BODY_BYTES})
    r = authed.call(contract.SESSION_CREATE, data=big, headers=JSON, timeout=30)
    assert r.status_code == 413 and _error(r)[contract.K_ERROR_CODE] == "payload_too_large"

    def chunks():  # no Content-Length: the limit holds on the bytes actually read
        yield b'{"answer": "'
        for _ in range(MAX_BODY_BYTES // 50_000 + 2):
            yield b"y" * 50_000
        yield b'"}'

    assert authed.create(seed).status_code == 201
    r = authed.control("POST", f"/sandbox/sessions/{seed['sessionId']}/answer", data=chunks(), headers=JSON)
    assert r.status_code == 413 and _error(r)[contract.K_ERROR_CODE] == "payload_too_large"
    progress = authed.control("GET", f"/sandbox/sessions/{seed['sessionId']}").json()["data"]
    assert progress["answered"] == 0
    assert authed.create(seed).status_code == 200  # the server is fine afterwards


# --- 4. media ----------------------------------------------------------------------------------


@pytest.fixture
def audio_link(authed: Api, seed: dict) -> str:
    assert authed.create(seed).status_code == 201
    authed.control("POST", f"/sandbox/sessions/{seed['sessionId']}/complete")
    record = authed.call(contract.SESSION_RECORD, params={"session_id": seed["sessionId"]})
    return record.json()["data"]["audioLink"]  # type: ignore[no-any-return]


def test_ranges_with_huge_offsets_are_answered_cleanly(audio_link: str) -> None:
    size = len(requests.get(audio_link, timeout=30).content)
    huge = "9" * 5000
    r = requests.get(audio_link, headers={"Range": f"bytes={huge}-"}, timeout=30)
    assert r.status_code == 416 and r.headers["Content-Range"] == f"bytes */{size}"
    r = requests.get(audio_link, headers={"Range": f"bytes=0-{huge}"}, timeout=30)
    assert r.status_code == 206 and len(r.content) == size
    r = requests.get(audio_link, headers={"Range": f"bytes=-{huge}"}, timeout=30)
    assert r.status_code == 206 and r.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}"


def test_a_non_ascii_signature_is_403_bad_signature(audio_link: str) -> None:
    base, query = audio_link.split("?")
    expires = dict(p.split("=") for p in query.split("&"))["expires"]
    for sig in ("%C3%A9", "%ED%A0%80", "%F0%9F%98%80" * 8):
        r = requests.get(f"{base}?expires={expires}&sig={sig}", timeout=10)
        assert r.status_code == 403 and _error(r)[contract.K_ERROR_CODE] == "bad_signature"


# --- 5. faults ----------------------------------------------------------------------------------


def test_patch_with_fail_next_not_a_list_is_422_and_changes_nothing(api: Api) -> None:
    before = api.control("GET", "/sandbox/faults").json()
    r = api.control("PATCH", "/sandbox/faults", json={"latency_ms": 50, "fail_next": 5})
    assert r.status_code == 422 and _fields(r) == ["fail_next"]
    assert api.control("GET", "/sandbox/faults").json() == before


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
@pytest.mark.parametrize(
    "text,field",
    [
        ('{"token_ttl_cap_s": Infinity}', "token_ttl_cap_s"),
        ('{"error_rate": 1, "token_ttl_cap_s": NaN}', "token_ttl_cap_s"),
        ('{"latency_ms": NaN}', "latency_ms"),
        ('{"slow_seconds": -Infinity}', "slow_seconds"),
        ('{"error_rate": 1, "fail_next": [{"count": Infinity}]}', "fail_next.0.count"),
    ],
)
def test_non_finite_fault_settings_are_422_and_none_is_applied(
    api: Api, method: str, text: str, field: str
) -> None:
    assert api.control("PUT", "/sandbox/faults", json={"token_ttl_cap_s": 30}).status_code == 200
    before = api.control("GET", "/sandbox/faults").json()
    r = api.control(method, "/sandbox/faults", data=text, headers=JSON)
    assert r.status_code == 422 and field in _fields(r), r.text[:300]
    assert api.control("GET", "/sandbox/faults").json() == before
    assert api.issue()[contract.K_EXPIRES_IN] == 60  # tokens are still issued normally


# --- 6. the catch-all --------------------------------------------------------------------------

SECRET_IN_MESSAGE = "S3CR3T-in-an-exception-message"


def test_an_unexpected_exception_is_a_contract_500_logged_without_its_message(
    server: SandboxServer, seed: dict, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = Api(server.base_url)
    token = api.issue()[contract.K_ACCESS_TOKEN]
    assert server.sandbox is not None

    def broken(*_args: object) -> dict:
        raise RuntimeError(f"boom {SECRET_IN_MESSAGE} {token}")

    monkeypatch.setattr(server.sandbox.sessions, "details", broken)
    monkeypatch.setattr(server.sandbox.sessions, "listing", broken)
    with caplog.at_level(logging.INFO):
        r = api.call(contract.SESSION_GET, params={"session_id": seed["sessionId"]})
        control = api.control("GET", "/sandbox/sessions")
    for response in (r, control):
        assert response.status_code == 500
        assert _error(response)[contract.K_ERROR_CODE] == "internal_error"
        assert SECRET_IN_MESSAGE not in response.text and token not in response.text
        assert "Traceback" not in response.text
    request_id = r.headers[contract.REQUEST_ID_HEADER]
    assert request_id in _error(r)[contract.K_ERROR_MESSAGE]
    logged = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert [rec.name for rec in logged] == ["aceint_sandbox", "aceint_sandbox"]  # once each, not by uvicorn
    text = "\n".join(rec.getMessage() for rec in logged)
    assert "RuntimeError" in text and request_id in text and "api.py" in text
    assert "test_hostile_input.py" in text  # the frames are there (broken() is in this file)
    assert SECRET_IN_MESSAGE not in text and token not in text
    assert "Exception in ASGI application" not in caplog.text


# --- 7. the file store is private ---------------------------------------------------------------


def test_a_new_file_store_and_its_wal_files_are_created_0600(tmp_path: Path, seed: dict) -> None:
    db = tmp_path / "var" / "sandbox.db"
    old_umask = os.umask(0o022)  # the usual umask, which would give 0644
    try:
        with running_sandbox(db_url=f"sqlite:///{db}") as url:
            api = Api(url)
            api.issue()
            assert api.create(dict(seed, sessionId=str(uuid.uuid4()))).status_code == 201
            files = [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
            assert db in files and len(files) == 3  # WAL mode: both side files exist while open
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    finally:
        os.umask(old_umask)
    assert modes == {name: 0o600 for name in modes}
