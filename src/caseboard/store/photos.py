"""The photos table: stripped image bytes, written with their event and never changed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from caseboard.store.rows import fetch_all
from caseboard.store.writer import WriteSession


@dataclass(frozen=True)
class StoredPhoto:
    """One photos row."""

    id: int
    case_id: int
    sha256: str
    format: str
    width: int
    height: int
    data: bytes


def add_photo(
    tx: WriteSession, case_id: int, sha256: str, fmt: str, size: tuple[int, int], data: bytes
) -> int:
    """Insert a photo inside the write transaction (its event follows); returns its id."""
    cursor = tx.execute(
        "INSERT INTO photos (case_id, sha256, format, width, height, data, added_at, added_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [case_id, sha256, fmt, size[0], size[1], data, tx.recorded_at, tx.actor.username],
    )
    return int(cursor.lastrowid or 0)


def photo(db: Database, photo_id: int) -> StoredPhoto | None:
    """A photo by id, or None when there is no such row."""
    rows = fetch_all(
        db,
        "SELECT id, case_id, sha256, format, width, height, data FROM photos WHERE id = ?",
        [photo_id],
    )
    if not rows:
        return None
    row = rows[0]
    return StoredPhoto(
        id=row[0],
        case_id=row[1],
        sha256=row[2],
        format=row[3],
        width=row[4],
        height=row[5],
        data=bytes(row[6]),
    )
