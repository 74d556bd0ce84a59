"""Python port of Aceint's backend SDK (`@aceint/ai-interviews` on `@aceint/auth`). Never imports Streamlit.

from aceint_core import SessionClient
with SessionClient.from_env() as client:
    created = client.create_session(payload)
    print(created.iframe_url)
"""

from .auth import Credentials, TokenManager, parse_ttl, store_key
from .client import SessionClient
from .errors import (
    AceintError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    InvalidPayloadError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from .models import CreatedSession, SessionDetails, SessionInput, SessionRecord, Subtopic, Topic
from .token_store import MemoryTokenStore, TokenRecord, TokenStore
from .transport import RetryPolicy

# --- transcripts (added by the transcripts helper) ------------------------------------------
# (imported at the end of this file, after the SDK's own names)
# ---------------------------------------------------------------------------------------------

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AceintError",
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "CreatedSession",
    "Credentials",
    "InvalidPayloadError",
    "InvalidRequestError",
    "MalformedResponseError",
    "MemoryTokenStore",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "SessionClient",
    "SessionDetails",
    "SessionInput",
    "SessionRecord",
    "Subtopic",
    "TokenManager",
    "TokenRecord",
    "TokenStore",
    "Topic",
    "parse_ttl",
    "store_key",
]

from .transcripts import Transcript, TranscriptFormatError, Turn, parse_transcript  # noqa: E402

__all__ += ["Transcript", "TranscriptFormatError", "Turn", "parse_transcript"]
