"""The token lifecycle against the real sandbox: lazy issue, reuse, refresh, fallback, revoke, 401s.

Short TTLs ("2s" or 2) make expiry real; the refresh margin is then min(60, 2/2) = 1 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from aceint_core import (
    AuthenticationError,
    Credentials,
    MemoryTokenStore,
    PermissionDeniedError,
    SessionClient,
    TokenManager,
)
from aceint_core.constants import SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_CLIENT_PUBLIC_ID
from aceint_core.transport import Transport

from .sandbox_control import SandboxControl

GET_ROUTE = "GET /sessions/{session_id}"


@pytest.fixture
def session_id(client: SessionClient, seed_payload: dict[str, Any]) -> str:
    return client.create_session(seed_payload).session_id


def counts(control: SandboxControl) -> tuple[int, int]:
    stats = control.stats()
    return stats["tokensIssued"], stats["tokensRefreshed"]


def test_first_token_is_issued_lazily(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client()
    assert counts(control) == (0, 0)
    assert client.tokens.store.load(client.tokens.key) is None
    client.create_session(seed_payload)
    assert counts(control) == (1, 0)


def test_token_is_reused_while_valid(client: SessionClient, control: SandboxControl, session_id: str) -> None:
    first = client.tokens.store.load(client.tokens.key)
    for _ in range(5):
        client.get_session(session_id)
    assert counts(control) == (1, 0)
    assert client.tokens.store.load(client.tokens.key) is first


def test_requested_ttl_is_sent_in_seconds(make_client: Callable[..., SessionClient]) -> None:
    client = make_client(access_ttl="1h")
    record = client.tokens.token()
    assert record.lifetime == pytest.approx(3600, abs=1)


def test_token_really_expires_at_the_sandbox(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(access_ttl="2s")
    session_id = client.create_session(seed_payload).session_id
    record = client.tokens.store.load(client.tokens.key)
    assert record is not None
    assert control.raw_get_session(record.access_token, session_id) == 200
    time.sleep(2.2)
    assert control.raw_get_session(record.access_token, session_id) == 401


def test_refresh_happens_inside_the_margin_not_before(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(access_ttl=2)
    session_id = client.create_session(seed_payload).session_id
    first = client.tokens.store.load(client.tokens.key)
    time.sleep(0.5)  # before the margin (1 s before expiry): reuse
    client.get_session(session_id)
    assert counts(control) == (1, 0)
    time.sleep(0.7)  # 1.2 s after arrival: inside the margin, refreshed
    client.get_session(session_id)
    assert counts(control) == (1, 1)
    second = client.tokens.store.load(client.tokens.key)
    assert second is not None and first is not None
    assert second.access_token != first.access_token
    assert second.generation > first.generation
    time.sleep(1.3)  # the first token has expired for real; the refreshed one is due again
    client.get_session(session_id)
    assert counts(control) == (1, 2)


def test_expired_token_is_refreshed_not_sent(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(access_ttl=2)
    session_id = client.create_session(seed_payload).session_id
    time.sleep(2.2)
    control.reset_stats()
    client.get_session(session_id)
    stats = control.stats()
    assert stats["tokensRefreshed"] == 1
    assert stats["requests"].get(GET_ROUTE) == 1  # no wasted 401 round trip


def test_failed_refresh_falls_back_to_issue(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(access_ttl=2)
    session_id = client.create_session(seed_payload).session_id
    first = client.tokens.store.load(client.tokens.key)
    control.fail_next("POST /auth/refresh", kind="status", status=401, count=1)
    time.sleep(1.2)
    details = client.get_session(session_id)
    assert details.session_id == session_id
    assert counts(control) == (2, 0)
    second = client.tokens.store.load(client.tokens.key)
    assert second is not None and first is not None and second.access_token != first.access_token


def test_refresh_after_revocation_falls_back_to_issue(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    client = make_client(access_ttl=2)
    session_id = client.create_session(seed_payload).session_id
    control.revoke_all()  # the refresh token dies with its grant
    time.sleep(1.2)
    client.get_session(session_id)
    assert counts(control) == (2, 0)


def test_revoke_ends_both_tokens_and_clears_the_store(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    record = client.tokens.store.load(client.tokens.key)
    assert record is not None and record.refresh_token
    client.revoke()
    assert client.tokens.store.load(client.tokens.key) is None
    assert control.stats()["tokensRevoked"] >= 1
    assert control.raw_get_session(record.access_token, session_id) == 401
    refresh = control.http.post(
        control.api + "/auth/refresh", json={"refreshToken": record.refresh_token}, timeout=10
    )
    assert refresh.status_code == 401
    # The client keeps working: the next call issues a new token.
    client.get_session(session_id)
    assert counts(control) == (2, 0)


def test_revoke_without_a_token_is_a_no_op(client: SessionClient, control: SandboxControl) -> None:
    client.revoke()
    assert control.stats()["tokensRevoked"] == 0


def test_401_invalidates_and_retries_once(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    old = client.tokens.store.load(client.tokens.key)
    control.revoke_all()
    control.reset_stats()
    assert client.get_session(session_id).session_id == session_id
    stats = control.stats()
    assert stats["tokensIssued"] == 1 and stats["requests"][GET_ROUTE] == 2
    new = client.tokens.store.load(client.tokens.key)
    assert new is not None and old is not None and new.access_token != old.access_token


def test_early_expiry_401_is_retried_with_a_fresh_token(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.expire_all()
    control.reset_stats()
    assert client.get_session(session_id).session_id == session_id
    assert control.stats()["requests"][GET_ROUTE] == 2


def test_second_401_raises_authentication_error(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    control.reset_stats()
    control.fail_next(GET_ROUTE, kind="status", status=401, count=2)
    with pytest.raises(AuthenticationError) as info:
        client.get_session(session_id)
    assert info.value.status_code == 401
    stats = control.stats()
    assert stats["requests"][GET_ROUTE] == 2  # one retry, not more
    assert stats["tokensIssued"] == 1  # the fresh token for the retry


def test_wrong_credentials_are_one_authentication_error(
    make_client: Callable[..., SessionClient], control: SandboxControl
) -> None:
    client = make_client(api_secret="not-the-sandbox-secret")
    with pytest.raises(AuthenticationError) as info:
        client.get_session("whatever")
    assert "ACEINT_API_SECRET" in str(info.value)
    assert control.requests_to("POST /auth/token") == 1  # refused credentials are not retried
    assert control.requests_to(GET_ROUTE) == 0


def test_403_never_triggers_a_refresh(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    before = client.tokens.store.load(client.tokens.key)
    control.reset_stats()
    control.fail_next(GET_ROUTE, kind="status", status=403, count=1)
    with pytest.raises(PermissionDeniedError) as info:
        client.get_session(session_id)
    assert info.value.status_code == 403
    stats = control.stats()
    assert (stats["tokensIssued"], stats["tokensRefreshed"]) == (0, 0)
    assert stats["requests"][GET_ROUTE] == 1
    assert client.tokens.store.load(client.tokens.key) is before  # the token was kept


def test_late_401_does_not_discard_a_newer_token(
    client: SessionClient, control: SandboxControl, session_id: str
) -> None:
    stale = client.tokens.token()
    control.revoke_all()
    client.get_session(session_id)  # another caller's 401 already replaced the token
    newer = client.tokens.store.load(client.tokens.key)
    assert newer is not None and newer.access_token != stale.access_token
    assert client.tokens.invalidate(stale) is False  # the late 401 for the stale token
    assert client.tokens.store.load(client.tokens.key) is newer
    control.reset_stats()
    client.get_session(session_id)
    assert control.stats()["tokensIssued"] == 0


def test_401_for_the_current_token_does_drop_it(client: SessionClient, session_id: str) -> None:
    current = client.tokens.token()
    assert client.tokens.invalidate(current) is True
    assert client.tokens.store.load(client.tokens.key) is None


def test_clients_sharing_a_store_share_one_token(
    make_client: Callable[..., SessionClient], control: SandboxControl, seed_payload: dict[str, Any]
) -> None:
    store = MemoryTokenStore()
    first = make_client(access_ttl=2, token_store=store)
    second = make_client(access_ttl=2, token_store=store)
    assert first.tokens.key == second.tokens.key
    session_id = first.create_session(seed_payload).session_id
    second.get_session(session_id)
    assert counts(control) == (1, 0)
    # `second` never saw this token arrive: it judges it by the record's wall-clock expiry.
    time.sleep(1.2)
    second.get_session(session_id)
    assert counts(control) == (1, 1)
    first.get_session(session_id)  # and `first` picks up the refreshed token from the store
    assert counts(control) == (1, 1)


def test_own_token_age_is_measured_on_the_monotonic_clock(sandbox_url: str, control: SandboxControl) -> None:
    """A wall clock that jumps an hour ahead does not make our own fresh token look expired."""
    jumped = [0.0]
    transport = Transport(sandbox_url)
    manager = TokenManager(
        transport,
        Credentials(SANDBOX_CLIENT_PUBLIC_ID, SANDBOX_API_KEY, SANDBOX_API_SECRET),
        access_ttl=900,
        wall_clock=lambda: time.time() + jumped[0],
    )
    own = manager.token()
    jumped[0] = 3600.0
    assert manager.token() is own
    assert counts(control) == (1, 0)
    # The same record seen by a manager that did not fetch it falls back to wall-clock expiry.
    other = TokenManager(
        transport,
        Credentials(SANDBOX_CLIENT_PUBLIC_ID, SANDBOX_API_KEY, SANDBOX_API_SECRET),
        access_ttl=900,
        store=manager.store,
        wall_clock=lambda: time.time() + jumped[0],
    )
    assert other.token() is not own
    assert counts(control) == (1, 1)
    transport.close()
