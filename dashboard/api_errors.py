"""One sentence for every SDK error, for the page: what failed and what to do, never a secret.

The SDK's errors already exclude secrets and tokens; this module picks the words a recruiter
needs (and keeps tracebacks off the page).
"""

from __future__ import annotations

from aceint_core import errors


def describe(exc: BaseException) -> str:
    """A short, safe explanation of an error raised by a SessionClient call."""
    if isinstance(exc, errors.AuthenticationError):
        return (
            f"Aceint refused the dashboard's credentials ({exc.status_code}: {exc.message}). "
            "Check ACEINT_CLIENT_PUBLIC_ID, ACEINT_API_KEY and ACEINT_API_SECRET."
        )
    if isinstance(exc, errors.PermissionDeniedError):
        return f"Aceint says this account may not do that ({exc.status_code}: {exc.message})."
    if isinstance(exc, errors.NotFoundError):
        return f"Aceint has no such session ({exc.status_code}: {exc.message})."
    if isinstance(exc, errors.ConflictError):
        return (
            f"Aceint already has a different session with this session id ({exc.status_code}: "
            f"{exc.message}). Clear the Session ID field to generate a new one."
        )
    if isinstance(exc, errors.InvalidRequestError):
        fields = "; ".join(f"{f.get('field')}: {f.get('message')}" for f in exc.fields)
        return f"Aceint refused the payload ({exc.status_code}: {exc.message})" + (
            f" — {fields}" if fields else ""
        )
    if isinstance(exc, errors.RateLimitError):
        wait = f" Try again in {exc.retry_after:.0f} s." if exc.retry_after else " Try again shortly."
        return f"Aceint is rate-limiting requests ({exc.status_code}).{wait}"
    if isinstance(exc, errors.ServerError):
        return f"Aceint failed ({exc.status_code}: {exc.message}). Nothing was lost; try again."
    if isinstance(exc, errors.MalformedResponseError):
        return f"Aceint answered with something unexpected ({exc.status_code}: {exc.message})."
    if isinstance(exc, errors.APITimeoutError):
        return f"Aceint did not answer in time ({exc.message}). Try again."
    if isinstance(exc, errors.APIConnectionError):
        return f"Could not reach Aceint ({exc.message}). Is the base URL right and the server up?"
    if isinstance(exc, errors.ConfigurationError):
        return f"The dashboard is misconfigured: {exc}"
    if isinstance(exc, errors.APIStatusError):
        return f"Aceint answered {exc.status_code}: {exc.message}"
    return f"Unexpected error ({type(exc).__name__}); see the server log."


def describe_unconfirmed(exc: BaseException) -> str:
    """For a create whose outcome is unknown (the row was kept as "Unconfirmed")."""
    cause = getattr(exc, "message", None) or type(exc).__name__
    return (
        f"Aceint may or may not have created this interview: the answer was lost ({cause}). "
        "It is kept in Records as “Unconfirmed”; press Refresh statuses there to confirm it. "
        "Refresh sends it again if Aceint never got it, and it cannot be created twice."
    )


def describe_not_sent(exc: BaseException) -> str:
    """For a create that was never sent because signing in to Aceint failed."""
    cause = getattr(exc, "cause", exc)
    if isinstance(cause, errors.AuthenticationError):
        reason = describe(cause)
    elif isinstance(cause, errors.APIConnectionError):
        reason = f"Could not reach Aceint to sign in ({cause.message})."
    else:
        reason = f"Signing in to Aceint failed. {describe(cause)}"
    return (
        f"{reason} Nothing was sent and nothing was created; the form is kept as it is, so "
        "press Schedule interview again once Aceint can be reached."
    )
