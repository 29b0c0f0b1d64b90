"""Whole-database reads for `export`: every event and every child."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from caseboard.domain.model import Event
from caseboard.store.codec import BadEvent, decode_events
from caseboard.store.rows import fetch_all


def all_events(db: Database) -> tuple[list[Event], list[BadEvent]]:
    """Every event, case events and others (operators, sign-offs), in log order; and the rows
    that cannot be decoded (left out, with what is wrong with each)."""
    rows = fetch_all(
        db,
        "SELECT id, case_id, type, occurred_at, recorded_at, actor, data, supersedes"
        " FROM events ORDER BY id",
        by_name=True,
    )
    return decode_events(rows)


def all_children(db: Database) -> list[dict[str, Any]]:
    """Every child record, by id."""
    rows = fetch_all(
        db, "SELECT id, name, dob, age, aliases, created_at FROM children ORDER BY id", by_name=True
    )
    return [dict(row) for row in rows]
