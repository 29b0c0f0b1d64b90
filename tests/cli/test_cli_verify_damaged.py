"""`verify` reports every damaged row precisely (table, id, what is wrong) and exits 1, for
each kind of damage in tests/support/damage.py; never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseboard.cli import main
from support.damage import CHILD_DAMAGE, KINDS, STATE_KINDS, case_with_intake, damage


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    assert "internal error" not in err, err
    return code, out, err


def expected_finding(kind: str, case_id: int, child_id: int, event_id: int) -> str:
    """The start of the line verify must print for this damage."""
    if kind in CHILD_DAMAGE:
        column = CHILD_DAMAGE[kind][0]
        return f"PROBLEM children row {child_id}: {column} is not"
    if kind == "state of another case":
        return f"PROBLEM case {case_id}: stored state differs from a replay of its events"
    if kind in STATE_KINDS or kind.startswith("state unknown"):
        return f"PROBLEM case {case_id}: its stored state"
    if kind == "state not UTF-8":
        return f"PROBLEM cases row {case_id}: state is not valid UTF-8 text"
    if kind == "event data not UTF-8":
        return f"PROBLEM events row {event_id}: data is not valid UTF-8 text"
    if kind == "child name not UTF-8":
        return f"PROBLEM children row {child_id}: name is not valid UTF-8 text"
    if kind == "cases row deleted":
        return f"PROBLEM case {case_id}: its cases row is missing while its events remain"
    if kind == "child row deleted":
        return f"PROBLEM case {case_id}: its child record {child_id} is missing"
    if kind == "event missing fields":
        return f"PROBLEM case {case_id}: its events cannot be replayed"
    return f"PROBLEM events row {event_id} (case {case_id}): "


@pytest.mark.parametrize("kind", KINDS)
def test_verify_reports_each_kind_of_damage_and_exits_1(
    demo_db: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    case_id, child_id, event_id = case_with_intake(demo_db)
    assert run(demo_db, capsys, "verify")[0] == 0
    damage(demo_db, kind, case_id, child_id, event_id)
    code, out, _err = run(demo_db, capsys, "verify")
    assert code == 1, out
    assert expected_finding(kind, case_id, child_id, event_id) in out, out
    # And as JSON, with the same precision.
    code, out, _err = run(demo_db, capsys, "verify", "--json")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert any(str(case_id) in p["where"] or str(child_id) in p["where"] for p in problems)
