"""Damaged rows are isolated: one damaged case or event degrades that case, never a command.

Each test damages a real database file with raw sqlite3 (tests/support/damage.py), then runs
the commands in process through `caseboard.cli.main`.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from caseboard.cli import main
from support.damage import (
    CHILD_DAMAGE,
    KINDS,
    STATE_KINDS,
    case_with_intake,
    damage,
    set_event,
    set_state,
)

INTERNAL = 70


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    assert "internal error" not in err, err
    assert "Traceback" not in err
    return code, out, err


def event_count(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


# Child rows whose damage makes their cases unreadable (named, never silently dropped).
UNREADABLE_CHILD = {*CHILD_DAMAGE, "child row deleted", "cases row deleted"}
# Events whose damage stops them decoding at all (the others decode but cannot be replayed).
UNDECODABLE = {
    "event malformed JSON",
    "event JSON list",
    "event bad time",
    "event time without offset",
    "event number as time",
    "event data not UTF-8",
    "event unknown type",  # the codec refuses a type outside vocab.EventType
}


@pytest.mark.parametrize("kind", KINDS)
def test_reads_keep_working_around_one_damaged_case(
    demo_db: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    case_id, child_id, event_id = case_with_intake(demo_db)
    other, _, _ = case_with_intake(demo_db, skip=1)
    code, out, _ = run(demo_db, capsys, "cases", "--json")
    before = {item["id"] for item in json.loads(out)}
    damage(demo_db, kind, case_id, child_id, event_id)

    code, out, err = run(demo_db, capsys, "cases", "--json")
    assert code == 0
    listed = {item["id"] for item in json.loads(out)}
    if kind in UNREADABLE_CHILD:
        # Not silently gone: named on stderr, with what to do.
        assert listed == before - {case_id}
        assert f"warning: case {case_id} cannot be read" in err
        assert "run caseboard verify" in err
    else:
        # A damaged projection is rebuilt from the events; damaged events leave the stored
        # projection in use.
        assert listed == before
    assert run(demo_db, capsys, "cases")[0] == 0
    assert run(demo_db, capsys, "cases", "--all")[0] == 0
    assert run(demo_db, capsys, "show", str(other))[0] == 0
    assert run(demo_db, capsys, "show", str(other), "--json")[0] == 0
    assert run(demo_db, capsys, "handover")[0] == 0
    assert run(demo_db, capsys, "handover", "--format", "json")[0] == 0
    assert run(demo_db, capsys, "export")[0] == 0
    assert run(demo_db, capsys, "export", "--format", "csv")[0] == 0

    code, out, err = run(demo_db, capsys, "show", str(case_id))
    if kind in UNDECODABLE or kind in UNREADABLE_CHILD:
        assert code == 5, (out, err)
        assert f"case {case_id} cannot be read" in err
        assert "run caseboard verify" in err
    else:
        assert code == 0, err


@pytest.mark.parametrize(
    "kind",
    [
        *STATE_KINDS,
        "state not UTF-8",
        "state unknown status",
        "state unknown placement",
        "state of another case",
    ],
)
def test_a_write_rebuilds_a_damaged_projection_and_repairs_the_row(
    demo_db: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    case_id, child_id, event_id = case_with_intake(demo_db)
    damage(demo_db, kind, case_id, child_id, event_id)
    code, out, err = run(demo_db, capsys, "note", str(case_id), "checked the hostel again")
    assert code == 0, err
    # The write went through the one write path, which stored the rebuilt projection.
    code, out, _ = run(demo_db, capsys, "verify")
    assert code == 0, out


@pytest.mark.parametrize("kind", sorted(UNDECODABLE))
def test_a_case_with_no_readable_history_is_one_unreadable_case(
    demo_db: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    case_id, child_id, event_id = case_with_intake(demo_db)
    damage(demo_db, kind, case_id, child_id, event_id)
    set_state(demo_db, case_id, "{broken")
    code, out, err = run(demo_db, capsys, "cases", "--json")
    assert code == 0
    assert case_id not in {item["id"] for item in json.loads(out)}
    assert f"warning: case {case_id} cannot be read" in err and "run caseboard verify" in err
    for args in (("handover",), ("export",), ("export", "--format", "csv")):
        code, _out, err = run(demo_db, capsys, *args)
        assert code == 0, (args, err)
        assert f"case {case_id} cannot be read" in err, (args, err)
    # A write to it is refused with one sentence and exit 5; nothing is written.
    before = event_count(demo_db)
    code, _out, err = run(demo_db, capsys, "note", str(case_id), "anything")
    assert code == 5
    assert f"case {case_id} cannot be read" in err and "nothing was written" in err
    assert event_count(demo_db) == before
    assert run(demo_db, capsys, "verify")[0] == 1


def test_a_damaged_event_elsewhere_leaves_the_handover_whole(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id, _child, event_id = case_with_intake(demo_db)
    set_event(demo_db, event_id, "data", "{nope")
    code, out, err = run(demo_db, capsys, "handover", "--since", "30d ago", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert any(f"event {event_id} (case {case_id})" in line for line in report["unreadable"])
    assert f"event {event_id} (case {case_id}) cannot be read" in err
    code, out, err = run(demo_db, capsys, "export")
    assert code == 0
    assert event_id not in {event["id"] for event in json.loads(out)["events"]}
    assert f"event {event_id} (case {case_id}) cannot be read" in err


def test_correcting_an_event_of_a_case_with_a_damaged_event_is_refused(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _case, _child, event_id = case_with_intake(demo_db)
    set_event(demo_db, event_id, "occurred_at", "soon")
    before = event_count(demo_db)
    code, _out, err = run(
        demo_db, capsys, "correct", str(event_id), "--reason", "typo", "--age", "13"
    )
    assert code == 5, err
    assert "run caseboard verify" in err
    assert event_count(demo_db) == before


def test_reads_rebuild_in_memory_and_never_write(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id, _child, _event = case_with_intake(demo_db)
    set_state(demo_db, case_id, "[]")
    for args in (
        ("--readonly", "cases", "--json"),
        ("--readonly", "show", str(case_id)),
        ("cases",),
        ("show", str(case_id), "--json"),
        ("handover",),
        ("export",),
    ):
        code, _out, err = run(demo_db, capsys, *args)
        assert code == 0, (args, err)
    with closing(sqlite3.connect(demo_db)) as conn:
        (state,) = conn.execute("SELECT state FROM cases WHERE id = ?", [case_id]).fetchone()
    assert state == "[]"  # a read-only board may be the reader: only a write repairs the row


CORRECTION_DAMAGE = {
    '{"changes": "x", "reason": "r"}': "a correction whose changes are not a JSON object",
    '{"changes": [1], "reason": "r"}': "a correction whose changes are not a JSON object",
    '{"changes": {"at": "soon"}}': "a correction whose changes.at is not a time with an offset",
    '{"changes": {"at": 5}}': "a correction whose changes.at is not a time with an offset",
    '{"changes": {"learned_at": "x"}}': "changes.learned_at is not a time with an offset",
}


@pytest.mark.parametrize("data", CORRECTION_DAMAGE)
def test_a_correction_that_cannot_be_applied_leaves_out_one_case(
    demo_db: Path, capsys: pytest.CaptureFixture[str], data: str
) -> None:
    case_id, _child, event_id = case_with_intake(demo_db)
    args = ("correct", str(event_id), "--reason", "typo", "--age", "13")
    code, out, _err = run(demo_db, capsys, *args)
    assert code == 0
    correction = int(out.strip())
    set_event(demo_db, correction, "data", data)
    code, out, err = run(demo_db, capsys, "handover", "--since", "7d ago", "--format", "json")
    assert code == 0, err
    lines = json.loads(out)["unreadable"]
    assert any(line.startswith(f"case {case_id} cannot be read") for line in lines), lines
    assert case_id not in {case["id"] for case in json.loads(out)["open_cases"]}
    assert f"warning: case {case_id} cannot be read" in err
    assert run(demo_db, capsys, "cases")[0] == 0
    assert run(demo_db, capsys, "show", str(case_id))[0] == 0  # the stored projection reads
    before = event_count(demo_db)
    code, _out, err = run(demo_db, capsys, *args)
    assert code == 5 and "run caseboard verify" in err
    assert event_count(demo_db) == before
    code, out, _err = run(demo_db, capsys, "verify")
    assert code == 1
    assert f"PROBLEM events row {correction} (case {case_id}): " in out
    assert CORRECTION_DAMAGE[data] in out


def test_a_write_to_a_case_whose_cases_row_is_gone_is_refused(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id, child_id, event_id = case_with_intake(demo_db)
    damage(demo_db, "cases row deleted", case_id, child_id, event_id)
    before = event_count(demo_db)
    code, _out, err = run(demo_db, capsys, "note", str(case_id), "anything")
    assert code == 5
    assert f"case {case_id} cannot be read" in err and "nothing was written" in err
    assert event_count(demo_db) == before
    code, _out, err = run(demo_db, capsys, "handover")
    assert code == 0 and f"warning: case {case_id} cannot be read" in err
    code, _out, err = run(demo_db, capsys, "export")
    assert code == 0 and f"warning: case {case_id} cannot be read" in err
    code, _out, err = run(demo_db, capsys, "note", "99999", "anything")
    assert code == 2  # a case that never existed is still bad input
