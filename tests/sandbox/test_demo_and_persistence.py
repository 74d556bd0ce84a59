"""Demo interviews on a first start, and state that survives a restart on a file database."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import requests

from aceint_core import contract
from aceint_sandbox.server import SandboxServer, running_sandbox

from .conftest import Api


def _listing(api: Api) -> list[dict]:
    return api.control("GET", "/sandbox/sessions").json()[contract.ENVELOPE_KEY]


def test_first_start_holds_three_completed_demo_interviews(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    with running_sandbox(db_url=db, seed_demo=True) as url:
        api = Api(url)
        items = _listing(api)
        assert len(items) == 3 and {i["status"] for i in items} == {"Completed"}
        assert len({i["jobRole"] for i in items}) == 3 and len({i["fullName"] for i in items}) == 3
        api.issue()
        for item in items:
            record = api.call(contract.SESSION_RECORD, params={"session_id": item["sessionId"]})
            assert record.status_code == 200
            assert len(record.json()["data"]["transcript"]) >= 5
        assert api.stats()["sessionsCreated"] == 0  # demo data is not counted as traffic
    with running_sandbox(db_url=db, seed_demo=True) as url:
        assert len(_listing(Api(url))) == 3  # not seeded twice


def test_no_demo_by_default_and_none_into_a_used_store(tmp_path: Path, seed: dict) -> None:
    with running_sandbox() as url:
        assert _listing(Api(url)) == []
    db = f"sqlite:///{tmp_path / 'used.db'}"
    with running_sandbox(db_url=db) as url:
        api = Api(url)
        api.issue()
        api.create(seed)
    with running_sandbox(db_url=db, seed_demo=True) as url:
        assert [i["sessionId"] for i in _listing(Api(url))] == [seed["sessionId"]]


def test_sessions_tokens_records_and_links_survive_a_restart(tmp_path: Path, seed: dict) -> None:
    db = f"sqlite:///{tmp_path / 'state.db'}"
    first = SandboxServer(db_url=db)
    api = Api(first.start())
    tokens = api.issue(ttl=600)
    assert api.create(seed).status_code == 201
    api.control("POST", f"/sandbox/sessions/{seed['sessionId']}/complete")
    link = api.call(contract.SESSION_RECORD, params={"session_id": seed["sessionId"]}).json()["data"][
        "audioLink"
    ]
    first.stop()

    second = SandboxServer(db_url=db, port=int(link.split(":")[2].split("/")[0]))
    again = Api(second.start())
    try:
        again.access_token = tokens[contract.K_ACCESS_TOKEN]  # the token from before the restart
        got = again.call(contract.SESSION_GET, params={"session_id": seed["sessionId"]})
        assert got.status_code == 200 and got.json()["data"]["status"] == "Completed"
        assert again.create(seed).status_code == 200  # still the same session, not a new one
        assert (
            again.call(contract.SESSION_RECORD, params={"session_id": seed["sessionId"]}).status_code == 200
        )
        assert requests.get(link, timeout=30).status_code == 200  # signing key kept too
        refreshed = again.call(
            contract.TOKEN_REFRESH,
            auth=False,
            json={contract.K_REFRESH_TOKEN: tokens[contract.K_REFRESH_TOKEN]},
        )
        assert refreshed.status_code == 200
    finally:
        second.stop()


def test_servers_do_not_share_in_memory_state(seed: dict) -> None:
    with running_sandbox() as url_a, running_sandbox() as url_b:
        a, b = Api(url_a), Api(url_b)
        assert url_a != url_b
        a.issue()
        a.create(seed)
        assert len(_listing(a)) == 1 and _listing(b) == []


def _candidate_answers(transcript: list[dict]) -> list[str]:
    """The candidate's answers to the questions (not the 'ready' reply)."""
    return [t["text"] for t in transcript if t["role"] == "candidate"][1:]


def _shares_a_word(answer: str, concept: str) -> bool:
    stems = {w.lower()[:5] for w in concept.replace("-", " ").split() if len(w) >= 3 and w.lower() != "the"}
    return any(stem in answer.lower() for stem in stems)


def test_demo_answers_were_written_for_their_questions() -> None:
    from aceint_sandbox.demo import DEMO_INTERVIEWS

    with running_sandbox(seed_demo=True) as url:
        api = Api(url)
        api.issue()
        seen: set[str] = set()
        for demo in DEMO_INTERVIEWS:
            sid = demo.payload["sessionId"]
            record = api.call(contract.SESSION_RECORD, params={"session_id": sid}).json()["data"]
            answers = _candidate_answers(record["transcript"])
            concepts = [c for t in demo.payload["topics"] for s in t["subtopics"] for c in s["concepts"]]
            assert answers == demo.answers and len(answers) == len(concepts)
            for answer, concept in zip(answers, concepts, strict=True):
                assert _shares_a_word(answer, concept), (concept, answer)
                assert answer not in seen
                seen.add(answer)
            if demo.payload["interviewCategory"] != "Technical":
                assert not any("code" in a or "debugging" in a for a in answers)


TECH_WORDS = ("code", "debugging", "documentation", "a small test", "run time", "specification")


@pytest.mark.parametrize("category", ["Technical", "Behavioral", "HR", "Managerial"])
def test_generated_answers_fit_any_concept_and_the_category(authed: Api, seed: dict, category: str) -> None:
    concepts = ["Giving difficult feedback", "Conflict resolution", "Stakeholder updates", "Isolation levels"]
    payload = json.loads(json.dumps(seed))
    payload["interviewCategory"] = category
    payload["topics"][0]["subtopics"][0]["concepts"] = concepts
    for sid_n in range(3):  # several sessions, so several of the generated templates show up
        payload["sessionId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{category}-{sid_n}"))
        assert authed.create(payload).status_code == 201
        authed.control("POST", f"/sandbox/sessions/{payload['sessionId']}/complete")
        record = authed.call(contract.SESSION_RECORD, params={"session_id": payload["sessionId"]}).json()
        transcript = record["data"]["transcript"]
        answers = _candidate_answers(transcript)
        assert len(answers) == len(concepts)
        for answer, concept in zip(answers, concepts, strict=True):
            assert concept in answer
        questions = [t["text"] for t in transcript if t["role"] == "interviewer"]
        if category != "Technical":
            assert not [a for a in answers if any(w in a for w in TECH_WORDS)]
            assert not [q for q in questions if "code" in q]
