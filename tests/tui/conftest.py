"""Fixtures for the board: a session seeded with the demo data, and an app on it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from caseboard import paths, services
from caseboard.clock import Clock, frozen_clock
from caseboard.tui.app import CaseboardApp


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


@pytest.fixture
def demo_session(make_session: Callable[..., services.Session]) -> services.Session:
    """A fresh database holding the demo fixture, read at the frozen clock."""
    session = make_session()
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    return session


@pytest.fixture
def app(demo_session: services.Session, frozen: Clock) -> CaseboardApp:
    """The board on the demo data with the frozen clock."""
    return CaseboardApp(demo_session, clock=frozen)
