"""`operators add/list/disable`: roles checked, and the last supervisor stays."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caseboard.identity import os_username

RunCli = Callable[..., Any]
Counts = Callable[[Path], dict[str, int]]


def _operators(db: Path, run_cli: RunCli) -> dict[str, dict[str, Any]]:
    result = run_cli(db, "operators", "list", "--json")
    assert result.returncode == 0, result.stderr
    return {row["username"]: row for row in json.loads(result.stdout)}


def test_add_list_and_disable_an_operator(fresh_db: Path, run_cli: RunCli, counts: Counts) -> None:
    before = counts(fresh_db)
    added = run_cli(
        fresh_db, "operators", "add", "alice", "--role", "dispatcher", "--name", "Alice"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == ""
    operators = _operators(fresh_db, run_cli)
    assert operators["alice"]["role"] == "dispatcher"
    assert operators["alice"]["active"] in (1, True)
    assert operators["alice"]["name"] == "Alice"
    assert operators[os_username()]["role"] == "supervisor"
    assert counts(fresh_db)["events"] == before["events"] + 1, "adding an operator is audited"

    text = run_cli(fresh_db, "operators", "list")
    assert text.returncode == 0, text.stderr
    assert "alice" in text.stdout and "dispatcher" in text.stdout

    disabled = run_cli(fresh_db, "operators", "disable", "alice")
    assert disabled.returncode == 0, disabled.stderr
    assert _operators(fresh_db, run_cli)["alice"]["active"] in (0, False)
    assert counts(fresh_db)["events"] == before["events"] + 2


def test_an_unknown_role_is_bad_input(fresh_db: Path, run_cli: RunCli, counts: Counts) -> None:
    before = counts(fresh_db)
    result = run_cli(fresh_db, "operators", "add", "bob", "--role", "overlord")
    assert result.returncode == 2, result.stderr
    assert "--role" in result.stderr
    assert counts(fresh_db) == before
    assert "bob" not in _operators(fresh_db, run_cli)


def test_the_last_supervisor_cannot_be_disabled(
    fresh_db: Path, run_cli: RunCli, counts: Counts
) -> None:
    me = os_username()
    before = counts(fresh_db)
    result = run_cli(fresh_db, "operators", "disable", me)
    assert result.returncode == 2, result.stderr
    assert "last active supervisor" in result.stderr
    assert counts(fresh_db) == before
    assert _operators(fresh_db, run_cli)[me]["active"] in (1, True)


def test_the_last_supervisor_cannot_demote_themselves(
    fresh_db: Path, run_cli: RunCli, counts: Counts
) -> None:
    me = os_username()
    before = counts(fresh_db)
    result = run_cli(fresh_db, "operators", "add", me, "--role", "viewer")
    assert result.returncode == 2, result.stderr
    assert "last active supervisor" in result.stderr
    assert counts(fresh_db) == before
    assert _operators(fresh_db, run_cli)[me]["role"] == "supervisor"


def test_a_second_supervisor_lets_the_first_step_down(fresh_db: Path, run_cli: RunCli) -> None:
    me = os_username()
    assert run_cli(fresh_db, "operators", "add", "carol", "--role", "supervisor").returncode == 0
    result = run_cli(fresh_db, "operators", "disable", me)
    assert result.returncode == 0, result.stderr


def test_disabling_someone_who_is_not_an_operator_is_bad_input(
    fresh_db: Path, run_cli: RunCli
) -> None:
    result = run_cli(fresh_db, "operators", "disable", "nobody-here")
    assert result.returncode == 2, result.stderr
    assert "nobody-here" in result.stderr


def test_a_user_name_with_spaces_is_bad_input(fresh_db: Path, run_cli: RunCli) -> None:
    result = run_cli(fresh_db, "operators", "add", "two words", "--role", "viewer")
    assert result.returncode == 2, result.stderr
    assert "USER" in result.stderr
