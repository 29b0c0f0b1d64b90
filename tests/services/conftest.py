"""Service-test helpers: a prepared board (operators of every role, cases in known states).

The board is built once per test session through the services, with the frozen clock, and each
test gets its own copy of the database file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest

from caseboard import paths, services
from caseboard.clock import frozen_clock
from caseboard.domain import policy as policy_module
from caseboard.domain.board import CaseSummary
from caseboard.domain.model import Event
from caseboard.identity import os_username
from caseboard.services import actions
from caseboard.store import queries
from caseboard.store.writer import Actor

TABLES = ("events", "cases", "children", "operators", "access_log")
CONTENT = ("events", "cases", "children", "operators")

# Operators besides the OS user (who made the database and is its supervisor).
DISPATCHER, LIAISON, VIEWER = "dina", "leo", "vic"

# The root conftest's moment, zone and clock (with importlib import mode the root conftest is not
# importable by name, so the same values are restated here).
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
FROZEN = frozen_clock(NOW)


def ago(**delta: float) -> datetime:
    """NOW minus a span, e.g. ago(hours=2)."""
    return NOW - timedelta(**delta)


def shown(moment: datetime) -> str:
    """How a time appears in messages: local date and time in the test zone."""
    return f"{moment.astimezone(ZONE):%Y-%m-%d %H:%M}"


def record(name: str, age: int, learned: str, last_seen: str, **extra: Any) -> dict[str, Any]:
    """An intake record (times relative to NOW)."""
    return {
        "name": name,
        "age": age,
        "learned_at": learned,
        "last_seen_at": last_seen,
        "last_seen_where": "Sample Foster Home, 2 Example Rd, Demoville",
        "placement_type": "foster_home",
        "agency": "Fictional County DCFS",
        **extra,
    }


@dataclass(frozen=True)
class Cases:
    """Ids of the prepared cases and events.

    critical:  age 10 (CRITICAL), last seen 8 h ago, learned 7 h ago; nothing else.
    standard:  age 16 in a foster home, last seen 2 h ago, learned 1 h ago: STANDARD, 0 points.
    policed:   police report confirmed by the liaison 2 h ago; an unconfirmed sighting 1 h ago.
    recovered: recovered 30 min ago (recorded by the liaison), no notices, no interview.
    closed:    recovered 2 h ago and closed at NOW, both by the dispatcher.
    """

    critical: int
    standard: int
    policed: int
    recovered: int
    closed: int
    police_confirmation: int
    policed_sighting: int
    recovery: int


def _session(path: Path, username: str) -> services.Session:
    policy = policy_module.load(paths.builtin_policy_text("federal"))
    return services.open_session(path, Actor(username), policy, ZONE, FROZEN)


@pytest.fixture(scope="session")
def prepared_board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Cases]:
    """The prepared database (shared: tests get copies)."""
    path = tmp_path_factory.mktemp("board") / "caseboard.db"
    policy = policy_module.load(paths.builtin_policy_text("federal"))
    boss, _, _ = services.init_database(path, Actor(os_username()), policy, ZONE, FROZEN)
    services.add_operator(boss, DISPATCHER, "dispatcher", "Dina Dispatch")
    services.add_operator(boss, LIAISON, "liaison", "Leo Liaison")
    services.add_operator(boss, VIEWER, "viewer", "Vic Viewer")
    critical = services.open_case(boss, record("Cora Critical", 10, "-7h", "-8h"))
    standard = services.open_case(boss, record("Sam Standard", 16, "-1h", "-2h"))
    policed = services.open_case(boss, record("Pat Policed", 16, "-3h", "-4h"))
    recovered = services.open_case(boss, record("Rory Recovered", 15, "-5h", "-6h"))
    closed = services.open_case(boss, record("Cleo Closed", 16, "-10h", "-12h"))
    leo, dina = _session(path, LIAISON), _session(path, DISPATCHER)
    police = actions.confirm_report(
        leo, policed, "police", {"at": "-2h", "ref": "26-000321", "agency": "Example City PD"}
    )
    sighting = actions.log_sighting(leo, policed, {"at": "-1h", "where": "Sample Mall"})
    recovery = actions.record_recovery(
        leo,
        recovered,
        {"at": "-30m", "where": "Bus Station, 9 Sample Ave", "by": "Officer Example"},
    )
    actions.record_recovery(dina, closed, {"at": "-2h", "where": "School", "by": "Teacher"})
    actions.close_case(dina, closed, "returned to placement")
    for session in (boss, leo, dina):
        session.db.conn.close()
    cases = Cases(
        critical=critical,
        standard=standard,
        policed=policed,
        recovered=recovered,
        closed=closed,
        police_confirmation=police.event_id,
        policed_sighting=sighting.event_id,
        recovery=recovery.event_id,
    )
    return path, cases


class Board:
    """One test's copy of the prepared database, with sessions and read helpers."""

    def __init__(self, path: Path, cases: Cases, make_session: Callable[..., Any]) -> None:
        self.path = path
        self.cases = cases
        self._make = make_session
        self._opened: list[services.Session] = []
        self._reader: services.Session | None = None

    def session(self, username: str | None = None, **options: Any) -> services.Session:
        """A session for an operator (default: the OS user, supervisor)."""
        session: services.Session = self._make(username, **options)
        self._opened.append(session)
        return session

    @property
    def reader(self) -> services.Session:
        """A supervisor session used only for reading."""
        if self._reader is None:
            self._reader = self.session()
        return self._reader

    def counts(self) -> dict[str, int]:
        """Committed rows per table, read on a fresh connection."""
        with closing(sqlite3.connect(self.path)) as conn:
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}

    def content(self) -> dict[str, int]:
        """Rows of the tables an action may change (access_log holds refusals)."""
        return {table: n for table, n in self.counts().items() if table in CONTENT}

    def events(self, case_id: int) -> list[Event]:
        """The case's stored events in log order (corrections included, nothing applied)."""
        return queries.case_events(self.reader.db, case_id)

    def event(self, event_id: int) -> Event:
        """One stored event."""
        rows = list(self.reader.db.query("SELECT case_id FROM events WHERE id = ?", [event_id]))
        assert rows, f"no event {event_id}"
        (found,) = [e for e in self.events(rows[0]["case_id"]) if e.id == event_id]
        return found

    def summary(self, case_id: int) -> CaseSummary:
        """The case as the board shows it at NOW."""
        return services.show_case(self.reader, case_id).summary

    def new_event(self, events_before: int, event_id: int) -> Event:
        """Check that exactly one event was added since `events_before`, and return it."""
        assert self.counts()["events"] == events_before + 1, "expected exactly one new event"
        return self.event(event_id)

    now = NOW
    zone = ZONE
    # Operator usernames by role.
    users: ClassVar[dict[str, str]] = {
        "supervisor": os_username(),
        "dispatcher": DISPATCHER,
        "liaison": LIAISON,
        "viewer": VIEWER,
    }

    @staticmethod
    def ago(**delta: float) -> datetime:
        """NOW minus a span, e.g. board.ago(hours=2)."""
        return ago(**delta)

    @staticmethod
    def shown(moment: datetime) -> str:
        """A time as messages show it (local date and time)."""
        return shown(moment)

    def close(self) -> None:
        """Close every connection this board opened."""
        for session in self._opened:
            session.db.conn.close()


@pytest.fixture
def board(
    prepared_board: tuple[Path, Cases], db_path: Path, request: pytest.FixtureRequest
) -> Iterator[Board]:
    """This test's own copy of the prepared board."""
    source, cases = prepared_board
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(db_path)) as dst:
        src.backup(dst)
    # make_session (root conftest) inits db_path: on the copy that changes nothing.
    make_session = request.getfixturevalue("make_session")
    result = Board(db_path, cases, make_session)
    yield result
    result.close()
