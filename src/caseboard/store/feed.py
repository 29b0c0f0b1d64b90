"""The change feed a live board reads: which cases changed after an event id, and by whom."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from caseboard.store.rows import fetch_all


@dataclass
class EventsAfter:
    """The newest event id seen and, per case touched, the accounts that wrote its events."""

    newest: int
    actors: dict[int, set[str]] = field(default_factory=dict)


def events_after(db: Database, event_id: int) -> EventsAfter:
    """Events with id greater than `event_id` (the primary key: an index range scan)."""
    found = EventsAfter(event_id)
    sql = "SELECT id, case_id, actor FROM events WHERE id > ? ORDER BY id"
    rows = fetch_all(db, sql, [event_id])
    for newest, case_id, actor in rows:
        found.newest = newest
        if case_id is not None:
            found.actors.setdefault(int(case_id), set()).add(str(actor))
    return found
