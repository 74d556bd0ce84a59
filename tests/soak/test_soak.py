"""Soak: a few thousand create / get / get-record calls from many threads at a 20% fault rate.

One shared `SessionClient` (as the dashboard shares one across browser sessions) and the
dashboard's real `SessionRepository` on a temporary SQLite file, against a real sandbox on
loopback. The sandbox draws 20% faults (5xx, 429 with Retry-After, dropped connections, garbled
JSON, answers slower than the client's read timeout), and a side thread keeps queueing faults
that strike after a create was processed (the session exists, the answer is lost) plus other 5xx
statuses on the reads. Afterwards, with the faults cleared, Refresh statuses reconciles, and:

- no session is lost: an attempted session id is in the sandbox iff it is in the local database,
  with the same status;
- none is duplicated: the sandbox created exactly one session per distinct id;
- every failure that escaped the retries is an `aceint_core.errors.AceintError`;
- the faults really fired.

Bounded in count (SCHEDULES + GETS + RECORDS calls) and in time (WORK_BUDGET_S for the load,
a join deadline after it, and a pytest timeout as the last resort): it fails, never hangs.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from aceint_core import SessionClient, errors
from aceint_core.models import SessionInput
from aceint_core.transport import RetryPolicy
from dashboard import records, scheduling
from dashboard.repository import SessionRepository
from tests.core.sandbox_control import SandboxControl

pytestmark = pytest.mark.soak

THREADS = 16
SCHEDULES = 600
GETS_PER_SCHEDULE = 2  # 1,200 get_session
RECORDS_PER_SCHEDULE = 2  # 1,200 get_session_record
RESUBMIT_EVERY = 10  # every 10th schedule() of a thread sends one of its earlier sessions again
COMPLETE_EVERY = 5  # every 5th schedule() of a thread completes one of its sessions

WORK_BUDGET_S = 75.0  # the load phase must finish within this
JOIN_GRACE_S = 15.0  # then every worker must have returned within this
READ_TIMEOUT_S = 0.8
RETRIES = 2
POLICY = RetryPolicy(max_retries=RETRIES, backoff_initial=0.02, backoff_max=0.1, retry_after_cap=0.25)

CREATE = "POST /sessions"
GET = "GET /sessions/{session_id}"
RECORD = "GET /sessions/{session_id}/record"
FAULT_SEED = 20240611
RATE_FAULTS: dict[str, Any] = {
    "error_rate": 0.07,
    "error_status": 503,
    "rate_limit_rate": 0.04,
    "retry_after": 0.05,
    "drop_rate": 0.04,
    "slow_rate": 0.02,
    "slow_seconds": 1.2,  # beyond READ_TIMEOUT_S
    "malformed_rate": 0.03,
    "phase": "before",
}
assert abs(sum(v for k, v in RATE_FAULTS.items() if k.endswith("_rate")) - 0.20) < 1e-9
FEED_EVERY_S = 0.2
FEED = [  # one tick's worth of queued faults, cycled
    {"route": CREATE, "kind": "drop", "phase": "after"},
    {"route": CREATE, "kind": "status", "status": 500, "phase": "after"},
    {"route": CREATE, "kind": "malformed", "phase": "after"},
    {"route": CREATE, "kind": "slow", "phase": "after"},
    {"route": CREATE, "kind": "rate_limit", "phase": "after"},
    {"route": GET, "kind": "status", "status": 502, "phase": "before"},
    {"route": RECORD, "kind": "status", "status": 504, "phase": "before"},
]
PER_TICK = 2


@dataclass
class Tally:
    """One worker's calls and what escaped them."""

    attempted: set[str] = field(default_factory=set)
    schedules: int = 0
    gets: int = 0
    record_calls: int = 0
    records_found: int = 0
    completed: set[str] = field(default_factory=set)
    escaped: list[tuple[str, BaseException]] = field(default_factory=list)


@pytest.fixture
def control(sandbox_url: str) -> Iterator[SandboxControl]:
    ctl = SandboxControl(sandbox_url)
    yield ctl
    ctl.close()


def _complete(root: str, session_id: str) -> None:
    """Finish an interview through the sandbox's hook, on a new connection each time: a kept-alive
    one can be closed by the server's idle timeout just as a request goes out (a reset that says
    nothing about the code under test)."""
    response = requests.post(
        f"{root}/sandbox/sessions/{session_id}/complete", headers={"Connection": "close"}, timeout=10
    )
    response.raise_for_status()


def _payload(template: dict[str, Any], n: int) -> SessionInput:
    return SessionInput.model_validate(
        dict(template, sessionId=str(uuid.uuid4()), fullName=f"Soak Candidate {n}")
    )


@pytest.mark.timeout(WORK_BUDGET_S + JOIN_GRACE_S + 60)
def test_soak_no_session_lost_or_duplicated_under_faults(sandbox_url, control, seed_payload, tmp_path):
    started = time.monotonic()
    repo = SessionRepository.open(f"sqlite:///{tmp_path / 'dashboard.db'}")
    client = SessionClient(base_url=sandbox_url, timeout=(2.0, READ_TIMEOUT_S), retry_policy=POLICY)
    try:
        _run(sandbox_url, control, seed_payload, repo, client, started)
    finally:
        client.close()
        repo.close()


def _run(sandbox_url, control, seed_payload, repo, client, started) -> None:
    # A few creates certainly left unconfirmed (every attempt faulted), processed and not:
    # the concurrent phase makes more by chance, these make sure reconciliation has work.
    forced: dict[str, str] = {}
    forced_tally = Tally()
    for n, phase in enumerate(("after", "after", "before", "before")):
        control.fail_next(
            CREATE, kind="drop" if phase == "after" else "status", count=RETRIES + 1, phase=phase
        )
        session = _payload(seed_payload, -n - 1)
        forced_tally.attempted.add(session.session_id)
        forced_tally.schedules += 1
        try:
            scheduling.schedule(client, repo, session, scheduled_by="soak")
        except BaseException as exc:  # noqa: BLE001 - collected and checked below
            forced_tally.escaped.append(("schedule", exc))
        forced[session.session_id] = phase
    assert len(forced_tally.escaped) == len(forced), forced_tally.escaped
    assert all(repo.get(sid).status == scheduling.UNCONFIRMED for sid in forced)

    control.clear_faults()
    control.set_faults(seed=FAULT_SEED, **RATE_FAULTS)

    tasks = iter(range(len(forced), SCHEDULES))
    task_lock = threading.Lock()
    known: list[str] = []  # ids some create call answered for, for the reads to pick from
    known_lock = threading.Lock()
    deadline = time.monotonic() + WORK_BUDGET_S
    tallies = [Tally() for _ in range(THREADS)]

    def next_task() -> int | None:
        with task_lock:
            return next(tasks, None)

    def worker(index: int) -> None:
        tally = tallies[index]
        rng = random.Random(FAULT_SEED + index)
        mine: list[SessionInput] = []
        confirmed: list[str] = []
        try:
            while time.monotonic() < deadline and (n := next_task()) is not None:
                if mine and tally.schedules % RESUBMIT_EVERY == RESUBMIT_EVERY - 1:
                    session = rng.choice(mine)  # the recruiter presses Schedule again
                else:
                    session = _payload(seed_payload, n)
                    mine.append(session)
                first_try = session.session_id not in tally.attempted
                tally.attempted.add(session.session_id)
                tally.schedules += 1
                try:
                    row = scheduling.schedule(client, repo, session, scheduled_by=f"soak-{index}")
                except scheduling.NotSent as exc:  # sign-in failed: no create left this process
                    tally.escaped.append(("schedule", exc))
                    if first_try:
                        tally.attempted.discard(session.session_id)
                except BaseException as exc:  # noqa: BLE001
                    tally.escaped.append(("schedule", exc))
                else:
                    confirmed.append(row.session_id)
                    with known_lock:
                        known.append(row.session_id)
                if tally.schedules % COMPLETE_EVERY == 0:
                    todo = [sid for sid in confirmed if sid not in tally.completed]
                    if todo:
                        sid = rng.choice(todo)
                        _complete(control.root, sid)  # /sandbox/ routes are never faulted
                        tally.completed.add(sid)
                with known_lock:
                    pool = list(known[-200:]) or [session.session_id]
                for _ in range(GETS_PER_SCHEDULE):
                    tally.gets += 1
                    try:
                        client.get_session(rng.choice(pool))
                    except BaseException as exc:  # noqa: BLE001
                        tally.escaped.append(("get_session", exc))
                for _ in range(RECORDS_PER_SCHEDULE):
                    tally.record_calls += 1
                    sid = (
                        rng.choice(sorted(tally.completed))
                        if tally.completed and rng.random() < 0.5
                        else (rng.choice(pool))
                    )
                    try:
                        client.get_session_record(sid)
                    except errors.NotFoundError as exc:
                        if sid in tally.completed:  # a completed interview must have its record
                            tally.escaped.append(("get_session_record", exc))
                    except BaseException as exc:  # noqa: BLE001
                        tally.escaped.append(("get_session_record", exc))
                    else:
                        tally.records_found += 1
        except BaseException as exc:  # noqa: BLE001 - e.g. the side channel failed: report it
            tally.escaped.append(("worker", exc))

    stop_feeding = threading.Event()
    fed: list[dict[str, Any]] = []

    def feeder() -> None:
        tick = 0
        while not stop_feeding.wait(FEED_EVERY_S):
            entries = [FEED[(tick * PER_TICK + k) % len(FEED)] for k in range(PER_TICK)]
            tick += 1
            # A new seed per change: the sandbox re-seeds its draws on every change of settings.
            control.patch_faults(seed=FAULT_SEED + tick, fail_next=entries)
            fed.extend(entries)

    threads = [
        threading.Thread(target=worker, args=(i,), daemon=True, name=f"soak-{i}") for i in range(THREADS)
    ]
    feeding = threading.Thread(target=feeder, daemon=True, name="soak-feeder")
    load_started = time.monotonic()
    feeding.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline + JOIN_GRACE_S - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    stop_feeding.set()
    feeding.join(timeout=5)
    load_seconds = time.monotonic() - load_started
    if stuck:
        pytest.fail(
            f"soak workers still running {WORK_BUDGET_S + JOIN_GRACE_S:.0f} s after the start: {stuck}"
        )

    left = control.faults()["fail_next"]
    control.clear_faults()
    # A create held back by a "slow" fault (phase before) is processed after the wait; let those land.
    time.sleep(RATE_FAULTS["slow_seconds"] + 0.5)
    load_stats = control.stats()

    tallies.append(forced_tally)
    schedules = sum(t.schedules for t in tallies)
    gets = sum(t.gets for t in tallies)
    record_calls = sum(t.record_calls for t in tallies)
    escaped = [(call, exc) for t in tallies for call, exc in t.escaped]
    untyped = [f"{call}: {exc!r}" for call, exc in escaped if not isinstance(exc, errors.AceintError)]
    assert not untyped, f"failures that are not typed Aceint errors escaped: {untyped[:10]}"
    assert schedules == SCHEDULES, (
        f"only {schedules} of {SCHEDULES} schedule() calls ran within {WORK_BUDGET_S:.0f} s (too slow)"
    )
    assert (gets, record_calls) == (
        (SCHEDULES - len(forced)) * GETS_PER_SCHEDULE,
        (SCHEDULES - len(forced)) * RECORDS_PER_SCHEDULE,
    )

    by_type = Counter(f"{call}:{type(exc).__name__}" for call, exc in escaped)
    refused = [
        (call, exc)
        for call, exc in escaped
        if call == "schedule" and isinstance(exc, scheduling.DEFINITIVE_REFUSALS)
    ]
    assert not refused, f"no fault refuses a create definitively, yet: {refused[:5]}"

    # --- reconcile, as the Records page's "Refresh statuses" does ---------------------------------
    pending = [r for r in repo.sessions() if r.status in scheduling.LOCAL_STATUSES]
    assert {r.status for r in pending} <= {scheduling.UNCONFIRMED}, "a Submitting row was left behind"
    report = records.refresh_statuses(client, repo, repo.sessions())
    assert not report.problems, list(report.problems.items())[:5]
    assert set(report.confirmed) == {r.session_id for r in pending} >= set(forced)
    assert not report.failed
    stats = control.stats()  # after the reconciliation, which may have sent creates again
    assert stats["faultsInjected"] == load_stats["faultsInjected"], "no fault after they were cleared"

    attempted = set().union(*(t.attempted for t in tallies))
    completed = set().union(*(t.completed for t in tallies))
    listing = control.sessions()
    sandbox_ids = [s["sessionId"] for s in listing]
    sandbox = {s["sessionId"]: s for s in listing}
    local = {r.session_id: r for r in repo.sessions()}

    # None duplicated: one session per distinct id, and the sandbox counted one create each.
    assert len(sandbox_ids) == len(set(sandbox_ids)), Counter(sandbox_ids).most_common(3)
    assert stats["sessionsCreated"] == len(set(sandbox_ids)) == len(attempted), (
        stats["sessionsCreated"],
        len(set(sandbox_ids)),
        len(attempted),
    )
    # None lost: in the sandbox iff in the local database; here, after reconciliation, both hold all.
    for sid in attempted:
        assert (sid in sandbox) == (sid in local), (sid, sid in sandbox, sid in local)
    assert set(sandbox) == set(local) == attempted
    # They agree on every status, and the completions show.
    disagree = {
        sid: (local[sid].status, sandbox[sid]["status"])
        for sid in attempted
        if local[sid].status != sandbox[sid]["status"]
    }
    assert not disagree, list(disagree.items())[:5]
    assert all(local[sid].iframe_url == sandbox[sid]["iframeUrl"] for sid in attempted)
    assert {sid for sid in attempted if sandbox[sid]["status"] == "Completed"} == completed
    assert sum(t.records_found for t in tallies) > 0

    # The faults really fired, so this could not pass vacuously.
    api_requests = sum(load_stats["requests"].values())  # during the load, before reconciling
    fed_consumed = len(fed) - sum(e["count"] for e in left)
    assert stats["faultsInjected"] >= 0.15 * api_requests, (stats["faultsInjected"], api_requests)
    assert load_stats["requests"].get(CREATE, 0) > schedules, "creates were retried"
    assert fed_consumed >= 20, (len(fed), left)
    assert escaped, "at 20% faults some failures must escape two retries"

    print(
        f"\nsoak: {schedules} schedule + {gets} get_session + {record_calls} get_session_record calls "
        f"from {THREADS} threads in {load_seconds:.1f} s (whole test {time.monotonic() - started:.1f} s); "
        f"{api_requests} API requests, {stats['faultsInjected']} faulted "
        f"({stats['faultsInjected'] / api_requests:.0%}), {stats['idempotentReplays']} idempotent replays, "
        f"{fed_consumed} queued faults consumed; {len(attempted)} sessions, {len(completed)} completed, "
        f"{len(report.confirmed)} unconfirmed settled by refresh; escaped: {dict(sorted(by_type.items()))}"
    )
