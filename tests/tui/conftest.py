"""Fixtures for the board: a session seeded with the demo data, and an app on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pytest

from caseboard import paths, services
from caseboard.clock import Clock, frozen_clock
from caseboard.tui.app import CaseboardApp


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
