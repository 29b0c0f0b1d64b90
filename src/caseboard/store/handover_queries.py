"""Reads for the shift handover and for "since you last looked", plus the one look marker write.

Times are compared as stored text: every stored time is UTC ISO-8601 in one format (to_iso), so
text order is time order and the indexes on occurred_at serve the window.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import msgspec
from sqlite_utils import Database

from caseboard.domain.board import UnreadableCase
from caseboard.domain.model import CaseState, Child, Event
from caseboard.domain.timefmt import from_iso, to_iso
from caseboard.store.codec import DAMAGE, BadEvent, decode_events
from caseboard.store.queries import (
    CASE_SELECT,
    CaseRecord,
    episodes_by_child,
    joined_child,
    read_case,
    stored_state,
)
from caseboard.store.rows import fetch_all

# SQLite's default limit on bound parameters is far above this; batches keep statements small.
BATCH = 500
NEWS_SQL = "(type = 'contact' OR (type = 'sighting' AND json_extract(data, '$.confirmed')))"


def _rows(db: Database, sql: str, params: Iterable[Any] = ()) -> Iterator[sqlite3.Row]:
    """Rows read by name, built in C (sqlite3.Row): a 12-hour handover over a large log reads
    tens of thousands, and sqlite-utils' dict per row was a sixth of its time."""
    return iter(fetch_all(db, sql, list(params), by_name=True))


class CaseRow(msgspec.Struct, frozen=True, gc=False):
    """A case's projection with its child."""

    state: CaseState
    child: Child


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for value in ids:
        chunk.append(value)
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _events(rows: Iterable[sqlite3.Row], bad: list[BadEvent] | None) -> list[Event]:
    """The rows that decode as Events; the others are left out and noted in `bad` (a damaged
    event must not take the whole handover down: `caseboard verify` names it)."""
    events, unreadable = decode_events(rows)
    if bad is not None:
        bad.extend(unreadable)
    return events


def last_signoff(db: Database) -> Event | None:
    """The newest sign-off event, or None (walks the partial index backwards)."""
    rows = _rows(db, "SELECT * FROM events WHERE type = 'signoff' ORDER BY id DESC LIMIT 1")
    events = _events(rows, None)
    return events[0] if events else None


def window_events(
    db: Database,
    since: datetime,
    until: datetime,
    types: Iterable[str],
    bad: list[BadEvent] | None = None,
) -> list[Event]:
    """Events of `types` that happened in `since < occurred_at <= until`, with every correction
    of them (whenever made) so the domain can apply it."""
    kinds = list(types)
    rows = _rows(
        db,
        f"SELECT * FROM events WHERE occurred_at > ? AND occurred_at <= ?"
        f" AND type IN ({_marks(len(kinds))})",
        [to_iso(since), to_iso(until), *kinds],
    )
    events = _events(rows, bad)
    ids = [event.id for event in events if event.type != "correction"]
    seen = {event.id for event in events}
    for chunk in _batches(ids):
        rows = _rows(db, f"SELECT * FROM events WHERE supersedes IN ({_marks(len(chunk))})", chunk)
        for event in _events(rows, bad):
            if event.id not in seen:
                events.append(event)
                seen.add(event.id)
    return events


def late_events(
    db: Database,
    after_id: int,
    since: datetime,
    until: datetime,
    types: Iterable[str],
    bad: list[BadEvent] | None = None,
) -> list[Event]:
    """Events logged after event `after_id` (a sign-off) for a time at or before `since`, and
    logged by `until`: news the last handover could not have shown."""
    kinds = list(types)
    rows = _rows(
        db,
        f"SELECT * FROM events WHERE id > ? AND occurred_at <= ? AND recorded_at <= ?"
        f" AND type IN ({_marks(len(kinds))})",
        [after_id, to_iso(since), to_iso(until), *kinds],
    )
    return _events(rows, bad)


def handover_cases(db: Database, since: datetime) -> tuple[list[CaseRow], list[UnreadableCase]]:
    """Every case not closed, plus closed ones last changed after `since`; and those of them
    that cannot be read (a damaged projection is rebuilt from the case's events first)."""
    rows = fetch_all(
        db, CASE_SELECT + " WHERE cases.status != 'closed' OR cases.updated_at > ?", [to_iso(since)]
    )
    try:
        return [
            CaseRow(stored_state(case_id, state), joined_child(child_id, name, dob, age))
            for case_id, _stored, state, child_id, name, dob, age in rows
        ], []
    except DAMAGE:
        pass
    cases: list[CaseRow] = []
    unreadable: list[UnreadableCase] = []
    episodes = episodes_by_child(db)
    for row in rows:
        got = read_case(db, row, episodes)
        if isinstance(got, CaseRecord):
            cases.append(CaseRow(got.state, got.child))
        else:
            unreadable.append(got)
    return cases, unreadable


def news_after(db: Database, since: datetime) -> dict[int, list[datetime]]:
    """Confirmed sighting and contact times after `since`, per case."""
    result: dict[int, list[datetime]] = defaultdict(list)
    rows = _rows(
        db,
        f"SELECT case_id, occurred_at FROM events WHERE occurred_at > ? AND {NEWS_SQL}",
        [to_iso(since)],
    )
    for row in rows:
        try:
            result[row["case_id"]].append(from_iso(row["occurred_at"]))
        except DAMAGE:
            continue  # a damaged event: verify names it; the handover goes on without it
    return result


def latest_news_by(db: Database, case_ids: Iterable[int], moment: datetime) -> dict[int, datetime]:
    """The latest confirmed sighting or contact at or before `moment`, per case that has one."""
    result: dict[int, datetime] = {}
    # One indexed range per case and type (events_case_type): contacts need no look at the data,
    # sightings only at their own rows.
    sql = (
        "SELECT ? AS case_id, MAX(at) AS at FROM ("
        " SELECT MAX(occurred_at) AS at FROM events"
        "  WHERE case_id = ? AND type = 'contact' AND occurred_at <= ?"
        " UNION ALL SELECT MAX(occurred_at) FROM events"
        "  WHERE case_id = ? AND type = 'sighting' AND occurred_at <= ?"
        "  AND json_extract(data, '$.confirmed'))"
    )
    until = to_iso(moment)
    for case_id in case_ids:
        for row in _rows(db, sql, [case_id, case_id, until, case_id, until]):
            if row["at"] is not None:
                try:
                    result[case_id] = from_iso(row["at"])
                except DAMAGE:
                    continue  # a damaged event's time: verify names it
    return result


def histories(
    db: Database, case_ids: Iterable[int], types: Iterable[str]
) -> dict[int, list[Event]]:
    """The events of some types of some cases, in log order."""
    kinds = list(types)
    result: dict[int, list[Event]] = defaultdict(list)
    for chunk in _batches(sorted(set(case_ids))):
        rows = _rows(
            db,
            f"SELECT * FROM events WHERE case_id IN ({_marks(len(chunk))})"
            f" AND type IN ({_marks(len(kinds))}) ORDER BY id",
            [*chunk, *kinds],
        )
        for event in _events(rows, None):
            if event.case_id is not None:
                result[event.case_id].append(event)
    return result


# --- since you last looked ------------------------------------------------------------------


def last_look(db: Database, username: str) -> tuple[int, datetime] | None:
    """The newest event id an operator had on screen, and when; None if never recorded."""
    rows = list(
        _rows(db, "SELECT event_id, looked_at FROM board_looks WHERE username = ?", [username])
    )
    if not rows:
        return None
    try:
        return (int(rows[0]["event_id"]), from_iso(rows[0]["looked_at"]))
    except DAMAGE:
        return None  # a damaged marker (not part of the record): as if never looked


def record_look(db: Database, username: str, event_id: int, at: datetime) -> None:
    """Remember what an operator has seen: its own short transaction, never the events table.

    This is a documented side-write beside the write path: it changes no case, needs no role
    (viewers look too) and is not audited; an older marker never replaces a newer one.
    """
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO board_looks (username, event_id, looked_at) VALUES (?, ?, ?)"
            " ON CONFLICT(username) DO UPDATE SET event_id = excluded.event_id,"
            " looked_at = excluded.looked_at WHERE excluded.event_id >= board_looks.event_id",
            [username, event_id, to_iso(at)],
        )
        db.conn.execute("COMMIT")
    except sqlite3.Error:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def case_events_after(db: Database, event_id: int, not_by: str | None = None) -> list[Event]:
    """Case events newer than `event_id` (optionally leaving out one operator's own; events
    that cannot be decoded are left out: `caseboard verify` names them)."""
    sql = "SELECT * FROM events WHERE id > ? AND case_id IS NOT NULL"
    params: list[Any] = [event_id]
    if not_by is not None:
        sql += " AND actor != ?"
        params.append(not_by)
    return _events(_rows(db, sql + " ORDER BY id", params), None)
