"""Completing an interview gives a record: transcript built from the topics, and real
WAV/WebM recordings at signed links that honour Range and expire."""

from __future__ import annotations

import io
import time
import wave
from typing import Any

import requests

from aceint_core import contract
from aceint_sandbox.server import running_sandbox

from .conftest import Api


def _record(api: Api, session_id: str) -> requests.Response:
    return api.call(contract.SESSION_RECORD, params={"session_id": session_id})


def _complete(api: Api, session_id: str, body: dict[str, Any] | None = None) -> requests.Response:
    return api.control("POST", f"/sandbox/sessions/{session_id}/complete", json=body)


def test_record_is_404_until_completed_then_has_a_transcript(authed: Api, seed: dict) -> None:
    sid = seed["sessionId"]
    authed.create(seed)
    r = _record(authed, sid)
    assert r.status_code == 404
    err = r.json()[contract.K_ERROR]
    assert err[contract.K_ERROR_CODE] == "record_not_ready" and "completed" in err[contract.K_ERROR_MESSAGE]

    assert authed.control("POST", f"/sandbox/sessions/{sid}/start").json()["data"]["status"] == "InProgress"
    details = authed.call(contract.SESSION_GET, params={"session_id": sid}).json()["data"]
    assert details["status"] == "InProgress"
    answer = authed.control(
        "POST", f"/sandbox/sessions/{sid}/answer", json={"answer": "Scope is per function."}
    )
    assert answer.json()["data"]["answered"] == 1
    done = _complete(authed, sid, {"answers": ["The TDZ is before let is initialised."]})
    assert done.status_code == 200 and done.json()["data"]["status"] == "Completed"

    r = _record(authed, sid)
    assert r.status_code == 200
    record = r.json()[contract.ENVELOPE_KEY]
    assert set(record) == set(contract.RECORD_FIELDS)
    assert record["category"] == "Technical" and record["subCategory"] == "JavaScript Fundamentals"
    turns = record["transcript"]
    assert all(set(t) == set(contract.TRANSCRIPT_TURN_FIELDS) for t in turns)
    assert {t["role"] for t in turns} == {"interviewer", "candidate"}
    texts = [t["text"] for t in turns]
    assert "Scope is per function." in texts and "The TDZ is before let is initialised." in texts
    questions = [t["text"] for t in turns if t["role"] == "interviewer"][1:-1]
    assert len(questions) == 2  # one per concept
    assert "Function Scope" in questions[0] and "Temporal Dead Zone" in questions[1]
    assert all("JavaScript Fundamentals" in q and "Variable Scoping and Hoisting" in q for q in questions)
    starts = [t["startTime"] for t in turns]
    assert starts == sorted(starts) and all(t["endTime"] > t["startTime"] for t in turns)
    assert all(a["endTime"] <= b["startTime"] for a, b in zip(turns, turns[1:], strict=False))
    details = authed.call(contract.SESSION_GET, params={"session_id": sid}).json()["data"]
    assert details["status"] == "Completed" and details["completedAt"]


def test_complete_without_answers_generates_them_and_cannot_repeat(authed: Api, seed: dict) -> None:
    authed.create(seed)
    assert _complete(authed, seed["sessionId"]).status_code == 200
    turns = _record(authed, seed["sessionId"]).json()["data"]["transcript"]
    answers = [t["text"] for t in turns if t["role"] == "candidate"][1:]
    assert len(answers) == 2 and all(len(a.split()) > 10 for a in answers)
    again = _complete(authed, seed["sessionId"])
    assert again.status_code == 409


def test_recordings_are_real_wav_and_webm_with_range(authed: Api, seed: dict) -> None:
    authed.create(seed)
    _complete(authed, seed["sessionId"])
    record = _record(authed, seed["sessionId"]).json()["data"]
    duration = max(t["endTime"] for t in record["transcript"])
    assert record["audioLink"].startswith(authed.origin + "/media/")

    audio = requests.get(record["audioLink"], timeout=30)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF" and audio.content[8:12] == b"WAVE"
    with wave.open(io.BytesIO(audio.content)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert duration <= seconds <= duration + 2

    video = requests.get(record["videoLink"], timeout=30)
    assert video.status_code == 200 and video.headers["content-type"] == "video/webm"
    assert video.content[:4] == b"\x1a\x45\xdf\xa3"  # EBML header of Matroska/WebM
    assert b"webm" in video.content[:64] and b"V_VP8" in video.content[:4096]
    assert video.headers["accept-ranges"] == "bytes"

    part = requests.get(record["videoLink"], headers={"Range": "bytes=100-199"}, timeout=30)
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(video.content)}"
    assert part.content == video.content[100:200]
    tail = requests.get(record["audioLink"], headers={"Range": "bytes=-10"}, timeout=30)
    assert tail.status_code == 206 and tail.content == audio.content[-10:]
    beyond = requests.get(record["audioLink"], headers={"Range": f"bytes={len(audio.content)}-"}, timeout=30)
    assert beyond.status_code == 416


def test_video_frames_decode_and_last_as_long_as_the_transcript(authed: Api, seed: dict) -> None:
    import av

    authed.create(seed)
    _complete(authed, seed["sessionId"])
    record = _record(authed, seed["sessionId"]).json()["data"]
    duration = max(t["endTime"] for t in record["transcript"])
    data = requests.get(record["videoLink"], timeout=30).content
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "vp8"
        frames = sum(1 for _ in container.decode(video=0))
        seconds = float(container.duration or 0) / 1_000_000
    assert frames >= duration  # at least one frame per second
    assert abs(seconds - duration) < 2


def test_media_links_are_signed_and_expire() -> None:
    with running_sandbox(media_link_ttl_s=1) as url:
        api = Api(url)
        api.issue()
        payload = _seed_copy()
        api.create(payload)
        _complete(api, payload["sessionId"])
        link = _record(api, payload["sessionId"]).json()["data"]["audioLink"]
        forged = link.replace("sig=", "sig=0")
        r = requests.get(forged, timeout=10)
        assert r.status_code == 403 and r.json()["error"]["code"] == "bad_signature"
        time.sleep(2.1)
        r = requests.get(link, timeout=10)
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "link_expired"
        assert "record again" in r.json()["error"]["message"]
        fresh = _record(api, payload["sessionId"]).json()["data"]["audioLink"]
        assert fresh != link and requests.get(fresh, timeout=10).status_code == 200


def _seed_copy() -> dict:
    import json

    from .conftest import SEED

    return json.loads(SEED.read_text())


def test_sandbox_sessions_lists_sessions_for_the_dashboard(authed: Api, seed: dict) -> None:
    authed.create(seed)
    items = authed.control("GET", "/sandbox/sessions").json()["data"]
    assert len(items) == 1
    item = items[0]
    assert {k: item[k] for k in ("sessionId", "fullName", "jobRole", "status", "createdBy")} == {
        "sessionId": seed["sessionId"],
        "fullName": seed["fullName"],
        "jobRole": seed["jobRole"],
        "status": "New",
        "createdBy": seed["createdBy"],
    }
    assert item["createdAt"]


def test_answers_beyond_the_questions_and_unknown_sessions_are_refused(authed: Api, seed: dict) -> None:
    sid = seed["sessionId"]
    authed.create(seed)
    r = authed.control("POST", f"/sandbox/sessions/{sid}/answer", json={"answers": ["a", "b", "c"]})
    assert r.status_code == 409 and "2 questions" in r.json()["error"]["message"]
    r = authed.control("POST", f"/sandbox/sessions/{sid}/answer", json={"answer": 5})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "answer"
    assert authed.control("POST", "/sandbox/sessions/nope/complete").status_code == 404


def test_download_param_makes_the_recording_an_attachment_and_keeps_the_signature(
    authed: Api, seed: dict
) -> None:
    sid = seed["sessionId"]
    authed.create(seed)
    _complete(authed, sid)
    record = _record(authed, sid).json()["data"]

    plain = requests.get(record["audioLink"], timeout=30)
    assert plain.status_code == 200 and "content-disposition" not in plain.headers

    audio = requests.get(record["audioLink"] + "&download=1", timeout=30)
    assert audio.status_code == 200 and audio.content == plain.content
    assert audio.headers["content-disposition"] == f'attachment; filename="{sid}-audio.wav"'

    video = requests.head(record["videoLink"] + "&download=1", timeout=30)
    assert video.status_code == 200
    assert video.headers["content-disposition"] == f'attachment; filename="{sid}-video.webm"'
    ranged = requests.get(record["videoLink"] + "&download=1", headers={"Range": "bytes=0-9"}, timeout=30)
    assert ranged.status_code == 206 and "attachment" in ranged.headers["content-disposition"]

    forged = requests.get(record["audioLink"].replace("sig=", "sig=0") + "&download=1", timeout=10)
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "bad_signature"
    assert "content-disposition" not in forged.headers
