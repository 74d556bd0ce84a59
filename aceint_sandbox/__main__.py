"""`python -m aceint_sandbox`: run the local Aceint sandbox (see --help)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

import uvicorn

from aceint_core import constants, contract

from .app import create_app
from .faults import ROUTES, FaultConfig
from .options import CLI_DEFAULT_DB, DEFAULT_MEDIA_LINK_TTL_S, MAX_ACCESS_TTL_S, SandboxOptions
from .server import HTTP_PARSER, install_access_log_filter

log = logging.getLogger("aceint_sandbox")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m aceint_sandbox",
        description="Local stand-in for the Aceint API: tokens, sessions, a candidate page, records.",
    )
    p.add_argument("--host", default=constants.SANDBOX_HOST)
    p.add_argument("--port", type=int, default=constants.SANDBOX_PORT)
    p.add_argument(
        "--db", default=CLI_DEFAULT_DB, help=f"SQLAlchemy URL of the store (default {CLI_DEFAULT_DB})"
    )
    p.add_argument("--no-demo", action="store_true", help="do not add the demo interviews to an empty store")
    p.add_argument("--access-ttl-max", type=int, default=MAX_ACCESS_TTL_S, help="longest access TTL, seconds")
    p.add_argument("--media-link-ttl", type=int, default=DEFAULT_MEDIA_LINK_TTL_S, help="media link life, s")
    f = p.add_argument_group("faults (also changeable at runtime: PUT/PATCH/DELETE /sandbox/faults)")
    f.add_argument("--latency-ms", type=float, default=0, help="added to every API request")
    f.add_argument(
        "--error-rate", type=float, default=0, help="share of requests answered with --error-status"
    )
    f.add_argument("--error-status", type=int, default=503)
    f.add_argument("--fault-routes", default="", help="comma-separated, e.g. 'POST /sessions'; default all")
    f.add_argument("--rate-limit-rate", type=float, default=0, help="share answered 429 with Retry-After")
    f.add_argument("--retry-after", type=float, default=1, help="Retry-After seconds on a 429")
    f.add_argument("--drop-rate", type=float, default=0, help="share whose connection is dropped")
    f.add_argument("--slow-rate", type=float, default=0, help="share delayed by --slow-seconds")
    f.add_argument("--slow-seconds", type=float, default=5)
    f.add_argument("--malformed-rate", type=float, default=0, help="share answered with broken JSON")
    f.add_argument("--token-ttl-cap", type=float, default=None, help="tokens really expire after this many s")
    f.add_argument("--fault-phase", choices=("before", "after"), default="before",
                   help="'after': the request is processed, then its response is spoiled")  # fmt: skip
    f.add_argument("--fault-seed", type=int, default=None, help="seed for repeatable fault draws")
    return p


def faults_from_args(args: argparse.Namespace) -> dict[str, Any]:
    routes = [r.strip() for r in args.fault_routes.split(",") if r.strip()]
    config = {
        "latency_ms": args.latency_ms, "error_rate": args.error_rate, "error_status": args.error_status,
        "routes": routes, "rate_limit_rate": args.rate_limit_rate, "retry_after": args.retry_after,
        "drop_rate": args.drop_rate, "slow_rate": args.slow_rate, "slow_seconds": args.slow_seconds,
        "malformed_rate": args.malformed_rate, "token_ttl_cap_s": args.token_ttl_cap,
        "phase": args.fault_phase, "seed": args.fault_seed,
    }  # fmt: skip
    FaultConfig.model_validate(config)  # fail at start with the field's message
    return config


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        faults = faults_from_args(args)
    except ValueError as exc:
        print(f"invalid fault flags: {exc}\nvalid routes: {', '.join(ROUTES)}", file=sys.stderr)
        return 2
    options = SandboxOptions(
        db_url=args.db, seed_demo=not args.no_demo, host=args.host, port=args.port,
        access_ttl_max_s=args.access_ttl_max, media_link_ttl_s=args.media_link_ttl, faults=faults,
    )  # fmt: skip
    app, sandbox = create_app(options)
    creds = options.resolved_credentials()
    defaults = (constants.SANDBOX_CLIENT_PUBLIC_ID, constants.SANDBOX_API_KEY, constants.SANDBOX_API_SECRET)
    source = (
        "the sandbox defaults"
        if (creds.client_public_id, creds.api_key, creds.api_secret) == defaults
        else ("the ACEINT_* variables")
    )
    store = sandbox.store.engine.url.render_as_string(hide_password=True)
    log.info("Aceint sandbox on http://%s:%s%s (store %s)", args.host, args.port, contract.API_PREFIX, store)
    log.info("accepting client %r with the api key and secret from %s", creds.client_public_id, source)
    install_access_log_filter()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        http=HTTP_PARSER,
        proxy_headers=False,
        ws="none",
        lifespan="off",
    )
    sandbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
