"""Run a sandbox in-process: `SandboxServer` (the dashboard embeds one) and
`running_sandbox` (tests): uvicorn in a daemon thread on a loopback port that is
bound before the thread starts, so the URL is known and usable at once."""

from __future__ import annotations

import importlib.util
import logging
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

import uvicorn

from aceint_core import contract

from .app import create_app
from .options import Credentials, SandboxOptions
from .runtime import Sandbox

_START_TIMEOUT_S = 10.0

HTTP_PARSER: str = "httptools" if importlib.util.find_spec("httptools") else "h11"
"""uvicorn's HTTP implementation. httptools (C, pinned in requirements.txt) spent 10-15% less
sandbox CPU per create than h11 in benchmarks/concurrent_creates.py's set-up; h11 (pure Python,
uvicorn's own dependency) is the fallback where only the `sandbox` extra was installed."""


class _PathOnlyAccessLog(logging.Filter):
    """Drops query strings from uvicorn's access lines (media links carry a signature there)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_access_log_filter() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _PathOnlyAccessLog) for f in logger.filters):
        logger.addFilter(_PathOnlyAccessLog())


def _credentials(value: Any) -> Credentials | None:
    if value is None or isinstance(value, Credentials):
        return value
    if isinstance(value, Mapping):
        return Credentials(**value)
    client_public_id, api_key, api_secret = value
    return Credentials(client_public_id, api_key, api_secret)


def build_options(**options: Any) -> SandboxOptions:
    """SandboxOptions from keyword options; an unknown name is an error naming the valid ones."""
    known = {f.name for f in fields(SandboxOptions)}
    unknown = set(options) - known
    if unknown:
        raise TypeError(f"unknown sandbox option(s) {sorted(unknown)}; valid: {sorted(known)}")
    if "credentials" in options:
        options["credentials"] = _credentials(options["credentials"])
    return SandboxOptions(**options)


class SandboxServer:
    """A sandbox served by uvicorn in a background daemon thread.

    Options are the fields of `SandboxOptions` (db_url, credentials, seed_demo, host, port,
    access_ttl_max_s, refresh_ttl_s, media_link_ttl_s, faults).
    """

    def __init__(self, options: SandboxOptions | None = None, **kwargs: Any) -> None:
        self.options = options or build_options(**kwargs)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.sandbox: Sandbox | None = None
        self.origin: str | None = None

    @property
    def base_url(self) -> str:
        """The API base URL, e.g. http://127.0.0.1:54321/backend/api/v1 (after start())."""
        if self.origin is None:
            raise RuntimeError("the sandbox is not started; call start() first")
        return self.origin + contract.API_PREFIX

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        app, self.sandbox = create_app(self.options)
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on sockets that say they are
        # TCP, and without it every keep-alive response waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.options.host, self.options.port))
        sock.set_inheritable(True)
        host, port = sock.getsockname()[:2]
        install_access_log_filter()
        # access_log stays True: uvicorn's False switches the process-wide "uvicorn.access"
        # logger off (propagate=False) for every server and the host app. With log_config=None
        # access lines just propagate to whatever logging the host set up, paths only.
        config = uvicorn.Config(
            app,
            log_config=None,
            log_level=None,
            access_log=True,
            lifespan="off",
            http=HTTP_PARSER,
            proxy_headers=False,
            timeout_graceful_shutdown=1,
            ws="none",
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"aceint-sandbox-{port}", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if not server.started:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the sandbox did not start on {host}:{port}")
        self._server, self._thread, self._socket = server, thread, sock
        self.origin = f"http://{host}:{port}"
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        if self.sandbox is not None:
            self.sandbox.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@contextmanager
def running_sandbox(**options: Any) -> Iterator[str]:
    """A sandbox on a free loopback port for the block; yields its API base URL.

    In-memory state and no demo sessions unless `db_url=` / `seed_demo=True` are given.
    """
    server = SandboxServer(**options)
    try:
        yield server.start()
    finally:
        server.stop()
