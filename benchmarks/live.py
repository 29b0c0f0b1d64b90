"""Live-board benchmark: commit-to-screen latency and idle CPU, against a 2-second reload.

Method. For 100 and 10,000 open cases (synthetic records imported into a fresh temporary
database) and for 1 and 8 writer processes:

- the board runs in its own process exactly as the app drives it, without the screen: a
  LiveReader on its own connection, the BoardModel and the LiveBoard loop, `poll()` every
  POLL_S (0.5 s, the app's interval) and `tick()` every TICK_S (1 s), and the visible lines
  rebuilt (`model.rebuild`, what the board widget does) after each applied change. Textual's
  own painting is not included.
- idle CPU: before any writer starts, the board's process CPU time (`time.process_time()`)
  over IDLE_S seconds of wall time, as a percentage of one core.
- writers: separate processes, each adding notes through the services (the one write path),
  paced with jitter; after each commit the writer records `time.time()` and the event id.
- latency: the board records `time.time()` when a poll has applied everything up to an event
  id (the cases of every newer event re-read and placed in the model); an event's latency is
  that moment minus its writer's commit time. Median and 95th percentile in milliseconds.
- baseline: the same writers against a board that reloads everything every 2 seconds (read
  the newest event id, then `services.list_cases` and a fresh BoardModel with its lines), the
  common refresh of live terminal boards; run after the live board, in the same run.

Run: `.venv/bin/python benchmarks/live.py [--quick]`. The last line of output is a JSON list.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.board.live import LiveBoard, LiveReader
from caseboard.board.model import BoardModel
from caseboard.clock import system_clock
from caseboard.domain import policy as policy_module
from caseboard.domain.synthetic import synthetic_records
from caseboard.identity import os_username
from caseboard.services.actions import add_note
from caseboard.store import queries
from caseboard.store.writer import Actor
from caseboard.tui.app import POLL_S, TICK_S

BASELINE_S = 2.0
ZONE = ZoneInfo("America/Chicago")


def _policy() -> policy_module.Policy:
    return policy_module.load(paths.builtin_policy_text("federal"))


def _session(db: Path) -> services.Session:
    actor = Actor(os_username())
    return services.open_session(db, actor, _policy(), ZONE, system_clock)


def seed(count: int, folder: Path) -> Path:
    """A fresh database with `count` synthetic open cases."""
    path = folder / f"live-{count}.db"
    session, _applied, _made = services.init_database(
        path, Actor(os_username()), _policy(), ZONE, system_clock
    )
    services.import_records(session, synthetic_records(count))
    session.db.conn.close()
    return path


def _wait_for(path: Path, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {path.name}")
        time.sleep(0.005)


# --- the board process ------------------------------------------------------------------------


def live_board(db: Path, folder: Path, idle_s: float) -> dict[str, Any]:
    """The app's live loop: poll every POLL_S, tick every TICK_S, rebuild after a change."""
    session = _session(db)
    start = system_clock()
    model = BoardModel(
        services.list_cases(session),
        session.policy.due_soon_fraction,
        False,
        policy=session.policy,
        now=start,
    )
    model.rebuild(start)
    live = LiveBoard(LiveReader(session), model, system_clock, "benchmark-board")
    seen: list[tuple[int, float]] = []
    stop = folder / "stop"
    ready = folder / "ready"
    cpu_began, wall_began = time.process_time(), time.monotonic()
    idle_cpu: float | None = None
    next_poll = next_tick = time.monotonic()
    while not stop.exists():
        moment = time.monotonic()
        if idle_cpu is None and moment - wall_began >= idle_s:
            idle_cpu = 100 * (time.process_time() - cpu_began) / (moment - wall_began)
            ready.touch()
        if moment >= next_poll:
            outcome = live.poll()
            if outcome.applied:
                model.rebuild(system_clock())
                seen.append((live.feed.last_event_id, time.time()))
            next_poll += POLL_S
        if moment >= next_tick:
            outcome = live.tick()
            if outcome.applied:
                model.rebuild(system_clock())
            next_tick += TICK_S
        time.sleep(max(0.0, min(next_poll, next_tick) - time.monotonic()))
    return {"seen": seen, "idle_cpu_pct": idle_cpu}


def baseline_board(db: Path, folder: Path) -> dict[str, Any]:
    """The common alternative: everything reloaded every BASELINE_S seconds."""
    session = _session(db)
    fraction = session.policy.due_soon_fraction
    seen: list[tuple[int, float]] = []
    stop = folder / "stop"
    (folder / "ready").touch()
    next_reload = time.monotonic()
    while not stop.exists():
        if time.monotonic() >= next_reload:
            newest = queries.max_event_id(session.db)  # read first: the reload includes it
            now = system_clock()
            model = BoardModel(services.list_cases(session), fraction, False, now=now)
            model.rebuild(now)
            seen.append((newest, time.time()))
            next_reload += BASELINE_S
        time.sleep(max(0.0, min(next_reload - time.monotonic(), 0.05)))
    return {"seen": seen, "idle_cpu_pct": None}


# --- a writer process -----------------------------------------------------------------------


def writer(db: Path, folder: Path, tag: str, count: int, interval: float) -> dict[str, Any]:
    """Notes on random open cases, paced with jitter; (event id, commit time) for each."""
    session = _session(db)
    cases = [row["id"] for row in session.db.query("SELECT id FROM cases WHERE status != 'closed'")]
    rng = random.Random(tag)
    _wait_for(folder / "go")
    commits: list[tuple[int, float]] = []
    for index in range(count):
        recorded = add_note(session, rng.choice(cases), f"benchmark writer {tag} note {index}")
        commits.append((recorded.event_id, time.time()))
        time.sleep(interval * rng.uniform(0.5, 1.5))
    return {"commits": commits}


# --- the orchestrator -----------------------------------------------------------------------


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _result(process: subprocess.Popen[str], timeout: float = 300) -> dict[str, Any]:
    stdout, stderr = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise SystemExit(f"a benchmark process failed:\n{stderr}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def _latencies(commits: list[tuple[int, float]], seen: list[tuple[int, float]]) -> list[float]:
    """Per committed event: the first moment the board held it, minus its commit time (ms)."""
    seen = sorted(seen)
    newest = [event_id for event_id, _at in seen]
    # The time an id is first covered: the earliest time among the records covering it.
    earliest: list[float] = []
    best = float("inf")
    for _event_id, at in reversed(seen):
        best = min(best, at)
        earliest.append(best)
    earliest.reverse()
    found = []
    for event_id, committed in commits:
        index = bisect_left(newest, event_id)
        if index < len(seen):
            found.append(max(0.0, earliest[index] - committed) * 1000)
    return found


def run_phase(
    db: Path, mode: str, writers: int, events: int, interval: float, idle_s: float
) -> tuple[list[float], float | None, int]:
    """One board (live or baseline) with `writers` writers; latencies, idle CPU, events lost."""
    with tempfile.TemporaryDirectory(prefix="caseboard-live-") as tmp:
        folder = Path(tmp)
        board = _spawn("_board", str(db), str(folder), mode, str(idle_s))
        _wait_for(folder / "ready", 300)
        procs = [
            _spawn("_writer", str(db), str(folder), f"{mode}-{n}", str(events), str(interval))
            for n in range(writers)
        ]
        time.sleep(0.5)  # the writers open their sessions
        (folder / "go").touch()
        commits = [commit for proc in procs for commit in _result(proc)["commits"]]
        time.sleep(BASELINE_S + 0.5 if mode == "baseline" else 1.0)  # the last event lands
        (folder / "stop").touch()
        board_result = _result(board)
    latencies = _latencies(commits, board_result["seen"])
    return latencies, board_result["idle_cpu_pct"], len(commits) - len(latencies)


def _stats(latencies: list[float]) -> tuple[float, float]:
    if not latencies:
        return float("nan"), float("nan")
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 1), round(p95, 1)


def main() -> None:
    """Run every configuration and print a table, then the JSON list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter phases (about a minute)")
    args = parser.parse_args()
    # Events per writer and the pause between them: about 5 s of writing per phase (2 s quick).
    seconds = 2.0 if args.quick else 5.0
    idle_s = 2.0 if args.quick else 5.0
    results: list[dict[str, Any]] = []
    print(f"cpus: {os.cpu_count()}  poll: {POLL_S}s  tick: {TICK_S}s  baseline: {BASELINE_S}s")
    with tempfile.TemporaryDirectory(prefix="caseboard-live-db-") as tmp:
        for cases in (100, 10_000):
            began = time.perf_counter()
            db = seed(cases, Path(tmp))
            print(f"seeded {cases} cases in {time.perf_counter() - began:.1f}s", flush=True)
            for writers in (1, 8):
                # 1 writer: 10 events a second; 8 writers: 5 a second each (40 a second).
                interval = 0.1 if writers == 1 else 0.2
                events = max(5, int(seconds / interval))
                live, idle_cpu, lost = run_phase(db, "live", writers, events, interval, idle_s)
                base, _none, base_lost = run_phase(db, "baseline", writers, events, interval, 0)
                median, p95 = _stats(live)
                base_median, base_p95 = _stats(base)
                row = {
                    "cases": cases,
                    "writers": writers,
                    "median_ms": median,
                    "p95_ms": p95,
                    "idle_cpu_pct": None if idle_cpu is None else round(idle_cpu, 2),
                    "baseline_median_ms": base_median,
                    "baseline_p95_ms": base_p95,
                }
                results.append(row)
                print(
                    f"cases {cases:>6}  writers {writers}  events {len(live):>4}"
                    f" (unseen {lost})  live median {median:>6} ms  p95 {p95:>6} ms"
                    f"  idle cpu {row['idle_cpu_pct']}%  |  baseline median {base_median:>7} ms"
                    f"  p95 {base_p95:>7} ms (unseen {base_lost})",
                    flush=True,
                )
    print(json.dumps(results))


def _child(argv: list[str]) -> None:
    role, db, folder = argv[0], Path(argv[1]), Path(argv[2])
    if role == "_board":
        mode, idle_s = argv[3], float(argv[4])
        result = live_board(db, folder, idle_s) if mode == "live" else baseline_board(db, folder)
    else:
        result = writer(db, folder, argv[3], int(argv[4]), float(argv[5]))
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        _child(sys.argv[1:])
    else:
        main()
