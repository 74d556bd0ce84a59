"""A real sandbox record, over loopback HTTP: its transcript parses and its recording links check out."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from aceint_core import SessionClient, parse_transcript
from aceint_core.contract import API_PREFIX
from aceint_core.transcripts.export import EXPORT_FORMATS
from dashboard.media import check_media_link


def test_completed_sandbox_interview_reads_as_a_conversation(
    sandbox_url: str, seed_payload: dict[str, Any]
) -> None:
    session_id = str(uuid.uuid4())
    seed_payload["sessionId"] = session_id
    root = sandbox_url[: -len(API_PREFIX)]
    with SessionClient(mode="sandbox", base_url=sandbox_url) as client:
        client.create_session(seed_payload)
        requests.post(f"{root}/sandbox/sessions/{session_id}/complete", timeout=30).raise_for_status()
        record = client.get_session_record(session_id)

    transcript = parse_transcript(record.transcript)
    roles = {turn.role for turn in transcript.turns}
    assert roles == {"interviewer", "candidate"}
    assert all(turn.start is not None and turn.text for turn in transcript.turns)
    starts = [turn.start for turn in transcript.turns]
    assert starts == sorted(starts)
    for fmt in EXPORT_FORMATS.values():
        assert parse_transcript(fmt.write(transcript)).turns == transcript.turns

    audio, video = check_media_link(record.audio_link), check_media_link(record.video_link)
    assert (audio.ok, audio.kind, video.ok, video.kind) == (True, "audio", True, "video")
    tampered = check_media_link(str(record.audio_link).replace("sig=", "sig=0"))
    assert not tampered.ok and "expired" in tampered.note and "sig=" not in tampered.note
