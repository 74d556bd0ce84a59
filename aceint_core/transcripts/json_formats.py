"""Readers for the JSON shapes transcripts arrive in (Aceint, chat-message lists, speech-to-text APIs).

Each reader is handed already-decoded JSON and either returns turns or None ("not my shape"),
so the dispatcher can try them in a fixed order. A shape that is recognised but broken raises
TranscriptFormatError naming the field, rather than a KeyError from deep inside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from aceint_core.contract import TRANSCRIPT_ROLES
from aceint_core.transcripts.model import UNKNOWN_SPEAKER, TranscriptFormatError, Turn, make_turn
from aceint_core.transcripts.roles import infer_role

# Chat roles that are not speech in the interview (prompts, tool plumbing).
NON_SPEECH_ROLES = frozenset(
    {"system", "tool", "tool_calls", "tool_call_result", "function", "function_call", "developer"}
)
# How a chat role is shown as a speaker label when the message has no name.
ROLE_LABELS = {"bot": "AI", "ai": "AI", "assistant": "Assistant", "agent": "Agent", "user": "User"}

TextReader = Callable[[str], list[Turn]]


def seconds(value: Any, *, scale: float = 1.0) -> float | None:
    """A time in seconds from a number or a numeric string (AWS); None when absent or not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int | float):
        try:
            return float(value) * scale
        except OverflowError:
            return None
    return None


def text_of(value: Any, where: str) -> str:
    """The text of a turn; strings and numbers are accepted, anything else is a clear error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an integer beyond Python's 4300-digit conversion limit
            raise TranscriptFormatError(
                f"{where}: expected text (a string), got a number with thousands of digits"
            ) from None
    raise TranscriptFormatError(f"{where}: expected text (a string), got {type(value).__name__}")


def speaker_label(value: Any, *, prefix: str = "Speaker ") -> str | None:
    """'Speaker 0' for Deepgram's integers, 'Speaker A' for AssemblyAI letters, names kept as they are."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{prefix}{value}" if abs(value) < 10**18 else None
    if isinstance(value, str) and value.strip():
        label = value.strip()
        if label.isdigit() or (len(label) == 1 and label.isalpha()):
            return f"{prefix}{label}"
        if label.startswith("spk_") and label[4:].isdigit():  # AWS Transcribe
            return f"{prefix}{label[4:]}"
        return label
    return None


def _dicts(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)]


def _unknown_turn(text: str, start: float | None, end: float | None, speaker: str | None = None) -> Turn:
    label = speaker or UNKNOWN_SPEAKER
    return make_turn(label, infer_role(speaker), start, end, text)


def _segment_turns(
    entries: list[dict[str, Any]],
    path: str,
    *,
    text: str,
    start: str,
    end: str,
    speaker: str,
    scale: float = 1.0,
) -> list[Turn]:
    """A turn per segment of a speech-to-text result, by the keys that format uses."""
    return [
        _unknown_turn(
            text_of(e.get(text), f"{path}[{i}].{text}"),
            seconds(e.get(start), scale=scale),
            seconds(e.get(end), scale=scale),
            speaker_label(e.get(speaker)),
        )
        for i, e in enumerate(entries)
    ]


# --- Aceint / sandbox: [{"speaker", "role", "startTime", "endTime", "text"}] -------------------


def is_aceint_list(items: list[Any]) -> bool:
    dicts = _dicts(items)
    return (
        bool(dicts)
        and len(dicts) == len(items)
        and all("text" in d and ("speaker" in d or "startTime" in d or "endTime" in d) for d in dicts)
    )


def read_aceint(items: list[dict[str, Any]]) -> list[Turn]:
    turns = []
    for index, item in enumerate(items):
        where = f"transcript[{index}]"
        raw_role = item.get("role")
        role = raw_role if raw_role in TRANSCRIPT_ROLES else None
        speaker = item.get("speaker")
        speaker = speaker if isinstance(speaker, str) else speaker_label(speaker)
        if role is None:
            role = infer_role(raw_role if isinstance(raw_role, str) else None)
            if role == "unknown":
                role = infer_role(speaker)
        turns.append(
            make_turn(
                speaker,
                role,
                seconds(item.get("startTime")),
                seconds(item.get("endTime")),
                text_of(item.get("text"), f"{where}.text"),
            )
        )
    return turns


# --- Chat messages: OpenAI {"role","content"}, Vapi {"role","message","secondsFromStart"},
#     ElevenLabs {"role","message","time_in_call_secs"} ------------------------------------------


def is_message_list(items: list[Any]) -> bool:
    dicts = _dicts(items)
    return (
        bool(dicts)
        and len(dicts) == len(items)
        and all(
            isinstance(d.get("role"), str)
            and (
                "content" in d
                or "message" in d
                or "time_in_call_secs" in d
                or d.get("role") in NON_SPEECH_ROLES
            )
            for d in dicts
        )
    )


def _content_text(content: Any, where: str) -> str | None:
    """OpenAI content: a string, a list of parts ({"type": "text", "text": ...}), or None (a tool call)."""
    if content is None:
        return None
    if isinstance(content, list):
        parts = [str(p["text"]) for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
        parts += [p for p in content if isinstance(p, str)]
        return " ".join(parts) if parts else None
    return text_of(content, where)


def read_messages(items: list[dict[str, Any]]) -> list[Turn]:
    turns = []
    for index, item in enumerate(items):
        role_field = str(item.get("role", "")).strip().lower()
        if role_field in NON_SPEECH_ROLES:
            continue
        where = f"messages[{index}]"
        body = item["content"] if "content" in item else item.get("message")
        text = _content_text(body, f"{where}.content")
        if text is None:
            continue
        start = seconds(item.get("secondsFromStart"))
        if start is None:
            start = seconds(item.get("time_in_call_secs"))
        end = None
        began, ended = seconds(item.get("time")), seconds(item.get("endTime"))
        if start is not None and began is not None and ended is not None and ended >= began:
            end = start + (ended - began) / 1000  # Vapi: wall-clock ms beside an offset in seconds
        name = item.get("name") if isinstance(item.get("name"), str) and item.get("name") else None
        speaker = name or ROLE_LABELS.get(role_field, role_field.capitalize() or None)
        turns.append(make_turn(speaker, infer_role(role_field), start, end, text))
    return turns


# --- Speech-to-text APIs --------------------------------------------------------------------


def _word_runs(words: list[dict[str, Any]], *, text_keys: tuple[str, ...], scale: float) -> list[Turn]:
    """Consecutive words by the same speaker, as one turn each (when no utterances are given)."""
    runs: list[tuple[Any, list[dict[str, Any]]]] = []
    for word in words:
        token = next((word[k] for k in text_keys if isinstance(word.get(k), str)), None)
        if token is None:
            continue
        if not runs or runs[-1][0] != word.get("speaker"):
            runs.append((word.get("speaker"), []))
        runs[-1][1].append({**word, "_token": token})
    return [
        _unknown_turn(
            " ".join(w["_token"] for w in run),
            seconds(run[0].get("start"), scale=scale),
            seconds(run[-1].get("end"), scale=scale),
            speaker_label(speaker),
        )
        for speaker, run in runs
    ]


def read_deepgram(obj: dict[str, Any]) -> list[Turn] | None:
    results = obj.get("results")
    if not isinstance(results, dict) or not ("channels" in results or "utterances" in results):
        return None
    utterances = results.get("utterances")
    if isinstance(utterances, list) and _dicts(utterances):
        return _segment_turns(
            _dicts(utterances),
            "results.utterances",
            text="transcript",
            start="start",
            end="end",
            speaker="speaker",
        )
    turns: list[Turn] = []
    channels = results.get("channels")
    for channel in _dicts(channels if isinstance(channels, list) else []):
        alternatives = channel.get("alternatives")
        best = _dicts(alternatives if isinstance(alternatives, list) else [])[:1]
        if not best:
            continue
        alt = best[0]
        paragraphs = alt.get("paragraphs")
        paragraph_list = paragraphs.get("paragraphs") if isinstance(paragraphs, dict) else None
        if isinstance(paragraph_list, list) and _dicts(paragraph_list):
            for p in _dicts(paragraph_list):
                sentences = p.get("sentences")
                sentence_list = sentences if isinstance(sentences, list) else []
                text = " ".join(s["text"] for s in _dicts(sentence_list) if isinstance(s.get("text"), str))
                turns.append(
                    _unknown_turn(
                        text, seconds(p.get("start")), seconds(p.get("end")), speaker_label(p.get("speaker"))
                    )
                )
        elif isinstance(alt.get("words"), list) and _dicts(alt["words"]):
            turns += _word_runs(_dicts(alt["words"]), text_keys=("punctuated_word", "word"), scale=1.0)
        elif isinstance(alt.get("transcript"), str) and alt["transcript"].strip():
            turns.append(_unknown_turn(alt["transcript"], None, None))
    return turns


def read_assemblyai(obj: dict[str, Any]) -> list[Turn] | None:
    utterances = obj.get("utterances")
    words = obj.get("words")
    if isinstance(utterances, list) and _dicts(utterances):
        return _segment_turns(
            _dicts(utterances),
            "utterances",
            text="text",
            start="start",
            end="end",
            speaker="speaker",
            scale=0.001,  # AssemblyAI times are milliseconds
        )
    if "utterances" in obj or "audio_duration" in obj or "acoustic_model" in obj:
        if isinstance(words, list) and _dicts(words):
            return _word_runs(_dicts(words), text_keys=("text",), scale=0.001)
        if isinstance(obj.get("text"), str) and obj["text"].strip():
            return [_unknown_turn(obj["text"], None, None)]
        return []
    return None


def _aws_words(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pronunciations with their times; punctuation (which has no time) glued to the word before."""
    words: list[dict[str, Any]] = []
    for item in items:
        alternatives = item.get("alternatives")
        best = _dicts(alternatives if isinstance(alternatives, list) else [])[:1]
        content = best[0].get("content") if best else None
        if not isinstance(content, str):
            continue
        if item.get("type") == "punctuation":
            if words:
                words[-1]["text"] += content
            continue
        words.append(
            {
                "text": content,
                "start": seconds(item.get("start_time")),
                "end": seconds(item.get("end_time")),
                "speaker": item.get("speaker_label"),
            }
        )
    return words


def read_aws_transcribe(obj: dict[str, Any]) -> list[Turn] | None:
    results = obj.get("results")
    if not isinstance(results, dict) or not any(
        k in results for k in ("items", "transcripts", "speaker_labels", "audio_segments")
    ):
        return None
    audio_segments = results.get("audio_segments")
    if isinstance(audio_segments, list) and _dicts(audio_segments):
        return _segment_turns(
            _dicts(audio_segments),
            "results.audio_segments",
            text="transcript",
            start="start_time",
            end="end_time",
            speaker="speaker_label",
        )
    items = results.get("items")
    words = _aws_words(_dicts(items if isinstance(items, list) else []))
    labels = results.get("speaker_labels")
    segments = _dicts(
        labels.get("segments", [])
        if isinstance(labels, dict) and isinstance(labels.get("segments"), list)
        else []
    )
    turns: list[Turn] = []
    if segments and words:
        # Each word belongs to the last speaker segment that started at or before it.
        bounds = [
            (seconds(s.get("start_time")), seconds(s.get("end_time")), s.get("speaker_label"))
            for s in segments
        ]
        groups: list[list[dict[str, Any]]] = [[] for _ in bounds]
        seg = 0
        for word in words:
            start = word["start"]
            while start is not None and seg + 1 < len(bounds) and (bounds[seg + 1][0] or 0) <= start:
                seg += 1
            groups[seg].append(word)
        for (seg_start, seg_end, label), group in zip(bounds, groups, strict=True):
            if group:
                turns.append(
                    _unknown_turn(
                        " ".join(w["text"] for w in group), seg_start, seg_end, speaker_label(label)
                    )
                )
        return turns
    # No diarization: a turn per sentence, so a long recording is not one giant block.
    sentence: list[dict[str, Any]] = []
    for index, word in enumerate(words):
        sentence.append(word)
        if word["text"][-1:] in ".?!" or index == len(words) - 1:
            turns.append(
                _unknown_turn(
                    " ".join(w["text"] for w in sentence),
                    sentence[0]["start"],
                    sentence[-1]["end"],
                    speaker_label(sentence[0]["speaker"]),
                )
            )
            sentence = []
    if not turns:
        transcripts = results.get("transcripts")
        for entry in _dicts(transcripts if isinstance(transcripts, list) else []):
            if isinstance(entry.get("transcript"), str) and entry["transcript"].strip():
                turns.append(_unknown_turn(entry["transcript"], None, None))
    return turns


def is_segment_list(items: Any) -> bool:
    dicts = _dicts(items) if isinstance(items, list) else []
    return bool(dicts) and all("text" in d and ("start" in d or "end" in d) for d in dicts)


def read_whisper_segments(segments: list[dict[str, Any]]) -> list[Turn]:
    return [
        _unknown_turn(
            text_of(s.get("text"), f"segments[{i}].text"),
            seconds(s.get("start")),
            seconds(s.get("end")),
            speaker_label(s.get("speaker")),
        )
        for i, s in enumerate(_dicts(segments))
    ]


def read_revai(obj: dict[str, Any]) -> list[Turn] | None:
    monologues = obj.get("monologues")
    if not isinstance(monologues, list):
        return None
    turns = []
    for i, mono in enumerate(_dicts(monologues)):
        raw_elements = mono.get("elements")
        elements = _dicts(raw_elements if isinstance(raw_elements, list) else [])
        text = "".join(text_of(e.get("value"), f"monologues[{i}].elements.value") for e in elements)
        starts = [seconds(e.get("ts")) for e in elements if seconds(e.get("ts")) is not None]
        ends = [seconds(e.get("end_ts")) for e in elements if seconds(e.get("end_ts")) is not None]
        name = mono.get("speaker_name")
        label = name.strip() if isinstance(name, str) and name.strip() else speaker_label(mono.get("speaker"))
        turns.append(_unknown_turn(text, starts[0] if starts else None, ends[-1] if ends else None, label))
    return turns


# --- Dispatch ------------------------------------------------------------------------------


def read_json(obj: Any, read_text: TextReader, depth: int = 0) -> tuple[str, list[Turn]] | None:
    """(format name, turns) for a recognised JSON shape, None otherwise."""
    if depth > 3:
        return None
    if isinstance(obj, list):
        if is_aceint_list(obj):
            return "Aceint transcript", read_aceint(obj)
        if is_message_list(obj):
            return "chat messages (OpenAI role/content)", read_messages(obj)
        if is_segment_list(obj):
            return "Whisper segments", read_whisper_segments(obj)
        return None
    if not isinstance(obj, dict):
        return None
    message = obj.get("message")
    if isinstance(message, dict):  # Vapi webhooks wrap the report in {"message": {...}}
        return read_json(message, read_text, depth + 1)
    for name, reader in (
        ("Deepgram", read_deepgram),
        ("AWS Transcribe", read_aws_transcribe),
        ("Rev.ai", read_revai),
        ("AssemblyAI", read_assemblyai),
    ):
        turns = reader(obj)
        if turns is not None:
            return name, turns
    if is_segment_list(obj.get("segments")):
        return "Whisper segments", read_whisper_segments(obj["segments"])
    vapi = _read_vapi(obj, read_text)
    if vapi is not None:
        return "Vapi end-of-call report", vapi
    transcript = obj.get("transcript")
    if isinstance(transcript, list):
        if is_aceint_list(transcript):
            return "Aceint record", read_aceint(transcript)
        if is_message_list(transcript):
            return "ElevenLabs conversation", read_messages(transcript)
        if not transcript:
            return "Aceint record", []
    if isinstance(transcript, str) and transcript.strip():
        return "transcript text inside JSON", read_text(transcript)
    messages = obj.get("messages")
    if isinstance(messages, list) and is_message_list(messages):
        return "chat messages (OpenAI role/content)", read_messages(messages)
    data = obj.get("data")
    if isinstance(data, dict | list):
        return read_json(data, read_text, depth + 1)
    return None


def _read_vapi(obj: dict[str, Any], read_text: TextReader) -> list[Turn] | None:
    """Vapi's own message list (with offsets) first; its OpenAI-formatted copy or flat text after."""
    is_report = obj.get("type") == "end-of-call-report" or "artifact" in obj
    candidates: list[Any] = [obj.get("messages")]
    artifact = obj.get("artifact")
    if isinstance(artifact, dict):
        candidates += [artifact.get("messages"), artifact.get("messagesOpenAIFormatted")]
    for candidate in candidates:
        if isinstance(candidate, list) and _dicts(candidate) and is_message_list(candidate):
            if is_report or any("secondsFromStart" in d for d in _dicts(candidate)):
                turns = read_messages(candidate)
                if turns:
                    return turns
    if is_report:
        for holder in (obj, artifact if isinstance(artifact, dict) else {}):
            if isinstance(holder.get("transcript"), str) and holder["transcript"].strip():
                return read_text(holder["transcript"])
        return []
    return None
