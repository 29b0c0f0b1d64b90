"""Fixtures for the board: a session seeded with the demo data, and an app on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from caseboard import services
from caseboard.clock import Clock, frozen_clock
from caseboard.tui.app import CaseboardApp
from support import databases


@pytest.fixture(scope="session", autouse=True)
def private_log_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Crash logs written by the board under test stay out of the real home."""
    folder = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(folder / "state"))
        yield folder


@pytest.fixture
def frozen(now: datetime) -> Clock:
    """The suite's frozen clock (tests/conftest.py's NOW) for the app."""
    return frozen_clock(now)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo fixture imported once per test process (on the frozen clock, closed);
    demo_session copies the file, far cheaper than importing again."""
    return databases.import_demo(tmp_path_factory.mktemp("demo") / "caseboard.db")


@pytest.fixture
def demo_session(
    demo_template: Path, db_path: Path, request: pytest.FixtureRequest
) -> services.Session:
    """A fresh database holding the demo fixture, read at the frozen clock (this test's own
    copy of the imported file)."""
    databases.copy_closed(demo_template, db_path)
    # make_session (root conftest) opens an existing file through init_database: no change.
    make_session: Callable[..., services.Session] = request.getfixturevalue("make_session")
    return make_session()


@pytest.fixture
def app(demo_session: services.Session, frozen: Clock) -> CaseboardApp:
    """The board on the demo data with the frozen clock."""
    return CaseboardApp(demo_session, clock=frozen)
