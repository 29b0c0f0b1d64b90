"""Store-test helpers: row counts read through a plain sqlite3 connection, intake records."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

TABLES = ("events", "cases", "children", "operators", "access_log")


def read_counts(path: Path) -> dict[str, int]:
    """Rows per caseboard table, read on a fresh connection (so only committed rows count)."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES
        }


@pytest.fixture
def counts(db_path: Path) -> Callable[[], dict[str, int]]:
    """`counts()` -> committed rows per table of the test database."""
    return lambda: read_counts(db_path)


@pytest.fixture
def intake_record() -> Callable[..., dict[str, Any]]:
    """`intake_record(name=..., **overrides)` -> a valid intake record (times relative to now)."""

    def make(name: str = "Testy Recordson", **overrides: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "name": name,
            "age": 14,
            "learned_at": "-1h",
            "last_seen_at": "-2h",
            "last_seen_where": "Sample Group Home, 1 Example St, Demoville",
            "placement_type": "group_home",
            "agency": "Fictional County DCFS",
        }
        record.update(overrides)
        return record

    return make
