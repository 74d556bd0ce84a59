"""The interview's recordings, synthesised from its transcript.

Audio: a mono 16-bit WAV at 8 kHz in which each turn is a voice-like hum (a harmonic
tone, a lower pitch for the interviewer, shaped into syllables) and the pauses are
silent, so a player's timeline lines up with the transcript times.
Video: a small, low-frame-rate WebM (VP8 via PyAV) whose frames, drawn with Pillow,
show who is speaking and what is being said or asked at that moment.
Both are pure functions of the transcript, so they can be made on first request.
"""

from __future__ import annotations

import hashlib
import io
import textwrap
import wave
from fractions import Fraction
from typing import Any

import numpy as np

from .interview import transcript_duration

SAMPLE_RATE = 8000
VIDEO_SIZE = (320, 180)
VIDEO_FPS = 2

_PITCH = {"interviewer": 135.0, "candidate": 205.0}
_COLOURS = {"interviewer": (28, 58, 110), "candidate": (22, 92, 64)}
_IDLE = (40, 40, 46)


def _rng(text: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))


def _voice(duration: float, pitch: float, rng: np.random.Generator) -> np.ndarray:
    n = max(1, int(duration * SAMPLE_RATE))
    t = np.arange(n) / SAMPLE_RATE
    # intonation: a slow drift of the pitch, falling towards the end of the turn
    f0 = pitch * (1 + 0.06 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6)) - 0.05 * t / max(duration, 1))
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    tone = sum(np.sin(k * phase) / k for k in range(1, 7))
    # syllables: 3 to 5 per second, each a smooth bump, with short gaps between words
    envelope = np.zeros(n)
    pos = 0
    while pos < n:
        length = int(SAMPLE_RATE * rng.uniform(0.18, 0.32))
        end = min(n, pos + length)
        envelope[pos:end] = np.hanning(length)[: end - pos] * rng.uniform(0.6, 1.0)
        pos = end + (int(SAMPLE_RATE * rng.uniform(0.05, 0.15)) if rng.random() < 0.3 else 0)
    return tone * envelope


def wav_bytes(transcript: list[dict[str, Any]], seed: str = "") -> bytes:
    """The audio track: one voice-like segment per turn at its start/end time."""
    total = transcript_duration(transcript)
    samples = np.zeros(int(total * SAMPLE_RATE) + 1)
    rng = _rng(seed or "audio")
    for turn in transcript:
        start, end = float(turn["startTime"]), float(turn["endTime"])
        segment = _voice(end - start, _PITCH.get(turn.get("role", ""), 170.0), rng)
        i = int(start * SAMPLE_RATE)
        samples[i : i + len(segment)] += segment[: len(samples) - i]
    peak = float(np.max(np.abs(samples))) or 1.0
    pcm = (samples / peak * 0.6 * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def _turn_at(transcript: list[dict[str, Any]], t: float) -> dict[str, Any] | None:
    current = None
    for turn in transcript:
        if float(turn["startTime"]) <= t:
            current = turn
        else:
            break
    return current


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


def webm_bytes(payload: dict[str, Any], transcript: list[dict[str, Any]]) -> bytes:
    """The video track: a frame every 1/VIDEO_FPS s showing the current speaker and text."""
    import av
    from PIL import Image, ImageDraw, ImageFont

    total = transcript_duration(transcript)
    width, height = VIDEO_SIZE
    font = ImageFont.load_default(size=12)
    small = ImageFont.load_default(size=10)
    header = f"{payload.get('fullName', '')} · {payload.get('jobRole', '')}"
    question_no: dict[int, int] = {}
    asked_before: dict[int, str] = {}  # candidate turn -> the question it answers
    asked = 0
    for i, turn in enumerate(transcript):
        if turn.get("role") == "interviewer" and 0 < i < len(transcript) - 1:
            asked += 1
            question_no[i] = asked
        elif turn.get("role") == "candidate" and asked:
            asked_before[i] = f"Q{asked}: {transcript[i - 1]['text']}"

    cache: dict[int, Image.Image] = {}

    def base_frame(index: int, turn: dict[str, Any] | None) -> Image.Image:
        if index not in cache:
            role = turn.get("role", "") if turn else ""
            image = Image.new("RGB", VIDEO_SIZE, _COLOURS.get(role, _IDLE))
            draw = ImageDraw.Draw(image)
            draw.text((8, 6), "Aceint sandbox interview", font=small, fill=(190, 200, 215))
            draw.text((8, 20), header[:52], font=small, fill=(230, 230, 235))
            if turn:
                label = turn["speaker"]
                if index in question_no:
                    label += f"  ·  question {question_no[index]} of {asked}"
                top = 36
                if index in asked_before:
                    question = textwrap.shorten(asked_before[index], width=62, placeholder="…")
                    draw.text((8, top), question, font=small, fill=(170, 190, 180))
                    top += 14
                draw.text((8, top), label[:50], font=font, fill=(255, 214, 102))
                lines = textwrap.wrap(turn["text"], width=50)[:7]
                for n, line in enumerate(lines):
                    draw.text((8, top + 20 + 14 * n), line, font=font, fill=(245, 245, 245))
            cache[index] = image
        return cache[index]

    out = io.BytesIO()
    with av.open(out, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=VIDEO_FPS)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = 150_000
        stream.options = {"deadline": "realtime", "cpu-used": "16", "lag-in-frames": "0"}
        stream.codec_context.time_base = Fraction(1, VIDEO_FPS)
        frames = max(1, int(np.ceil(total * VIDEO_FPS)))
        for k in range(frames):
            t = k / VIDEO_FPS
            current = _turn_at(transcript, t)
            index = transcript.index(current) if current else -1
            image = base_frame(index, current).copy()
            draw = ImageDraw.Draw(image)
            draw.text(
                (width - 80, height - 16), f"{_clock(t)} / {_clock(total)}", font=small, fill=(200, 200, 200)
            )
            frame = av.VideoFrame.from_image(image)
            frame.pts = k
            frame.time_base = Fraction(1, VIDEO_FPS)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()
