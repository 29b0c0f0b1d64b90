"""A clear trafficking concern at the return interview is flagged wherever the case shows."""

from __future__ import annotations

from textual.widgets import Static

from caseboard import services
from caseboard.board.model import Row
from caseboard.domain.flags import FLAG_MARK, TRAFFICKING_CONCERN, case_flags
from caseboard.domain.jsonview import case_json
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.detail import DetailScreen


def _recovered_without_interview(session: services.Session) -> int:
    for summary in services.list_cases(session):
        if summary.state.status == "recovered" and summary.state.interview is None:
            return summary.case_id
    raise AssertionError("the demo data has a recovered case awaiting its interview")


async def test_clear_concern_flags_the_row_the_detail_and_the_json(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = _recovered_without_interview(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        actions.record_interview(demo_session, case_id, {"at": "now", "screen": "clear"})
        app.poll()
        await pilot.pause()
        board = app.screen.query_one(BoardView)
        board.reload(keep=case_id)
        await pilot.pause()
        row = board.selected
        assert isinstance(row, Row) and row.case_id == case_id
        line = board.render_line(board.cursor + 1 - round(board.scroll_offset.y)).text
        assert f"{FLAG_MARK} " in line, line
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "CLEAR TRAFFICKING CONCERN" in body
        assert "police NOT recorded as told" in body
    summary = services.show_case(demo_session, case_id).summary
    assert case_flags(summary.state) == (TRAFFICKING_CONCERN,)
    assert case_json(summary)["flags"] == [TRAFFICKING_CONCERN]


async def test_possible_concern_is_not_flagged(demo_session: services.Session) -> None:
    case_id = _recovered_without_interview(demo_session)
    actions.record_interview(demo_session, case_id, {"at": "now", "screen": "possible"})
    summary = services.show_case(demo_session, case_id).summary
    assert case_flags(summary.state) == ()
    assert case_json(summary)["flags"] == []
