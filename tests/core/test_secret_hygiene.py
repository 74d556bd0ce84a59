"""Secret hygiene (issue 3, section 5): with logging at DEBUG, run issue, reuse, 401, refresh, retry
and revoke plus every error path, then search everything the SDK produced for the api secret
and for every 8-character piece of every secret and token seen.
"""

from __future__ import annotations

import logging
import secrets
import time
import traceback
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from aceint_core import (
    AceintError,
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InvalidRequestError,
    MalformedResponseError,
    MemoryTokenStore,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    SessionClient,
    TokenRecord,
)

from .sandbox_control import SandboxControl

GET = "GET /sessions/{session_id}"


class RecordingStore(MemoryTokenStore):
    """A real memory store that also remembers every record written, so the test knows every token."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[TokenRecord] = []

    def compare_and_swap(
        self, key: str, expected_generation: int | None, record: TokenRecord
    ) -> TokenRecord | None:
        self.written.append(record)
        return super().compare_and_swap(key, expected_generation, record)


def pieces(secret: str, size: int = 8) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)} | {secret}


def describe(error: BaseException) -> list[str]:
    """Everything an error shows: str, repr, args and the whole chain as a traceback prints it."""
    texts = ["".join(traceback.format_exception(error))]
    seen: BaseException | None = error
    while seen is not None:
        texts += [str(seen), repr(seen), repr(seen.args), repr(vars(seen))]
        seen = seen.__cause__ or seen.__context__
    return texts


@pytest.fixture
def credentials() -> tuple[str, str, str]:
    return "hygiene-client", "hygiene-key", secrets.token_hex(20)


@pytest.fixture
def hygiene_sandbox(credentials: tuple[str, str, str]) -> Iterator[str]:
    from aceint_sandbox.server import running_sandbox

    with running_sandbox(credentials=credentials) as base_url:
        yield base_url


def test_no_secret_or_token_piece_escapes(
    hygiene_sandbox: str,
    credentials: tuple[str, str, str],
    seed_payload: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client_id, api_key, api_secret = credentials
    control = SandboxControl(hygiene_sandbox)
    store = RecordingStore()
    fast = RetryPolicy(max_retries=2, backoff_initial=0.01, backoff_max=0.05)
    client = SessionClient(
        client_public_id=client_id,
        api_key=api_key,
        api_secret=api_secret,
        access_ttl="2s",
        base_url=hygiene_sandbox,
        token_store=store,
        retry_policy=fast,
        timeout=(2.0, 0.3),
    )
    errors: list[BaseException] = []
    shown: list[str] = []

    def expect(error_type: type[AceintError], call: Any) -> None:
        with pytest.raises(error_type) as info:
            call()
        errors.append(info.value)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        created = client.create_session(seed_payload)  # issue
        session_id = created.session_id
        client.get_session(session_id)  # reuse
        control.revoke_all()
        client.get_session(session_id)  # 401, then a fresh token
        time.sleep(1.2)
        client.get_session(session_id)  # refresh inside the margin
        control.fail_next(GET, kind="status", status=503, count=1)
        client.get_session(session_id)  # retry
        control.fail_next(GET, kind="status", status=401, count=2)
        expect(AuthenticationError, lambda: client.get_session(session_id))
        control.fail_next(GET, kind="status", status=403, count=1)
        expect(PermissionDeniedError, lambda: client.get_session(session_id))
        expect(NotFoundError, lambda: client.get_session(str(uuid.uuid4())))
        expect(InvalidRequestError, lambda: client.create_session_raw({"sessionId": "x"}))
        control.set_faults(retry_after=0, fail_next=[{"route": GET, "kind": "rate_limit", "count": 3}])
        expect(RateLimitError, lambda: client.get_session(session_id))
        control.fail_next(GET, kind="malformed", count=3)
        expect(MalformedResponseError, lambda: client.get_session(session_id))
        control.set_faults(slow_seconds=1.0, fail_next=[{"route": GET, "kind": "slow", "count": 3}])
        expect(APITimeoutError, lambda: client.get_session(session_id))
        control.fail_next(GET, kind="drop", count=3)
        expect(APIConnectionError, lambda: client.get_session(session_id))
        control.clear_faults()
        control.complete(session_id)
        record = client.get_session_record(session_id)
        details = client.get_session(session_id)
        client.revoke()  # revoke

        wrong_secret = secrets.token_hex(20)
        wrong = SessionClient(
            client_public_id=client_id,
            api_key=api_key,
            api_secret=wrong_secret,
            base_url=hygiene_sandbox,
            retry_policy=fast,
        )
        expect(AuthenticationError, lambda: wrong.get_session(session_id))
        dead = SessionClient(
            api_secret=api_secret,
            base_url="http://127.0.0.1:9/backend/api/v1",
            retry_policy=fast,
            timeout=0.5,
        )
        expect(APIConnectionError, lambda: dead.get_session(session_id))

    for result in (created, record, details):
        shown += [repr(result), str(result), repr(result.model_dump()), result.model_dump_json()]
    for obj in (
        client,
        wrong,
        dead,
        client.tokens,
        client._transport,
        store,
        *store.written,
        client.tokens.credentials,
    ):
        shown += [repr(obj), str(obj)]
    for error in errors:
        shown += describe(error)
    shown += [str(w.message) for w in caught]
    for log in caplog.records:
        shown += [log.getMessage(), repr(log.args), log.exc_text or ""]
    client.close()
    wrong.close()
    dead.close()
    control.close()

    # The scenario really produced tokens, refreshes, retries and revokes worth scanning.
    tokens = {t for r in store.written for t in (r.access_token, r.refresh_token) if t}
    assert len(store.written) >= 3 and len(tokens) >= 6
    stats_logged = " ".join(log.getMessage() for log in caplog.records if log.name == "aceint")
    for event in ("issued", "reusing", "refreshed", "retrying", "401", "revoked"):
        assert event in stats_logged, event

    forbidden = pieces(api_secret) | pieces(wrong_secret)
    for token in tokens:
        forbidden |= pieces(token)
    assert created.token is not None
    forbidden |= pieces(created.token.get_secret_value())
    haystack = "\n".join(shown)
    leaks = sorted(p for p in forbidden if p in haystack)
    assert leaks == [], f"{len(leaks)} secret pieces leaked, e.g. {leaks[:3]}"
