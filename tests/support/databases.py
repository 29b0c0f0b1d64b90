"""Database files made once and copied: an initialised file and the demo import, each built on
the suite's frozen clock by the real services and handed to tests as byte copies."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from caseboard import paths, services
from caseboard.clock import frozen_clock
from caseboard.domain import policy as policy_module
from caseboard.identity import os_username
from caseboard.store.writer import Actor

# The root conftest's moment, zone and clock (restated: the root conftest is not importable).
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
FROZEN = frozen_clock(NOW)


def federal() -> policy_module.Policy:
    """The built-in federal profile."""
    return policy_module.load(paths.builtin_policy_text("federal"))


def initialise(path: Path) -> Path:
    """`init_database` on `path` as the OS user, on the frozen clock, and closed again (nothing
    else in the process holds the file but the sessions a test asks for)."""
    made, _applied, _first = services.init_database(
        path, Actor(os_username()), federal(), ZONE, FROZEN
    )
    made.db.conn.close()
    return path


def import_demo(path: Path) -> Path:
    """`initialise` then import fixtures/demo.json as the OS user, on the frozen clock; closed."""
    session = services.open_session(initialise(path), Actor(os_username()), federal(), ZONE, FROZEN)
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    session.db.conn.close()
    return path


def copy_closed(source: Path, target: Path) -> Path:
    """A byte copy of a closed database file, its mode included: closing the last connection
    checkpointed the WAL into the file, so the file is the whole database."""
    assert not source.with_name(f"{source.name}-wal").exists(), f"{source} is still open"
    shutil.copy(source, target)
    return target
