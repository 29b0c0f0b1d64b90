"""Handover benchmark: a 12-hour handover over a large log, against replaying every case.

Method. A database of 1,000,000 events (12,000 cases: 10,000 open, 2,000 closed, each with an
intake, report confirmations and a stream of sightings, contacts, notes and risk changes over
the 60 days before a frozen `now`) is built once and cached in /tmp, keyed by its size. It is
built the way the write path would leave it: every event folded into its case's projection with
the domain's own `start`/`apply`, and every event linked into the audit hash chain with the
writer's `event_hash`, but inserted with executemany in one transaction (the write path's
per-event Python work would take many minutes at this size).

- handover: `services.handover.handover(session, since="12h ago")` at the frozen `now`, and
  rendering it as Markdown; wall time (`time.perf_counter()`), best of several runs.
- as an operator meets it: `caseboard handover --since .. --until .. --out FILE` in a new
  process (interpreter start, imports, report, Markdown, file), and pressing h on a loaded
  board in the real app (Pilot, 80x24) until the handover screen shows; best of three each.
- naive: read every event, replay every case (`model.replay`) and take the window's events
  from the replayed logs; one run.

Run: `.venv/bin/python benchmarks/handover.py [EVENTS]`. The last line of output is JSON.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
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
from caseboard.domain.handover_view import report_markdown
from caseboard.domain.model import CaseState, Event, apply, replay, start
from caseboard.domain.timefmt import to_iso
from caseboard.identity import os_username
from caseboard.services import handover as handover_service
from caseboard.store.codec import dumps, event_from_row
from caseboard.store.connection import create_or_migrate
from caseboard.store.writer import GENESIS_HASH, Actor, event_hash

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CLOCK = frozen_clock(NOW)
ZONE = ZoneInfo("America/Chicago")
OPEN_CASES, CLOSED_CASES = 10_000, 2_000
SPAN = timedelta(days=60)
RUNS = 5
PLACES = ("Demo Mall", "Sample Park", "Example bus depot", "Fixture Ave & 5th", "Mock Library")
PLACEMENTS = ("foster_home", "kin", "group_home", "residential", "shelter", "other")


def _policy() -> policy_module.Policy:
    return policy_module.load(paths.builtin_policy_text("federal"))


def _case_plan(rng: random.Random, case_id: int, count: int, closed: bool) -> list[tuple[Any, ...]]:
    """(kind, at, data) for one case, in time order, starting with the intake."""
    learned = NOW - timedelta(seconds=rng.uniform(3600, SPAN.total_seconds()))
    last_seen = learned - timedelta(hours=rng.uniform(0.5, 6))
    name = f"Bench Child{case_id:05d} Example"
    intake = {
        "name": name,
        "dob": None,
        "age": rng.randint(10, 17),
        "learned_at": to_iso(learned),
        "last_seen_at": to_iso(last_seen),
        "last_seen_where": rng.choice(PLACES),
        "placement_type": rng.choice(PLACEMENTS),
        "agency": "Benchmark County DCFS",
        "risk_factors": rng.sample(["substance_use", "out_of_state", "medication"], 1),
    }
    plan: list[tuple[Any, ...]] = [("intake", learned, intake)]
    end = NOW if not closed else learned + (NOW - learned) * 0.9
    confirm_at = sorted(learned + (end - learned) * rng.uniform(0, 0.05) for _ in range(3))
    for report, at in zip(("police", "ncic", "ncmec"), confirm_at, strict=True):
        plan.append(("confirm", at, {"report": report, "ref": f"B-{case_id}-{report}"}))
    tail = 5 if closed else 0
    middle = sorted(
        learned + (end - learned) * rng.uniform(0.05, 0.95) for _ in range(count - len(plan) - tail)
    )
    for at in middle:
        roll = rng.random()
        if roll < 0.45:
            data = {"where": rng.choice(PLACES), "confirmed": roll < 0.2, "police_told": False}
            plan.append(("sighting", at, data))
        elif roll < 0.6:
            plan.append(("contact", at, {"how": "phone"}))
        elif roll < 0.62:
            plan.append(("risk", at, {"add": ["out_of_character"], "remove": []}))
        else:
            plan.append(("note", at, {"text": f"benchmark note {rng.randint(0, 10**6)}"}))
    if closed:
        recovered = end
        plan.append(("recovery", recovered, {"where": "Home", "by": "Officer Bench"}))
        plan.append(("notify", recovered + timedelta(hours=1), {"report": "police"}))
        plan.append(("notify", recovered + timedelta(hours=2), {"report": "ncmec"}))
        plan.append(("interview", recovered + timedelta(hours=3), {"screen": "none"}))
        plan.append(("close", recovered + timedelta(hours=4), {"reason": "returned"}))
    return plan


def build(path: Path, total: int) -> None:
    """Create the database at `path` with `total` valid events (hash chain and projections)."""
    session, _, _ = services.init_database(path, Actor(os_username()), _policy(), ZONE, CLOCK)
    db = session.db
    rng = random.Random(20261128)
    cases = OPEN_CASES + CLOSED_CASES
    base = next(iter(db.query("SELECT COALESCE(MAX(id), 0) AS n, COUNT(*) AS c FROM events")))
    per_case = (total - base["c"]) // cases
    extra = (total - base["c"]) - per_case * cases
    rows: list[tuple[Any, ...]] = []
    states: dict[int, CaseState] = {}
    updated: dict[int, str] = {}
    children: list[tuple[Any, ...]] = []
    recorded = to_iso(NOW)
    actor = os_username()
    plans: list[tuple[int, tuple[Any, ...]]] = []
    for case_id in range(1, cases + 1):
        count = per_case + (1 if case_id <= extra else 0)
        for step in _case_plan(rng, case_id, count, closed=case_id > OPEN_CASES):
            plans.append((case_id, step))
        children.append((case_id, f"Bench Child{case_id:05d} Example", None, 12, None, recorded))
    # The log is in time order, as a live system would have written it.
    plans.sort(key=lambda item: item[1][1])
    last_id, prev = base["n"], list(db.query("SELECT hash FROM events ORDER BY id DESC LIMIT 1"))
    prev_hash = prev[0]["hash"] if prev else GENESIS_HASH
    for case_id, (kind, at, data) in plans:
        last_id += 1
        row = {
            "id": last_id,
            "case_id": case_id,
            "type": kind,
            "occurred_at": to_iso(at),
            "recorded_at": to_iso(max(at, NOW - SPAN)),
            "actor": actor,
            "data": dumps(data),
            "supersedes": None,
        }
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = event_hash(prev_hash, row)
        rows.append(tuple(row.values()))
        updated[case_id] = row["recorded_at"]
        event = event_from_row(row)
        states[case_id] = (
            start(event, case_id) if kind == "intake" else apply(states[case_id], event)
        )
    db.conn.execute("BEGIN IMMEDIATE")
    insert_all(db, children, rows, states.values(), lambda state: updated[state.case_id])
    db.conn.executemany(
        "INSERT INTO case_search (rowid, name, aliases, agency, places) VALUES (?, ?, '', ?, ?)",
        [(s.case_id, s.packet.get("name"), s.agency, s.last_seen_where) for s in states.values()],
    )
    db.conn.execute("COMMIT")
    db.conn.execute("ANALYZE")
    db.conn.close()


def naive(session: services.Session, since: datetime, until: datetime) -> dict[str, int]:
    """Replay every case from the whole log, then pick the window's events."""
    by_case: dict[int, list[Event]] = defaultdict(list)
    for row in session.db.query("SELECT * FROM events WHERE case_id IS NOT NULL ORDER BY id"):
        by_case[row["case_id"]].append(event_from_row(row))
    counts: dict[str, int] = defaultdict(int)
    for case_id, events in by_case.items():
        state = replay(events, case_id)
        counts["open_cases"] += state.status != "closed"
        for event in events:
            if since < event.occurred_at <= until:
                counts[event.type] += 1
    return dict(counts)


def cli_run(path: Path, since: datetime, until: datetime) -> float:
    """Wall time of `caseboard handover` in a fresh process, Markdown written to a file: what an
    operator waits for, interpreter start and imports included (ms)."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable, "-m", "caseboard", "--db", str(path), "--tz", str(ZONE), "handover",
            "--since", to_iso(since), "--until", to_iso(until), "--out", f"{folder}/handover.md",
        ]  # fmt: skip
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return (time.perf_counter() - began) * 1000


async def screen_open(path: Path) -> float:
    """From pressing h on a loaded board (80x24) to the handover screen showing its report (ms)."""
    from caseboard.tui.app import CaseboardApp
    from caseboard.tui.handover import HandoverScreen

    session = services.open_session(path, Actor(os_username()), _policy(), ZONE, CLOCK)
    app = CaseboardApp(session, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("h")
        # The report is read in a worker: wait until it is on screen, not just the screen.
        while not isinstance(app.screen, HandoverScreen) or app.screen.report is None:
            await pilot.pause()
        await pilot.pause()
        return (time.perf_counter() - began) * 1000


def main(argv: list[str]) -> None:
    """Build (or reuse) the database, time both approaches, print a summary and one JSON line."""
    total = int(argv[0]) if argv else 1_000_000
    path = Path(f"/tmp/caseboard-handover-bench-{total}.db")
    if not path.exists():
        began = time.perf_counter()
        partial = path.with_suffix(".partial")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        build(partial, total)
        partial.rename(path)
        print(f"built {path} in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    # A database cached by an older checkout may lack newer migrations: apply them (cheap).
    migrated, applied = create_or_migrate(path)
    migrated.conn.close()
    if applied:
        print(f"migrated {path}: {', '.join(applied)}", file=sys.stderr)
    actor = Actor(os_username())
    session = services.open_session(path, actor, _policy(), ZONE, CLOCK)
    events = next(iter(session.db.query("SELECT COUNT(*) AS n FROM events")))["n"]
    timings, render = [], []
    report = None
    for _ in range(RUNS):
        began = time.perf_counter()
        report = handover_service.handover(session, since="12h ago")
        timings.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        report_markdown(report, ZONE)
        render.append((time.perf_counter() - began) * 1000)
    assert report is not None
    began = time.perf_counter()
    naive_counts = naive(session, report.window.since, report.window.until)
    naive_ms = (time.perf_counter() - began) * 1000
    cli = sorted(cli_run(path, report.window.since, report.window.until) for _ in range(3))
    screen = sorted(asyncio.run(screen_open(path)) for _ in range(3))
    counts = report.counts()
    window_events = sum(counts[k] for k in ("new_cases", "recoveries", "sightings", "contacts"))
    result = {
        "events": events,
        "open_cases": counts["open_cases"],
        "window_hours": 12,
        "window_events": window_events + counts["confirmations"],
        "handover_ms": round(min(timings), 1),
        "handover_median_ms": round(sorted(timings)[len(timings) // 2], 1),
        "markdown_ms": round(min(render), 1),
        "cli_ms": round(cli[0], 1),
        "cli_median_ms": round(cli[1], 1),
        "screen_ms": round(screen[0], 1),
        "screen_median_ms": round(screen[1], 1),
        "naive_ms": round(naive_ms, 1),
        "counts": counts,
        "naive_open_cases": naive_counts.get("open_cases", 0),
    }
    print(f"events: {events:,}  open cases: {counts['open_cases']:,}  window: 12 h")
    print(f"handover (query + compute): best {result['handover_ms']} ms,"
          f" median {result['handover_median_ms']} ms of {RUNS}")  # fmt: skip
    print(f"markdown rendering: {result['markdown_ms']} ms")
    print(f"`caseboard handover --out` in a new process: best {result['cli_ms']} ms,"
          f" median {result['cli_median_ms']} ms of 3")  # fmt: skip
    print(f"handover screen (h on the board, 80x24): best {result['screen_ms']} ms,"
          f" median {result['screen_median_ms']} ms of 3")  # fmt: skip
    print(f"naive (replay every case): {result['naive_ms']} ms")
    print("target: handover under 1000 ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
