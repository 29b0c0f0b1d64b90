"""`ssh-shell OPERATOR`, as an SSH key's forced command runs it: the client's command as that
operator with their role, refusals with exit 4, and every attempt in the access log."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from cli.conftest import RunCli, cli_env

CLIENT = "127.0.0.9 50022 127.0.0.1 22"


def _ssh(
    run_cli: RunCli, db: Path, operator: str, command: str | None
) -> subprocess.CompletedProcess[str]:
    extra = {"SSH_CONNECTION": CLIENT}
    if command is not None:
        extra["SSH_ORIGINAL_COMMAND"] = command
    return run_cli(db, "ssh-shell", operator, env=cli_env(**extra))


def _log(db: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT username, action, outcome, source FROM access_log ORDER BY id"
        ).fetchall()


@pytest.fixture
def liaison_db(demo_db: Path, run_cli: RunCli) -> Path:
    assert run_cli(demo_db, "operators", "add", "liz", "--role", "liaison").returncode == 0
    return demo_db


def test_a_command_runs_as_the_operator(liaison_db: Path, run_cli: RunCli) -> None:
    result = _ssh(run_cli, liaison_db, "liz", "cases --json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"]
    note = _ssh(run_cli, liaison_db, "liz", "note 8 'seen at the library'")
    assert note.returncode == 0, note.stderr
    with closing(sqlite3.connect(liaison_db)) as conn:
        (actor,) = conn.execute("SELECT actor FROM events ORDER BY id DESC LIMIT 1").fetchone()
    assert actor == "liz"
    assert _log(liaison_db)[-1] == (
        "liz",
        "ssh: note 8 'seen at the library'",
        "ok",
        "ssh 127.0.0.9",
    )


def test_the_operators_role_applies(liaison_db: Path, run_cli: RunCli, counts: object) -> None:
    result = _ssh(
        run_cli,
        liaison_db,
        "liz",
        "intake --name 'Nora Example' --age 13 --learned '1h ago' --last-seen '2h ago'"
        " --where 'Sample St' --placement kin --agency 'Fictional County DCFS'",
    )
    assert result.returncode == 4, result.stderr
    assert "liz is a liaison" in result.stderr


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("sh", "not a caseboard command"),
        ("cases; id", "not a caseboard command"),
        ("bash -c id", "not a caseboard command"),
        ("scp -t /tmp", "not a caseboard command"),
        ("/usr/lib/openssh/sftp-server", "not a caseboard command"),
        ("--db /tmp/other.db cases", "picks another database"),
        ("--db=/tmp/other.db cases", "picks another database"),
        ("--d /tmp/other.db cases", "picks another database"),
        ("--policy /tmp/p.toml cases", "picks another database"),
        ("init", "not available here"),
        ("demo", "not available here"),
        ("keys list", "not available here"),
        ("ssh-shell boss", "not available here"),
        ("import /etc/passwd", "not available here"),
        ("backup /tmp/copy.db", "not available here"),
        ("handover --out /tmp/h.md", "writes a file on the host"),
    ],
)
def test_refused_commands_are_exit_4_and_logged(
    liaison_db: Path, run_cli: RunCli, command: str, says: str
) -> None:
    result = _ssh(run_cli, liaison_db, "liz", command)
    assert result.returncode == 4, (command, result.stderr)
    assert says in result.stderr
    user, action, outcome, source = _log(liaison_db)[-1]
    assert (user, action, source) == ("liz", f"ssh: {command}", "ssh 127.0.0.9")
    assert outcome.startswith("refused")


@pytest.mark.parametrize("operator", ["nosuch", "gone"])
def test_unknown_and_disabled_operators_get_nothing(
    liaison_db: Path, run_cli: RunCli, operator: str
) -> None:
    assert run_cli(liaison_db, "operators", "add", "gone", "--role", "viewer").returncode == 0
    assert run_cli(liaison_db, "operators", "disable", "gone").returncode == 0
    result = _ssh(run_cli, liaison_db, operator, "cases")
    assert result.returncode == 4 and result.stdout == ""
    assert _log(liaison_db)[-1][0] == operator


def test_ssh_shell_refuses_a_database_others_can_write(liaison_db: Path, run_cli: RunCli) -> None:
    liaison_db.chmod(0o666)
    result = _ssh(run_cli, liaison_db, "liz", "cases")
    assert result.returncode == 4
    assert "service-account mode" in result.stderr


def test_a_command_line_that_cannot_be_split_is_bad_input(
    liaison_db: Path, run_cli: RunCli
) -> None:
    result = _ssh(run_cli, liaison_db, "liz", "note 8 'unbalanced")
    assert result.returncode == 2
    assert _log(liaison_db)[-1][2].startswith("refused")
