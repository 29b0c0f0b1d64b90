"""Read-only queries for `verify`: SQLite's own checks, triggers, the event chain, projections."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from caseboard.store.rows import fetch_all

# The triggers that make the events table append-only (m001 and m002 in store.schema).
APPEND_ONLY_TRIGGERS = ("events_no_update", "events_no_delete", "events_no_replace")

# The columns event_hash covers, plus the two chain links.
CHAIN_COLUMNS = (
    "id, case_id, type, occurred_at, recorded_at, actor, data, supersedes, prev_hash, hash"
)


def integrity_problems(db: Database) -> list[str]:
    """What `PRAGMA integrity_check` reports; empty when it says ok."""
    lines = [str(row[0]) for row in db.conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if lines == ["ok"] else lines


def foreign_key_problems(db: Database) -> list[dict[str, Any]]:
    """Rows that point at a missing parent: table, rowid, parent table."""
    rows = db.conn.execute("PRAGMA foreign_key_check").fetchall()
    return [{"table": row[0], "rowid": row[1], "parent": row[2]} for row in rows]


def missing_triggers(db: Database) -> list[str]:
    """The append-only triggers on events that are not there."""
    present = {
        row[0]
        for row in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
        )
    }
    return [name for name in APPEND_ONLY_TRIGGERS if name not in present]


def event_chain(db: Database) -> Iterator[dict[str, Any]]:
    """Every event row as stored (raw text, not decoded), in id order."""
    for row in fetch_all(db, f"SELECT {CHAIN_COLUMNS} FROM events ORDER BY id", by_name=True):
        yield dict(row)


def projections(db: Database) -> Iterator[dict[str, Any]]:
    """Every case projection row: the indexed columns and the stored state text, by id."""
    rows = fetch_all(
        db,
        "SELECT id, child_id, status, learned_at, last_seen_at, last_seen_where, placement_type,"
        " agency, version, last_event_id, state FROM cases ORDER BY id",
        by_name=True,
    )
    for row in rows:
        yield dict(row)


def child_ids(db: Database) -> set[int]:
    """The ids of every children row."""
    return {row[0] for row in db.conn.execute("SELECT id FROM children")}


# The text columns that can be damaged into bytes that are not UTF-8, per table.
TEXT_COLUMNS = {
    "events": ("type", "occurred_at", "recorded_at", "actor", "data"),
    "cases": ("status", "learned_at", "last_seen_at", "last_seen_where", "placement_type",
              "agency", "updated_at", "state"),
    "children": ("name", "dob", "aliases", "created_at"),
}  # fmt: skip


def invalid_text(db: Database) -> list[tuple[str, int, str]]:
    """(table, id, column) of every stored text that is not valid UTF-8."""
    found: list[tuple[str, int, str]] = []
    for table, columns in TEXT_COLUMNS.items():
        blobs = ", ".join(f"CAST({column} AS BLOB)" for column in columns)
        for row_id, *values in db.conn.execute(f"SELECT id, {blobs} FROM {table} ORDER BY id"):
            for column, value in zip(columns, values, strict=True):
                if value is None:
                    continue
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    found.append((table, row_id, column))
    return found


def children(db: Database) -> list[dict[str, Any]]:
    """Every children row's identity columns, by id."""
    rows = fetch_all(db, "SELECT id, name, dob, age FROM children ORDER BY id", by_name=True)
    return [dict(row) for row in rows]


def children_identity(db: Database) -> dict[int, dict[str, Any]]:
    """Every children row's identity (name, dob, age, aliases), by id."""
    rows = fetch_all(
        db, "SELECT id, name, dob, age, aliases FROM children ORDER BY id", by_name=True
    )
    return {row["id"]: dict(row) for row in rows}


def operator_rows(db: Database) -> dict[Any, dict[str, Any]]:
    """Every operators row as stored, by username."""
    rows = fetch_all(
        db,
        "SELECT username, name, role, active, added_at, added_by FROM operators",
        by_name=True,
    )
    return {row["username"]: dict(row) for row in rows}


def operator_events(db: Database) -> list[dict[str, Any]]:
    """Every operator event (id, recorded_at, actor, data as stored), in id order."""
    rows = fetch_all(
        db,
        "SELECT id, recorded_at, actor, data FROM events WHERE type = 'operator' ORDER BY id",
        by_name=True,
    )
    return [dict(row) for row in rows]


def intake_links(db: Database) -> list[dict[str, Any]]:
    """Every intake event's id and data (as stored) with the child its case is for, in id order
    (cases.child_id is where the link lives: the intake event's data does not carry it)."""
    rows = fetch_all(
        db,
        "SELECT events.id AS id, cases.child_id AS child_id, events.data AS data FROM events"
        " JOIN cases ON cases.id = events.case_id WHERE events.type = 'intake' ORDER BY events.id",
        by_name=True,
    )
    return [dict(row) for row in rows]


def key_events(db: Database) -> list[Any]:
    """The data (as stored) of every key event, in id order."""
    rows = fetch_all(db, "SELECT data FROM events WHERE type = 'key' ORDER BY id")
    return [row[0] for row in rows]


def photo_events(db: Database) -> list[tuple[int, Any, Any]]:
    """(event id, case id, data) of every `photo` event, oldest first."""
    sql = "SELECT id, case_id, data FROM events WHERE type = 'photo' ORDER BY id"
    return [(row[0], row[1], row[2]) for row in fetch_all(db, sql, [])]


def photo_rows(db: Database) -> Iterator[tuple[int, Any, Any, Any]]:
    """(id, case id, sha256, bytes) of every stored photo, one row at a time (they are large)."""
    yield from db.execute("SELECT id, case_id, sha256, data FROM photos ORDER BY id")
