"""The case detail leads with what matters now: at 80x24 the clocks and the latest news fit on
the first screen of a case with handover lines; a recovered case leads with its recovery."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from caseboard import services
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from support.formkit import board_screen, first_case


def _screen_lines(app: CaseboardApp, width: int = 78) -> list[str]:
    """The detail body as the 80-column terminal wraps it."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(app.screen.query_one("#detail-body", Static).render())
    return console.export_text().splitlines()


async def test_clocks_and_latest_news_are_on_the_first_screen(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: s.state.status == "missing")
    actions.set_handover_note(
        demo_session, case_id, summary="seen twice near the mall", contingency="if seen, call 911"
    )
    actions.log_contact(demo_session, case_id, {"at": "now", "how": "phone"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        lines = _screen_lines(app)
        first_screen = "\n".join(lines[:21])  # 24 rows less the footer and the box's edges
        assert "Now" in first_screen and "(due " in first_screen
        assert "Handover: seen twice near the mall" in first_screen
        assert "Latest news:" in first_screen and "Contact with the child by phone" in first_screen


async def test_a_recovered_case_leads_with_the_recovery(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: s.state.status == "recovered")
    recovery = services.show_case(demo_session, case_id).summary.state.recovery
    assert recovery is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("enter")
        await pilot.pause()
        lines = _screen_lines(app)
        assert lines[1].startswith("Recovered ") and str(recovery.get("where"))[:10] in lines[1]
        assert any("Return interview" in line for line in lines[:12])
