"""The in-process `run_cli` leaves nothing behind that a child process would have taken with it."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

from cli.conftest import RunCli, cli_env


def test_the_environment_argv_and_handlers_are_put_back(fresh_db: Path, run_cli: RunCli) -> None:
    environ, argv, folder = dict(os.environ), list(sys.argv), tempfile.gettempdir()
    handlers = {number: signal.getsignal(number) for number in (signal.SIGHUP, signal.SIGTERM)}
    result = run_cli(fresh_db, "cases", env=cli_env(TMPDIR="/nonexistent", CASEBOARD_X="1"))
    assert result.returncode == 0, result.stderr
    assert dict(os.environ) == environ
    assert sys.argv == argv
    assert tempfile.gettempdir() == folder
    assert {number: signal.getsignal(number) for number in handlers} == handlers


def test_its_database_connections_are_closed(fresh_db: Path, run_cli: RunCli) -> None:
    assert run_cli(fresh_db, "operators", "add", "zed", "--role", "viewer").returncode == 0
    assert run_cli(fresh_db, "cases").returncode == 0
    # The last connection closed checkpoints the WAL and removes -wal and -shm, as at exit.
    assert not Path(f"{fresh_db}-wal").exists()
    assert not Path(f"{fresh_db}-shm").exists()
    fresh_db.unlink()


def test_stdin_is_never_a_terminal(fresh_db: Path, run_cli: RunCli) -> None:
    result = run_cli(fresh_db, "board")
    assert result.returncode == 2 and "needs a terminal" in result.stderr
