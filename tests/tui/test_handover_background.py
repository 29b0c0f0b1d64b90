"""The handover report is read in a worker thread: while it is read the board stays live and a
loading line says so; a refusal is said; only the latest read is shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from textual.widgets import Static

from caseboard import services
from caseboard.domain.errors import Unavailable
from caseboard.domain.handover import Report
from caseboard.tui import handover as handover_screen
from caseboard.tui.app import CaseboardApp
from caseboard.tui.handover import LOADING, HandoverScreen
from caseboard.tui.longtext import LongText
from support.reading import settled

SIZE = (120, 40)
NEW_CASE = {
    "name": "Opened Meanwhile",
    "age": 9,
    "learned_at": "10m ago",
    "last_seen_at": "30m ago",
    "last_seen_where": "Example Park",
    "placement_type": "foster_home",
    "agency": "Fictional County DCFS",
}


class Gate:
    """Holds every report read until the test opens it; counts the reads started."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started = 0

    def wrap(
        self, read: Callable[[services.Session, str | None], Report]
    ) -> Callable[[services.Session, str | None], Report]:
        def held(session: services.Session, since: str | None) -> Report:
            self.started += 1
            # Bounded only so a broken test cannot hang the suite; the test opens it at once.
            assert self.open.wait(30), "the test never opened the gate"
            return read(session, since)

        return held


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate()
    monkeypatch.setattr(handover_screen, "read_report", held.wrap(handover_screen.read_report))
    yield held
    held.open.set()  # a failing test must not leave a worker thread waiting


def loading_line(screen: HandoverScreen) -> Static:
    return screen.query_one("#handover-loading", Static)


def shown_report(screen: HandoverScreen) -> Report | None:
    """The report on screen (a call, so each check reads it afresh)."""
    return screen.report


def reading(screen: HandoverScreen) -> bool:
    """The screen waits for a read (a call, so each check reads it afresh)."""
    return screen.is_reading


async def test_a_slow_report_shows_a_loading_line_while_the_board_stays_live(
    app: CaseboardApp, gate: Gate, make_session: Callable[..., services.Session]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert gate.started == 1 and reading(screen) and screen.report is None
        assert loading_line(screen).display
        assert LOADING in str(loading_line(screen).render())
        # Meanwhile the board applies another operator's commit and its clock ticks on.
        new_id = services.open_case(make_session(), NEW_CASE)
        app.poll()
        app.tick()
        await pilot.pause()
        assert app.model.get(new_id) is not None
        assert reading(screen)
        gate.open.set()
        await settled(pilot)
        assert not reading(screen) and not loading_line(screen).display
        report = shown_report(screen)
        assert report is not None
        assert new_id in {case.case_id for case in report.open_cases}
        assert "Shift handover" in screen.query_one(LongText).plain


async def test_a_refusal_in_the_worker_is_said_and_the_loading_line_goes(
    app: CaseboardApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(session: services.Session, since: str | None) -> Report:
        raise Unavailable("the database is locked by another program")

    monkeypatch.setattr(handover_screen, "read_report", refused)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen) and app.is_running
        assert not reading(screen) and not loading_line(screen).display
        messages = [str(note.message) for note in app._notifications]
        assert any("locked by another program" in message for message in messages), messages


async def test_only_the_latest_read_is_shown(app: CaseboardApp, gate: Gate) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        first = screen.reading
        await pilot.press("r")  # read again before the first read is back
        await pilot.pause()
        latest = screen.reading
        assert gate.started == 2 and first is not None and latest is not first
        gate.open.set()
        await settled(pilot)
        assert first.report is not None and latest is not None and latest.report is not None
        assert screen.report is latest.report  # the first one's report was dropped
