"""`caseboard audit`: the access log for supervisors, filtered; append-only in the database."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cli.conftest import RunCli, cli_env


def _ssh(run_cli: RunCli, db: Path, operator: str, command: str) -> None:
    env = cli_env(SSH_CONNECTION="127.0.0.1 40000 127.0.0.1 22", SSH_ORIGINAL_COMMAND=command)
    run_cli(db, "ssh-shell", operator, env=env)


def test_audit_lists_who_did_what_from_where(demo_db: Path, run_cli: RunCli) -> None:
    assert run_cli(demo_db, "operators", "add", "liz", "--role", "liaison").returncode == 0
    _ssh(run_cli, demo_db, "liz", "cases")
    _ssh(run_cli, demo_db, "liz", "init")
    result = run_cli(demo_db, "audit", "--json", "--operator", "liz")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [set(e) for e in entries] == [
        {"at", "operator", "action", "case", "outcome", "source"}
    ] * 2
    assert [(e["action"], e["outcome"][:7], e["source"]) for e in entries] == [
        ("ssh: cases", "ok", "ssh 127.0.0.1"),
        ("ssh: init", "refused", "ssh 127.0.0.1"),
    ]
    text = run_cli(demo_db, "audit", "--since", "1h ago")
    assert text.returncode == 0 and "ssh: init" in text.stdout
    nothing = run_cli(demo_db, "audit", "--json", "--until", "2h ago")
    assert json.loads(nothing.stdout) == []


def test_audit_needs_a_supervisor(demo_db: Path, run_cli: RunCli) -> None:
    assert run_cli(demo_db, "operators", "add", "liz", "--role", "liaison").returncode == 0
    env = cli_env(SSH_ORIGINAL_COMMAND="audit --json")
    result = run_cli(demo_db, "ssh-shell", "liz", env=env)
    assert result.returncode == 4 and "audit needs one of: supervisor" in result.stderr


@pytest.mark.parametrize(
    "statement", ["UPDATE access_log SET outcome = 'ok'", "DELETE FROM access_log"]
)
def test_the_access_log_is_append_only(demo_db: Path, run_cli: RunCli, statement: str) -> None:
    run_cli(demo_db, "--readonly", "intake", "--name=x")  # something to log
    _ssh(run_cli, demo_db, "nosuch", "cases")
    with closing(sqlite3.connect(demo_db)) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute(statement)


def test_bad_audit_times_are_exit_2(demo_db: Path, run_cli: RunCli) -> None:
    result = run_cli(demo_db, "audit", "--since", "soon-ish")
    assert result.returncode == 2 and "--since" in result.stderr
    backwards = run_cli(demo_db, "audit", "--since", "1h ago", "--until", "2h ago")
    assert backwards.returncode == 2
