"""Damage a real caseboard database the way a disk, a tool or a person with sqlite3 can.

Events are append-only (triggers refuse UPDATE and DELETE): to damage one, the update trigger
is dropped, the row changed, and the trigger put back exactly as it was.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

# Each kind of damage: (what it does, how to apply it to case CASE / its intake EVENT).
STATE_DAMAGE = {
    "state malformed JSON": '{"case_id": 1, "status": "miss',
    "state JSON list": "[1, 2, 3]",
    "state JSON number": "42",
    "state wrong field types": '{"case_id": "one", "status": 7}',
    "state bad time": None,  # filled in by damage_state_time: a valid shape, a time that is not
    "state time without offset": None,
}


# Bytes that are not UTF-8, stored as TEXT (what a disk error or a careless tool leaves).
BAD_UTF8_SQL = "CAST(x'7b22ff22' AS TEXT)"
BAD_UTF8 = object()  # give this to set_state / set_event to store those bytes


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection with foreign keys off (as a stray sqlite3 shell would have them)."""
    return sqlite3.connect(path)


def case_with_intake(path: Path, skip: int = 0) -> tuple[int, int, int]:
    """(case id, its child's id, its intake event's id) of an open case (the `skip`th)."""
    with closing(connect(path)) as conn:
        rows = conn.execute(
            "SELECT cases.id, cases.child_id, events.id FROM cases JOIN events"
            " ON events.case_id = cases.id AND events.type = 'intake'"
            " WHERE cases.status = 'missing' ORDER BY cases.id"
        ).fetchall()
    case_id, child_id, event_id = rows[skip]
    return int(case_id), int(child_id), int(event_id)


def set_state(path: Path, case_id: int, text: Any) -> None:
    """Overwrite a case's stored projection (cases.state) with `text`."""
    with closing(connect(path)) as conn:
        if text is BAD_UTF8:
            conn.execute(f"UPDATE cases SET state = {BAD_UTF8_SQL} WHERE id = ?", [case_id])
        else:
            conn.execute("UPDATE cases SET state = ? WHERE id = ?", [text, case_id])
        conn.commit()


def state_with_bad_time(path: Path, case_id: int, time: str = "last tuesday") -> str:
    """The case's stored state with learned_at replaced by `time` (text that is not one)."""
    with closing(connect(path)) as conn:
        (text,) = conn.execute("SELECT state FROM cases WHERE id = ?", [case_id]).fetchone()
    state = json.loads(text)
    state["learned_at"] = time
    return json.dumps(state)


def state_with(path: Path, case_id: int, key: str, value: Any) -> str:
    """The case's stored state with one key set to `value`."""
    with closing(connect(path)) as conn:
        (text,) = conn.execute("SELECT state FROM cases WHERE id = ?", [case_id]).fetchone()
    state = json.loads(text)
    state[key] = value
    return json.dumps(state)


def set_event(path: Path, event_id: int, column: str, value: Any) -> None:
    """Change one column of a stored event, under the append-only trigger's nose."""
    assert column in ("data", "occurred_at", "recorded_at", "type", "case_id")
    with closing(connect(path)) as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER events_no_update")
        if value is BAD_UTF8:
            conn.execute(f"UPDATE events SET {column} = {BAD_UTF8_SQL} WHERE id = ?", [event_id])
        else:
            conn.execute(f"UPDATE events SET {column} = ? WHERE id = ?", [value, event_id])
        conn.execute(sql)
        conn.commit()


def delete_child(path: Path, child_id: int) -> None:
    """Delete a children row (foreign keys are off on this connection, as in a sqlite3 shell)."""
    with closing(connect(path)) as conn:
        conn.execute("DELETE FROM children WHERE id = ?", [child_id])
        conn.commit()


def damage(path: Path, kind: str, case_id: int, child_id: int, event_id: int) -> None:
    """Apply one named kind of damage (see KINDS) to the case and its intake event."""
    if kind in STATE_DAMAGE:
        if kind == "state time without offset":
            text = state_with_bad_time(path, case_id, "2026-11-27T10:00:00")
        else:
            text = STATE_DAMAGE[kind] or state_with_bad_time(path, case_id)
        set_state(path, case_id, text)
    elif kind == "event malformed JSON":
        set_event(path, event_id, "data", '{"name": "Ava')
    elif kind == "event JSON list":
        set_event(path, event_id, "data", '["not", "an", "object"]')
    elif kind == "event missing fields":
        set_event(path, event_id, "data", "{}")
    elif kind == "event bad time":
        set_event(path, event_id, "occurred_at", "yesterday-ish")
    elif kind == "event time without offset":
        set_event(path, event_id, "occurred_at", "2026-11-27T10:00:00")
    elif kind == "event number as time":
        set_event(path, event_id, "recorded_at", 12345)
    elif kind == "event unknown type":
        set_event(path, event_id, "type", "teleport")
    elif kind == "state not UTF-8":
        set_state(path, case_id, BAD_UTF8)
    elif kind == "event data not UTF-8":
        set_event(path, event_id, "data", BAD_UTF8)
    elif kind == "child name not UTF-8":
        with closing(connect(path)) as conn:
            conn.execute(f"UPDATE children SET name = {BAD_UTF8_SQL} WHERE id = ?", [child_id])
            conn.commit()
    elif kind in CHILD_DAMAGE:
        column, value = CHILD_DAMAGE[kind]
        with closing(connect(path)) as conn:
            conn.execute(f"UPDATE children SET {column} = ? WHERE id = ?", [value, child_id])
            conn.commit()
    elif kind == "state of another case":
        with closing(connect(path)) as conn:
            (text,) = conn.execute(
                "SELECT state FROM cases WHERE id != ? ORDER BY id LIMIT 1", [case_id]
            ).fetchone()
        set_state(path, case_id, text)
    elif kind == "state unknown status":
        set_state(path, case_id, state_with(path, case_id, "status", "wandering"))
    elif kind == "state unknown placement":
        set_state(path, case_id, state_with(path, case_id, "placement_type", "moon"))
    elif kind == "cases row deleted":
        with closing(connect(path)) as conn:
            conn.execute("DELETE FROM cases WHERE id = ?", [case_id])
            conn.commit()
    elif kind == "child row deleted":
        delete_child(path, child_id)
    else:  # pragma: no cover - a typo in a test
        raise ValueError(kind)


STATE_KINDS = tuple(STATE_DAMAGE)
EVENT_KINDS = (
    "event malformed JSON",
    "event JSON list",
    "event missing fields",
    "event bad time",
    "event time without offset",
    "event number as time",
    "event unknown type",
)
CHILD_DAMAGE = {
    "child age as text": ("age", "fourteen"),
    "child dob not a date": ("dob", "soon"),
    "child name as a blob": ("name", b"\x00\x01"),
}
TEXT_KINDS = ("state not UTF-8", "event data not UTF-8", "child name not UTF-8")
KINDS = (
    *STATE_KINDS,
    "state unknown status",
    "state unknown placement",
    "state of another case",
    *EVENT_KINDS,
    *TEXT_KINDS,
    *CHILD_DAMAGE,
    "child row deleted",
    "cases row deleted",
)
