"""The candidate page at the iframe URL: a person starts the interview, answers one question
per concept, and finishes. Self-contained HTML and a little JS (no external resources), and
allowed inside any frame, because the dashboard embeds it in an iframe."""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from importlib import resources
from string import Template

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from . import interview
from .api import sandbox_of
from .http_errors import SandboxError

router = APIRouter()

PAGE_HEADERS = {
    # Inline script and style only, requests only to this origin; any site may frame it.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; frame-ancestors *"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _template() -> Template:
    return Template(resources.files(__package__).joinpath("templates/interview.html").read_text("utf-8"))


def _json_for_script(value: object) -> str:
    """JSON safe inside a <script> element (no '</script>' or '<!--' can close it)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(payload: dict, status: str, answered: int) -> str:
    qs = interview.questions(payload)
    data = {
        "sessionId": payload["sessionId"],
        "status": status,
        "answered": min(answered, len(qs)),
        "questions": [asdict(q) for q in qs],
        "greeting": interview.greeting(payload),
        "closing": interview.closing(payload),
    }
    subtitle = (
        f"{payload.get('jobRole', '')} · {payload.get('interviewCategory', '')} interview · "
        f"{payload.get('duration', '')} minutes · {len(qs)} questions"
    )
    return _template().substitute(
        title=html.escape(str(payload.get("fullName", "Candidate"))),
        subtitle=html.escape(subtitle),
        interviewer=html.escape(interview.INTERVIEWER),
        data=_json_for_script(data),
    )


def _not_found(session_id: str) -> HTMLResponse:
    body = (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Interview not found</title>"
        "<body style='font-family:system-ui,sans-serif;padding:2rem'><h1>Interview not found</h1>"
        f"<p>There is no interview with the id <code>{html.escape(session_id)}</code> on this sandbox. "
        "Check the link you were given.</p></body></html>"
    )
    return HTMLResponse(body, status_code=404, headers=PAGE_HEADERS)


@router.get("/interview/{session_id}", response_class=HTMLResponse)
def candidate_page(session_id: str, request: Request) -> HTMLResponse:
    sandbox = sandbox_of(request)
    try:
        progress = sandbox.sessions.progress(session_id)
    except SandboxError:
        return _not_found(session_id)
    payload, _transcript, status = sandbox.sessions.payload_and_transcript(session_id)
    return HTMLResponse(render_page(payload, status, progress["answered"]), headers=PAGE_HEADERS)
