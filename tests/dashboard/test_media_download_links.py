"""The Records "download recording" links: a sandbox link gets `download=1` (so the browser
saves it), any other link is passed through untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from aceint_core import SessionClient
from dashboard.media import download_link, is_sandbox_media_link

SANDBOX_AUDIO = "http://127.0.0.1:8765/media/abc-123/audio.wav?expires=1700000000&sig=deadbeef"
SEED = Path(__file__).parents[1] / "fixtures" / "seed_session.json"


def test_sandbox_links_get_download_once() -> None:
    assert download_link(SANDBOX_AUDIO) == SANDBOX_AUDIO + "&download=1"
    video = SANDBOX_AUDIO.replace("audio.wav", "video.webm")
    assert download_link(video) == video + "&download=1"
    assert download_link(download_link(SANDBOX_AUDIO)) == SANDBOX_AUDIO + "&download=1"
    assert download_link(SANDBOX_AUDIO + "#t=3") == SANDBOX_AUDIO + "&download=1#t=3"


@pytest.mark.parametrize(
    "url",
    [
        "https://bucket.s3.amazonaws.com/rec/audio.wav?X-Amz-Signature=abc&X-Amz-Expires=3600",
        "https://cdn.aceint.ai/recordings/abc-123/video.mp4?token=t",
        "http://127.0.0.1:8765/media/abc-123/audio.wav",  # no signature: not a sandbox record link
        "http://127.0.0.1:8765/media/abc-123/notes.txt?expires=1&sig=2",
        "http://127.0.0.1:8765/other/abc-123/audio.wav?expires=1&sig=2",
        "ftp://127.0.0.1/media/abc-123/audio.wav?expires=1&sig=2",
        "http://[::1/media/x/audio.wav?expires=1&sig=2",  # unparsable
    ],
)
def test_other_links_are_left_alone(url: str) -> None:
    assert not is_sandbox_media_link(url)
    assert download_link(url) == url


def test_a_real_sandbox_record_link_downloads_as_an_attachment(sandbox_url: str) -> None:
    payload = json.loads(SEED.read_text())
    with SessionClient(mode="sandbox", base_url=sandbox_url) as client:
        client.create_session(payload)
        origin = sandbox_url.split("/backend/", 1)[0]
        sid = payload["sessionId"]
        done = requests.post(f"{origin}/sandbox/sessions/{sid}/complete", timeout=30)
        assert done.status_code == 200, done.text
        record = client.get_session_record(sid)
    assert record.audio_link and record.video_link
    for link, name in ((record.audio_link, f"{sid}-audio.wav"), (record.video_link, f"{sid}-video.webm")):
        saved = requests.head(download_link(link), timeout=30)
        assert saved.status_code == 200
        assert saved.headers["content-disposition"] == f'attachment; filename="{name}"'
