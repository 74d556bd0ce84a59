"""Three completed demo interviews, put in an empty store on first start, so a newcomer's
Records page has transcripts and recordings to open before they schedule anything."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from .runtime import Sandbox
from .store import SessionRow

_NAMESPACE = uuid.UUID("6f1b7f0e-3a57-4d0b-9a53-8f1f4c1d2e90")
DEMO_CREATOR = "Demo Recruiter (sandbox)"


def _id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


Concepts = dict[str, str]
"""A subtopic's concepts, each with the demo candidate's answer to its question."""


def _topic(tid: str, name: str, weight: int, minutes: int, depth: int, subs: dict[str, Concepts]) -> dict:
    return {
        "id": tid,
        "name": name,
        "weightage": weight,
        "allocated_time": minutes,
        "knowledge_depth": depth,
        "subtopics": [
            {"id": f"{tid}-s{i + 1}", "name": sub, "concepts": concepts}
            for i, (sub, concepts) in enumerate(subs.items())
        ],
    }


def _interview(key: str, name: str, role: str, category: str, domain: str, experience: str,
               difficulty: str, duration: int, topics: list[dict]) -> DemoInterview:  # fmt: skip
    """The session payload (concepts as the wire's list of names) and the answers, in
    question order (topic, subtopic, concept: the order interview.questions asks them)."""
    answers = [answer for t in topics for sub in t["subtopics"] for answer in sub["concepts"].values()]
    wire_topics = [
        {**t, "subtopics": [{**sub, "concepts": list(sub["concepts"])} for sub in t["subtopics"]]}
        for t in topics
    ]
    payload = {
        "userId": _id(key + ":user"),
        "taskId": _id(key + ":task"),
        "sessionId": _id(key + ":session"),
        "fullName": name,
        "jobRole": role,
        "interviewCategory": category,
        "interviewDomain": domain,
        "duration": duration,
        "interviewMode": "BY_CLIENT",
        "experience": experience,
        "interviewDifficulty": difficulty,
        "sessionStatus": "New",
        "createdBy": DEMO_CREATOR,
        "topics": wire_topics,
    }
    return DemoInterview(payload, answers)


@dataclass(frozen=True)
class DemoInterview:
    payload: dict[str, Any]
    answers: list[str]
    """The candidate's answer to each question, written for that question."""


DEMO_INTERVIEWS: list[DemoInterview] = [
    _interview(
        "demo-1",
        "Priya Raman",
        "Backend Engineer (Python)",
        "Technical",
        "Product-based",
        "2-5",
        "Medium",
        30,
        [
            _topic(
                "py",
                "Python",
                60,
                15,
                3,
                {
                    "Concurrency": {
                        "The GIL": (
                            "The GIL is the lock in CPython that lets only one thread run Python bytecode at "
                            "a time. So threads help with I/O-bound work, like waiting on the network, but "
                            "not with CPU-bound work. For that I use multiprocessing, or push the heavy part "
                            "into C code that releases the lock, as NumPy does. We had a report generator "
                            "that got no faster with eight threads; moving it to a process pool fixed it."
                        ),
                        "asyncio event loop": (
                            "The event loop runs coroutines on one thread and switches between them whenever "
                            "one awaits something, a socket read for example. The trap is a blocking call: a "
                            "synchronous HTTP request or a long computation inside a coroutine stalls every "
                            "other task. I move those to loop.run_in_executor, and in tests I turn on "
                            "asyncio's debug mode, which warns about callbacks that take too long."
                        ),
                    }
                },
            ),
            _topic(
                "db",
                "Databases",
                40,
                10,
                3,
                {
                    "Transactions": {
                        "Isolation levels": (
                            "Isolation levels decide which anomalies a transaction can see. Read committed "
                            "stops dirty reads but still allows non-repeatable reads; repeatable read and "
                            "serializable go further, at the cost of more locking or more retries. In "
                            "Postgres I keep read committed as the default and use serializable, with a "
                            "retry loop, for things like moving money between two accounts."
                        ),
                    }
                },
            ),
        ],
    ),
    _interview(
        "demo-2",
        "Marcus Chen",
        "Frontend Developer",
        "Technical",
        "Startup",
        "0-2",
        "Easy",
        20,
        [
            _topic(
                "web",
                "Web Fundamentals",
                100,
                15,
                2,
                {
                    "Browser rendering": {
                        "The critical rendering path": (
                            "It's the steps the browser takes to get from HTML to pixels: it parses the HTML "
                            "into the DOM and the CSS into the CSSOM, combines them into the render tree, "
                            "then does layout and paint. To get a fast first paint you keep render-blocking "
                            "CSS small and load scripts with defer so they don't hold up parsing."
                        ),
                        "Reflow and repaint": (
                            "A reflow is when the browser has to work out the layout again, for "
                            "example after an element's width changes, and a repaint just redraws "
                            "pixels, like after a colour change. Reflow costs more, so I batch DOM "
                            "reads and writes and animate transform or opacity instead of top and left."
                        ),
                    }
                },
            ),
        ],
    ),
    _interview(
        "demo-3",
        "Sofia Alvarez",
        "Engineering Manager",
        "Managerial",
        "Service-based",
        "8-12",
        "Hard",
        45,
        [
            _topic(
                "people",
                "People Leadership",
                50,
                20,
                4,
                {
                    "Feedback": {
                        "Giving difficult feedback": (
                            "I give difficult feedback soon and in private, and I keep it to a specific "
                            "behaviour and its impact, not the person. Last year a senior engineer kept "
                            "missing review deadlines, which blocked two others. I described two concrete "
                            "cases, asked what was getting in the way, and we agreed a plan we looked at "
                            "every week. It was an uncomfortable conversation, and it worked: within a "
                            "month the reviews were on time and he told me he'd rather hear it early."
                        )
                    },
                    "Hiring": {
                        "Structured interviews": (
                            "A structured interview means every candidate for a role gets the same "
                            "questions, scored against a rubric we write before we meet anyone. When I "
                            "brought them in, we trained interviewers on the rubric and had everyone submit "
                            "scores before the debrief, so the loudest opinion didn't set the tone. Our "
                            "offers got more consistent and we could explain every rejection."
                        )
                    },
                },
            ),
            _topic(
                "delivery",
                "Delivery",
                50,
                20,
                4,
                {
                    "Planning": {
                        "Estimating under uncertainty": (
                            "I estimate in ranges, not single numbers, and say what the range depends on. "
                            "We break the work down until the unknowns are visible, build a quick spike of "
                            "the riskiest part first, and narrow the estimate as we learn. I would rather "
                            "tell stakeholders 'six to ten weeks, and a firmer date after the first "
                            "sprint' than promise a date the team is going to miss."
                        ),
                    }
                },
            ),
        ],
    ),
]

DEMO_SESSIONS: list[dict[str, Any]] = [demo.payload for demo in DEMO_INTERVIEWS]


def seed_demo_sessions(sandbox: Sandbox) -> int:
    """Add the demo interviews, completed, if the store holds no session yet. Returns how many."""
    if sandbox.store.session_count():
        return 0
    client = sandbox.tokens.credentials.client_public_id
    now = time.time()
    for age_days, demo in zip((3, 2, 1), DEMO_INTERVIEWS, strict=True):
        payload = demo.payload
        sandbox.sessions.create(client, payload, origin="", demo=True)
        sandbox.sessions.complete(payload["sessionId"], demo.answers)
        created = now - age_days * 86400
        with sandbox.store.unit() as db:
            row = db.get(SessionRow, payload["sessionId"])
            assert row is not None
            row.created_at, row.started_at = created, created + 3600
            row.completed_at = row.updated_at = created + 3600 + payload["duration"] * 60
    sandbox.stats.reset()  # demo data is not traffic
    return len(DEMO_INTERVIEWS)
