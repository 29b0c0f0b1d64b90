"""Statistics benchmark: a 12-month `caseboard stats` over 100,000 episodes and 1,000,000 events,
against computing the same figures by replaying every case, in the same run.

Method. A database of 100,000 episodes (cases) and 1,000,000 events is built once and cached in
/tmp, keyed by its size. Episodes are spread over the 820 days before a frozen `now` (about the
national rate of 120 a day, so a 12-month window holds some 44,000); children run again (a
third of the episodes are a child's second or later). Each case has an intake, report
confirmations (mostly on time, some late, some never), sightings and notes, and most a
recovery, a return interview (one to three primary factors, some trafficking indicators) and
a close; one case in fifty has a confirmation time corrected by a correction event.
Projections are folded with the domain's own `replay` (corrections applied, as the write path
leaves them) and events linked into the audit hash chain with the writer's `event_hash`, but
inserted with executemany in one transaction.

- stats: `services.stats.statistics(session, since=<12 months before now>, by="month")` at the
  frozen `now`: the facts read with SQL from the projections and every figure computed; wall
  time (`time.perf_counter()`), best of several runs, and the process's CPU time for the same
  runs (on a shared machine the wall time also waits for others). Also the Markdown rendering.
- naive: read every event, replay every case (`model.replay`), and compute the same figures
  from the replayed states; one run. The two results must be equal (checked here).

Run: `.venv/bin/python benchmarks/stats.py [EPISODES]`. The last line of output is JSON with
`events, episodes, stats_ms, naive_ms`.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bulk import insert_all
from caseboard import paths, services
from caseboard.clock import frozen_clock
from caseboard.domain import policy as policy_module
from caseboard.domain import stats as domain
from caseboard.domain.model import Event, replay
from caseboard.domain.stats_view import stats_json, stats_markdown
from caseboard.domain.timefmt import to_iso
from caseboard.identity import os_username
from caseboard.services import stats as stats_service
from caseboard.store.codec import dumps, event_from_row
from caseboard.store.writer import GENESIS_HASH, Actor, event_hash

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CLOCK = frozen_clock(NOW)
ZONE = ZoneInfo("America/Chicago")
EPISODES = 100_000
EVENTS_PER_EPISODE = 10
SPAN = timedelta(days=820)
RUNS = 5
PLACES = ("Demo Mall", "Sample Park", "Example bus depot", "Fixture Ave & 5th", "Mock Library")
PLACEMENTS = ("foster_home", "kin", "group_home", "residential", "shelter", "other")
SCREENS = ("none", "none", "none", "possible", "clear")
FACTORS = ["placement_conflict", "family", "friends_partner", "substance_use", "school"]
INDICATORS = ["exchanged_sex", "older_partner", "gifts_or_new_phone", "harmed"]


def _policy() -> policy_module.Policy:
    return policy_module.load(paths.builtin_policy_text("federal"))


def _confirm_delay(rng: random.Random, limit_h: float) -> float | None:
    """Hours to a confirmation: mostly within the limit, some late, some never."""
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.2:
        return rng.uniform(limit_h, limit_h * 4)
    return rng.uniform(0.1, limit_h)


def _plan(rng: random.Random, case_id: int, learned: datetime) -> list[tuple[Any, ...]]:
    """(kind, at, data, supersedes_offset) for one case, in time order, the intake first."""
    last_seen = learned - timedelta(hours=rng.uniform(0.5, 6))
    intake: dict[str, Any] = {
        "name": f"Bench Child{case_id:06d} Example",
        "dob": None,
        "age": rng.randint(10, 17),
        "learned_at": to_iso(learned),
        "last_seen_at": to_iso(last_seen),
        "last_seen_where": rng.choice(PLACES),
        "placement_type": rng.choice(PLACEMENTS),
        "agency": "Benchmark County DCFS",
        "risk_factors": [],
    }
    plan: list[tuple[Any, ...]] = [("intake", learned, intake, None)]
    police = _confirm_delay(rng, 24)
    if police is not None:
        police_at = learned + timedelta(hours=police)
        plan.append(("confirm", police_at, {"report": "police", "ref": f"P-{case_id}"}, None))
        ncic = _confirm_delay(rng, 2)
        if ncic is not None:
            at = police_at + timedelta(hours=ncic)
            plan.append(("confirm", at, {"report": "ncic", "ref": f"M{case_id:09d}"}, None))
    ncmec = _confirm_delay(rng, 24)
    if ncmec is not None:
        at = learned + timedelta(hours=ncmec)
        plan.append(("confirm", at, {"report": "ncmec", "ref": f"N-{case_id}"}, None))
        # A corrected confirmation time (the log's last event), for one confirmed before now.
        if rng.random() < 0.02 and at < NOW:
            moved = learned + timedelta(hours=rng.uniform(0.1, 30))
            correction = {"reason": "typed the wrong time", "changes": {"at": to_iso(moved)}}
            plan.append(("correction", NOW, correction, "ncmec"))
    missing_h = rng.expovariate(1 / 72)
    recovered = learned + timedelta(hours=missing_h)
    filler = EVENTS_PER_EPISODE - len(plan) - (4 if recovered < NOW else 0)
    end = min(recovered, NOW)
    for _ in range(max(filler, 0)):
        at = learned + (end - learned) * rng.uniform(0, 1)
        if rng.random() < 0.6:
            plan.append(("sighting", at, {"where": rng.choice(PLACES), "confirmed": False}, None))
        else:
            plan.append(("note", at, {"text": f"benchmark note {rng.randint(0, 10**6)}"}, None))
    if recovered < NOW:
        plan.append(("recovery", recovered, {"where": "Home", "by": "Officer Bench"}, None))
        interview = recovered + timedelta(hours=rng.uniform(1, 100))
        if interview < NOW:
            data: dict[str, Any] = {"screen": rng.choice(SCREENS), "police_told": True}
            # The statute's fields: one to three primary factors, most often no indicator.
            data["factors"] = rng.sample(FACTORS, rng.randint(1, 3))
            data["indicators"] = rng.sample(INDICATORS, rng.choice((0, 0, 0, 1, 2)))
            data["labor_screen"] = rng.choice(SCREENS)
            data["response"] = "weekly supervised visits"
            plan.append(("interview", interview, data, None))
        closed = recovered + timedelta(hours=rng.uniform(100, 200))
        if closed < NOW:
            plan.append(("close", closed, {"reason": "returned"}, None))
        plan.append(("note", min(recovered + timedelta(hours=1), NOW), {"text": "home"}, None))
    return plan


def build(path: Path, episodes: int) -> int:
    """Create the database at `path` with `episodes` cases; returns the number of events."""
    session, _, _ = services.init_database(path, Actor(os_username()), _policy(), ZONE, CLOCK)
    db = session.db
    rng = random.Random(20261128)
    actor = os_username()
    recorded = to_iso(NOW)
    learned_times = sorted(
        NOW - timedelta(seconds=rng.uniform(3600, SPAN.total_seconds())) for _ in range(episodes)
    )
    children: list[tuple[Any, ...]] = []
    child_of: dict[int, int] = {}
    recent: list[int] = []
    steps: list[tuple[int, tuple[Any, ...]]] = []
    for case_id, learned in enumerate(learned_times, start=1):
        if recent and rng.random() < 0.33:
            child_id = rng.choice(recent[-400:])  # a child who ran recently runs again
        else:
            child_id = len(children) + 1
            name = f"Bench Child{case_id:06d} Example"
            children.append((child_id, name, None, 14, None, recorded))
            recent.append(child_id)
        child_of[case_id] = child_id
        steps += [(case_id, step) for step in _plan(rng, case_id, learned)]
    steps.sort(key=lambda item: item[1][1])
    base = next(iter(db.query("SELECT COALESCE(MAX(id), 0) AS n FROM events")))["n"]
    prev = list(db.query("SELECT hash FROM events ORDER BY id DESC LIMIT 1"))
    prev_hash = prev[0]["hash"] if prev else GENESIS_HASH
    rows: list[tuple[Any, ...]] = []
    by_case: dict[int, list[Event]] = defaultdict(list)
    last_id = base
    for case_id, (kind, at, data, target) in steps:
        last_id += 1
        # A correction supersedes the case's NCMEC confirmation (logged before it).
        supersedes = None
        if target is not None:
            (confirm,) = [
                e for e in by_case[case_id] if e.type == "confirm" and e.data["report"] == target
            ]
            supersedes = confirm.id
        row = {
            "id": last_id,
            "case_id": case_id,
            "type": kind,
            "occurred_at": to_iso(at),
            "recorded_at": to_iso(at),
            "actor": actor,
            "data": dumps(data),
            "supersedes": supersedes,
        }
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = event_hash(prev_hash, row)
        rows.append(tuple(row.values()))
        by_case[case_id].append(event_from_row(row))
    states = [replay(events, child_of[case_id]) for case_id, events in by_case.items()]
    db.conn.execute("BEGIN IMMEDIATE")
    insert_all(db, children, rows, states, lambda _state: recorded)
    db.conn.execute("COMMIT")
    db.conn.execute("ANALYZE")
    db.conn.close()
    return len(rows) + int(base)


def naive(session: services.Session, since: datetime, until: datetime) -> domain.Stats:
    """Read every event, replay every case, and compute the figures from the replayed states."""
    names = {row["id"]: row["name"] for row in session.db.query("SELECT id, name FROM children")}
    cases = session.db.query("SELECT id, child_id FROM cases")
    child_of = {row["id"]: row["child_id"] for row in cases}
    by_case: dict[int, list[Event]] = defaultdict(list)
    for row in session.db.query("SELECT * FROM events WHERE case_id IS NOT NULL ORDER BY id"):
        by_case[row["case_id"]].append(event_from_row(row))
    episodes = []
    child_episodes: dict[int, list[datetime]] = defaultdict(list)
    for case_id, events in by_case.items():
        state = replay(events, child_of[case_id])
        episodes.append(domain.episode_of(state, names.get(state.child_id)))
        child_episodes[state.child_id].append(state.learned_at)
    return domain.compute(
        episodes,
        child_episodes,
        since=since,
        until=until,
        by="month",
        policy=session.policy,
        now=session.now(),
        zone=session.zone,
    )


def main() -> None:
    episodes = int(sys.argv[1]) if len(sys.argv) > 1 else EPISODES
    path = Path(tempfile.gettempdir()) / f"caseboard-bench-stats-{episodes}-v2.db"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        build(partial, episodes)
        partial.rename(path)
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
    # A database cached by an older caseboard gets the schema's updates (m009's index), as
    # `caseboard init` gives them to a deployed one.
    session, applied, _ = services.init_database(path, Actor(os_username()), _policy(), ZONE, CLOCK)
    if applied:
        print(f"updated the cached database's schema: {', '.join(applied)}")
    events = next(iter(session.db.query("SELECT COUNT(*) AS n FROM events")))["n"]
    cases = next(iter(session.db.query("SELECT COUNT(*) AS n FROM cases")))["n"]
    since = "2025-11-28T04:00:00+00:00"  # 12 months before the frozen now
    timings: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = stats_service.statistics(session, since=since, by="month")
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    assert result is not None
    started = time.perf_counter()
    markdown = stats_markdown(result.stats, ZONE)
    markdown_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    replayed = naive(session, result.stats.since, result.stats.until)
    naive_ms = (time.perf_counter() - started) * 1000
    fast, slow = stats_json(result.stats), stats_json(replayed)
    if fast != slow or result.stats.missed != replayed.missed:
        raise SystemExit("the statistics differ from those computed by replaying every case")
    s = result.stats
    print(
        f"{events:,} events, {cases:,} episodes; 12-month window: {s.opened:,} episodes,"
        f" {len(s.missed):,} with something missed, NCMEC on time"
        f" {s.reports['ncmec'].on_time_share}"
    )
    print(f"stats (SQL facts + figures), best of {RUNS}: {min(timings):.0f} ms"
          f" (all runs: {', '.join(f'{t:.0f}' for t in timings)})")  # fmt: skip
    # On a shared machine the wall time waits for other processes; the CPU time does not.
    print(f"stats CPU time of this process, best of {RUNS}: {min(cpu):.0f} ms")
    print(f"Markdown report ({len(markdown):,} characters): {markdown_ms:.0f} ms")
    print(f"naive (replay every case, same figures): {naive_ms:.0f} ms; results equal")
    figures = {
        "events": events,
        "episodes": cases,
        "stats_ms": round(min(timings)),
        "naive_ms": round(naive_ms),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
