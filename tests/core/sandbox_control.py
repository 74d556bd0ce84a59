"""The test's side channel to the sandbox: its /sandbox/ controls (faults, stats, token tricks).

Plain HTTP on loopback; the SDK under test never goes through here.
"""

from __future__ import annotations

from typing import Any

import requests

from aceint_core import contract


class SandboxControl:
    """Drive `/sandbox/...` on the sandbox whose API base URL is `base_url`."""

    def __init__(self, base_url: str) -> None:
        assert base_url.endswith(contract.API_PREFIX), base_url
        self.api = base_url
        self.root = base_url[: -len(contract.API_PREFIX)]
        self.http = requests.Session()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, self.root + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/sandbox/stats")

    def requests_to(self, route: str) -> int:
        """How many requests reached `route` (e.g. "GET /sessions/{session_id}")."""
        return int(self.stats()["requests"].get(route, 0))

    def reset_stats(self) -> None:
        self._call("POST", "/sandbox/stats/reset")

    def set_faults(self, **faults: Any) -> Any:
        return self._call("PUT", "/sandbox/faults", faults)

    def patch_faults(self, **changes: Any) -> Any:
        """Change only the given settings (`fail_next` entries are appended to the queue)."""
        return self._call("PATCH", "/sandbox/faults", changes)

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "/sandbox/faults")

    def fail_next(self, route: str, kind: str = "status", count: int = 1, **extra: Any) -> Any:
        return self.set_faults(fail_next=[{"route": route, "kind": kind, "count": count, **extra}])

    def clear_faults(self) -> None:
        self._call("DELETE", "/sandbox/faults")

    def expire_all(self) -> None:
        self._call("POST", "/sandbox/tokens/expire-all")

    def revoke_all(self) -> None:
        self._call("POST", "/sandbox/tokens/revoke-all")

    def sessions(self) -> list[dict[str, Any]]:
        body = self._call("GET", "/sandbox/sessions")
        if isinstance(body, dict):
            body = body.get(contract.ENVELOPE_KEY, body.get("sessions", body))
        return list(body)

    def complete(self, session_id: str) -> Any:
        return self._call("POST", f"/sandbox/sessions/{session_id}/complete")

    def raw_get_session(self, access_token: str, session_id: str) -> int:
        """Status of a GET /sessions/{id} sent straight with `access_token` (no SDK)."""
        path = contract.SESSION_GET[1].format(session_id=session_id)
        response = self.http.get(
            self.api + path,
            headers={contract.AUTHORIZATION_HEADER: contract.BEARER_PREFIX + access_token},
            timeout=10,
        )
        return response.status_code

    def close(self) -> None:
        self.http.close()
