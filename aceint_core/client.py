"""`SessionClient`: the Aceint AI-interview session calls, with the token handled for you.

The Python port of `@aceint/ai-interviews`. One client is safe to share between threads
(the dashboard shares one across every browser session): tokens come from a `TokenManager`
over a `TokenStore`, HTTP from one pooled `Transport`. Each protected call is retried once
with a fresh token after a 401; a 403 is raised as is.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import unicodedata
import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import ValidationError

from . import constants, contract
from .auth import Credentials, TokenManager, parse_ttl
from .errors import (
    AuthenticationError,
    ConfigurationError,
    InvalidPayloadError,
    MalformedResponseError,
)
from .models import CreatedSession, SessionDetails, SessionInput, SessionRecord, invalid_session_input
from .redaction import Redactor
from .token_store import TokenStore
from .transport import RetryPolicy, Transport, normalise_timeout

logger = logging.getLogger("aceint")

_CREDENTIAL_FIELDS = (
    ("client_public_id", constants.ENV_CLIENT_PUBLIC_ID, constants.SANDBOX_CLIENT_PUBLIC_ID),
    ("api_key", constants.ENV_API_KEY, constants.SANDBOX_API_KEY),
    ("api_secret", constants.ENV_API_SECRET, constants.SANDBOX_API_SECRET),
)


_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@")


def _masked(url: str) -> str:
    """`url` with any `user:password@` replaced by `***@`, safe to put in a message."""
    return _USERINFO.sub(lambda m: (m.group("scheme") or "") + "***@", url, count=1)


def resolve_base_url(mode: str, base_url: str | None) -> str:
    """The API base URL for `mode`, or `base_url` when given (it overrides any mode).

    A given URL must be a plain http(s) URL with a host: no `user:password@` (requests would
    send it as Basic auth instead of our bearer token, and it would show in every repr and
    error), no query or fragment, a port in 1..65535.
    """
    if mode not in contract.MODE_BASE_URLS:
        raise ConfigurationError(
            f"mode ({constants.ENV_MODE}) must be one of {', '.join(contract.MODES)}; got {mode!r}"
        )
    if base_url is None or base_url == "":
        return contract.MODE_BASE_URLS[mode]
    where = f"base_url ({constants.ENV_BASE_URL})"
    example = f"e.g. {contract.MODE_BASE_URLS['sandbox']}"
    if not isinstance(base_url, str):
        raise ConfigurationError(f"{where} must be a string URL, {example}; got {type(base_url).__name__}")
    text = base_url.strip()
    shown = _masked(text)
    if _USERINFO.match(text):
        raise ConfigurationError(
            f"{where} must not carry a user name or password ({shown}); remove the 'user:password@' "
            "part: the SDK authenticates with your client credentials, not with the URL"
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(f"{where} is not a valid URL ({exc}): {shown}; {example}") from None
    if parts.scheme not in ("http", "https") or not text.lower().startswith(("http://", "https://")):
        raise ConfigurationError(f"{where} must start with http:// or https://, {example}; got {shown!r}")
    if not parts.hostname:
        raise ConfigurationError(f"{where} has no host name: {shown!r}; {example}")
    if port == 0:
        raise ConfigurationError(f"{where} port must be between 1 and 65535: {shown!r}; {example}")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ConfigurationError(
            f"{where} must not have a query ('?...') or fragment ('#...'): {shown!r}; give only the "
            f"scheme, host, port and path, {example}"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def check_session_id(session_id: Any) -> str:
    """The stripped session id, or InvalidPayloadError before any request.

    "." and ".." would be resolved as path segments (a redirect, or a different route), and
    "/" or control characters cannot be part of one id; so they are refused here.
    """
    hint = "pass the sessionId that create_session returned (e.g. 3bcd6789-c679-4ff3-bdb1-e1730f3cb46b)"
    if not isinstance(session_id, str):
        raise InvalidPayloadError(f"session_id must be a string; got {type(session_id).__name__}; {hint}")
    text = session_id.strip()
    if not text:
        raise InvalidPayloadError(f"session_id must not be empty; {hint}")
    if len(text) > constants.MAX_SESSION_ID_LENGTH:
        raise InvalidPayloadError(
            f"session_id is {len(text)} characters long; at most {constants.MAX_SESSION_ID_LENGTH} "
            f"are accepted; {hint}"
        )
    if text in (".", ".."):
        raise InvalidPayloadError(f"session_id {text!r} is a path segment, not an id; {hint}")
    if "/" in text or "\\" in text:
        raise InvalidPayloadError(f"session_id must not contain '/' or '\\'; got {text[:80]!r}; {hint}")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise InvalidPayloadError(
            f"session_id must not contain control characters; got {text[:80]!r}; {hint}"
        )
    return text


_MAX_JSON_DEPTH = 500  # far deeper than any real payload; stops the search on a cycle


def _unsendable(value: Any) -> str | None:
    """Where in `value` the first thing JSON cannot carry is, and why (None if nothing found)."""
    stack: list[tuple[str, Any, int]] = [("payload", value, 0)]
    while stack:
        where, item, depth = stack.pop()
        if depth > _MAX_JSON_DEPTH:
            return f"{where} is nested more than {_MAX_JSON_DEPTH} levels deep (or refers to itself)"
        if item is None or isinstance(item, (str, bool)):
            continue
        if isinstance(item, int):
            try:
                repr(item)
            except ValueError:
                return f"{where} is an integer too long to write (over 4300 digits)"
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return f"{where} is {item!r}; JSON has no NaN or Infinity: send a number or null"
            continue
        if isinstance(item, dict):
            for key in item:
                if key is not None and not isinstance(key, (str, int, float, bool)):
                    return f"{where} has a {type(key).__name__} key {key!r}; JSON keys are strings"
            stack.extend((f"{where}[{k!r}]", v, depth + 1) for k, v in reversed(list(item.items())))
            continue
        if isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{i}]", v, depth + 1) for i, v in reversed(list(enumerate(item))))
            continue
        return (
            f"{where} is a {type(item).__name__}, which JSON cannot carry; use a string, number, "
            "true/false, null, a list or a dict"
        )
    return None


def check_json_body(body: Any) -> None:
    """Refuse, before any request, a body that cannot be written as strict JSON.

    requests would fail on it inside every attempt (a connection error, retried), or the server
    would get NaN it cannot read; here it fails once, locally, naming the value.
    """
    problem: str
    try:
        json.dumps(body, allow_nan=False)
    except RecursionError:
        problem = "payload is nested too deeply to write as JSON"
    except (TypeError, ValueError) as exc:
        problem = _unsendable(body) or f"payload cannot be written as JSON ({str(exc)[:200]})"
    else:
        return
    if len(problem) > 400:  # a path through a self-referring dict
        problem = f"{problem[:200]} … {problem[-150:]}"
    raise InvalidPayloadError(f"create_session payload not sent: {problem}")


class SessionClient:
    """Creates and reads Aceint interview sessions; manages the access token internally.

    In `sandbox` mode missing credentials default to the sandbox's (`constants.SANDBOX_*`);
    in `dev` and `prod` all three are required.
    """

    def __init__(
        self,
        mode: str = constants.DEFAULT_MODE,
        client_public_id: str | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        access_ttl: str | int = constants.DEFAULT_ACCESS_TTL,
        base_url: str | None = None,
        token_store: TokenStore | None = None,
        timeout: float | tuple[float, float] = (
            constants.DEFAULT_CONNECT_TIMEOUT,
            constants.DEFAULT_READ_TIMEOUT,
        ),
        max_retries: int = constants.DEFAULT_MAX_RETRIES,
        *,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.mode = mode
        self.base_url = resolve_base_url(mode, base_url)
        credentials = self._credentials(mode, client_public_id, api_key, api_secret)
        ttl_seconds = parse_ttl(access_ttl)
        timeouts = normalise_timeout(timeout)
        if retry_policy is None:
            retry_policy = RetryPolicy(max_retries=max_retries)
        elif max_retries != constants.DEFAULT_MAX_RETRIES and max_retries != retry_policy.max_retries:
            raise ConfigurationError("give max_retries or retry_policy, not two different retry counts")
        if token_store is not None and not isinstance(token_store, TokenStore):
            raise ConfigurationError(
                "token_store must implement the TokenStore protocol (load, compare_and_swap, delete, "
                f"refresh_lock); got {type(token_store).__name__}"
            )
        self._transport = Transport(
            self.base_url, timeout=timeouts, retry=retry_policy, redactor=Redactor(credentials.api_secret)
        )
        self.tokens = TokenManager(self._transport, credentials, access_ttl=ttl_seconds, store=token_store)

    @staticmethod
    def _credentials(
        mode: str, client_public_id: str | None, api_key: str | None, api_secret: str | None
    ) -> Credentials:
        given = {"client_public_id": client_public_id, "api_key": api_key, "api_secret": api_secret}
        values: dict[str, str] = {}
        missing: list[str] = []
        for name, env, sandbox_default in _CREDENTIAL_FIELDS:
            value = given[name]
            if value is not None and not isinstance(value, str):
                raise ConfigurationError(f"{name} ({env}) must be a string, got {type(value).__name__}")
            value = (value or "").strip()
            if not value and mode == "sandbox":
                value = sandbox_default
            if not value:
                missing.append(f"{name} ({env})")
            values[name] = value
        if missing:
            raise ConfigurationError(
                f"{mode} mode needs real client credentials; missing {', '.join(missing)}. Pass them to "
                "SessionClient(...) or set the environment variables, with the values from the Credentials "
                "tab of your Aceint account (or use mode='sandbox' for the local sandbox)"
            )
        return Credentials(**values)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Self:
        """A client configured from the ACEINT_* variables; keyword arguments override them."""
        env = os.environ if environ is None else environ

        def read(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        settings: dict[str, Any] = {
            "mode": read(constants.ENV_MODE) or constants.DEFAULT_MODE,
            "client_public_id": read(constants.ENV_CLIENT_PUBLIC_ID),
            "api_key": read(constants.ENV_API_KEY),
            "api_secret": read(constants.ENV_API_SECRET),
            "access_ttl": read(constants.ENV_ACCESS_TTL) or constants.DEFAULT_ACCESS_TTL,
            "base_url": read(constants.ENV_BASE_URL),
        }
        settings.update(overrides)
        return cls(**settings)

    def __repr__(self) -> str:
        return f"SessionClient(mode={self.mode!r}, base_url={self.base_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections. Tokens stay in the store (see `revoke()` to end them)."""
        self._transport.close()

    # --- the session calls -----------------------------------------------------------------

    def create_session(self, session: SessionInput | Mapping[str, Any]) -> CreatedSession:
        """Create an interview session; safe to retry (same sessionId and Idempotency-Key on
        every attempt of this call)."""
        if not isinstance(session, SessionInput):
            if not isinstance(session, Mapping):
                raise TypeError(
                    f"create_session takes a SessionInput or a dict, not {type(session).__name__}"
                )
            try:
                session = SessionInput.model_validate(dict(session))
            except ValidationError as error:
                raise invalid_session_input(error) from None
        data = self._create(session.to_wire())
        return self._normalise(CreatedSession, data, contract.SESSION_CREATE)

    def create_session_raw(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Send `payload` as is (no validation) and return the response JSON. Still
        authenticated and still carries an Idempotency-Key."""
        if not isinstance(payload, Mapping):
            raise TypeError(f"create_session_raw takes a dict, not {type(payload).__name__}")
        data = self._create(dict(payload))
        if not isinstance(data, dict):
            raise MalformedResponseError(
                "POST /sessions answered with JSON that is not an object", status_code=200
            )
        return data

    def get_session(self, session_id: str) -> SessionDetails:
        """The stored session data for `session_id`."""
        method, template = contract.SESSION_GET
        data = self._authed(method, template.format(session_id=self._path_id(session_id)), route=template)
        return self._normalise(SessionDetails, data, contract.SESSION_GET)

    def get_session_record(self, session_id: str) -> SessionRecord:
        """The record of a completed interview (NotFoundError while it has none yet)."""
        method, template = contract.SESSION_RECORD
        data = self._authed(method, template.format(session_id=self._path_id(session_id)), route=template)
        return self._normalise(SessionRecord, data, contract.SESSION_RECORD)

    def authenticate(self) -> None:
        """Get (or reuse) a valid access token now. A failure here means no session call was
        sent, which callers can use to tell "nothing happened" from "outcome unknown"."""
        self.tokens.token()

    def revoke(self) -> None:
        """Revoke the current access and refresh tokens at Aceint and clear them from the store."""
        self.tokens.revoke()

    # --- plumbing --------------------------------------------------------------------------

    def _create(self, body: dict[str, Any]) -> Any:
        method, path = contract.SESSION_CREATE
        check_json_body(body)
        key = str(uuid.uuid4())
        return self._authed(method, path, json=body, headers={contract.IDEMPOTENCY_HEADER: key})

    def _authed(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        route: str | None = None,
    ) -> Any:
        """A protected call: with a bearer token, retried once with a fresh token after a 401."""
        for attempt in (1, 2):
            record = self.tokens.token()
            sent = dict(headers or {})
            sent[contract.AUTHORIZATION_HEADER] = contract.BEARER_PREFIX + record.access_token
            try:
                return self._transport.request(method, path, json=json, headers=sent, route=route)
            except AuthenticationError as error:
                if attempt == 2:
                    raise error.with_message(
                        f"Aceint refused a freshly issued access token too ({error.message})"
                    ) from None
                logger.debug(
                    "%s %s got 401; dropping that token (generation %d) and retrying once",
                    method,
                    route or path,
                    record.generation,
                )
                self.tokens.invalidate(record)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _path_id(session_id: str) -> str:
        """`session_id` escaped for the URL path, refused locally when it could not name one session."""
        return quote(check_session_id(session_id), safe="")

    @staticmethod
    def _normalise(model: type[Any], data: Any, route: tuple[str, str]) -> Any:
        try:
            return model.from_response(data)
        except (ValidationError, TypeError) as error:
            detail = (
                ", ".join(".".join(str(p) for p in e["loc"]) or "body" for e in error.errors())
                if isinstance(error, ValidationError)
                else "not a JSON object"
            )
            raise MalformedResponseError(
                f"{route[0]} {route[1]} answered with a body the contract does not describe ({detail})",
                status_code=200,
            ) from None
