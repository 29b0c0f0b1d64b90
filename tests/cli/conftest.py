"""CLI-test helpers: run `caseboard` (in process, or as a real child process), prepared
databases, counts."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from support.inprocess import run_in_process

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "fixtures" / "demo.json"
TABLES = ("events", "cases", "children", "operators", "access_log")

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def cli_env(**extra: str) -> dict[str, str]:
    """The test's environment without anything that would point caseboard elsewhere."""
    env = {key: value for key, value in os.environ.items() if key != "CASEBOARD_DB"}
    env.update(extra)
    return env


def _no_traceback(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def run_caseboard(
    db: Path | None,
    *args: str,
    timeout: float = 60,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`caseboard [--db DB] ARGS...` in this process (`cli.main`, the real clock), as a child
    process would have run it (support/inprocess.py: run_in_process); never a traceback,
    whatever the exit code. `env` replaces the environment for the call, as subprocess.run's
    does (default: cli_env()); `timeout` is accepted for the same signature and left to
    pytest-timeout. Anything a separate process is needed for (another OS user, a umask, signals,
    a real race) uses run_caseboard_subprocess, the `run_subprocess` fixture."""
    del timeout
    head = ["--db", str(db)] if db is not None else []
    result = run_in_process([*head, *args], env=cli_env() if env is None else env, input=input)
    return _no_traceback(result)


def run_caseboard_subprocess(
    db: Path | None, *args: str, timeout: float = 60, **popen: Any
) -> subprocess.CompletedProcess[str]:
    """`python -m caseboard [--db DB] ARGS...` in a real child process; never a traceback."""
    command = [sys.executable, "-m", "caseboard"]
    if db is not None:
        command += ["--db", str(db)]
    popen.setdefault("env", cli_env())
    result = subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **popen,
    )
    return _no_traceback(result)


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a database file (sqlite3's backup, so WAL content comes along)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def read_counts(path: Path) -> dict[str, int]:
    """Committed rows per caseboard table."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES
        }


@pytest.fixture(scope="session", autouse=True)
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the CLI's per-user files (crash log, default database) out of the real home."""
    folder = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(folder / "state"))
        patch.setenv("XDG_DATA_HOME", str(folder / "data"))
        patch.delenv("CASEBOARD_DB", raising=False)
        yield folder


@pytest.fixture(scope="session")
def run_cli() -> RunCli:
    """`run_cli(db, *args, env=..., input=...)` -> CompletedProcess (text), run in process."""
    return run_caseboard


@pytest.fixture(scope="session")
def run_subprocess() -> RunCli:
    """`run_subprocess(db, *args, **subprocess_options)` -> CompletedProcess (text), run as a
    real `python -m caseboard` child process: for what needs a process of its own."""
    return run_caseboard_subprocess


@pytest.fixture(scope="session")
def initialised_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by `caseboard init` (shared: copy it before writing)."""
    path = tmp_path_factory.mktemp("initialised") / "caseboard.db"
    result = run_caseboard(path, "init")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def imported_db(tmp_path_factory: pytest.TempPathFactory, initialised_db: Path) -> Path:
    """`init` then `import fixtures/demo.json` (shared: copy it before writing)."""
    path = copy_database(initialised_db, tmp_path_factory.mktemp("imported") / "caseboard.db")
    result = run_caseboard(path, "import", str(DEMO))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def fresh_db(initialised_db: Path, db_path: Path) -> Path:
    """This test's own copy of the initialised database."""
    return copy_database(initialised_db, db_path)


@pytest.fixture
def demo_db(imported_db: Path, db_path: Path) -> Path:
    """This test's own copy of the database with the demo fixtures imported."""
    return copy_database(imported_db, db_path)


@pytest.fixture(scope="session")
def counts() -> Callable[[Path], dict[str, int]]:
    """`counts(path)` -> committed rows per caseboard table."""
    return read_counts
