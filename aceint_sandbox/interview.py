"""What the sandbox's AI interviewer says, and the transcript a finished interview leaves.

Pure functions of the session payload and the candidate's answers, so the candidate
page, the /sandbox/ endpoints, the demo seeding and the media all tell the same story.
Times are seconds from the start, estimated from how long the text takes to say.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from aceint_core import contract

INTERVIEWER = "Aceint Interviewer"

_INTERVIEWER_WORDS_PER_S = 2.6
_CANDIDATE_WORDS_PER_S = 2.2
_MIN_TURN_S = 1.5
_PAUSE_AFTER_QUESTION_S = 1.2
_PAUSE_AFTER_ANSWER_S = 0.8


@dataclass(frozen=True)
class Question:
    """One question: the interviewer asks one per concept, in topic/subtopic order."""

    index: int
    topic: str
    subtopic: str
    concept: str
    text: str


_QUESTION_TEMPLATES = {
    "basic": "Let's talk about {topic}. In {subtopic}, what does {concept} mean, in your own words?",
    "applied": (
        "Staying with {topic}, on {subtopic}: can you explain {concept} and give an example "
        "of where it matters in real code?"
    ),
    "deep": (
        "On {topic}, within {subtopic}: walk me through {concept} in depth. What are its "
        "edge cases and trade-offs, and how would you explain them to a junior colleague?"
    ),
}


def _depth_style(depth: int) -> str:
    return "basic" if depth <= 2 else "applied" if depth == 3 else "deep"


def questions(payload: dict[str, Any]) -> list[Question]:
    """One question per concept of every subtopic of every topic."""
    out: list[Question] = []
    for topic in payload.get("topics", []):
        style = _depth_style(int(topic.get("knowledge_depth", 3)))
        for sub in topic.get("subtopics", []):
            for concept in sub.get("concepts", []):
                text = _QUESTION_TEMPLATES[style].format(
                    topic=topic["name"], subtopic=sub["name"], concept=concept
                )
                out.append(Question(len(out), topic["name"], sub["name"], concept, text))
    return out


def first_name(payload: dict[str, Any]) -> str:
    name = str(payload.get("fullName", "")).strip()
    return name.split()[0] if name else "there"


def greeting(payload: dict[str, Any]) -> str:
    topics = [t["name"] for t in payload.get("topics", [])]
    listed = (
        ", ".join(topics[:-1]) + (" and " if len(topics) > 1 else "") + topics[-1]
        if topics
        else "a few areas"
    )
    return (
        f"Hello {first_name(payload)}, welcome to your {payload.get('interviewCategory', '')} interview "
        f"for the {payload.get('jobRole', '')} role. I'm the Aceint AI interviewer. Over about "
        f"{payload.get('duration', '')} minutes we'll cover {listed}. Answer in your own words; "
        "there is no trick. Shall we begin?"
    )


def closing(payload: dict[str, Any]) -> str:
    return (
        f"Thank you, {first_name(payload)}. That concludes the interview. The recruiting team "
        "will review the recording and be in touch soon. Have a good day."
    )


_ANSWER_TEMPLATES = (
    "{concept} is something I use a lot. In {subtopic} it comes down to how the language treats "
    "it at run time, and I'd show it with a short example and then the bug it helps you avoid.",
    "I'd describe {concept} as a core idea of {topic}. The key point is understanding when it "
    "applies, and in practice I check it with a small test before relying on it.",
    "When I explain {concept} I start from the problem it solves. In my last project it came up "
    "in {subtopic}, and knowing it saved us a tricky debugging session.",
    "Honestly I know the basics of {concept} better than the edge cases. The main rule is clear "
    "to me, and for the corner cases of {subtopic} I would read the specification.",
)


def default_answer(question: Question, session_id: str) -> str:
    """A plausible candidate answer, stable for a given session and question."""
    digest = hashlib.sha256(f"{session_id}:{question.index}".encode()).digest()
    template = _ANSWER_TEMPLATES[digest[0] % len(_ANSWER_TEMPLATES)]
    return template.format(concept=question.concept, subtopic=question.subtopic, topic=question.topic)


def _speech_seconds(text: str, words_per_s: float) -> float:
    return max(_MIN_TURN_S, len(text.split()) / words_per_s)


def build_transcript(payload: dict[str, Any], answers: list[str]) -> list[dict[str, Any]]:
    """Greeting, a ready reply, question/answer pairs, closing; each turn with start/end times."""
    qs = questions(payload)
    session_id = str(payload.get("sessionId", ""))
    candidate = str(payload.get("fullName") or "Candidate")
    turns: list[dict[str, Any]] = []
    clock = 0.5

    def say(speaker: str, role: str, text: str) -> None:
        nonlocal clock
        rate = _INTERVIEWER_WORDS_PER_S if role == "interviewer" else _CANDIDATE_WORDS_PER_S
        start = clock
        end = start + _speech_seconds(text, rate)
        turns.append(
            dict(
                zip(
                    contract.TRANSCRIPT_TURN_FIELDS,
                    (speaker, role, round(start, 2), round(end, 2), text),
                    strict=True,
                )
            )
        )
        clock = end + (_PAUSE_AFTER_QUESTION_S if role == "interviewer" else _PAUSE_AFTER_ANSWER_S)

    say(INTERVIEWER, "interviewer", greeting(payload))
    say(candidate, "candidate", "Yes, I'm ready. Thank you.")
    for q in qs:
        say(INTERVIEWER, "interviewer", q.text)
        answer = answers[q.index].strip() if q.index < len(answers) and answers[q.index].strip() else ""
        say(candidate, "candidate", answer or default_answer(q, session_id))
    say(INTERVIEWER, "interviewer", closing(payload))
    return turns


def transcript_duration(transcript: list[dict[str, Any]]) -> float:
    """Length of the recording: the last turn's end plus a short tail."""
    return (max(float(t["endTime"]) for t in transcript) if transcript else 0.0) + 0.5


def sub_category(payload: dict[str, Any]) -> str:
    return ", ".join(t["name"] for t in payload.get("topics", []))
