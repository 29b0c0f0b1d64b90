"""Two real processes record the recovery of one case at the same instant: exactly one lands.

Each worker imports caseboard, says it is ready, is then given a shared start time a moment
ahead, spins until it and runs `caseboard recover CASE ...` in-process (so both hit the
database within microseconds, however slowly the interpreters started on a busy machine). The
loser must exit 3 with a message naming who recorded the recovery and when; the database must
hold exactly one recovery event for the case.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseboard.identity import os_username

RunCli = Callable[..., Any]
ROUNDS = 5

WORKER = r"""
import sys, time
from caseboard.cli import main

arrived, argv = sys.argv[1], sys.argv[2:]
print("ready", flush=True)
start = float(sys.stdin.readline())
with open(arrived, "w") as handle:  # how early this worker reached the barrier
    handle.write(repr(start - time.time()))
while time.time() < start:
    pass
sys.exit(main(argv))
"""


def _copy(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="module")
def race_template(
    tmp_path_factory: pytest.TempPathFactory, initialised_db: Path, run_cli: RunCli
) -> Path:
    """An initialised database with one missing case per round (shared: copy it)."""
    folder = tmp_path_factory.mktemp("race")
    records = [
        {
            "name": f"Riley Racewell{n}",
            "age": 15,
            "learned_at": "-1h",
            "last_seen_at": "-2h",
            "last_seen_where": "Sample Group Home, 1 Example St",
            "placement_type": "group_home",
            "agency": "Fictional County DCFS",
        }
        for n in range(ROUNDS)
    ]
    source = folder / "cases.json"
    source.write_text(json.dumps(records))
    db = _copy(initialised_db, folder / "caseboard.db")
    result = run_cli(db, "import", str(source))
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("round_", range(ROUNDS), ids=lambda n: f"round{n + 1}")
def test_two_simultaneous_recoveries_one_lands_one_conflicts(
    race_template: Path, tmp_path: Path, round_: int
) -> None:
    db = _copy(race_template, tmp_path / "caseboard.db")
    case = round_ + 1
    now = datetime.now(UTC).replace(microsecond=0)
    contenders: dict[str, dict[str, Any]] = {
        "A": {"at": now - timedelta(minutes=20), "where": "Example City bus depot"},
        "B": {"at": now - timedelta(minutes=10), "where": "Sample Mall food court"},
    }
    workers = {
        tag: subprocess.Popen(
            [
                sys.executable, "-c", WORKER, str(tmp_path / f"arrived-{tag}"),
                "--db", str(db), "--tz", "UTC", "recover", str(case),
                "--at", spec["at"].isoformat(), "--where", spec["where"], "--by", f"Officer {tag}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag, spec in contenders.items()
    }  # fmt: skip
    for worker in workers.values():  # both interpreters up and caseboard imported
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    start = time.time() + 0.3
    for worker in workers.values():
        assert worker.stdin is not None
        worker.stdin.write(f"{start!r}\n")
        worker.stdin.flush()
    outcome: dict[str, tuple[int, str, str]] = {}
    for tag, worker in workers.items():
        out, err = worker.communicate(timeout=60)
        assert "Traceback" not in err, err
        outcome[tag] = (worker.returncode, out, err)

    # Both were waiting at the barrier before the start: a real race, not one after the other.
    for tag in contenders:
        assert float((tmp_path / f"arrived-{tag}").read_text()) > 0, f"{tag} came late"

    codes = sorted(code for code, _, _ in outcome.values())
    assert codes == [0, 3], outcome
    (winner,) = [tag for tag, (code, _, _) in outcome.items() if code == 0]
    (loser,) = [tag for tag in outcome if tag != winner]
    _, won_out, _ = outcome[winner]
    _, lost_out, lost_err = outcome[loser]

    assert re.fullmatch(r"\d+\n", won_out), repr(won_out)
    assert lost_out == ""
    # The loser is told who recorded the recovery, when the child was found, and where.
    won = contenders[winner]
    assert "already recovered" in lost_err, lost_err
    assert os_username() in lost_err, lost_err
    assert f"{won['at']:%Y-%m-%d %H:%M}" in lost_err, lost_err
    assert str(won["where"]) in lost_err, lost_err

    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT id, data FROM events WHERE case_id = ? AND type = 'recovery'", [case]
        ).fetchall()
        (status,) = conn.execute("SELECT status FROM cases WHERE id = ?", [case]).fetchone()
    assert len(rows) == 1, rows
    (event_id, data) = rows[0]
    assert event_id == int(won_out)
    assert json.loads(data)["where"] == won["where"]
    assert status == "recovered"
