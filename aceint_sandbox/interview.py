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
        "of where it matters {practice}?"
    ),
    "deep": (
        "On {topic}, within {subtopic}: walk me through {concept} in depth. What are the hard "
        "cases and trade-offs, and how would you explain them to a less experienced colleague?"
    ),
}

TECHNICAL = contract.INTERVIEW_CATEGORIES[0]
"""Technical interviews ask about code; the others (Behavioral, HR, Managerial) about work with people."""


def _is_technical(payload: dict[str, Any]) -> bool:
    return payload.get("interviewCategory", TECHNICAL) == TECHNICAL


def _depth_style(depth: int) -> str:
    return "basic" if depth <= 2 else "applied" if depth == 3 else "deep"


def questions(payload: dict[str, Any]) -> list[Question]:
    """One question per concept of every subtopic of every topic."""
    practice = "in real code" if _is_technical(payload) else "in your own work"
    out: list[Question] = []
    for topic in payload.get("topics", []):
        style = _depth_style(int(topic.get("knowledge_depth", 3)))
        for sub in topic.get("subtopics", []):
            for concept in sub.get("concepts", []):
                text = _QUESTION_TEMPLATES[style].format(
                    topic=topic["name"], subtopic=sub["name"], concept=concept, practice=practice
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


# Generated answers for questions nobody answered. They must read plausibly for any concept
# (of any grammatical number: "{concept}" only ever follows a preposition or "see"), and a
# technical answer must not turn up in a managerial interview, so there is a set per kind.
_TECHNICAL_ANSWERS = (
    "With {concept}, I start from the problem it solves. I would show a short example from "
    "{subtopic} and then the mistake that understanding it helps you avoid.",
    "I see {concept} as one of the core ideas in {topic}. The key is knowing when it applies; in "
    "practice I check my understanding with a small test before I rely on it.",
    "On {concept}: it came up in my last project while we were working on {subtopic}, and "
    "understanding it properly saved us a lot of time later on.",
    "Honestly, I know the basics of {concept} better than the corner cases. The main rule is "
    "clear to me, and for the unusual cases in {subtopic} I would check the documentation.",
)
_PEOPLE_ANSWERS = (
    "With {concept}, I start by being clear about what I want to achieve. I prepare, say what I "
    "have seen plainly, and then listen before deciding on the next step.",
    "I see {concept} as a core part of {topic}. Recently I made a point of it with my team, "
    "checked a few weeks later how it had landed, and adjusted my approach.",
    "On {concept}: the situation that taught me most was one where it went wrong at first. What "
    "I changed afterwards still shapes how I handle {subtopic} today.",
    "Honestly, I am more confident with the everyday side of {concept} than with the hardest "
    "cases. I have an approach that works, and for the difficult ones I ask someone more "
    "experienced for advice.",
)


def default_answer(question: Question, session_id: str, technical: bool = True) -> str:
    """A plausible candidate answer, stable for a given session and question."""
    templates = _TECHNICAL_ANSWERS if technical else _PEOPLE_ANSWERS
    digest = hashlib.sha256(f"{session_id}:{question.index}".encode()).digest()
    template = templates[digest[0] % len(templates)]
    return template.format(concept=question.concept, subtopic=question.subtopic, topic=question.topic)


def _speech_seconds(text: str, words_per_s: float) -> float:
    return max(_MIN_TURN_S, len(text.split()) / words_per_s)


def build_transcript(payload: dict[str, Any], answers: list[str]) -> list[dict[str, Any]]:
    """Greeting, a ready reply, question/answer pairs, closing; each turn with start/end times."""
    qs = questions(payload)
    session_id = str(payload.get("sessionId", ""))
    candidate = str(payload.get("fullName") or "Candidate")
    technical = _is_technical(payload)
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
        say(candidate, "candidate", answer or default_answer(q, session_id, technical))
    say(INTERVIEWER, "interviewer", closing(payload))
    return turns


def transcript_duration(transcript: list[dict[str, Any]]) -> float:
    """Length of the recording: the last turn's end plus a short tail."""
    return (max(float(t["endTime"]) for t in transcript) if transcript else 0.0) + 0.5


def sub_category(payload: dict[str, Any]) -> str:
    return ", ".join(t["name"] for t in payload.get("topics", []))
