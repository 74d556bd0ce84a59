"""Token-endpoint calls when 4 processes share one token store (issue 3, section 5).

Each of 4 separate processes ("spawn") builds its own SessionClient on the shared store and makes
250 protected calls (GET /sessions/{id}) against one sandbox: 1,000 calls per store. The goal is
1 token-endpoint call per store (one issue, no refresh, no re-issue after a 401), counted by the
sandbox's GET /sandbox/stats. Stores: the file store, the SQL store on a SQLite file and, when
ACEINT_TEST_POSTGRES_URL is set (see scripts/ensure-postgres.sh), the SQL store on PostgreSQL.

    .venv/bin/python benchmarks/token_calls_processes.py
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aceint_core import SessionClient, contract  # noqa: E402
from aceint_core.stores import FileTokenStore, SQLTokenStore  # noqa: E402
from aceint_core.token_store import TokenStore  # noqa: E402
from aceint_sandbox.server import running_sandbox  # noqa: E402

PROCESSES = 4
CALLS_PER_PROCESS = 250
POSTGRES_ENV = "ACEINT_TEST_POSTGRES_URL"
SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed_session.json"


def open_store(spec: dict[str, str]) -> TokenStore:
    if spec["kind"] == "file":
        return FileTokenStore(spec["path"])
    return SQLTokenStore(spec["url"], table_prefix=spec.get("prefix", "aceint_"))


def worker(spec: dict[str, str], base_url: str, session_id: str, start: Any, results: Any) -> None:
    with SessionClient(mode="sandbox", base_url=base_url, token_store=open_store(spec)) as client:
        start.wait(120)
        began = time.perf_counter()
        for _ in range(CALLS_PER_PROCESS):
            client.get_session(session_id)
        results.put(time.perf_counter() - began)


def control(base_url: str, method: str, path: str) -> dict[str, Any]:
    root = base_url[: -len(contract.API_PREFIX)]
    response = requests.request(method, root + path, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else {}


def run_store(name: str, spec: dict[str, str], base_url: str, session_id: str) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    children = [
        ctx.Process(target=worker, args=(spec, base_url, session_id, start, results))
        for _ in range(PROCESSES)
    ]
    for child in children:
        child.start()
    start.wait(120)  # every process is up, with its client built, before anyone calls
    control(base_url, "POST", "/sandbox/stats/reset")
    began = time.perf_counter()
    busy = [results.get(timeout=600) for _ in children]
    wall = time.perf_counter() - began
    for child in children:
        child.join(60)
    if any(child.exitcode != 0 for child in children):
        raise SystemExit(f"{name}: a worker process failed")
    stats = control(base_url, "GET", "/sandbox/stats")
    calls = stats["requests"].get(" ".join(contract.SESSION_GET), 0)
    token_calls = stats["tokensIssued"] + stats["tokensRefreshed"]
    return {
        "store": name,
        "calls": calls,
        "token_calls": token_calls,
        "issued": stats["tokensIssued"],
        "refreshed": stats["tokensRefreshed"],
        "wall_s": wall,
        "ms_per_call": 1000 * sum(busy) / (PROCESSES * CALLS_PER_PROCESS),
    }


def main() -> None:
    import json

    rows = []
    with tempfile.TemporaryDirectory(prefix="aceint-bench-") as tmp, running_sandbox() as base_url:
        with SessionClient(mode="sandbox", base_url=base_url) as setup:
            session_id = setup.create_session(json.loads(SEED.read_text())).session_id
        specs: list[tuple[str, dict[str, str]]] = [
            ("file", {"kind": "file", "path": os.path.join(tmp, "tokens.json")}),
            ("sql (SQLite file)", {"kind": "sql", "url": f"sqlite:///{os.path.join(tmp, 'tokens.db')}"}),
        ]
        postgres = os.environ.get(POSTGRES_ENV)
        if postgres:
            specs.append(
                ("sql (PostgreSQL)", {"kind": "sql", "url": postgres, "prefix": f"b{uuid.uuid4().hex[:8]}_"})
            )
        for name, spec in specs:
            try:
                rows.append(run_store(name, spec, base_url, session_id))
            finally:
                if "prefix" in spec:
                    store = SQLTokenStore(spec["url"], table_prefix=spec["prefix"])
                    store.drop_tables()
                    store.dispose()

    print(
        f"{PROCESSES} processes x {CALLS_PER_PROCESS} protected calls per store, one shared token store each"
    )
    header = ("store", "calls", "token-endpoint calls", "goal", "ratio", "wall s", "ms/call")
    print("{:<20} {:>6} {:>21} {:>5} {:>6} {:>7} {:>8}".format(*header))
    for row in rows:
        print(
            f"{row['store']:<20} {row['calls']:>6} {row['token_calls']:>21} {1:>5}"
            f" {row['token_calls'] / 1:>6.1f} {row['wall_s']:>7.2f} {row['ms_per_call']:>8.2f}"
        )
    if not postgres:
        print(
            f"(PostgreSQL skipped: set {POSTGRES_ENV}, e.g."
            f" {POSTGRES_ENV}=$(bash scripts/ensure-postgres.sh))"
        )
    if any(row["token_calls"] != 1 for row in rows):
        raise SystemExit("goal missed: some store needed more than one token-endpoint call")


if __name__ == "__main__":
    main()
