"""The assumed Aceint wire contract: the only place paths, methods and wire keys are written.

Aceint's HTTP reference is not public. Everything here is inferred from the
`@aceint/ai-interviews` README and must be checked against Aceint's own API
reference before production use; `docs/aceint-api.md` describes it in words.
The sandbox implements exactly this module and the client speaks exactly this
module, so adjusting the contract is a change to this one file.
"""

from __future__ import annotations

from typing import Final

# --- Base URLs -----------------------------------------------------------------------------

API_PREFIX: Final = "/backend/api/v1"
"""Path prefix of every Aceint API route (taken from the two public base URLs)."""

MODE_BASE_URLS: Final[dict[str, str]] = {
    "dev": "https://dev.aceint.ai" + API_PREFIX,
    "prod": "https://interview.aceint.ai" + API_PREFIX,
    "sandbox": "http://127.0.0.1:8765" + API_PREFIX,
}
MODES: Final = tuple(MODE_BASE_URLS)

# --- Routes (relative to the base URL) -----------------------------------------------------

TOKEN_ISSUE: Final = ("POST", "/auth/token")
TOKEN_REFRESH: Final = ("POST", "/auth/refresh")
TOKEN_REVOKE: Final = ("POST", "/auth/revoke")
SESSION_CREATE: Final = ("POST", "/sessions")
SESSION_GET: Final = ("GET", "/sessions/{session_id}")
SESSION_RECORD: Final = ("GET", "/sessions/{session_id}/record")

# --- Headers -------------------------------------------------------------------------------

AUTHORIZATION_HEADER: Final = "Authorization"
BEARER_PREFIX: Final = "Bearer "
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
RETRY_AFTER_HEADER: Final = "Retry-After"
REQUEST_ID_HEADER: Final = "X-Request-Id"

# --- Token wire keys -----------------------------------------------------------------------
# Issue request: {clientPublicId, apiKey, apiSecret, accessTtl (seconds)}
# Refresh request: {refreshToken}; revoke request: {token} (an access or a refresh token)
# Issue/refresh response (200): {accessToken, refreshToken, tokenType, expiresIn (seconds)}

K_CLIENT_PUBLIC_ID: Final = "clientPublicId"
K_API_KEY: Final = "apiKey"
K_API_SECRET: Final = "apiSecret"
K_ACCESS_TTL: Final = "accessTtl"
K_ACCESS_TOKEN: Final = "accessToken"
K_REFRESH_TOKEN: Final = "refreshToken"
K_TOKEN_TYPE: Final = "tokenType"
K_EXPIRES_IN: Final = "expiresIn"
K_TOKEN: Final = "token"

# --- Session wire keys ---------------------------------------------------------------------
# Create request: the seed README's createSession payload, keys exactly as below.
# Create response (201 new, 200 idempotent replay): {"data": {sessionId, status, token,
#   livekitUrl, iframeUrl}}; a different payload for an existing sessionId is 409.
# Get response (200): {"data": {<the stored payload>, status, createdAt, updatedAt, completedAt}}
# Record response (200): {"data": {sessionId, videoLink, audioLink, transcript, category,
#   subCategory}}; 404 while the interview has not been completed.

ENVELOPE_KEY: Final = "data"

SESSION_FIELDS: Final = (
    "userId",
    "taskId",
    "sessionId",
    "fullName",
    "jobRole",
    "interviewCategory",
    "interviewDomain",
    "duration",
    "interviewMode",
    "experience",
    "interviewDifficulty",
    "sessionStatus",
    "createdBy",
    "topics",
)
TOPIC_FIELDS: Final = ("id", "name", "weightage", "allocated_time", "knowledge_depth", "subtopics")
SUBTOPIC_FIELDS: Final = ("id", "name", "concepts")

CREATED_FIELDS: Final = ("sessionId", "status", "token", "livekitUrl", "iframeUrl")
RECORD_FIELDS: Final = ("sessionId", "videoLink", "audioLink", "transcript", "category", "subCategory")

# Transcript turn as Aceint (the sandbox) sends it inside a record.
TRANSCRIPT_TURN_FIELDS: Final = ("speaker", "role", "startTime", "endTime", "text")

# --- Error body ----------------------------------------------------------------------------
# Every non-2xx response: {"error": {"code": str, "message": str, "fields": [{field, message}]}}
# ("fields" only on 422).

K_ERROR: Final = "error"
K_ERROR_CODE: Final = "code"
K_ERROR_MESSAGE: Final = "message"
K_ERROR_FIELDS: Final = "fields"
K_FIELD: Final = "field"

# --- Enumerations ----------------------------------------------------------------------------
# The seed README shows one value for each; the others are assumptions. The SDK validates
# against these so a typo fails before the request; adjust here when Aceint documents them.

INTERVIEW_CATEGORIES: Final = ("Technical", "Behavioral", "HR", "Managerial")
INTERVIEW_DOMAINS: Final = ("Product-based", "Service-based", "Startup", "Consulting", "General")
INTERVIEW_MODES: Final = ("BY_CLIENT", "BY_CANDIDATE")
EXPERIENCE_LEVELS: Final = ("0-2", "2-5", "5-8", "8-12", "12+")
INTERVIEW_DIFFICULTIES: Final = ("Easy", "Medium", "Hard")
SESSION_STATUSES: Final = ("New", "InProgress", "Completed", "Expired", "Cancelled")

TRANSCRIPT_ROLES: Final = ("interviewer", "candidate", "other", "unknown")

# --- Limits the contract assumes -------------------------------------------------------------

DURATION_MINUTES: Final = (5, 180)
KNOWLEDGE_DEPTH: Final = (1, 5)
WEIGHTAGE: Final = (1, 100)
WEIGHTAGE_TOTAL: Final = 100
