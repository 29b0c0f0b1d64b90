"""Backups leave nothing behind (issue 16): a `backup` killed midway leaves its temporary copy
under a recognisable name, the next `backup` removes it, a copy still being written is never
touched, and every copy is written 0600."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from caseboard.store import backup as store_backup
from cli.conftest import RunCli, cli_env, copy_database
from ops.conftest import wait_for

BALLAST_MB = 60


def _partials(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{store_backup.PARTIAL_PREFIX}*"))


@pytest.fixture
def big_db(initialised_db: Path, tmp_path: Path) -> Path:
    """A caseboard database of about 60 MB, so that a backup of it takes a while."""
    db = copy_database(initialised_db, tmp_path / "big.db")
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE ballast (b BLOB)")
        for _ in range(BALLAST_MB):
            conn.execute("INSERT INTO ballast VALUES (randomblob(1000000))")
        conn.commit()
    return db


def _kill_once_the_copy_exists(process: subprocess.Popen[str], folder: Path) -> Path:
    """SIGKILL the backup while its temporary copy exists. The process is stopped (SIGSTOP)
    whenever the folder is looked at and let run a few milliseconds at a time, so the copy's
    lifetime (hundreds of milliseconds for this database) cannot fall between two looks."""
    while True:
        process.send_signal(signal.SIGSTOP)
        os.waitpid(process.pid, os.WUNTRACED)
        found = _partials(folder)
        if found:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return found[0]
        process.send_signal(signal.SIGCONT)
        if process.poll() is not None:
            pytest.fail(f"the backup ended (exit {process.returncode}) before it was caught")
        time.sleep(0.002)


def test_a_backup_killed_midway_leaves_a_copy_the_next_backup_removes(
    run_cli: RunCli, big_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "caseboard", "--db", str(big_db), "backup", str(folder / "a.db")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=cli_env(),
    )
    leftover = _kill_once_the_copy_exists(process, folder)
    assert process.returncode == -signal.SIGKILL
    assert not (folder / "a.db").exists()
    assert leftover.exists(), "the kill came after the copy was gone"
    assert leftover.stat().st_mode & 0o777 == 0o600

    result = run_cli(big_db, "backup", str(folder / "b.db"))
    assert result.returncode == 0, result.stderr
    assert _partials(folder) == []
    assert sorted(path.name for path in folder.iterdir()) == ["b.db"]
    assert (folder / "b.db").stat().st_mode & 0o777 == 0o600


HOLDER = r"""
import sys, time
from pathlib import Path
from caseboard.store import backup
backup.create_temporary(Path(sys.argv[1]))
print("holding", flush=True)
time.sleep(600)
"""


def test_a_copy_still_being_written_is_never_removed(tmp_path: Path) -> None:
    temporary = store_backup.temporary_for(tmp_path / "dest.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(temporary)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        assert store_backup.sweep(tmp_path) == []
        assert temporary.exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    # Its writer is gone: now it is a leftover, with whatever side files it had.
    Path(f"{temporary}-journal").write_bytes(b"")
    assert store_backup.sweep(tmp_path) == [temporary]
    assert list(tmp_path.iterdir()) == []


def test_other_files_and_links_with_the_prefix_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / f"{store_backup.PARTIAL_PREFIX}1-ab-x.db"
    link.symlink_to(target)
    os.mkfifo(tmp_path / f"{store_backup.PARTIAL_PREFIX}2-cd-y.db")
    assert store_backup.sweep(tmp_path) == []
    assert target.read_text() == "keep me"
    assert link.is_symlink()


def test_a_backup_of_a_group_database_is_written_0600(
    run_cli: RunCli, fresh_db: Path, tmp_path: Path
) -> None:
    fresh_db.chmod(0o660)
    dest = tmp_path / "copy.db"
    result = run_cli(fresh_db, "backup", str(dest))
    assert result.returncode == 0, result.stderr
    assert dest.stat().st_mode & 0o777 == 0o600
    wait_for(lambda: not _partials(tmp_path), "no temporary copy")
