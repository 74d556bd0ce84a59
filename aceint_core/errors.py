"""The error tree. Every error carries what went wrong and never a secret or a token.

    AceintError
    ├── ConfigurationError          bad mode, TTL, missing credentials (also a ValueError)
    ├── InvalidPayloadError         a payload or session id that cannot be sent (also a ValueError)
    ├── APIConnectionError          could not reach Aceint, or the connection dropped
    │   └── APITimeoutError         connect or read timeout
    └── APIStatusError              Aceint answered with an error status
        ├── AuthenticationError     401 (after the one retry with a fresh token)
        ├── PermissionDeniedError   403 (never triggers a refresh)
        ├── NotFoundError           404
        ├── ConflictError           409 (e.g. a different payload for an existing sessionId)
        ├── InvalidRequestError     400 / 422, with per-field messages
        ├── RateLimitError          429, with retry_after
        ├── ServerError             5xx
        └── MalformedResponseError  2xx whose body is not the JSON the contract promises
"""

from __future__ import annotations

from typing import Any, Self


class AceintError(Exception):
    """Base of every error the SDK raises."""


class ConfigurationError(AceintError, ValueError):
    """The client was built with settings that cannot work; the message names the fix."""


class InvalidPayloadError(AceintError, ValueError):
    """A call's input cannot be sent as given (invalid session fields, not JSON, or an unusable
    session id); nothing was sent, and the message names the value and the fix. `fields` lists
    each invalid field as {"field": wire path, "message": ...}, like a 422's body."""

    def __init__(self, message: str, *, fields: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or []


class APIConnectionError(AceintError):
    """Aceint could not be reached, or the connection broke before a response."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class APITimeoutError(APIConnectionError):
    """A connect or read timeout elapsed."""


class APIStatusError(AceintError):
    """Aceint answered with an error status; `status_code`, `code` and `message` say which."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        request_id: str | None = None,
        fields: list[dict[str, Any]] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.fields = fields or []
        self.retry_after = retry_after

    def with_message(self, message: str) -> Self:
        """The same error (class, status, code, fields) told with a message that names the fix."""
        return type(self)(
            message,
            status_code=self.status_code,
            code=self.code,
            request_id=self.request_id,
            fields=self.fields,
            retry_after=self.retry_after,
        )

    def __str__(self) -> str:
        text = f"{self.status_code}: {self.message}"
        if self.fields:
            text += " (" + "; ".join(f"{f.get('field')}: {f.get('message')}" for f in self.fields) + ")"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, "
            f"message={self.message!r})"
        )


class AuthenticationError(APIStatusError):
    """401: the credentials or the token were refused."""


class PermissionDeniedError(APIStatusError):
    """403: authenticated, but not allowed."""


class NotFoundError(APIStatusError):
    """404: no such session, or no record yet."""


class ConflictError(APIStatusError):
    """409: the request conflicts with what Aceint holds."""


class InvalidRequestError(APIStatusError):
    """400 or 422: the payload was refused; `fields` lists each field and its message."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` is the server's hint in seconds, if any."""


class ServerError(APIStatusError):
    """5xx: Aceint failed."""


class MalformedResponseError(APIStatusError):
    """A success status whose body is not the JSON the contract promises."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: InvalidRequestError,
    429: RateLimitError,
}


def error_for_status(status_code: int) -> type[APIStatusError]:
    """The error class for an HTTP status."""
    if status_code in STATUS_ERRORS:
        return STATUS_ERRORS[status_code]
    if status_code >= 500:
        return ServerError
    return APIStatusError
