"""Several real processes writing to one file at once: every write lands, in one audit chain."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from caseboard import services
from caseboard.store.writer import GENESIS_HASH, event_hash
from support.workers import run_together

PROCESSES = 3
CASES_EACH = 40

# Each worker opens its own session, says it is ready, waits for the common start signal, then
# opens its cases one after another (with a pause between them, if given) and reports the ids it
# got and any errors.
WORKER = r"""
import json, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.clock import system_clock
from caseboard.domain import policy as policy_module
from caseboard.identity import os_username
from caseboard.store.writer import Actor

db, folder, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
count, pause = int(sys.argv[4]), float(sys.argv[5])
policy = policy_module.load(paths.builtin_policy_text("federal"))
session = services.open_session(db, Actor(os_username()), policy, ZoneInfo("UTC"), system_clock)
(folder / f"ready-{tag}").touch()
deadline = time.monotonic() + 60
while not (folder / "go").exists():
    if time.monotonic() > deadline:
        sys.exit("no start signal")
    time.sleep(0.0005)
ids, errors = [], []
for index in range(count):
    record = {
        "name": f"Worker{tag} Child{index:03d}",
        "age": 15,
        "learned_at": "-1h",
        "last_seen_at": "-2h",
        "last_seen_where": "Concurrency Test House",
        "placement_type": "group_home",
        "agency": "Fictional County DCFS",
    }
    try:
        ids.append(services.open_case(session, record))
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    time.sleep(pause)
print(json.dumps({"tag": tag, "ids": ids, "errors": errors}))
"""


# "burst": every process writes back to back, so most writes find the lock taken and must wait.
# "paced": a breath between writes, as between operators' keystrokes, so the processes'
# transactions interleave closely (one process does not win every race for the lock).
@pytest.mark.parametrize("pause", [0.0, 0.003], ids=["burst", "paced"])
def test_concurrent_writer_processes_all_land_in_one_intact_chain(
    make_session: Callable[..., services.Session], db_path: Path, tmp_path: Path, pause: float
) -> None:
    make_session().db.conn.close()
    folder = tmp_path / "barrier"
    folder.mkdir()
    tags = [chr(ord("A") + n) for n in range(PROCESSES)]
    results = run_together(
        WORKER,
        folder,
        {tag: (str(db_path), str(folder), tag, str(CASES_EACH), str(pause)) for tag in tags},
        timeout=120,
    )

    reports = []
    for returncode, stdout, stderr in results:
        assert "database is locked" not in stdout + stderr
        assert returncode == 0, stderr
        reports.append(json.loads(stdout))
    for report in reports:
        assert report["errors"] == [], report["errors"]
        assert len(report["ids"]) == CASES_EACH

    reported_ids = [case_id for report in reports for case_id in report["ids"]]
    total = PROCESSES * CASES_EACH
    assert len(set(reported_ids)) == total, "two writers were given the same case id"

    with closing(sqlite3.connect(db_path)) as conn:
        conn.row_factory = sqlite3.Row
        cases = {row["id"]: row["last_seen_where"] for row in conn.execute("SELECT * FROM cases")}
        names = {
            row["id"]: row["name"]
            for row in conn.execute(
                "SELECT cases.id, children.name FROM cases JOIN children ON children.id = child_id"
            )
        }
        events = [dict(row) for row in conn.execute("SELECT * FROM events ORDER BY id")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    assert sorted(cases) == sorted(reported_ids) == list(range(1, total + 1))
    for report in reports:
        for case_id in report["ids"]:
            assert names[case_id].startswith(f"Worker{report['tag']} ")
    if pause:
        owners = [names[case_id].split()[0] for case_id in sorted(names)]
        switches = sum(a != b for a, b in itertools.pairwise(owners))
        assert switches >= PROCESSES, "the writers never overlapped; the test proved nothing"
    expected_names = {f"Worker{tag} Child{i:03d}" for tag in tags for i in range(CASES_EACH)}
    assert set(names.values()) == expected_names

    # One operator event from init, then one intake event per case; ids without gaps.
    assert [event["id"] for event in events] == list(range(1, total + 2))
    prev_hash = GENESIS_HASH
    for event in events:
        assert event["prev_hash"] == prev_hash, f"chain broken before event {event['id']}"
        assert event_hash(prev_hash, event) == event["hash"], f"event {event['id']} hash"
        prev_hash = event["hash"]
