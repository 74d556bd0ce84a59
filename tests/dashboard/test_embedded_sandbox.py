"""The embedded sandbox: found when one already answers, a free port when the port is taken."""

from __future__ import annotations

import socket

from dashboard import embedded_sandbox
from dashboard.repository import SessionRepository
from dashboard.settings import load_settings


def test_port_taken_by_something_else_falls_back_to_a_free_port_and_imports_demo(tmp_path):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    taken = blocker.getsockname()[1]
    settings = load_settings(
        {}, {"ACEINT_SANDBOX_PORT": str(taken), "ACEINT_SANDBOX_DB": str(tmp_path / "s.db")}
    )
    found = embedded_sandbox.start_or_find(settings)
    try:
        assert found.started_here and f":{taken}/" not in found.base_url
        assert embedded_sandbox.answers_as_sandbox(found.base_url)
        # A second dashboard process on the same port setting uses the running sandbox.
        port = int(found.base_url.split(":")[2].split("/")[0])
        again = embedded_sandbox.start_or_find(
            load_settings({}, {"ACEINT_SANDBOX_PORT": str(port), "ACEINT_SANDBOX_DB": str(tmp_path / "o.db")})
        )
        assert not again.started_here and again.base_url == found.base_url

        repo = SessionRepository.open(f"sqlite:///{tmp_path / 'd.db'}")
        added = embedded_sandbox.import_demo_sessions(found.base_url, repo)
        assert added >= 1 and repo.count() == added
        assert {r.created_by for r in repo.sessions()} == {embedded_sandbox.DEMO_IMPORTED_BY}
        assert embedded_sandbox.import_demo_sessions(found.base_url, repo) == 0  # only into an empty list
        repo.close()
    finally:
        found.server.stop()
        blocker.close()
