"""Reading rows when some stored text may not be valid UTF-8 (a damaged row)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database


def _lenient(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


@contextmanager
def lenient_text(conn: sqlite3.Connection) -> Iterator[None]:
    """Text that is not valid UTF-8 read with U+FFFD in place of the bad bytes."""
    before = conn.text_factory
    conn.text_factory = _lenient
    try:
        yield
    finally:
        conn.text_factory = before


def fetch_all(
    db: Database, sql: str, params: Sequence[Any] = (), *, by_name: bool = False
) -> list[Any]:
    """Every row of a query, as tuples (or sqlite3.Row with `by_name`).

    sqlite3 refuses a whole query when one value is not valid UTF-8; only then is it read again
    leniently, so that the damaged row fails alone where it is decoded (its JSON or its time
    no longer parses) and the others read as ever. The common case is one plain fetchall.
    """
    try:
        return _fetch(db.conn, sql, params, by_name)
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
    with lenient_text(db.conn):
        return _fetch(db.conn, sql, params, by_name)


def _fetch(conn: sqlite3.Connection, sql: str, params: Sequence[Any], by_name: bool) -> list[Any]:
    cursor = conn.cursor()
    if by_name:
        cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, list(params)).fetchall()
