"""Who may write: unknown operators (also a real other OS account) and --readonly get exit 4."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard import services
from caseboard.clock import frozen_clock
from caseboard.domain.policy import Policy
from caseboard.identity import os_username
from caseboard.store.writer import Actor
from support.accounts import python_for

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]

CONTENT = ("events", "cases", "children", "operators")

INTAKE = [
    "intake",
    "--name=Nora Notallowed",
    "--age=13",
    "--learned=1h ago",
    "--last-seen=2h ago",
    "--where=Sample Kin Home, 4 Example Ct",
    "--placement=kin",
    "--agency=Fictional County DCFS",
]


def _import_file(folder: Path) -> Path:
    path = folder / "one.json"
    record = {
        "name": "Ivy Importless",
        "age": 16,
        "learned_at": "-1h",
        "last_seen_at": "-2h",
        "last_seen_where": "Sample Shelter",
        "placement_type": "shelter",
        "agency": "Fictional County DCFS",
    }
    path.write_text(json.dumps([record]))
    path.chmod(0o644)
    return path


def _content(counts: dict[str, int]) -> dict[str, int]:
    return {table: counts[table] for table in CONTENT}


# --- an OS user who is not an operator ---------------------------------------------------------


def test_an_unknown_operator_is_refused_and_told_how_to_be_added(
    db_path: Path,
    tmp_path: Path,
    policy: Policy,
    zone: ZoneInfo,
    now: datetime,
    run_cli: RunCli,
    counts: Counts,
) -> None:
    # The database belongs to someone else: its first (and only) operator is not this OS user.
    session, _, made = services.init_database(
        db_path, Actor("someone-else"), policy, zone, frozen_clock(now)
    )
    session.db.conn.close()
    assert made
    me = os_username()
    assert me != "someone-else"
    before = counts(db_path)
    attempts = [
        INTAKE,
        ["import", str(_import_file(tmp_path))],
        ["operators", "add", me, "--role", "supervisor"],
    ]
    for args in attempts:
        result = run_cli(db_path, *args)
        assert result.returncode == 4, (args, result.stderr)
        assert result.stdout == ""
        assert f"caseboard operators add {me}" in result.stderr, result.stderr
        assert "supervisor" in result.stderr
    after = counts(db_path)
    assert _content(after) == _content(before), "a refusal wrote something"
    assert after["access_log"] == before["access_log"] + len(attempts), "refusals are logged"


def test_identity_ignores_user_and_logname(
    db_path: Path,
    policy: Policy,
    zone: ZoneInfo,
    now: datetime,
    run_cli: RunCli,
    counts: Counts,
) -> None:
    session, _, _ = services.init_database(
        db_path, Actor("someone-else"), policy, zone, frozen_clock(now)
    )
    session.db.conn.close()
    before = counts(db_path)
    env = {key: value for key, value in os.environ.items() if key != "CASEBOARD_DB"}
    env.update(USER="someone-else", LOGNAME="someone-else", USERNAME="someone-else")
    result = run_cli(db_path, *INTAKE, env=env)
    assert result.returncode == 4, result.stderr
    assert f"caseboard operators add {os_username()}" in result.stderr
    assert _content(counts(db_path)) == _content(before)


NOBODY_REASON = "needs root to run the CLI as a different OS account (subprocess user=)"


def _nobody() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("there is no 'nobody' account on this system")


def _interpreter_for(account: pwd.struct_passwd, folder: Path) -> tuple[list[str], dict[str, str]]:
    """A Python that `account` can run caseboard with, its per-user files kept in `folder`."""
    base_env = {
        key: value for key, value in os.environ.items() if key not in ("CASEBOARD_DB", "SUDO_UID")
    }
    base_env.update(
        HOME=str(folder), XDG_STATE_HOME=str(folder / "state"), XDG_DATA_HOME=str(folder / "data")
    )
    found = python_for(account, folder, base_env)
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A world-writable folder outside pytest's private (0700) temporary tree."""
    folder = Path(tempfile.mkdtemp(prefix="caseboard-other-user-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def as_nobody(shared_folder: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`as_nobody(db, *args, env=...)`: the CLI run by the real 'nobody' OS account."""
    if not hasattr(os, "getuid") or os.getuid() != 0:
        pytest.skip(NOBODY_REASON)
    account = _nobody()
    command, base_env = _interpreter_for(account, shared_folder)

    def run(db: Path, *args: str, env: dict[str, str] | None = None) -> Any:
        result = subprocess.run(
            [*command, "-m", "caseboard", "--db", str(db), *args],
            capture_output=True,
            text=True,
            cwd=shared_folder,
            env={**base_env, **(env or {})},
            user=account.pw_uid,
            group=account.pw_gid,
            extra_groups=[],
            timeout=60,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return run


def _shared_copy(imported_db: Path, folder: Path, mode: int) -> Path:
    db = folder / "caseboard.db"
    with closing(sqlite3.connect(imported_db)) as src, closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
    db.chmod(mode)
    return db


def test_a_real_other_os_account_is_refused(
    imported_db: Path, shared_folder: Path, as_nobody: Callable[..., Any], counts: Counts
) -> None:
    db = _shared_copy(imported_db, shared_folder, 0o666)
    before = counts(db)
    # Setting SUDO_UID (or USER) by hand must not let an ordinary account pass for the supervisor.
    me = os_username()
    attempts = [INTAKE, ["import", str(_import_file(shared_folder))]]
    for args in attempts:
        for env, says in (
            ({"USER": me, "LOGNAME": me}, "caseboard operators add nobody"),
            # SUDO_UID on a file nobody does not own alone: not believed, and not run as nobody.
            ({"SUDO_UID": str(pwd.getpwnam(me).pw_uid)}, "sudo works only in service-account"),
        ):
            result = as_nobody(db, *args, env=env)
            assert result.returncode == 4, (args, result.stderr)
            assert result.stdout == ""
            assert says in result.stderr, result.stderr
    after = counts(db)
    assert _content(after) == _content(before), "a refusal wrote something"
    assert after["access_log"] == before["access_log"] + 2 * len(attempts)


def test_a_database_the_account_cannot_read_is_unavailable(
    imported_db: Path, shared_folder: Path, as_nobody: Callable[..., Any]
) -> None:
    db = _shared_copy(imported_db, shared_folder, 0o600)  # root's file, private
    for args in (["cases"], ["init"]):
        result = as_nobody(db, *args)
        assert result.returncode == 5, (args, result.returncode, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(db) in lines[0], result.stderr


# --- --readonly --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        INTAKE,
        ["import", "{import_file}"],
        ["operators", "add", "alice", "--role", "dispatcher"],
        ["operators", "disable", "{me}"],
        ["init"],
    ],
    ids=["intake", "import", "operators-add", "operators-disable", "init"],
)
def test_readonly_refuses_every_write(
    demo_db: Path, tmp_path: Path, run_cli: RunCli, counts: Counts, args: list[str]
) -> None:
    import_file = str(_import_file(tmp_path))
    args = [a.format(import_file=import_file, me=os_username()) for a in args]
    before = counts(demo_db)
    result = run_cli(demo_db, "--readonly", *args)
    assert result.returncode == 4, result.stderr
    assert "read-only" in result.stderr
    assert result.stdout == ""
    assert counts(demo_db) == before, "read-only mode wrote something"


@pytest.mark.parametrize(
    "args",
    [
        ["cases"],
        ["cases", "--json"],
        ["cases", "--all", "--json"],
        ["show", "1"],
        ["show", "1", "--json"],
    ],
)
def test_readonly_still_reads(imported_db: Path, run_cli: RunCli, args: list[str]) -> None:
    result = run_cli(imported_db, "--readonly", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    if "--json" in args:
        json.loads(result.stdout)


def test_readonly_operators_list_works_for_a_supervisor(imported_db: Path, run_cli: RunCli) -> None:
    result = run_cli(imported_db, "--readonly", "operators", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert [row["username"] for row in json.loads(result.stdout)] == [os_username()]
