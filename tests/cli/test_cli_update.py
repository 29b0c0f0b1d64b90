"""`caseboard update CASE [--FIELD VALUE ...]`: the packet completed after intake, as one event."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.conftest import RunCli

Counts = Callable[[Path], dict[str, int]]


def _case(run_cli: RunCli, db: Path, case_id: int) -> dict[str, object]:
    result = run_cli(db, "show", str(case_id), "--json")
    assert result.returncode == 0, result.stderr
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_update_adds_changes_and_clears_fields_in_one_event(demo_db: Path, run_cli: RunCli) -> None:
    before = _case(run_cli, demo_db, 8)
    result = run_cli(
        demo_db, "update", "8", "--caseworker", "J. Example", "--caseworker-phone", "555-0100",
        "--marks", "",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    event_id = int(result.stdout.strip())
    after = _case(run_cli, demo_db, 8)
    packet = after["packet"]
    assert isinstance(packet, dict)
    assert packet["caseworker"] == "J. Example" and packet["caseworker_phone"] == "555-0100"
    assert packet.get("marks") in (None, "")
    assert after["packet_complete"] != before["packet_complete"]
    events = after["events"]
    assert isinstance(events, list) and events[-1]["id"] == event_id
    assert events[-1]["type"] == "packet"
    text = run_cli(demo_db, "show", "8").stdout
    assert (
        "Packet updated: caseworker, caseworker 24/7 phone; cleared scars, marks, tattoos" in text
    )
    assert run_cli(demo_db, "verify").returncode == 0


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ([], "fields"),
        (["--photo-date", "2999-01-01"], "--photo-date"),
        (["--photo-date", "yesterday"], "--photo-date"),
        (["--caseworker", "x" * 5000], "--caseworker"),
        (["--vehicle", "\udcff\udcfe"], "--vehicle"),  # bytes \xff\xfe as argv decodes them
    ],
)
def test_a_bad_field_is_exit_2_and_nothing_is_written(
    demo_db: Path, run_cli: RunCli, counts: Counts, args: list[str], field: str
) -> None:
    before = counts(demo_db)
    result = run_cli(demo_db, "update", "8", *args)
    assert result.returncode == 2, result.stderr
    assert field in result.stderr
    assert counts(demo_db) == before


def test_nothing_new_is_bad_input(demo_db: Path, run_cli: RunCli) -> None:
    assert run_cli(demo_db, "update", "8", "--county", "Example").returncode == 0
    again = run_cli(demo_db, "update", "8", "--county", "Example")
    assert again.returncode == 2 and "already holds" in again.stderr


def test_a_closed_case_cannot_be_updated(demo_db: Path, run_cli: RunCli) -> None:
    assert run_cli(demo_db, "close", "8", "--reason", "duplicate").returncode == 0
    result = run_cli(demo_db, "update", "8", "--county", "Example")
    assert result.returncode == 3 and "closed" in result.stderr


def test_redact_hides_updated_fields(demo_db: Path, run_cli: RunCli) -> None:
    assert run_cli(demo_db, "update", "8", "--caseworker-phone", "MARKER555").returncode == 0
    for args in (["show", "8"], ["show", "8", "--json"], ["export"]):
        shown = run_cli(demo_db, "--redact", *args)
        assert shown.returncode == 0 and "MARKER555" not in shown.stdout, args
