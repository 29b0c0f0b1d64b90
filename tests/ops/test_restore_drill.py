"""The restore drill of issue 16: four writers and `caseboard replicate` killed with SIGKILL
mid-stream; `caseboard restore` gives a database that passes verify and holds every event a
writer saw acknowledged more than (sync interval + 1 s) before the kill."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from caseboard.store import litestream
from cli.conftest import RunCli, cli_env
from ops.conftest import (
    SYNC_INTERVAL_S,
    Replicator,
    needs_litestream,
    replica_files,
    wait_for,
)

WRITERS = 4
WRITING_S = 4.0

# One session per writer process, notes through the real write path (actions.add_note); each
# event id is printed with the wall-clock time right after its transaction committed.
WRITER = r"""
import sys, time
from pathlib import Path
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.clock import system_clock
from caseboard.domain import policy
from caseboard.identity import os_username
from caseboard.services import actions
from caseboard.store.writer import Actor

db, case = Path(sys.argv[1]), int(sys.argv[2])
rules = policy.load(paths.builtin_policy_text("federal"))
session = services.open_session(db, Actor(os_username()), rules, ZoneInfo("UTC"), system_clock)
n = 0
while True:
    n += 1
    recorded = actions.add_note(session, case, f"drill note {case}-{n}")
    print(recorded.event_id, time.time(), flush=True)
"""


def _collect(process: subprocess.Popen[str], acks: list[tuple[int, float]]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        event_id, at = line.split()
        acks.append((int(event_id), float(at)))


def test_restore_after_sigkill_holds_every_event_acknowledged_before_the_sync_window(
    run_cli: RunCli, demo_db: Path, tmp_path: Path, replicator: Replicator
) -> None:
    replica = tmp_path / "replica"
    replicating = replicator(demo_db, replica)
    acks: list[list[tuple[int, float]]] = [[] for _ in range(WRITERS)]
    with closing(sqlite3.connect(demo_db)) as conn:
        rows = conn.execute(
            "SELECT id FROM cases WHERE status = 'missing' ORDER BY id LIMIT ?", [WRITERS]
        )
        cases = [row[0] for row in rows]
    assert len(cases) == WRITERS
    logs = [tmp_path / f"writer-{case}.log" for case in cases]
    writers = []
    for case, log in zip(cases, logs, strict=True):
        with log.open("w") as errors:
            writers.append(
                subprocess.Popen(
                    [sys.executable, "-c", WRITER, str(demo_db), str(case)],
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    text=True,
                    env=cli_env(),
                )
            )
    readers = [
        threading.Thread(target=_collect, args=(writer, acks[i]), daemon=True)
        for i, writer in enumerate(writers)
    ]
    for reader in readers:
        reader.start()
    wait_for(
        lambda: all(len(own) >= 5 for own in acks) or any(w.poll() is not None for w in writers),
        "every writer's first notes",
    )
    assert all(w.poll() is None for w in writers), [log.read_text()[-500:] for log in logs]
    time.sleep(WRITING_S)

    killed_at = time.time()
    replicating.send_signal(signal.SIGKILL)
    for writer in writers:
        writer.send_signal(signal.SIGKILL)
    for process in (replicating, *writers):
        process.wait(timeout=30)
    for reader in readers:
        reader.join(timeout=30)
    assert replicating.returncode == -signal.SIGKILL

    restored = tmp_path / "restored.db"
    result = run_cli(None, "restore", "--from", str(replica), str(restored))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(restored)
    assert "verify found no problems" in result.stderr
    assert restored.stat().st_mode & 0o777 == 0o600
    assert run_cli(restored, "verify").returncode == 0

    cutoff = killed_at - (SYNC_INTERVAL_S + 1.0)
    must_hold = {event_id for own in acks for event_id, at in own if at < cutoff}
    assert len(must_hold) >= 20, "the drill wrote too little to show anything"
    with closing(sqlite3.connect(restored)) as conn:
        held = {row[0] for row in conn.execute("SELECT id FROM events")}
    missing = sorted(must_hold - held)
    assert not missing, f"{len(missing)} acknowledged event(s) lost, first {missing[:5]}"
    # Every writer's acknowledged events, not one lucky writer's.
    for own in acks:
        assert any(event_id in held for event_id, at in own if at < cutoff)
    assert replica_files(replica)


def _note_ids(db: Path, text: str) -> set[int]:
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT id FROM events WHERE type = 'note' AND data LIKE ?", [f"%{text}%"]
        )
        return {row[0] for row in rows}


def _replica_holds(replica: Path, text: str, probe: Path) -> bool:
    """Whether the replica, restored as it stands, holds the note `text` (Litestream itself,
    straight into a scratch file: a few tens of milliseconds)."""
    for leftover in probe.parent.glob(probe.name + "*"):
        leftover.unlink()
    restored = subprocess.run(
        [
            str(needs_litestream()),
            "restore",
            "-o",
            str(probe),
            litestream.replica_url(str(replica)),
        ],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    return restored.returncode == 0 and probe.exists() and bool(_note_ids(probe, text))


def _listing(replica: Path) -> list[dict[str, object]]:
    """Litestream's own list of the replica's LTX files, every level."""
    listed = subprocess.run(
        [str(needs_litestream()), "ltx", "-level", "all", "-json",
         litestream.replica_url(str(replica))],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60, check=True,
    )  # fmt: skip
    entries: list[dict[str, object]] = json.loads(listed.stdout) or []
    return entries


def _level0_caught_up(replica: Path) -> datetime | None:
    """When level 0 (one file per sync, each stamped with its sync's time) holds every change
    the replica holds at any level, the newest of its times (whole seconds as listed; the
    files hold milliseconds); None while a change is only in a snapshot or compaction."""
    entries = _listing(replica)
    level0 = [entry for entry in entries if entry["level"] == 0]
    if not level0:
        return None
    newest_txid = max(int(str(entry["max_txid"]), 16) for entry in entries)
    if max(int(str(entry["max_txid"]), 16) for entry in level0) < newest_txid:
        return None
    return max(datetime.fromisoformat(str(entry["timestamp"])) for entry in level0)


def _when_level0_caught_up(replica: Path) -> datetime:
    """Wait for level 0 to hold every change in the replica; the newest of its times."""
    newest: list[datetime] = []

    def caught_up() -> bool:
        found = _level0_caught_up(replica)
        newest[:] = [found] if found is not None else []
        return bool(newest)

    wait_for(caught_up, "level 0 to hold every change in the replica")
    return newest[0]


def test_restore_at_a_time_gives_the_database_as_it_was_then(
    run_cli: RunCli, demo_db: Path, tmp_path: Path, replicator: Replicator
) -> None:
    # Conditions, not sleeps. Under load a sync comes late; the replica gains files of its
    # own (compactions, snapshots), so a new file does not mean the note is in; a change can
    # reach a snapshot before its own level-0 file, which is then stamped with an earlier
    # time; and the listing shows whole seconds of times kept in milliseconds.
    replica = tmp_path / "replica"
    probe = tmp_path / "probe.db"
    replicating = replicator(demo_db, replica)
    assert run_cli(demo_db, "note", "6", "written before the moment").returncode == 0
    wait_for(
        lambda: _replica_holds(replica, "before the moment", probe),
        "the first note in the replica",
    )
    # A second after the newest level-0 time as listed: after every change so far (the first
    # note's among them) to the millisecond. The second note waits until the clock is past
    # the moment by a second, so the sync that takes it is stamped after the moment.
    moment = _when_level0_caught_up(replica) + timedelta(seconds=1)
    wait_for(
        lambda: datetime.now(UTC) >= moment + timedelta(seconds=1),
        "the clock to pass the moment",
    )
    assert run_cli(demo_db, "note", "6", "written after the moment").returncode == 0
    wait_for(
        lambda: _replica_holds(replica, "after the moment", probe),
        "the second note in the replica",
    )
    replicating.send_signal(signal.SIGKILL)
    replicating.wait(timeout=30)

    then = tmp_path / "then.db"
    result = run_cli(None, "--tz", "UTC", "restore", "--from", str(replica), "--at",
                     moment.isoformat(), str(then))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "as of " in result.stderr
    assert _note_ids(then, "before the moment") and not _note_ids(then, "after the moment")

    latest = tmp_path / "latest.db"
    assert run_cli(None, "restore", "--from", str(replica), str(latest)).returncode == 0
    assert _note_ids(latest, "before the moment") and _note_ids(latest, "after the moment")
    assert run_cli(latest, "verify").returncode == 0


def test_a_restore_that_fails_verify_writes_nothing(
    run_cli: RunCli, demo_db: Path, tmp_path: Path, replicator: Replicator
) -> None:
    # A projection written straight into the table: verify finds it differs from the events.
    with closing(sqlite3.connect(demo_db)) as conn:
        conn.execute("UPDATE cases SET agency = 'Forged County' WHERE id = 1")
        conn.commit()
    replica = tmp_path / "replica"
    replicating = replicator(demo_db, replica)
    replicating.send_signal(signal.SIGKILL)
    replicating.wait(timeout=30)

    dest = tmp_path / "restored.db"
    result = run_cli(None, "restore", "--from", str(replica), str(dest))
    assert result.returncode == 1, result.stderr
    assert "failed verify" in result.stderr and "was not written" in result.stderr
    assert result.stdout.startswith("PROBLEM case 1: cases columns differ")
    assert not dest.exists()
    assert not list(tmp_path.glob(".caseboard-partial-*"))

    early = run_cli(None, "restore", "--from", str(replica), "--at", "2000-01-01", str(dest))
    assert early.returncode == 2
    assert "as of 2000-01-01" in early.stderr and not dest.exists()
