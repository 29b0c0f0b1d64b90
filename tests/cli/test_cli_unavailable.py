"""Exit 5: a missing, foreign, corrupt or locked database gets one clear sentence, no traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from caseboard.store import connection

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]

# caseboard.store.connection.BUSY_TIMEOUT_S (10 s) is how long a write waits for a lock before
# exit 5; the CLI runs in this process here, so the test sets a short one instead of waiting 10 s.
BUSY_TIMEOUT_S = 0.5

INTAKE = [
    "intake",
    "--name=Lockie Waitwell",
    "--age=14",
    "--learned=1h ago",
    "--last-seen=2h ago",
    "--where=Sample Group Home",
    "--placement=group_home",
    "--agency=Fictional County DCFS",
]


def _one_sentence(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("caseboard: ")
    return lines[0]


# A real child process (run_subprocess): exit 5 through `python -m caseboard` itself.
@pytest.mark.parametrize("args", [["cases"], ["cases", "--json"], ["show", "1"], INTAKE])
def test_a_missing_database_says_to_run_init(
    tmp_path: Path, run_subprocess: RunCli, args: list[str]
) -> None:
    path = tmp_path / "missing.db"
    result = run_subprocess(path, *args)
    assert result.returncode == 5, result.stderr
    message = _one_sentence(result.stderr)
    assert "init" in message
    assert str(path) in message
    assert result.stdout == ""
    assert not path.exists(), "reading must not create the database"


def _text_file(path: Path) -> None:
    path.write_text("this is a shopping list, not a database\n")


def _corrupt(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (title TEXT)")
        conn.commit()


@pytest.mark.parametrize(
    "make", [_text_file, _corrupt, _foreign], ids=["text", "corrupt", "foreign"]
)
@pytest.mark.parametrize("args", [["cases"], ["init"], INTAKE], ids=["cases", "init", "intake"])
def test_a_file_that_is_not_a_caseboard_database_is_unavailable(
    tmp_path: Path, run_cli: RunCli, make: Callable[[Path], None], args: list[str]
) -> None:
    path = tmp_path / "caseboard.db"
    make(path)
    result = run_cli(path, *args)
    assert result.returncode == 5, result.stderr
    message = _one_sentence(result.stderr)
    assert str(path) in message
    assert "database" in message
    assert result.stdout == ""


def test_init_does_not_overwrite_a_file_that_is_not_a_database(
    tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "caseboard.db"
    _text_file(path)
    original = path.read_bytes()
    assert run_cli(path, "init").returncode == 5
    assert path.read_bytes() == original


def _hold_exclusive(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def test_a_database_locked_too_long_is_exit_5_and_nothing_is_written(
    fresh_db: Path, run_cli: RunCli, counts: Counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It waits out the busy timeout of the CLI (shortened: see BUSY_TIMEOUT_S)."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", BUSY_TIMEOUT_S)
    before = counts(fresh_db)
    holder = _hold_exclusive(fresh_db)
    try:
        started = time.monotonic()
        result = run_cli(fresh_db, *INTAKE, timeout=BUSY_TIMEOUT_S + 50)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 5, result.stderr
    message = _one_sentence(result.stderr)
    assert "locked" in message
    assert result.stdout == ""
    assert waited >= BUSY_TIMEOUT_S * 0.8, "gave up before the busy timeout"
    assert counts(fresh_db) == before


def test_a_write_waits_for_a_short_lock_and_then_lands(fresh_db: Path, counts: Counts) -> None:
    before = counts(fresh_db)
    holder = _hold_exclusive(fresh_db)
    try:
        writer = subprocess.Popen(
            [sys.executable, "-m", "caseboard", "--db", str(fresh_db), *INTAKE],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)
        assert writer.poll() is None, "the write did not wait for the lock"
    finally:
        holder.execute("COMMIT")
        holder.close()
    stdout, stderr = writer.communicate(timeout=60)
    assert writer.returncode == 0, stderr
    assert stdout.strip().isdigit()
    assert counts(fresh_db)["cases"] == before["cases"] + 1


@pytest.mark.parametrize("args", [["cases"], ["init"]], ids=["cases", "init"])
def test_a_directory_given_as_the_database_is_unavailable(
    tmp_path: Path, run_cli: RunCli, args: list[str]
) -> None:
    folder = tmp_path / "caseboard.db"
    folder.mkdir()
    result = run_cli(folder, *args)
    assert result.returncode == 5, result.stderr
    assert str(folder) in _one_sentence(result.stderr)
