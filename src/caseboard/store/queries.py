"""Read-only queries: cases with their children, episodes, events, operators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec
from sqlite_utils import Database

from caseboard.domain.model import CaseState, Child, Event
from caseboard.domain.timefmt import from_iso
from caseboard.store.codec import child_from_row, decode_state, event_from_row, state_from_row


class CaseRecord(msgspec.Struct, frozen=True, gc=False):
    """A case's projection with its child and the learned-of times of all the child's episodes."""

    state: CaseState
    child: Child
    episodes: tuple[datetime, ...]


def episodes_by_child(db: Database, child_id: int | None = None) -> dict[int, list[datetime]]:
    """Learned-of times of every episode, per child (of one child if given); read from the
    covering index cases_child_learned, as plain tuples (the board's load reads 10,000)."""
    sql = "SELECT child_id, learned_at FROM cases"
    params: list[Any] = []
    if child_id is not None:
        sql += " WHERE child_id = ?"
        params = [child_id]
    result: dict[int, list[datetime]] = defaultdict(list)
    for child, learned_at in db.conn.execute(sql, params):
        result[child].append(from_iso(learned_at))
    return result


def case_records(db: Database, *, include_closed: bool = False) -> list[CaseRecord]:
    """Every open case (or every case) with its child and the child's episodes."""
    where = "" if include_closed else "WHERE cases.status != 'closed'"
    # Plain tuples from the cursor: this reads every open case for the board's first paint, and
    # sqlite-utils' dict per row costs more than the rest of the query.
    cursor = db.conn.execute(
        "SELECT cases.state, children.id, children.name, children.dob, children.age"
        f" FROM cases JOIN children ON children.id = cases.child_id {where}"
    )
    episodes = episodes_by_child(db)
    return [
        CaseRecord(
            state=decode_state(state),
            child=Child(child_id, name, date.fromisoformat(dob) if dob else None, age),
            episodes=tuple(episodes[child_id]),
        )
        for state, child_id, name, dob, age in cursor
    ]


def case_record(db: Database, case_id: int) -> CaseRecord | None:
    """One case with its child and the child's episodes, or None."""
    rows = list(
        db.query(
            "SELECT cases.state, children.id, children.name, children.dob, children.age"
            " FROM cases JOIN children ON children.id = cases.child_id WHERE cases.id = ?",
            [case_id],
        )
    )
    if not rows:
        return None
    row = rows[0]
    episodes = episodes_by_child(db, row["id"])
    return CaseRecord(state_from_row(row), child_from_row(row), tuple(episodes[row["id"]]))


def case_events(db: Database, case_id: int) -> list[Event]:
    """A case's events in log order."""
    rows = db.query("SELECT * FROM events WHERE case_id = ? ORDER BY id", [case_id])
    return [event_from_row(row) for row in rows]


def child_cases(db: Database, child_id: int) -> list[CaseState]:
    """All episodes of a child, earliest learned-of first."""
    rows = db.query(
        "SELECT state FROM cases WHERE child_id = ? ORDER BY learned_at, id", [child_id]
    )
    return [state_from_row(row) for row in rows]


def child(db: Database, child_id: int) -> Child | None:
    """A child by id."""
    rows = list(db.query("SELECT * FROM children WHERE id = ?", [child_id]))
    return child_from_row(rows[0]) if rows else None


def operators(db: Database) -> list[dict[str, Any]]:
    """All operators, active first, then by username."""
    return list(
        db.query(
            "SELECT username, name, role, active, added_at, added_by FROM operators"
            " ORDER BY active DESC, username"
        )
    )


def operator_role(db: Database, username: str) -> str | None:
    """The active role of a user, or None."""
    rows = list(
        db.query("SELECT role FROM operators WHERE username = ? AND active = 1", [username])
    )
    return rows[0]["role"] if rows else None


def count(db: Database, table: str) -> int:
    """Rows in one of caseboard's tables."""
    if table not in ("events", "cases", "children", "operators", "access_log"):
        raise ValueError(f"unknown table {table}")
    return int(next(iter(db.query(f"SELECT COUNT(*) AS n FROM {table}")))["n"])


def data_version(db: Database) -> int:
    """PRAGMA data_version: changes when another connection commits (microseconds to read)."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def max_event_id(db: Database) -> int:
    """The newest event id, 0 when there are none."""
    return int(next(iter(db.query("SELECT COALESCE(MAX(id), 0) AS n FROM events")))["n"])


def search_case_ids(db: Database, match: str) -> set[int]:
    """Case ids whose search row matches an FTS5 query (built by domain.search.fts_query)."""
    rows = db.query("SELECT rowid FROM case_search WHERE case_search MATCH ?", [match])
    return {int(row["rowid"]) for row in rows}


@dataclass(frozen=True)
class ChildMatch:
    """A child on file, with how many episodes (cases) they already have."""

    id: int
    name: str
    dob: str | None
    age: int | None
    episodes: int


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with %, _ and \\ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def children_named(db: Database, name: str, dob: str | None, limit: int) -> list[ChildMatch]:
    """Children whose name contains `name`; with a DOB, only those born then (or of unknown DOB)."""
    sql = (
        "SELECT children.id, children.name, children.dob, children.age,"
        " (SELECT COUNT(*) FROM cases WHERE cases.child_id = children.id) AS episodes"
        " FROM children WHERE children.name LIKE ? ESCAPE '\\'"
    )
    params: list[object] = [_like(name)]
    if dob:
        sql += " AND (children.dob = ? OR children.dob IS NULL)"
        params.append(dob)
    sql += " ORDER BY children.name, children.id LIMIT ?"
    params.append(limit)
    return [
        ChildMatch(row["id"], row["name"], row["dob"], row["age"], row["episodes"])
        for row in db.query(sql, params)
    ]
