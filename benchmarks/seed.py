"""Seeding benchmark: importing synthetic cases in one batch, against one event at a time.

Method. For 1,000 and 10,000 synthetic intake records (`domain.synthetic.synthetic_records`, the
records `caseboard demo --cases N` adds to the fixtures; about 2.6 events per case) each
approach imports the same records into its own fresh, migrated temporary database at a frozen
clock, as the single operator (a supervisor). Times are `time.perf_counter()` wall time of the
import call alone, validation of every record included, best of RUNS runs; the two approaches
alternate within each run.

- seed: `services.import_records`, what `caseboard demo` and `caseboard import` call (the
  batched write path).
- naive: `one_event_at_a_time` below, the same records written one child and one event at a
  time through `WriteSession.append` (a batch of one: each event inserted on its own).

Both run inside the one write path (`store.writer.write`: BEGIN IMMEDIATE, role check, one
transaction). As a cheap check that they wrote the same thing, the last event's audit hash of
both databases is compared (`same_chain`): the chain covers every event before it.

Run: `.venv/bin/python benchmarks/seed.py [SIZES...]`. The last line of output is JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.clock import frozen_clock
from caseboard.domain import policy as policy_module
from caseboard.domain.intake import parse_intake
from caseboard.domain.roles import Action
from caseboard.domain.synthetic import synthetic_records
from caseboard.domain.vocab import EventType
from caseboard.identity import os_username
from caseboard.store.writer import Actor

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CLOCK = frozen_clock(NOW)
ZONE = ZoneInfo("America/Chicago")
RUNS = {1_000: 3, 10_000: 2}

Importer = Callable[[services.Session, Any], list[int]]


def fresh_session(path: Path) -> services.Session:
    """A new, migrated database with the OS user as its supervisor."""
    policy = policy_module.load(paths.builtin_policy_text("federal"))
    session, _applied, _made = services.init_database(
        path, Actor(os_username()), policy, ZONE, CLOCK
    )
    return session


def one_event_at_a_time(session: services.Session, records: Any) -> list[int]:
    """The import's records written one child and one event at a time, in one transaction."""
    now = session.now()
    intakes = [
        parse_intake(record, now, session.zone, session.policy, allow_history=True)
        for record in records
    ]
    case_ids: list[int] = []
    with session.writing(Action.IMPORT) as tx:
        for intake in intakes:
            data = intake.event_data()
            child = (intake.name, data["dob"], intake.age, intake.packet.get("aliases"))
            child_id = tx.add_child(*child)
            case_id = tx.next_case_id()
            tx.append(case_id, EventType.INTAKE, intake.learned_at, data, child_id=child_id)
            for event in intake.history:
                tx.append(case_id, event.type, event.at, event.data)
            case_ids.append(case_id)
    return case_ids


def timed_import(
    importer: Importer, records: list[dict[str, Any]], path: Path
) -> tuple[float, str]:
    """Seconds one import takes into a fresh database at `path`, and its last event's hash."""
    session = fresh_session(path)
    started = time.perf_counter()
    importer(session, records)
    elapsed = time.perf_counter() - started
    last = session.db.conn.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    session.db.conn.close()
    return elapsed, str(last[0])


def run_size(count: int, folder: Path) -> dict[str, Any]:
    """Both approaches at one size, best of several alternating runs."""
    records = synthetic_records(count)
    events = count + sum(len(record.get("events", ())) for record in records)
    seed_times, naive_times, hashes = [], [], set()
    for run in range(RUNS.get(count, 1)):
        elapsed, last_hash = timed_import(
            services.import_records, records, folder / f"seed-{count}-{run}.db"
        )
        seed_times.append(elapsed)
        hashes.add(last_hash)
        elapsed, last_hash = timed_import(
            one_event_at_a_time, records, folder / f"naive-{count}-{run}.db"
        )
        naive_times.append(elapsed)
        hashes.add(last_hash)
    return {
        "cases": count,
        "events": events,
        "seed_s": round(min(seed_times), 3),
        "naive_s": round(min(naive_times), 3),
        "speedup": round(min(naive_times) / min(seed_times), 2),
        "runs": len(seed_times),
        "same_chain": len(hashes) == 1,
    }


def table(results: list[dict[str, Any]]) -> str:
    """A readable table of the results."""
    header = f"{'cases':>7} {'events':>7} {'seed':>8} {'naive':>8} {'speedup':>8}  same chain"
    lines = [header, "─" * len(header)]
    for row in results:
        lines.append(
            f"{row['cases']:>7} {row['events']:>7} {row['seed_s']:>7.2f}s {row['naive_s']:>7.2f}s"
            f" {row['speedup']:>7.1f}x  {'yes' if row['same_chain'] else 'NO'}"
        )
    lines.append("target at 10,000: seed ≤ 3 s")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Run every size, print the table, then one JSON line."""
    sizes = [int(arg) for arg in argv] or [1_000, 10_000]
    results = []
    with tempfile.TemporaryDirectory(prefix="caseboard-seed-bench-") as folder:
        for count in sizes:
            results.append(run_size(count, Path(folder)))
            print(f"measured {count} cases", file=sys.stderr, flush=True)
    print(table(results))
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
