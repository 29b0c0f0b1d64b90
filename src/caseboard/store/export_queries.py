"""Whole-database reads for `export`: every event and every child."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from caseboard.domain.model import Event
from caseboard.store.codec import BadEvent, decode_events


def all_events(db: Database) -> tuple[list[Event], list[BadEvent]]:
    """Every event, case events and others (operators, sign-offs), in log order; and the rows
    that cannot be decoded (left out, with what is wrong with each)."""
    cursor = db.conn.execute(
        "SELECT id, case_id, type, occurred_at, recorded_at, actor, data, supersedes"
        " FROM events ORDER BY id"
    )
    names = [column[0] for column in cursor.description]
    return decode_events(dict(zip(names, values, strict=True)) for values in cursor)


def all_children(db: Database) -> list[dict[str, Any]]:
    """Every child record, by id."""
    return list(
        db.query("SELECT id, name, dob, age, aliases, created_at FROM children ORDER BY id")
    )
