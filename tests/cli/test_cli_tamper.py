"""Tamper evidence through the real CLI: a forged edit with the chain recomputed passes the plain
`verify` but fails `verify --anchor` taken from the previous handover; a role, an operator or
a child's name written straight into a table fails `verify`; malformed anchors are exit 2."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cli.conftest import RunCli, copy_database
from support.forge import forge_event


def _sql(db: Path, *statements: str) -> None:
    with closing(sqlite3.connect(db)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def _verify(run_cli: RunCli, db: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = run_cli(db, "verify", "--json", *args)
    return result.returncode, json.loads(result.stdout)


def _problems(payload: dict[str, object]) -> list[str]:
    problems = payload["problems"]
    assert isinstance(problems, list)
    return [f"{p['where']}: {p['what']}" for p in problems]


def test_a_forged_edit_fails_the_anchor_from_the_previous_handover(
    demo_db: Path, run_cli: RunCli
) -> None:
    noted = run_cli(demo_db, "note", "8", "seen at the library at 9pm")
    assert noted.returncode == 0, noted.stderr
    (note_id,) = [int(word) for word in noted.stdout.split() if word.isdigit()][-1:]
    handover = run_cli(demo_db, "handover", "--format", "json")
    assert handover.returncode == 0, handover.stderr
    head = json.loads(handover.stdout)["audit_head"]
    anchor = f"{head['id']}:{head['hash']}"
    assert head["id"] >= note_id and len(head["hash"]) == 16
    assert "Audit head: event" in run_cli(demo_db, "handover").stdout
    signed = run_cli(demo_db, "signoff", "--note", "read back")
    assert signed.returncode == 0, signed.stderr
    code, payload = _verify(run_cli, demo_db, "--anchor", anchor)
    assert code == 0, _problems(payload)

    # Root rewrites what was noted, dropping and recreating the triggers and recomputing every
    # hash after it: the chain, the projections and the triggers all check out again...
    forge_event(demo_db, note_id, text="nothing to report")
    code, payload = _verify(run_cli, demo_db)
    assert code == 0, _problems(payload)
    # ...but not the point the printed handover committed to.
    result = run_cli(demo_db, "verify", "--anchor", anchor)
    assert result.returncode == 1
    assert f"PROBLEM anchor {anchor}: event {head['id']}'s hash is now" in result.stdout
    assert "problem(s) found" in result.stderr
    code, payload = _verify(run_cli, demo_db, "--anchor", anchor)
    assert code == 1 and payload["ok"] is False
    assert [p["check"] for p in payload["problems"]] == ["anchors"]  # type: ignore[index,union-attr]
    assert payload["audit_head"] != head


def test_a_cut_history_fails_its_anchor(demo_db: Path, run_cli: RunCli) -> None:
    signed = run_cli(demo_db, "signoff")
    head = json.loads(run_cli(demo_db, "handover", "--format", "json").stdout)["audit_head"]
    assert signed.returncode == 0
    _sql(
        demo_db,
        "DROP TRIGGER events_no_delete",
        f"DELETE FROM events WHERE id = {head['id']}",
    )
    result = run_cli(demo_db, "verify", "--anchor", f"{head['id']}:{head['hash']}")
    assert result.returncode == 1
    assert f"event {head['id']} is no longer in the audit chain" in result.stdout


@pytest.fixture(scope="module")
def staffed_db(
    imported_db: Path, tmp_path_factory: pytest.TempPathFactory, run_cli: RunCli
) -> Path:
    """The demo with a liaison, and a dispatcher who was disabled; verify finds nothing."""
    db = copy_database(imported_db, tmp_path_factory.mktemp("staffed") / "caseboard.db")
    for user, role in (("liz", "liaison"), ("gone", "dispatcher")):
        assert run_cli(db, "operators", "add", user, "--role", role).returncode == 0
    assert run_cli(db, "operators", "disable", "gone").returncode == 0
    code, payload = _verify(run_cli, db)
    assert code == 0, _problems(payload)
    return db


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            ["UPDATE operators SET role = 'supervisor' WHERE username = 'liz'"],
            "operators row liz: role is 'supervisor' but its operator events say 'liaison'",
        ),
        (
            ["UPDATE operators SET active = 1 WHERE username = 'gone'"],
            "operators row gone: active is 1 but its operator events say disabled",
        ),
        (
            [
                "INSERT INTO operators (username, name, role, active, added_at, added_by)"
                " VALUES ('mallory', NULL, 'supervisor', 1, '2026-01-01T00:00:00+00:00', 'x')"
            ],
            "operators row mallory: has no operator event: it was written into the table",
        ),
        (
            ["UPDATE operators SET name = 'Someone Else' WHERE username = 'liz'"],
            "operators row liz: name differs from its operator events",
        ),
        (
            ["UPDATE children SET name = 'Another Child' WHERE id = 3"],
            "children row 3: name differ(s) from the child's latest intake event",
        ),
        (
            ["UPDATE children SET dob = '2011-01-01', aliases = 'Kid' WHERE id = 4"],
            "children row 4: dob, aliases differ(s) from the child's latest intake event",
        ),
    ],
    ids=["role", "re-enabled", "new operator", "operator name", "child name", "child dob"],
)
def test_a_row_written_straight_into_a_table_fails_verify(
    staffed_db: Path, db_path: Path, run_cli: RunCli, statements: list[str], expected: str
) -> None:
    db = copy_database(staffed_db, db_path)
    _sql(db, *statements)
    code, payload = _verify(run_cli, db)
    assert code == 1
    assert _problems(payload) == [expected]


@pytest.mark.parametrize("anchor", ["12", "x:abcdef12", "12:abc", "12:zzzzzzzz", "0:abcdef12"])
def test_a_malformed_anchor_is_exit_2(fresh_db: Path, run_cli: RunCli, anchor: str) -> None:
    result = run_cli(fresh_db, "verify", "--anchor", anchor)
    assert result.returncode == 2
    assert "--anchor" in result.stderr


def test_verify_prints_the_audit_head(fresh_db: Path, run_cli: RunCli) -> None:
    with closing(sqlite3.connect(fresh_db)) as conn:
        event_id, full = conn.execute("SELECT id, hash FROM events ORDER BY id DESC").fetchone()
    text = run_cli(fresh_db, "verify")
    assert f"audit head: event {event_id} · {full[:16]}" in text.stdout
    code, payload = _verify(run_cli, fresh_db, "--anchor", f"{event_id}:{full}")
    assert code == 0
    assert payload["audit_head"] == {"id": event_id, "hash": full[:16]}
