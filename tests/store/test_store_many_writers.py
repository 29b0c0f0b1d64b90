"""Eight processes writing 500 events each at once: nothing lost, never "database is locked",
and every stored case projection equals a replay of its events."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from caseboard import services
from caseboard.domain.model import replay, state_to_dict
from caseboard.store.codec import event_from_row, state_from_row
from caseboard.store.writer import GENESIS_HASH, event_hash
from support.workers import run_together

PROCESSES = 8
EVENTS_EACH = 500
CASES = 12

# Each worker waits for the common start signal, then writes EVENTS_EACH events through the
# services (the one write path: BEGIN IMMEDIATE, event, projection, audit hash), one
# transaction each, cycling through notes, sightings, contacts and risk changes on every case.
WORKER = r"""
import json, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.clock import system_clock
from caseboard.domain import policy as policy_module
from caseboard.identity import os_username
from caseboard.services import actions
from caseboard.store.writer import Actor

db, folder, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
count, cases = int(sys.argv[4]), json.loads(sys.argv[5])
policy = policy_module.load(paths.builtin_policy_text("federal"))
session = services.open_session(db, Actor(os_username()), policy, ZoneInfo("UTC"), system_clock)
(folder / f"ready-{tag}").touch()
deadline = time.monotonic() + 60
while not (folder / "go").exists():
    if time.monotonic() > deadline:
        sys.exit("no start signal")
    time.sleep(0.0005)
written, errors = [], []
for index in range(count):
    case_id = cases[(index + int(tag)) % len(cases)]
    kind = index % 4
    try:
        if kind == 0:
            done = actions.add_note(session, case_id, f"worker {tag} note {index}")
        elif kind == 1:
            done = actions.log_sighting(
                session, case_id, {"at": "now", "where": f"Place {tag}-{index}", "confirmed": True}
            )
        elif kind == 2:
            done = actions.log_contact(session, case_id, {"at": "now", "how": "phone"})
        else:
            factor = ("substance_use", "gang_weapon")[index % 2]
            change = {"remove" if (index // 4) % 2 else "add": [factor]}
            (done,) = actions.change_risk(session, case_id, **change)
        written.append(done.event_id)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
print(json.dumps({"tag": tag, "written": written, "errors": errors}))
"""


def test_eight_writer_processes_lose_nothing_and_projections_equal_replays(
    make_session: Callable[..., services.Session], db_path: Path, tmp_path: Path
) -> None:
    session = make_session()
    cases = [
        services.open_case(
            session,
            {
                "name": f"Writer Test Child {n:02d}",
                "age": 15,
                "learned_at": "2h ago",
                "last_seen_at": "3h ago",
                "last_seen_where": "Concurrency Test House",
                "placement_type": "group_home",
                "agency": "Fictional County DCFS",
            },
        )
        for n in range(CASES)
    ]
    session.db.conn.close()
    with closing(sqlite3.connect(db_path)) as conn:
        events_before = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    folder = tmp_path / "barrier"
    folder.mkdir()
    args = (str(EVENTS_EACH), json.dumps(cases))
    results = run_together(
        WORKER,
        folder,
        {str(n): (str(db_path), str(folder), str(n), *args) for n in range(PROCESSES)},
        timeout=240,
    )

    written: list[int] = []
    for returncode, stdout, stderr in results:
        assert "database is locked" not in stdout + stderr
        assert returncode == 0, stderr
        report = json.loads(stdout)
        assert report["errors"] == [], report["errors"][:5]
        assert len(report["written"]) == EVENTS_EACH
        written.extend(report["written"])
    assert len(set(written)) == PROCESSES * EVENTS_EACH, "two writes were given one event id"

    with closing(sqlite3.connect(db_path)) as conn:
        conn.row_factory = sqlite3.Row
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = [dict(row) for row in conn.execute("SELECT * FROM events ORDER BY id")]
        stored = {row["id"]: dict(row) for row in conn.execute("SELECT * FROM cases")}

    # Nothing lost: every event each worker was told about is there, and nothing else appeared.
    assert len(rows) == events_before + PROCESSES * EVENTS_EACH
    assert set(written) <= {row["id"] for row in rows}
    assert [row["id"] for row in rows] == list(range(1, len(rows) + 1))
    prev_hash = GENESIS_HASH
    for row in rows:
        assert row["prev_hash"] == prev_hash and event_hash(prev_hash, row) == row["hash"]
        prev_hash = row["hash"]

    # Every case's projection is exactly the fold of its events, in log order.
    per_case = Counter(row["case_id"] for row in rows if row["case_id"] is not None)
    assert sorted(per_case) == sorted(cases)
    for case_id, projection in stored.items():
        events = [event_from_row(row) for row in rows if row["case_id"] == case_id]
        replayed = replay(events, projection["child_id"])
        assert state_to_dict(replayed) == state_to_dict(state_from_row(projection))
        assert projection["version"] == per_case[case_id] == len(events)
        assert projection["last_event_id"] == events[-1].id
