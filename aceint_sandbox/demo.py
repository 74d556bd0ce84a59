"""Three completed demo interviews, put in an empty store on first start, so a newcomer's
Records page has transcripts and recordings to open before they schedule anything."""

from __future__ import annotations

import time
import uuid
from typing import Any

from .runtime import Sandbox
from .store import SessionRow

_NAMESPACE = uuid.UUID("6f1b7f0e-3a57-4d0b-9a53-8f1f4c1d2e90")
DEMO_CREATOR = "Demo Recruiter (sandbox)"


def _id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _topic(tid: str, name: str, weight: int, minutes: int, depth: int, subs: dict[str, list[str]]) -> dict:
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


def _session(key: str, name: str, role: str, category: str, domain: str, experience: str,
             difficulty: str, duration: int, topics: list[dict]) -> dict[str, Any]:  # fmt: skip
    return {
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
        "topics": topics,
    }


DEMO_SESSIONS: list[dict[str, Any]] = [
    _session(
        "demo-1",
        "Priya Raman",
        "Backend Engineer (Python)",
        "Technical",
        "Product-based",
        "2-5",
        "Medium",
        30,
        [
            _topic("py", "Python", 60, 15, 3, {"Concurrency": ["The GIL", "asyncio event loop"]}),
            _topic("db", "Databases", 40, 10, 3, {"Transactions": ["Isolation levels"]}),
        ],
    ),
    _session(
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
                {"Browser rendering": ["The critical rendering path", "Reflow and repaint"]},
            ),
        ],
    ),
    _session(
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
                {"Feedback": ["Giving difficult feedback"], "Hiring": ["Structured interviews"]},
            ),
            _topic("delivery", "Delivery", 50, 20, 4, {"Planning": ["Estimating under uncertainty"]}),
        ],
    ),
]


def seed_demo_sessions(sandbox: Sandbox) -> int:
    """Add the demo interviews, completed, if the store holds no session yet. Returns how many."""
    if sandbox.store.session_count():
        return 0
    client = sandbox.tokens.credentials.client_public_id
    now = time.time()
    for age_days, payload in zip((3, 2, 1), DEMO_SESSIONS, strict=True):
        sandbox.sessions.create(client, payload, origin="", demo=True)
        sandbox.sessions.complete(payload["sessionId"])
        created = now - age_days * 86400
        with sandbox.store.unit() as db:
            row = db.get(SessionRow, payload["sessionId"])
            assert row is not None
            row.created_at, row.started_at = created, created + 3600
            row.completed_at = row.updated_at = created + 3600 + payload["duration"] * 60
    sandbox.stats.reset()  # demo data is not traffic
    return len(DEMO_SESSIONS)
