"""A forged edit as an attacker with write access to the file would make it: sqlite3 directly,
the append-only triggers dropped and recreated, and the hash chain recomputed from the edited
event to the end, so the chain itself checks out again."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from caseboard.store.writer import event_hash

CHAIN = "id, case_id, type, occurred_at, recorded_at, actor, data, supersedes, prev_hash, hash"


def forge_event(path: Path, event_id: int, **data_changes: Any) -> None:
    """Rewrite `data` keys of one event and recompute every hash from it on."""
    with closing(sqlite3.connect(path)) as conn:
        triggers = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
        ).fetchall()
        conn.execute("BEGIN IMMEDIATE")
        for (sql,) in triggers:
            name = sql.split()[2]
            conn.execute(f"DROP TRIGGER {name}")
        (text,) = conn.execute("SELECT data FROM events WHERE id = ?", [event_id]).fetchone()
        data = {**json.loads(text), **data_changes}
        conn.execute(
            "UPDATE events SET data = ? WHERE id = ?",
            [json.dumps(data, separators=(",", ":"), ensure_ascii=False), event_id],
        )
        rechain(conn, event_id)
        for (sql,) in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")


def rechain(conn: sqlite3.Connection, first: int) -> None:
    """Recompute prev_hash and hash of every event from `first` on (triggers already off)."""
    conn.row_factory = sqlite3.Row
    previous = conn.execute("SELECT hash FROM events WHERE id = ?", [first - 1]).fetchone()
    prev_hash = previous["hash"] if previous else "0" * 64
    rows = conn.execute(f"SELECT {CHAIN} FROM events WHERE id >= ? ORDER BY id", [first])
    for row in [dict(r) for r in rows]:
        new = event_hash(prev_hash, row)
        conn.execute(
            "UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", [prev_hash, new, row["id"]]
        )
        prev_hash = new
    conn.row_factory = None
