"""Session create (idempotent on sessionId and on Idempotency-Key), get, record, 422 messages."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from aceint_core import contract

from .conftest import Api


def _data(r) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return r.json()[contract.ENVELOPE_KEY]


def _fields(r) -> dict[str, str]:  # type: ignore[no-untyped-def]
    err = r.json()[contract.K_ERROR]
    return {f[contract.K_FIELD]: f[contract.K_ERROR_MESSAGE] for f in err[contract.K_ERROR_FIELDS]}


def test_create_returns_contract_shape_and_iframe_on_own_origin(authed: Api, seed: dict) -> None:
    r = authed.create(seed)
    assert r.status_code == 201
    data = _data(r)
    assert set(data) == set(contract.CREATED_FIELDS)
    assert data["sessionId"] == seed["sessionId"] and data["status"] == "New"
    assert data["iframeUrl"] == f"{authed.origin}/interview/{seed['sessionId']}"
    assert data["token"] and data["token"] not in data["iframeUrl"]
    assert len(r.headers[contract.REQUEST_ID_HEADER]) == 32


def test_same_payload_is_same_session_and_different_payload_is_409(authed: Api, seed: dict) -> None:
    first = authed.create(seed)
    again = authed.create(copy.deepcopy(seed))
    assert (first.status_code, again.status_code) == (201, 200)
    assert _data(again) == _data(first)
    changed = copy.deepcopy(seed)
    changed["fullName"] = "Somebody Else"
    conflict = authed.create(changed)
    assert conflict.status_code == 409
    err = conflict.json()[contract.K_ERROR]
    assert seed["sessionId"] in err[contract.K_ERROR_MESSAGE]
    assert authed.stats()["sessionsCreated"] == 1


def test_idempotency_key_replays_first_response(authed: Api, seed: dict) -> None:
    key = str(uuid.uuid4())
    headers = {contract.IDEMPOTENCY_HEADER: key}
    first = authed.create(seed, headers=headers)
    replay = authed.create(seed, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)  # the stored response, status included
    assert replay.json() == first.json()
    assert replay.headers.get("Idempotent-Replayed") == "true"
    other = copy.deepcopy(seed)
    other["sessionId"] = str(uuid.uuid4())
    reused = authed.create(other, headers=headers)
    assert reused.status_code == 422
    assert reused.json()[contract.K_ERROR][contract.K_ERROR_CODE] == "idempotency_key_reused"
    assert contract.IDEMPOTENCY_HEADER in reused.json()[contract.K_ERROR][contract.K_ERROR_MESSAGE]
    stats = authed.stats()
    assert stats["sessionsCreated"] == 1 and stats["idempotentReplays"] == 1


def test_invalid_payload_gets_field_messages_with_wire_paths(authed: Api, seed: dict) -> None:
    bad = copy.deepcopy(seed)
    bad["topics"][0]["weightage"] = 500
    bad["topics"][0]["subtopics"][0]["concepts"] = ["Function Scope", " "]
    bad["userId"] = "not-a-uuid"
    bad["interviewDifficulty"] = "Impossible"
    del bad["fullName"]
    r = authed.create(bad)
    assert r.status_code == 422
    fields = _fields(r)
    assert "less than or equal to 100" in fields["topics.0.weightage"]
    assert "concept" in fields["topics.0.subtopics.0.concepts"]
    assert "UUID" in fields["userId"]
    assert "Easy" in fields["interviewDifficulty"]
    assert fields["fullName"] == "fullName is required"
    assert authed.stats()["sessionsCreated"] == 0


def test_topic_totals_are_reported_on_topics(authed: Api, seed: dict) -> None:
    bad = copy.deepcopy(seed)
    bad["topics"][0]["allocated_time"] = 999
    r = authed.create(bad)
    assert r.status_code == 422
    assert "duration" in _fields(r)["topics"]


def test_invalid_json_and_non_object_are_422(authed: Api) -> None:
    headers = {"Content-Type": "application/json"}
    r = authed.call(contract.SESSION_CREATE, data=b'{"userId": ', headers=headers)
    assert r.status_code == 422
    assert r.json()[contract.K_ERROR][contract.K_ERROR_CODE] == "invalid_json"
    assert "body" in _fields(r)
    r = authed.create([1, 2])  # type: ignore[arg-type]
    assert r.status_code == 422


def test_auth_is_checked_before_the_body(api: Api) -> None:
    r = api.call(contract.SESSION_CREATE, auth=False, data=b"not json")
    assert r.status_code == 401


def test_get_returns_payload_with_status_and_times(authed: Api, seed: dict) -> None:
    authed.create(seed)
    r = authed.call(contract.SESSION_GET, params={"session_id": seed["sessionId"]})
    assert r.status_code == 200
    data = _data(r)
    for key in contract.SESSION_FIELDS:
        assert data[key] == seed[key]
    assert data["status"] == "New" and data["completedAt"] is None
    assert data["createdAt"].endswith("Z") and data["updatedAt"]


def test_unknown_session_is_404_with_message(authed: Api) -> None:
    r = authed.call(contract.SESSION_GET, params={"session_id": "does-not-exist"})
    assert r.status_code == 404
    assert "does-not-exist" in r.json()[contract.K_ERROR][contract.K_ERROR_MESSAGE]


def test_concurrent_retries_of_one_create_make_one_session(authed: Api, seed: dict) -> None:
    from concurrent.futures import ThreadPoolExecutor

    key = {contract.IDEMPOTENCY_HEADER: str(uuid.uuid4())}

    def create(i: int) -> tuple[int, dict]:
        api = Api(authed.base_url)
        api.access_token = authed.access_token
        headers = key if i % 2 else {contract.IDEMPOTENCY_HEADER: str(uuid.uuid4())}
        r = api.create(copy.deepcopy(seed), headers=headers)
        return r.status_code, r.json()

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(create, range(24)))
    shared = {status for i, (status, _) in enumerate(results) if i % 2}
    own = [status for i, (status, _) in enumerate(results) if not i % 2]
    assert len(shared) == 1  # every retry with the one key got the first answer replayed
    firsts = own.count(201) + (1 if shared == {201} else 0)
    assert firsts == 1 and set(own) <= {200, 201}
    assert len({body["data"]["sessionId"] for _, body in results}) == 1
    stats = authed.stats()
    assert stats["sessionsCreated"] == 1 and stats["idempotentReplays"] == 11


def test_wrong_method_and_unknown_route_use_the_error_body(api: Api) -> None:
    r = api.http.delete(api.base_url + "/sessions", timeout=10)
    assert r.status_code == 405 and r.json()[contract.K_ERROR][contract.K_ERROR_CODE] == "method_not_allowed"
    r = api.http.get(api.base_url + "/nothing-here", timeout=10)
    assert r.status_code == 404 and "/nothing-here" in r.json()[contract.K_ERROR][contract.K_ERROR_MESSAGE]
