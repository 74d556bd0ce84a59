"""Client settings: modes, base URL, credentials, TTL, timeouts, retry arithmetic.

These check configuration that fails before any request is sent, so no sandbox is needed.
"""

from __future__ import annotations

import random

import pytest

from aceint_core import (
    ConfigurationError,
    MemoryTokenStore,
    RetryPolicy,
    SessionClient,
    constants,
    contract,
    parse_ttl,
    store_key,
)
from aceint_core.transport import normalise_timeout, parse_retry_after


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("1h", 3600), ("7d", 604800), (90, 90), ("90", 90), (" 2s ", 2)],
)
def test_ttl_accepts_the_documented_forms(text: object, seconds: int) -> None:
    assert parse_ttl(text) == seconds


@pytest.mark.parametrize("bad", ["15 m", "1w", "15M", "1.5h", "", "0", "0s", -5, 0, 1.5, True, None, "abc"])
def test_ttl_rejects_anything_else_naming_field_and_fix(bad: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_ttl(bad)
    message = str(info.value)
    assert "access_ttl" in message and constants.ENV_ACCESS_TTL in message
    assert "'15m'" in message  # the fix: an example of an accepted form


def test_ttl_goes_on_the_wire_in_seconds() -> None:
    client = SessionClient(access_ttl="15m")
    assert client.tokens.access_ttl == 900


@pytest.mark.parametrize("mode", ["dev", "prod", "sandbox"])
def test_modes_pick_their_base_url(mode: str) -> None:
    client = SessionClient(mode=mode, client_public_id="c", api_key="k", api_secret="s")
    assert client.base_url == contract.MODE_BASE_URLS[mode]


def test_base_url_overrides_mode() -> None:
    client = SessionClient(
        mode="prod",
        client_public_id="c",
        api_key="k",
        api_secret="s",
        base_url="http://127.0.0.1:9/backend/api/v1/",
    )
    assert client.base_url == "http://127.0.0.1:9/backend/api/v1"


def test_unknown_mode_names_the_choices() -> None:
    with pytest.raises(ConfigurationError, match=r"mode \(ACEINT_MODE\) must be one of dev, prod, sandbox"):
        SessionClient(mode="staging")


def test_bad_base_url_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        SessionClient(base_url="localhost:8765")


@pytest.mark.parametrize("mode", ["dev", "prod"])
def test_dev_and_prod_require_every_credential(mode: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        SessionClient(mode=mode, api_key="k")
    message = str(info.value)
    assert "client_public_id (ACEINT_CLIENT_PUBLIC_ID)" in message
    assert "api_secret (ACEINT_API_SECRET)" in message
    assert "api_key (" not in message  # it was given
    assert "Credentials tab" in message


def test_sandbox_defaults_missing_credentials() -> None:
    client = SessionClient()
    assert client.tokens.credentials.client_public_id == constants.SANDBOX_CLIENT_PUBLIC_ID
    assert client.tokens.credentials.api_secret == constants.SANDBOX_API_SECRET


def test_from_env_reads_every_variable() -> None:
    env = {
        constants.ENV_MODE: "prod",
        constants.ENV_CLIENT_PUBLIC_ID: "pub-1",
        constants.ENV_API_KEY: "key-1",
        constants.ENV_API_SECRET: "secret-1",
        constants.ENV_ACCESS_TTL: "1h",
        constants.ENV_BASE_URL: "https://example.invalid/backend/api/v1",
    }
    client = SessionClient.from_env(env)
    assert client.mode == "prod"
    assert client.base_url == "https://example.invalid/backend/api/v1"
    assert client.tokens.access_ttl == 3600
    creds = client.tokens.credentials
    assert (creds.client_public_id, creds.api_key, creds.api_secret) == ("pub-1", "key-1", "secret-1")


def test_from_env_empty_environment_is_the_sandbox() -> None:
    client = SessionClient.from_env({})
    assert client.mode == "sandbox"
    assert client.base_url == contract.MODE_BASE_URLS["sandbox"]
    assert client.tokens.access_ttl == parse_ttl(constants.DEFAULT_ACCESS_TTL)


def test_from_env_bad_ttl_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match=constants.ENV_ACCESS_TTL):
        SessionClient.from_env({constants.ENV_ACCESS_TTL: "soon"})


def test_from_env_prod_without_secret_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match=constants.ENV_API_SECRET):
        SessionClient.from_env(
            {constants.ENV_MODE: "prod", constants.ENV_CLIENT_PUBLIC_ID: "p", constants.ENV_API_KEY: "k"}
        )


def test_repr_shows_mode_and_base_url_only() -> None:
    client = SessionClient(
        mode="dev", client_public_id="public-id-x", api_key="key-value-x", api_secret="very-secret-value"
    )
    assert repr(client) == f"SessionClient(mode='dev', base_url='{contract.MODE_BASE_URLS['dev']}')"
    for text in (repr(client), str(client), repr(client.tokens), repr(client.tokens.credentials)):
        assert "very-secret-value" not in text
        assert "key-value-x" not in text


def test_store_key_is_hashed_and_ignores_the_secret() -> None:
    key = store_key("http://h/backend/api/v1", "public-id", "the-api-key")
    assert "public-id" not in key and "the-api-key" not in key
    assert key == store_key("http://h/backend/api/v1/", "public-id", "the-api-key")
    assert key != store_key("http://other/backend/api/v1", "public-id", "the-api-key")
    one = SessionClient(api_secret="one")
    two = SessionClient(api_secret="two")
    assert one.tokens.key == two.tokens.key


def test_timeouts_are_validated() -> None:
    assert normalise_timeout(3) == (3.0, 3.0)
    assert normalise_timeout((1, 2.5)) == (1.0, 2.5)
    for bad in (0, -1, (1,), (1, 0), "5", None, (True, 1)):
        with pytest.raises(ConfigurationError, match="timeout"):
            normalise_timeout(bad)


def test_default_timeouts_come_from_constants() -> None:
    client = SessionClient()
    assert client._transport.timeout == (constants.DEFAULT_CONNECT_TIMEOUT, constants.DEFAULT_READ_TIMEOUT)


def test_max_retries_is_validated() -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        SessionClient(max_retries=-1)
    assert SessionClient(max_retries=0)._transport.retry.max_retries == 0
    assert SessionClient()._transport.retry.max_retries == constants.DEFAULT_MAX_RETRIES


def test_token_store_must_follow_the_protocol() -> None:
    with pytest.raises(ConfigurationError, match="TokenStore protocol"):
        SessionClient(token_store={})  # type: ignore[arg-type]
    store = MemoryTokenStore()
    assert SessionClient(token_store=store).tokens.store is store


def test_backoff_doubles_with_jitter_and_caps() -> None:
    policy = RetryPolicy()
    rng = random.Random(7)
    for retry in range(1, 8):
        expected = min(constants.RETRY_BACKOFF_MAX, constants.RETRY_BACKOFF_INITIAL * 2 ** (retry - 1))
        waits = [policy.delay(retry, rng=rng) for _ in range(200)]
        assert min(waits) >= expected * (1 - constants.RETRY_JITTER)
        assert max(waits) <= expected * (1 + constants.RETRY_JITTER)
        assert len(set(waits)) > 100  # jittered, not one fixed value


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    policy = RetryPolicy()
    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, retry_after=10_000.0) == constants.RETRY_AFTER_CAP


def test_retry_after_header_forms() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("0.5") == 0.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 10) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# --- bounds and URL hygiene (adversarial review) -----------------------------------------------

PASSWORD = "S3CR3T-zebra-quokka"


@pytest.mark.parametrize(
    "url",
    [
        f"http://u:{PASSWORD}@127.0.0.1:9/backend/api/v1",
        f"https://{PASSWORD}@example.invalid/backend/api/v1",
        f"u:{PASSWORD}@127.0.0.1:9/backend/api/v1",
    ],
)
def test_base_url_with_a_password_is_refused_without_echoing_it(url: str) -> None:
    for build in (
        lambda: SessionClient(base_url=url),
        lambda: SessionClient.from_env({constants.ENV_BASE_URL: url}),
    ):
        with pytest.raises(ConfigurationError) as info:
            build()
        message = str(info.value)
        assert "base_url" in message and constants.ENV_BASE_URL in message
        assert PASSWORD not in message and PASSWORD not in repr(info.value)
        assert "user:password@" in message  # the fix: what to remove


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "http://",
        "https:///backend/api/v1",
        "http://127.0.0.1:99999/backend/api/v1",
        "http://127.0.0.1:0/backend/api/v1",
        "http://127.0.0.1:port/backend/api/v1",
        "http://127.0.0.1:9/backend/api/v1?debug=1",
        "http://127.0.0.1:9/backend/api/v1#top",
        "ftp://127.0.0.1:9/backend/api/v1",
    ],
)
def test_malformed_base_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        SessionClient(base_url=url)
    assert "base_url" in str(info.value) and constants.ENV_BASE_URL in str(info.value)
    assert contract.MODE_BASE_URLS["sandbox"] in str(info.value)  # an example of a good one


def test_base_url_is_trimmed_and_kept_otherwise() -> None:
    client = SessionClient(base_url="  HTTP://127.0.0.1:9/backend/api/v1/  ")
    assert client.base_url == "http://127.0.0.1:9/backend/api/v1"


@pytest.mark.parametrize(
    "bad", [float("inf"), float("nan"), -0.0, constants.MAX_TIMEOUT + 1, (1, float("inf")), (float("nan"), 5)]
)
def test_timeouts_are_bounded(bad: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        SessionClient(timeout=bad)  # type: ignore[arg-type]
    assert "timeout" in str(info.value) and f"{constants.MAX_TIMEOUT:g}" in str(info.value)
    assert normalise_timeout(constants.MAX_TIMEOUT) == (constants.MAX_TIMEOUT, constants.MAX_TIMEOUT)


@pytest.mark.parametrize("bad", [10**9, constants.MAX_RETRIES_LIMIT + 1, -1, 2.0])
def test_max_retries_is_bounded(bad: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        SessionClient(max_retries=bad)  # type: ignore[arg-type]
    assert f"from 0 to {constants.MAX_RETRIES_LIMIT}" in str(info.value)
    limit = constants.MAX_RETRIES_LIMIT
    assert SessionClient(max_retries=limit)._transport.retry.max_retries == limit


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), -1.0, 10**9])
def test_retry_waits_are_bounded(bad: float) -> None:
    for name in ("backoff_initial", "backoff_max", "retry_after_cap"):
        with pytest.raises(ConfigurationError, match=name):
            RetryPolicy(**{name: bad})


TOO_LONG_TTLS = [
    10**30,
    10**5000,
    constants.MAX_ACCESS_TTL + 1,
    "8d",
    "169h",
    "9" * 400,
    "9" * 5000,
    float("nan"),
    float("inf"),
]


@pytest.mark.parametrize("bad", TOO_LONG_TTLS, ids=[f"ttl{i}" for i in range(len(TOO_LONG_TTLS))])
def test_ttl_is_bounded_to_what_aceint_grants(bad: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_ttl(bad)
    message = str(info.value)
    assert "access_ttl" in message and constants.ENV_ACCESS_TTL in message and "'15m'" in message
    assert len(message) < 400  # a 5000-digit value is not echoed back
    assert parse_ttl(constants.MAX_ACCESS_TTL) == parse_ttl("7d") == constants.MAX_ACCESS_TTL


def test_ttl_bound_matches_the_sandbox_cap() -> None:
    from aceint_sandbox.options import MAX_ACCESS_TTL_S

    assert constants.MAX_ACCESS_TTL == MAX_ACCESS_TTL_S
