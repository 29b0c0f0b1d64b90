"""The access log: who looked at or tried what, when, from where, and the outcome."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from caseboard.domain.timefmt import to_iso


@dataclass(frozen=True)
class AccessEntry:
    """One access-log row."""

    id: int
    at: str  # as stored: UTC ISO-8601 (shown as it is if it ever fails to parse)
    operator: str
    action: str
    case_id: int | None
    outcome: str
    source: str | None


def log_access(
    db: Database,
    username: str,
    action: str,
    outcome: str,
    now: datetime,
    *,
    case_id: int | None = None,
    source: str | None = None,
) -> bool:
    """Append one entry in its own transaction; False when it could not be written.

    Best effort by design: a log that cannot be written (a read-only file, a locked database)
    must not stop the hotline from reading a case. Callers outside a transaction only.
    """
    if db.conn.in_transaction:
        return False
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute(
            "INSERT INTO access_log (at, username, action, outcome, case_id, source)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [to_iso(now), username, action, outcome, case_id, source],
        )
        db.conn.execute("COMMIT")
        return True
    except sqlite3.Error:
        _end(db.conn)
        return False


def _end(conn: sqlite3.Connection) -> None:
    """Roll back what a failed entry began (if it got that far)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def entries(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    operator: str | None = None,
    case_id: int | None = None,
) -> list[AccessEntry]:
    """Entries in time order, filtered by window (`since < at <= until`), operator and case."""
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append("at > ?")
        params.append(to_iso(since))
    if until is not None:
        clauses.append("at <= ?")
        params.append(to_iso(until))
    if operator is not None:
        clauses.append("username = ?")
        params.append(operator)
    if case_id is not None:
        clauses.append("case_id = ?")
        params.append(case_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.conn.execute(
        "SELECT id, at, username, action, case_id, outcome, source FROM access_log"
        f"{where} ORDER BY at, id",
        params,
    ).fetchall()
    return [
        AccessEntry(row[0], str(row[1]), row[2], row[3], row[4], row[5], row[6]) for row in rows
    ]
