"""Tamper evidence through the CLI (in this process, on the frozen clock): a forged edit with
the chain recomputed passes the plain `verify` but fails `verify --anchor` taken from the
previous handover; a role, an operator or a child's name written straight into a table fails
`verify`; malformed anchors are exit 2."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from support.forge import forge_event
from support.inprocess import Ran, copy_database, demo_database, run_main


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """init and the demo import, once for the module (tests copy it)."""
    return demo_database(tmp_path_factory.mktemp("tamper") / "caseboard.db")


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    return copy_database(demo_file, tmp_path / "caseboard.db")


def _sql(db: Path, *statements: str) -> None:
    with closing(sqlite3.connect(db)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def _verify(db: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = run_main(db, "verify", "--json", *args)
    return result.code, json.loads(result.out)


def _run(db: Path, *args: str) -> Ran:
    return run_main(db, *args)


def _problems(payload: dict[str, object]) -> list[str]:
    problems = payload["problems"]
    assert isinstance(problems, list)
    return [f"{p['where']}: {p['what']}" for p in problems]


def test_a_forged_edit_fails_the_anchor_from_the_previous_handover(demo_db: Path) -> None:
    noted = _run(demo_db, "note", "8", "seen at the library at 9pm")
    assert noted.code == 0, noted.err
    (note_id,) = [int(word) for word in noted.out.split() if word.isdigit()][-1:]
    handover = _run(demo_db, "handover", "--format", "json")
    assert handover.code == 0, handover.err
    head = json.loads(handover.out)["audit_head"]
    anchor = f"{head['id']}:{head['hash']}"
    assert head["id"] >= note_id and len(head["hash"]) == 16
    assert "Audit head: event" in _run(demo_db, "handover").out
    signed = _run(demo_db, "signoff", "--note", "read back")
    assert signed.code == 0, signed.err
    code, payload = _verify(demo_db, "--anchor", anchor)
    assert code == 0, _problems(payload)

    # Root rewrites what was noted, dropping and recreating the triggers and recomputing every
    # hash after it: the chain, the projections and the triggers all check out again...
    forge_event(demo_db, note_id, text="nothing to report")
    code, payload = _verify(demo_db)
    assert code == 0, _problems(payload)
    # ...but not the point the printed handover committed to.
    result = _run(demo_db, "verify", "--anchor", anchor)
    assert result.code == 1
    assert f"PROBLEM anchor {anchor}: event {head['id']}'s hash is now" in result.out
    assert "problem(s) found" in result.err
    code, payload = _verify(demo_db, "--anchor", anchor)
    assert code == 1 and payload["ok"] is False
    problems = payload["problems"]
    assert isinstance(problems, list)
    assert [p["check"] for p in problems] == ["anchors"]
    assert payload["audit_head"] != head


def test_a_cut_history_fails_its_anchor(demo_db: Path) -> None:
    signed = _run(demo_db, "signoff")
    head = json.loads(_run(demo_db, "handover", "--format", "json").out)["audit_head"]
    assert signed.code == 0
    _sql(
        demo_db,
        "DROP TRIGGER events_no_delete",
        f"DELETE FROM events WHERE id = {head['id']}",
    )
    result = _run(demo_db, "verify", "--anchor", f"{head['id']}:{head['hash']}")
    assert result.code == 1
    assert f"event {head['id']} is no longer in the audit chain" in result.out


@pytest.fixture(scope="module")
def staffed_db(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with a liaison, and a dispatcher who was disabled; verify finds nothing."""
    db = copy_database(demo_file, tmp_path_factory.mktemp("staffed") / "caseboard.db")
    for user, role in (("liz", "liaison"), ("gone", "dispatcher")):
        assert _run(db, "operators", "add", user, "--role", role).code == 0
    assert _run(db, "operators", "disable", "gone").code == 0
    code, payload = _verify(db)
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
            "children row 3: name differ(s) from what the child's intake events give it",
        ),
        (
            ["UPDATE children SET dob = '2011-01-01', aliases = 'Kid' WHERE id = 4"],
            "children row 4: dob, aliases differ(s) from what the child's intake events give it",
        ),
    ],
    ids=["role", "re-enabled", "new operator", "operator name", "child name", "child dob"],
)
def test_a_row_written_straight_into_a_table_fails_verify(
    staffed_db: Path, db_path: Path, statements: list[str], expected: str
) -> None:
    db = copy_database(staffed_db, db_path)
    _sql(db, *statements)
    code, payload = _verify(db)
    assert code == 1
    assert _problems(payload) == [expected]


@pytest.mark.parametrize("anchor", ["12", "x:abcdef12", "12:abc", "12:zzzzzzzz", "0:abcdef12"])
def test_a_malformed_anchor_is_exit_2(demo_file: Path, anchor: str) -> None:
    result = _run(demo_file, "verify", "--anchor", anchor)
    assert result.code == 2
    assert "--anchor" in result.err


def test_verify_prints_the_audit_head(demo_db: Path) -> None:
    with closing(sqlite3.connect(demo_db)) as conn:
        event_id, full = conn.execute("SELECT id, hash FROM events ORDER BY id DESC").fetchone()
    text = _run(demo_db, "verify")
    assert f"audit head: event {event_id} · {full[:16]}" in text.out
    code, payload = _verify(demo_db, "--anchor", f"{event_id}:{full}")
    assert code == 0
    assert payload["audit_head"] == {"id": event_id, "hash": full[:16]}


def test_a_key_written_into_authorized_keys_by_hand_fails_verify(
    demo_db: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "authorized_keys"
    for name in ("liz", "mallory"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / name)],
            check=True,
        )
    assert _run(demo_db, "operators", "add", "liz", "--role", "liaison").code == 0
    added = _run(
        demo_db, "keys", "add", "liz", str(tmp_path / "liz.pub"), "--authorized-keys", str(keys)
    )
    assert added.code == 0, added.err
    code, payload = _verify(demo_db, "--authorized-keys", str(keys))
    assert code == 0, _problems(payload)
    assert "authorized_keys: 1 key line(s) for this database" in " ".join(payload["checked"])  # type: ignore[arg-type]
    # Root copies liz's line with another key in it: the key is liz's as far as sshd knows.
    (line,) = keys.read_text().splitlines()
    other = (tmp_path / "mallory.pub").read_text().split()
    forged = line.replace(line.split()[-2], other[1])
    keys.write_text(f"{line}\n{forged}\n")
    code, payload = _verify(demo_db, "--authorized-keys", str(keys))
    assert code == 1
    (problem,) = _problems(payload)
    assert problem.startswith(f"{keys} line 2: binds key SHA256:")
    assert "to liz but no key event added it" in problem


def test_a_corrected_intake_still_verifies_and_a_name_written_after_it_does_not(
    demo_db: Path,
) -> None:
    with closing(sqlite3.connect(demo_db)) as conn:
        (intake_id, child_id) = conn.execute(
            "SELECT events.id, cases.child_id FROM events JOIN cases ON cases.id = events.case_id"
            " WHERE events.type = 'intake' AND cases.id = 3"
        ).fetchone()
    corrected = _run(
        demo_db, "correct", str(intake_id), "--name", "Corrected Name", "--dob", "2012-03-04",
        "--reason", "misspelt on the phone",
    )  # fmt: skip
    assert corrected.code == 0, corrected.err
    with closing(sqlite3.connect(demo_db)) as conn:
        (name,) = conn.execute("SELECT name FROM children WHERE id = ?", [child_id]).fetchone()
    assert name == "Corrected Name"  # the child is refreshed from the corrected intake
    code, payload = _verify(demo_db)
    assert code == 0, _problems(payload)
    _sql(demo_db, f"UPDATE children SET name = 'Someone Else' WHERE id = {child_id}")
    code, payload = _verify(demo_db)
    assert _problems(payload) == [
        f"children row {child_id}: name differ(s) from what the child's intake events give it"
    ]
