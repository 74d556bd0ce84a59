"""One sandbox's live parts, wired together once and hung on `app.state.sandbox`."""

from __future__ import annotations

from dataclasses import dataclass

from .faults import FaultInjector
from .media_links import MediaLinks
from .options import SandboxOptions
from .sessions import SessionService
from .stats import Stats
from .store import Store
from .tokens import TokenService


@dataclass
class Sandbox:
    options: SandboxOptions
    store: Store
    stats: Stats
    faults: FaultInjector
    tokens: TokenService
    sessions: SessionService
    links: MediaLinks

    @classmethod
    def build(cls, options: SandboxOptions) -> Sandbox:
        store = Store(options.db_url)
        stats = Stats()
        faults = FaultInjector(stats, options.faults)
        tokens = TokenService(
            store,
            stats,
            options.resolved_credentials(),
            access_ttl_max_s=options.access_ttl_max_s,
            refresh_ttl_s=options.refresh_ttl_s,
            ttl_cap=lambda: faults.config.token_ttl_cap_s,
        )
        links = MediaLinks(store, options.media_link_ttl_s)
        sessions = SessionService(store, stats, links)
        return cls(options, store, stats, faults, tokens, sessions, links)

    def close(self) -> None:
        self.store.close()
