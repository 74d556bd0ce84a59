"""Shared bits of the SDK benchmarks: the seed payload with fresh ids, and stats from the sandbox."""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as `.venv/bin/python benchmarks/NAME.py` from the repo root
    sys.path.insert(0, str(ROOT))

from aceint_core import contract  # noqa: E402

SEED = json.loads((ROOT / "tests" / "fixtures" / "seed_session.json").read_text())


def fresh_payload() -> dict[str, Any]:
    """The seed README's example under a new sessionId."""
    return dict(SEED, sessionId=str(uuid.uuid4()))


def sandbox_root(base_url: str) -> str:
    return base_url[: -len(contract.API_PREFIX)]


def stats(base_url: str) -> dict[str, Any]:
    return requests.get(sandbox_root(base_url) + "/sandbox/stats", timeout=10).json()


def reset_stats(base_url: str) -> None:
    requests.post(sandbox_root(base_url) + "/sandbox/stats/reset", timeout=10).raise_for_status()


def set_faults(base_url: str, **faults: Any) -> None:
    requests.put(sandbox_root(base_url) + "/sandbox/faults", json=faults, timeout=10).raise_for_status()


_CHILDREN: dict[str, Any] = {}
"""base URL -> the pipe to the child process serving it (sandbox(in_process=False))."""


def _serve_in_child(options: dict[str, Any], conn: Any) -> None:
    from aceint_sandbox.server import running_sandbox

    with running_sandbox(**options) as base_url:
        conn.send(base_url)
        while conn.recv() != "stop":  # any other message asks for this process's CPU seconds
            conn.send(time.process_time())


def sandbox_cpu_seconds(base_url: str) -> float | None:
    """CPU seconds the sandbox's child process has used so far (all its threads); None when the
    sandbox runs in this process, where its CPU cannot be told apart from the client's."""
    conn = _CHILDREN.get(base_url)
    if conn is None:
        return None
    conn.send("cpu")
    return float(conn.recv())


@contextlib.contextmanager
def sandbox(*, in_process: bool = True, **options: Any) -> Iterator[str]:
    """A sandbox via running_sandbox: in this process (default), or in a child process so the
    client being measured does not share a GIL with the server standing in for Aceint."""
    if in_process:
        from aceint_sandbox.server import running_sandbox

        with running_sandbox(**options) as base_url:
            yield base_url
        return
    context = multiprocessing.get_context("fork")  # no threads exist yet in this process
    parent, child = context.Pipe()
    process = context.Process(target=_serve_in_child, args=(options, child), daemon=True)
    process.start()
    try:
        if not parent.poll(20):
            raise RuntimeError("the sandbox child process did not start within 20 s")
        base_url = parent.recv()
        _CHILDREN[base_url] = parent
        yield base_url
    finally:
        _CHILDREN.pop(locals().get("base_url", ""), None)
        parent.send("stop")
        process.join(5)
        if process.is_alive():
            process.terminate()


def add_sandbox_flag(parser: argparse.ArgumentParser, *, child_by_default: bool = False) -> None:
    """`--sandbox-process` (sandbox in a child process), or with `child_by_default` the reverse,
    `--sandbox-in-process`; either way the parsed value is `args.sandbox_process`."""
    if child_by_default:
        parser.add_argument(
            "--sandbox-in-process",
            dest="sandbox_process",
            action="store_false",
            help="run the sandbox in this process (it then shares the GIL with the client being measured)",
        )
        return
    parser.add_argument(
        "--sandbox-process",
        action="store_true",
        help="run the sandbox in a child process instead of in this one (no shared GIL)",
    )
