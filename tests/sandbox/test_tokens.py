"""Token issue, expiry, refresh (rotating), revoke and the 401s, over real HTTP."""

from __future__ import annotations

import time

from aceint_core import contract

from .conftest import CREDS, Api


def _err(r) -> dict:  # type: ignore[no-untyped-def]
    return r.json()[contract.K_ERROR]


def test_issue_returns_contract_keys_with_requested_ttl(api: Api) -> None:
    body = api.issue(ttl=123)
    assert set(body) == {
        contract.K_ACCESS_TOKEN,
        contract.K_REFRESH_TOKEN,
        contract.K_TOKEN_TYPE,
        contract.K_EXPIRES_IN,
    }
    assert body[contract.K_EXPIRES_IN] == 123
    assert body[contract.K_TOKEN_TYPE] == "Bearer"
    assert body[contract.K_ACCESS_TOKEN] != body[contract.K_REFRESH_TOKEN]


def test_ttl_is_at_most_seven_days_and_must_be_positive(api: Api) -> None:
    assert api.issue(ttl=7 * 86400)[contract.K_EXPIRES_IN] == 7 * 86400
    for bad in (0, 7 * 86400 + 1, 10**9, 1.5, "60", True):
        r = api.call(contract.TOKEN_ISSUE, auth=False, json={**CREDS, contract.K_ACCESS_TTL: bad})
        assert r.status_code == 422, bad
        assert _err(r)[contract.K_ERROR_FIELDS][0][contract.K_FIELD] == contract.K_ACCESS_TTL
        assert "from 1 to 604800" in _err(r)[contract.K_ERROR_MESSAGE]


def test_a_lower_configured_maximum_grants_less_than_asked() -> None:
    from aceint_sandbox.server import running_sandbox

    with running_sandbox(access_ttl_max_s=60) as url:
        assert Api(url).issue(ttl=900)[contract.K_EXPIRES_IN] == 60


def test_wrong_credentials_are_401_and_never_echo_the_secret(api: Api) -> None:
    for key in (contract.K_CLIENT_PUBLIC_ID, contract.K_API_KEY, contract.K_API_SECRET):
        wrong = {**CREDS, key: "not-it-" + CREDS[key]}
        r = api.call(contract.TOKEN_ISSUE, auth=False, json=wrong)
        assert r.status_code == 401
        assert _err(r)[contract.K_ERROR_CODE] == "invalid_credentials"
        assert CREDS[contract.K_API_SECRET] not in r.text


def test_credentials_come_from_options(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from aceint_sandbox.server import running_sandbox

    with running_sandbox(credentials=("cid", "key", "secret")) as url:
        a = Api(url)
        r = a.call(contract.TOKEN_ISSUE, auth=False, json=CREDS)
        assert r.status_code == 401
        a.issue(
            **{contract.K_CLIENT_PUBLIC_ID: "cid", contract.K_API_KEY: "key", contract.K_API_SECRET: "secret"}
        )


def test_credentials_come_from_env(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from aceint_core import constants
    from aceint_sandbox.server import running_sandbox

    monkeypatch.setenv(constants.ENV_API_SECRET, "env-secret")
    with running_sandbox() as url:
        a = Api(url)
        assert a.call(contract.TOKEN_ISSUE, auth=False, json=CREDS).status_code == 401
        a.issue(**{contract.K_API_SECRET: "env-secret"})


def test_missing_unknown_expired_and_revoked_tokens_are_401(api: Api, seed: dict) -> None:
    get = (contract.SESSION_GET[0], contract.SESSION_GET[1].format(session_id=seed["sessionId"]))
    r = api.call(get, auth=False)
    assert r.status_code == 401 and _err(r)[contract.K_ERROR_CODE] == "missing_authorization"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")

    r = api.call(get, headers={contract.AUTHORIZATION_HEADER: "Bearer nonsense"})
    assert r.status_code == 401 and _err(r)[contract.K_ERROR_CODE] == "invalid_token"

    api.issue(ttl=2)
    assert api.call(get).status_code == 404  # valid token, no such session yet
    time.sleep(2.1)
    r = api.call(get)
    assert r.status_code == 401 and _err(r)[contract.K_ERROR_CODE] == "token_expired"

    body = api.issue(ttl=60)
    assert api.call(get).status_code == 404  # used once, so the sandbox has seen it valid
    r = api.call(contract.TOKEN_REVOKE, json={contract.K_TOKEN: body[contract.K_ACCESS_TOKEN]})
    assert r.status_code == 200 and r.json()[contract.ENVELOPE_KEY]["revoked"] is True
    r = api.call(get)
    assert r.status_code == 401 and _err(r)[contract.K_ERROR_CODE] == "token_revoked"
    # revoking the access token ends the whole grant: its refresh token is dead too
    r = api.call(
        contract.TOKEN_REFRESH, auth=False, json={contract.K_REFRESH_TOKEN: body[contract.K_REFRESH_TOKEN]}
    )
    assert r.status_code == 401
    assert api.stats()["tokensRevoked"] == 1


def test_refresh_rotates_and_old_refresh_token_is_refused(api: Api) -> None:
    first = api.issue(ttl=30)
    r = api.call(
        contract.TOKEN_REFRESH, auth=False, json={contract.K_REFRESH_TOKEN: first[contract.K_REFRESH_TOKEN]}
    )
    assert r.status_code == 200
    second = r.json()
    assert second[contract.K_ACCESS_TOKEN] != first[contract.K_ACCESS_TOKEN]
    assert second[contract.K_REFRESH_TOKEN] != first[contract.K_REFRESH_TOKEN]
    assert second[contract.K_EXPIRES_IN] == 30  # keeps the grant's TTL
    again = api.call(
        contract.TOKEN_REFRESH, auth=False, json={contract.K_REFRESH_TOKEN: first[contract.K_REFRESH_TOKEN]}
    )
    assert again.status_code == 401 and _err(again)[contract.K_ERROR_CODE] == "token_rotated"
    # both access tokens work: the old one lives until it expires
    for token in (first[contract.K_ACCESS_TOKEN], second[contract.K_ACCESS_TOKEN]):
        headers = {contract.AUTHORIZATION_HEADER: contract.BEARER_PREFIX + token}
        r = api.call(contract.SESSION_GET, params={"session_id": "nope"}, headers=headers)
        assert r.status_code == 404
    stats = api.stats()
    assert (stats["tokensIssued"], stats["tokensRefreshed"]) == (1, 1)


def test_store_keeps_hashes_not_tokens(server, api: Api) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from aceint_sandbox.store import TokenRow

    body = api.issue()
    with server.sandbox.store.unit() as db:
        stored = set(db.scalars(select(TokenRow.token_hash)).all())
    assert body[contract.K_ACCESS_TOKEN] not in stored and body[contract.K_REFRESH_TOKEN] not in stored
    assert len(stored) == 2 and all(len(h) == 64 for h in stored)


def test_expire_all_and_revoke_all(api: Api) -> None:
    body = api.issue(ttl=600)
    route = contract.SESSION_GET
    assert api.call(route, params={"session_id": "x"}).status_code == 404  # seen valid first
    assert api.control("POST", "/sandbox/tokens/expire-all").json()["expired"] == 1
    r = api.call(route, params={"session_id": "x"})
    assert r.status_code == 401 and _err(r)[contract.K_ERROR_CODE] == "token_expired"
    # access expired, refresh still good
    r = api.call(
        contract.TOKEN_REFRESH, auth=False, json={contract.K_REFRESH_TOKEN: body[contract.K_REFRESH_TOKEN]}
    )
    assert r.status_code == 200
    api.access_token = r.json()[contract.K_ACCESS_TOKEN]
    assert api.call(route, params={"session_id": "x"}).status_code == 404
    api.control("POST", "/sandbox/tokens/revoke-all")
    r = api.call(route, params={"session_id": "x"})
    assert r.status_code == 401 and _err(r)[contract.K_ERROR_CODE] == "token_revoked"
