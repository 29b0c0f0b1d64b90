"""Read-only queries: cases with their children, episodes, events, operators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec
from sqlite_utils import Database

from caseboard.domain.board import UnreadableCase
from caseboard.domain.errors import Damaged
from caseboard.domain.model import CaseState, Child, Event, replay
from caseboard.domain.timefmt import from_iso
from caseboard.store.codec import DAMAGE, child_from_row, decode_events, decode_state
from caseboard.store.rows import fetch_all


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
    for child, learned_at in fetch_all(db, sql, params):
        try:
            result[child].append(from_iso(learned_at))
        except DAMAGE:
            continue  # a damaged cases row: verify reports it; the episode count is one short
    return result


@dataclass(frozen=True)
class CaseRecords:
    """The cases that could be read, and those that could not (one line each on the board)."""

    records: list[CaseRecord]
    unreadable: list[UnreadableCase]


# cases LEFT JOIN children: a case whose child row is missing must still show (as unreadable),
# not silently drop out of every view.
CASE_SELECT = (
    "SELECT cases.id, cases.child_id, cases.state, children.id, children.name, children.dob,"
    " children.age FROM cases LEFT JOIN children ON children.id = cases.child_id"
)
CaseRow = tuple[Any, ...]  # a row of CASE_SELECT


class _MissingChild(LookupError):
    pass


def joined_child(child_id: int | None, name: str, dob: str | None, age: int | None) -> Child:
    """The child columns of CASE_SELECT as a Child; raises (one of DAMAGE) when the row is
    missing (the LEFT JOIN gave NULLs) or its date of birth is not a date."""
    if child_id is None:
        raise _MissingChild
    if type(name) is not str or (age is not None and type(age) is not int):
        raise TypeError("a children row holds a name that is not text or an age not a number")
    return Child(child_id, name, date.fromisoformat(dob) if dob else None, age)


def stored_state(case_id: int, text: Any) -> CaseState:
    """A cases row's projection, which must be its own: a state copied from another case would
    show that case twice and this one not at all (raises one of DAMAGE)."""
    state = decode_state(text)
    if state.case_id != case_id:
        raise ValueError(f"case {case_id}'s stored state is another case's")
    return state


def case_records(db: Database, *, include_closed: bool = False) -> CaseRecords:
    """Every open case (or every case) with its child and the child's episodes; the cases that
    cannot be read at all are listed apart (see `read_case`)."""
    where = "" if include_closed else " WHERE cases.status != 'closed'"
    # Plain tuples from the cursor: this reads every open case for the board's first paint, and
    # sqlite-utils' dict per row costs more than the rest of the query.
    rows = fetch_all(db, CASE_SELECT + where)
    episodes = episodes_by_child(db)
    orphans = orphaned_cases(db)
    try:
        records = [
            CaseRecord(
                state=stored_state(case_id, state),
                child=joined_child(child_id, name, dob, age),
                episodes=tuple(episodes[child_id]),
            )
            for case_id, _stored_child, state, child_id, name, dob, age in rows
        ]
        return CaseRecords(records, orphans)
    except DAMAGE:
        pass  # some row is damaged: go through them one by one (only then)
    good: list[CaseRecord] = []
    unreadable: list[UnreadableCase] = list(orphans)
    for row in rows:
        got = read_case(db, row, episodes)
        if isinstance(got, CaseRecord):
            good.append(got)
        else:
            unreadable.append(got)
    return CaseRecords(good, unreadable)


_ORPHANED = "its cases row is missing while its events remain"


def orphaned_cases(db: Database) -> list[UnreadableCase]:
    """Cases whose events remain but whose cases row (the projection) is gone: without this
    they would vanish from every view. One pass over the events_case index (4 ms at 26,000
    events)."""
    rows = fetch_all(
        db, "SELECT case_id FROM events WHERE case_id IS NOT NULL EXCEPT SELECT id FROM cases"
    )
    return [UnreadableCase(case_id, None, _ORPHANED) for (case_id,) in rows]


def read_case(
    db: Database, row: CaseRow, episodes: dict[int, list[datetime]]
) -> CaseRecord | UnreadableCase:
    """One row of CASE_SELECT as a record; a projection that cannot be decoded is rebuilt from
    the case's events in memory (a read never writes: the next write to the case repairs the
    stored row); when that fails too, or the child row is missing, the case is unreadable."""
    case_id, stored_child, state_text, child_id, name, dob, age = row
    if child_id is None:
        return UnreadableCase(case_id, stored_child, f"its child record {stored_child} is missing")
    try:
        child = joined_child(child_id, name, dob, age)
    except DAMAGE:
        return UnreadableCase(case_id, child_id, f"its child record {child_id} cannot be decoded")
    try:
        state = stored_state(case_id, state_text)
    except DAMAGE:
        try:
            state = rebuild_state(db, case_id, child_id)
        except Damaged as exc:
            return UnreadableCase(case_id, child_id, str(exc))
    return CaseRecord(state, child, tuple(episodes.get(child_id, ())))


_CASE_EVENTS = "SELECT * FROM events WHERE case_id = ? ORDER BY id"


def rebuild_state(db: Database, case_id: int, child_id: int) -> CaseState:
    """A case's projection folded afresh from its events; Damaged when they cannot be read."""
    rows = fetch_all(db, _CASE_EVENTS, [case_id], by_name=True)
    events, bad = decode_events(rows)
    if bad:
        ids = ", ".join(str(event_id) for event_id, _case, _what in bad)
        raise Damaged(f"its stored state is damaged and event {ids} cannot be decoded")
    try:
        state = replay(events, child_id)
    except DAMAGE:
        raise Damaged("its stored state is damaged and its events cannot be replayed") from None
    if state.case_id != case_id:
        raise Damaged("its stored state is damaged and its intake names another case")
    return state


def case_record(db: Database, case_id: int) -> CaseRecord | UnreadableCase | None:
    """One case with its child and the child's episodes, unreadable, or None (no such case)."""
    rows = fetch_all(db, CASE_SELECT + " WHERE cases.id = ?", [case_id])
    if not rows:
        events = fetch_all(db, "SELECT 1 FROM events WHERE case_id = ? LIMIT 1", [case_id])
        return UnreadableCase(case_id, None, _ORPHANED) if events else None
    row = rows[0]
    child_id = row[3]
    episodes = episodes_by_child(db, child_id) if child_id is not None else {}
    return read_case(db, row, episodes)


def case_events(db: Database, case_id: int) -> list[Event]:
    """A case's events in log order; Damaged when one of them cannot be decoded."""
    rows = fetch_all(db, _CASE_EVENTS, [case_id], by_name=True)
    events, bad = decode_events(rows)
    if bad:
        ids = ", ".join(str(event_id) for event_id, _case, _what in bad)
        raise Damaged(
            f"case {case_id} cannot be read: its event {ids} cannot be decoded;"
            " run caseboard verify"
        )
    return events


def event_case(db: Database, event_id: int) -> tuple[int | None, str] | None:
    """(case id, type) of an event by id (the case None for a global event); None when there
    is no such event."""
    rows = fetch_all(db, "SELECT case_id, type FROM events WHERE id = ?", [event_id])
    return (rows[0][0], rows[0][1]) if rows else None


def child_cases(db: Database, child_id: int) -> list[CaseState]:
    """All readable episodes of a child, earliest learned-of first (a damaged projection is
    rebuilt from its events; an episode that cannot be read at all is left out)."""
    rows = fetch_all(
        db, "SELECT id, state FROM cases WHERE child_id = ? ORDER BY learned_at, id", [child_id]
    )
    states: list[CaseState] = []
    for case_id, text in rows:
        try:
            states.append(stored_state(case_id, text))
        except DAMAGE:
            try:
                states.append(rebuild_state(db, case_id, child_id))
            except Damaged:
                continue
    return states


def child(db: Database, child_id: int) -> Child | None:
    """A child by id."""
    rows = fetch_all(db, "SELECT * FROM children WHERE id = ?", [child_id], by_name=True)
    if not rows:
        return None
    try:
        return child_from_row(rows[0])
    except DAMAGE:
        raise Damaged(f"child {child_id} cannot be read; run caseboard verify") from None


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


def audit_head(db: Database) -> tuple[int, str] | None:
    """The newest event's (id, hash), None when there are none (or its hash is not text)."""
    row = db.conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    if row is None or not isinstance(row[1], str):
        return None
    return int(row[0]), row[1]


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
        ChildMatch(row["id"], str(row["name"]), row["dob"], row["age"], row["episodes"])
        for row in fetch_all(db, sql, params, by_name=True)
    ]
