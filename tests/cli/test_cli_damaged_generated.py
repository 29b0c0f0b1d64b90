"""Generated damage: whatever one stored column holds, commands degrade that one case and
verify reports it; nothing exits 70 (internal error) and no warning quotes stored bytes."""

from __future__ import annotations

import itertools
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseboard.cli import main
from support.damage import case_with_intake

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
# Anything SQLite can hold: NULL, numbers, text (JSON or not, escape sequences included), blobs.
STORED = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.text(max_size=40),
    st.binary(max_size=20),
    JSON.map(json.dumps),
    st.sampled_from(["\x1b]0;pwned\x07", "2026-11-27T10:00:00", "{", "[]", "99999-01-01"]),
)
TARGETS = (
    ("events:contact", "occurred_at"),
    ("events:sighting", "data"),
    ("events:signoff", "data"),
    ("events:correction", "data"),
    ("events:signoff", "occurred_at"),
    ("board_looks", "looked_at"),
    ("cases", "state"),
    ("cases", "learned_at"),
    ("cases", "status"),
    ("events", "data"),
    ("events", "occurred_at"),
    ("events", "type"),
    ("children", "name"),
    ("children", "dob"),
    ("children", "age"),
)
_copies = itertools.count()


def _copy(source: Path, folder: Path) -> Path:
    target = folder / f"damaged-{next(_copies)}.db"
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def _store(path: Path, table: str, column: str, row_id: int, value: Any) -> bool:
    """Write `value` into one cell (past the append-only trigger); False if SQLite refuses it
    (a NOT NULL or CHECK constraint): that damage cannot exist."""
    key = "rowid" if table == "board_looks" else "id"
    with closing(sqlite3.connect(path)) as conn:
        trigger = None
        if table == "events":
            (trigger,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'events_no_update'"
            ).fetchone()
            conn.execute("DROP TRIGGER events_no_update")
        try:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", [value, row_id])
        except sqlite3.IntegrityError:
            return False
        finally:
            if trigger is not None:
                conn.execute(trigger)
            conn.commit()
    return True


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--db", str(db), *args])
    _out, err = capsys.readouterr()
    assert code != 70, (args, err)
    assert "internal error" not in err, (args, err)
    assert "\x1b" not in err, (args, err)
    return code, err


@pytest.fixture(scope="module")
def undamaged(imported_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with a sign-off, a correction and a board look added: a row of every
    kind the targets name (made once; each example damages its own copy)."""
    db = _copy(imported_db, tmp_path_factory.mktemp("undamaged"))
    _case_id, _child_id, event_id = case_with_intake(db)
    assert main(["--db", str(db), "signoff", "--note", "read back"]) == 0
    correct = ["correct", str(event_id), "--reason", "typo", "--age", "13"]
    assert main(["--db", str(db), *correct]) == 0
    with closing(sqlite3.connect(db)) as conn:
        conn.execute(
            "INSERT INTO board_looks (username, event_id, looked_at) VALUES ('x', 1, ?)",
            ["2026-11-27T10:00:00+00:00"],
        )
        conn.commit()
    return db


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(TARGETS), value=STORED, nested=st.booleans())
def test_any_damage_to_one_cell_is_contained(
    undamaged: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    target: tuple[str, str],
    value: Any,
    nested: bool,
) -> None:
    db = _copy(undamaged, tmp_path)
    case_id, child_id, event_id = case_with_intake(db)
    table, column = target
    row_id = {"cases": case_id, "events": event_id, "children": child_id}.get(table, 1)
    if ":" in table:  # an event of a given type (a contact, a sighting, the sign-off)
        table, kind = table.split(":")
        with closing(sqlite3.connect(db)) as conn:
            row_id, case_id = conn.execute(
                "SELECT id, COALESCE(case_id, ?) FROM events WHERE type = ? ORDER BY id DESC",
                [case_id, kind],
            ).fetchone()
    if nested and (table, column) == ("cases", "state") and isinstance(value, str):
        # Valid JSON of the right outer shape with one field of another shape inside.
        with closing(sqlite3.connect(db)) as conn:
            (text,) = conn.execute("SELECT state FROM cases WHERE id = ?", [case_id]).fetchone()
        state = json.loads(text)
        key = sorted(state)[len(value) % len(state)]
        state[key] = value
        value = json.dumps(state)
    if not _store(db, table, column, row_id, value):
        return
    assert _run(db, capsys, "verify")[0] in (0, 1)
    assert _run(db, capsys, "cases", "--json")[0] == 0
    assert _run(db, capsys, "cases", "--all")[0] == 0
    assert _run(db, capsys, "show", str(case_id))[0] in (0, 5)
    assert _run(db, capsys, "handover")[0] == 0
    assert _run(db, capsys, "export", "--format", "csv")[0] == 0
    assert _run(db, capsys, "note", str(case_id), "checked")[0] in (0, 5)
