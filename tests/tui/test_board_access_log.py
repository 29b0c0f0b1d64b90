"""The board's reads in the access log: enter on a case (a detail view, with its id) and `h`
(a handover read), as the operator, from where the session says."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from caseboard import services
from caseboard.clock import Clock
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from caseboard.tui.handover import HandoverScreen


def _log(session: services.Session) -> list[tuple[str, str, str, int | None]]:
    with closing(sqlite3.connect(session.path)) as conn:
        return conn.execute(
            "SELECT username, action, outcome, case_id FROM access_log ORDER BY id"
        ).fetchall()


async def test_enter_and_h_are_logged(demo_session: services.Session, frozen: Clock) -> None:
    app = CaseboardApp(demo_session, clock=frozen)
    before = len(_log(demo_session))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        chosen = app.model.get(app.screen.current_case())  # type: ignore[attr-defined]
        assert chosen is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape", "h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
    user = demo_session.actor.username
    assert _log(demo_session)[before:] == [
        (user, "view case", "ok", chosen.case_id),
        (user, "handover", "ok", None),
    ]
