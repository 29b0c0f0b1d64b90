"""The reads `caseboard doctor` makes of the database: journal mode, SQLite's quick check,
pending migrations, and when it last changed and was last signed off."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from caseboard.domain.timefmt import maybe_iso
from caseboard.store.schema import migrations


def journal_mode(db: Database) -> str:
    """The file's journal mode as SQLite reports it ('wal', 'delete', …)."""
    return str(db.conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()


def quick_check(db: Database) -> list[str]:
    """PRAGMA quick_check's findings; empty when it says ok."""
    rows = [str(row[0]) for row in db.conn.execute("PRAGMA quick_check")]
    if rows == ["ok"]:
        return []
    # One row may hold several lines, headed "*** in database main ***".
    lines = [line for row in rows for line in row.splitlines()]
    return [line for line in lines if line.strip() and not line.startswith("***")]


def pending_migrations(db: Database) -> list[str]:
    """The names of caseboard's schema changes not yet applied to this file."""
    return [migration.name for migration in migrations.pending(db)]


def newest_change(db: Database) -> datetime | None:
    """When anything was last written: an event, an access-log entry or a board's look."""
    row = db.conn.execute(
        "SELECT MAX(at) FROM ("
        " SELECT MAX(recorded_at) AS at FROM events"
        " UNION ALL SELECT MAX(at) FROM access_log"
        " UNION ALL SELECT MAX(looked_at) FROM board_looks)"
    ).fetchone()
    return maybe_iso(row[0])


def first_event(db: Database) -> datetime | None:
    """When the first event was recorded (the database's start in use)."""
    row = db.conn.execute("SELECT recorded_at FROM events ORDER BY id LIMIT 1").fetchone()
    return maybe_iso(row[0]) if row else None


def newest_signoff(db: Database) -> tuple[int, datetime] | None:
    """The newest handover sign-off (the newest anchor kept outside the file): id and time."""
    row = db.conn.execute(
        "SELECT id, recorded_at FROM events WHERE type = 'signoff' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    when = maybe_iso(row[1])
    return (int(row[0]), when) if when is not None else None
