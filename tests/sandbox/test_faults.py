"""Every fault kind, set through /sandbox/faults (and the CLI flags), as a client sees it."""

from __future__ import annotations

import copy
import time
import uuid

import pytest
import requests

from aceint_core import contract
from aceint_sandbox.__main__ import faults_from_args, parser
from aceint_sandbox.server import running_sandbox

from .conftest import Api

GET_ROUTE = "GET /sessions/{session_id}"


def _faults(api: Api, **config: object) -> dict:
    r = api.control("PUT", "/sandbox/faults", json=config)
    assert r.status_code == 200, r.text
    return r.json()


def _get(api: Api, timeout: float = 10) -> requests.Response:
    return api.call(contract.SESSION_GET, params={"session_id": "missing"}, timeout=timeout)


def test_latency_is_added(authed: Api) -> None:
    _faults(authed, latency_ms=300)
    started = time.monotonic()
    assert _get(authed).status_code == 404
    assert time.monotonic() - started >= 0.3
    authed.control("DELETE", "/sandbox/faults")
    started = time.monotonic()
    _get(authed)
    assert time.monotonic() - started < 0.3


def test_error_status_on_chosen_routes_only(authed: Api) -> None:
    _faults(authed, error_rate=1, error_status=502, routes=[GET_ROUTE])
    r = _get(authed)
    assert r.status_code == 502
    assert r.json()[contract.K_ERROR][contract.K_ERROR_CODE] == "injected_fault"
    assert r.headers[contract.REQUEST_ID_HEADER]
    authed.issue()  # POST /auth/token is not in routes: unaffected
    assert authed.stats()["faultsInjected"] == 1


def test_rate_limit_sends_retry_after(authed: Api) -> None:
    _faults(authed, rate_limit_rate=1, retry_after=2)
    r = _get(authed)
    assert r.status_code == 429 and r.headers[contract.RETRY_AFTER_HEADER] == "2"
    assert r.json()[contract.K_ERROR][contract.K_ERROR_CODE] == "rate_limited"


def test_dropped_connection_is_a_connection_error(authed: Api) -> None:
    _faults(authed, drop_rate=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        _get(authed)
    authed.control("DELETE", "/sandbox/faults")
    assert _get(authed).status_code == 404  # the pool recovers


def test_slow_response_outlasts_the_client_timeout(authed: Api) -> None:
    _faults(authed, slow_rate=1, slow_seconds=1.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        _get(authed, timeout=0.3)


def test_malformed_json_on_a_success_status(authed: Api) -> None:
    _faults(authed, malformed_rate=1, routes=["POST /auth/token"])
    r = authed.call(contract.TOKEN_ISSUE, auth=False, json={})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        r.json()


def test_early_token_expiry_reports_the_ttl_but_expires_sooner(api: Api) -> None:
    api.control("PUT", "/sandbox/faults", json={"token_ttl_cap_s": 2})
    body = api.issue(ttl=600)
    assert body[contract.K_EXPIRES_IN] == 600
    assert _get(api).status_code == 404
    time.sleep(2.1)
    r = _get(api)
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"


def test_fail_next_queue_is_deterministic_and_drains(authed: Api, seed: dict) -> None:
    _faults(authed, fail_next=[{"route": "POST /sessions", "kind": "status", "status": 503, "count": 2}])
    assert [authed.create(seed).status_code for _ in range(3)] == [503, 503, 201]
    assert authed.control("GET", "/sandbox/faults").json()["fail_next"] == []
    _faults(
        authed, fail_next=[{"route": "*", "kind": "rate_limit"}, {"route": GET_ROUTE, "kind": "malformed"}]
    )
    assert _get(authed).status_code == 429
    assert _get(authed).status_code == 200  # malformed body
    assert _get(authed).status_code == 404


def test_after_phase_processes_the_request_and_loses_the_response(authed: Api, seed: dict) -> None:
    key = {contract.IDEMPOTENCY_HEADER: str(uuid.uuid4())}
    _faults(authed, fail_next=[{"route": "POST /sessions", "kind": "drop", "phase": "after"}])
    with pytest.raises(requests.exceptions.ConnectionError):
        authed.create(seed, headers=key)
    got = authed.call(contract.SESSION_GET, params={"session_id": seed["sessionId"]})
    assert got.status_code == 200  # the session was created before the connection dropped
    retry = authed.create(seed, headers=key)
    assert retry.status_code == 201 and retry.headers.get("Idempotent-Replayed") == "true"
    assert authed.stats()["sessionsCreated"] == 1

    other = copy.deepcopy(seed)
    other["sessionId"] = str(uuid.uuid4())
    _faults(authed, fail_next=[{"route": "POST /sessions", "kind": "malformed", "phase": "after"}])
    spoiled = authed.create(other)
    assert spoiled.status_code == 200
    assert spoiled.text and spoiled.text.startswith('{"data"')
    with pytest.raises(ValueError):
        spoiled.json()
    assert authed.stats()["sessionsCreated"] == 2


def test_seeded_rates_repeat(authed: Api) -> None:
    def run() -> list[int]:
        _faults(authed, error_rate=0.5, seed=7, routes=[GET_ROUTE])
        return [_get(authed).status_code for _ in range(12)]

    first = run()
    assert set(first) == {404, 503} and run() == first


def test_bad_fault_settings_are_422_naming_the_field(api: Api) -> None:
    r = api.control("PUT", "/sandbox/faults", json={"routes": ["GET /nope"]})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "routes"
    assert "POST /sessions" in r.json()["error"]["fields"][0]["message"]
    r = api.control("PUT", "/sandbox/faults", json={"error_rate": 0.7, "drop_rate": 0.7})
    assert r.status_code == 422 and "at most 1" in r.json()["error"]["message"]
    r = api.control("PUT", "/sandbox/faults", json={"latency": 5})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "latency"


def test_patch_merges_and_delete_clears(api: Api) -> None:
    _faults(api, latency_ms=10)
    api.control("PATCH", "/sandbox/faults", json={"error_rate": 0.25})
    current = api.control("GET", "/sandbox/faults").json()
    assert (current["latency_ms"], current["error_rate"]) == (10, 0.25)
    cleared = api.control("DELETE", "/sandbox/faults").json()
    assert (cleared["latency_ms"], cleared["error_rate"]) == (0, 0)


def test_stats_count_requests_per_route_and_reset(authed: Api, seed: dict) -> None:
    authed.create(seed)
    _get(authed)
    _get(authed)
    stats = authed.stats()
    assert stats["requests"] == {"POST /auth/token": 1, "POST /sessions": 1, GET_ROUTE: 2}
    assert (stats["tokensIssued"], stats["sessionsCreated"]) == (1, 1)
    reset = authed.control("POST", "/sandbox/stats/reset").json()
    assert reset["requests"] == {} and reset["tokensIssued"] == 0


def test_cli_flags_build_the_same_fault_settings() -> None:
    args = parser().parse_args(
        ["--error-rate", "0.2", "--error-status", "500", "--fault-routes", "POST /sessions, POST /auth/token",
         "--retry-after", "3", "--rate-limit-rate", "0.1", "--token-ttl-cap", "5", "--fault-phase", "after"]
    )  # fmt: skip
    config = faults_from_args(args)
    with running_sandbox(faults=config) as url:
        live = Api(url).control("GET", "/sandbox/faults").json()
    assert live["error_rate"] == 0.2 and live["error_status"] == 500
    assert live["routes"] == ["POST /sessions", "POST /auth/token"]
    assert (live["retry_after"], live["rate_limit_rate"], live["token_ttl_cap_s"], live["phase"]) == (
        3,
        0.1,
        5,
        "after",
    )
    bad = parser().parse_args(["--fault-routes", "GET /nowhere"])
    with pytest.raises(ValueError):
        faults_from_args(bad)
