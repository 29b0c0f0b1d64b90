"""The handover on the board: h opens it, the header shows the last sign-off, m sets a case's
handover lines, and "+" marks what others changed since this operator last looked (v lists)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from caseboard import services
from caseboard.board.model import Row
from caseboard.clock import Clock
from caseboard.services import actions
from caseboard.services import handover as handover_service
from caseboard.store import handover_queries, queries
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import UNSEEN_MARK, BoardView
from caseboard.tui.changes import ChangesScreen
from caseboard.tui.detail import DetailScreen
from caseboard.tui.forms.handover_note import HandoverNoteForm
from caseboard.tui.handover import HandoverScreen
from caseboard.tui.header import StatusHeader
from support.keyboard import type_text

SIZE = (120, 40)
OTHER = "dina"


def header(app: CaseboardApp) -> str:
    return app.screen.query_one(StatusHeader).render().plain


def row_line(app: CaseboardApp, case_id: int) -> str:
    board = app.screen.query_one(BoardView)
    index = next(
        i
        for i, line in enumerate(board.model.lines)
        if isinstance(line, Row) and line.case_id == case_id
    )
    board.scroll_to(y=max(0, index - 2), animate=False, immediate=True)
    y = index + 1 - round(board.scroll_offset.y)
    return board.render_line(y).text


async def test_h_opens_the_handover_and_the_header_follows_a_sign_off(
    app: CaseboardApp, make_session: Callable[..., services.Session], demo_session: services.Session
) -> None:
    services.add_operator(demo_session, OTHER, "dispatcher", "Dina Example")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "handover: not signed off yet" in header(app)
        await pilot.press("h")
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("escape")
        # Another operator signs off in their own session; the next poll shows it.
        handover_service.sign_off(make_session(OTHER), note="quiet night")
        app.poll()
        await pilot.pause()
        line = header(app)
        assert f"signed off Fri 22:00 by {OTHER}" in line, line


async def test_m_sets_the_handover_lines_shown_in_the_detail(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        selected = app.screen.query_one(BoardView).selected
        assert selected is not None
        case_id = selected.case_id
        await pilot.press("m")
        assert isinstance(app.screen, HandoverNoteForm)
        await type_text(pilot, "with boyfriend [bold]Jay[/]")
        await pilot.press("tab")
        await type_text(pilot, "if seen at Demo Mall, call 911")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, HandoverNoteForm)
        state = services.show_case(demo_session, case_id).summary.state
        assert state.handover_summary is not None and state.contingency is not None
        assert state.handover_summary.get("text") == "with boyfriend [bold]Jay[/]"
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        shown = str(app.screen.query_one("#detail-body", Static).render())
        assert "Handover: with boyfriend [bold]Jay[/]" in shown
        assert "Contingency: if seen at Demo Mall, call 911" in shown


async def test_changes_by_others_since_the_last_look_are_marked_and_listed(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    frozen: Clock,
) -> None:
    services.add_operator(demo_session, OTHER, "dispatcher", "Dina Example")
    me = demo_session.actor.username
    handover_service.mark_looked(demo_session)  # I had the board open up to here
    cases = services.list_cases(demo_session)
    changed, mine = cases[3].case_id, cases[4].case_id
    actions.add_note(make_session(OTHER), changed, "school called back")
    actions.add_note(demo_session, mine, "my own note")  # my own changes are not news to me
    app = CaseboardApp(make_session(me), clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "+ 1 case changed since you last looked (v)" in header(app)
        assert row_line(app, changed)[1] == UNSEEN_MARK
        assert row_line(app, mine)[1] != UNSEEN_MARK
        await pilot.press("v")
        assert isinstance(app.screen, ChangesScreen)
        await pilot.press("enter")
        assert not isinstance(app.screen, ChangesScreen)
        selected = app.screen.query_one(BoardView).selected
        assert selected is not None and selected.case_id == changed
        await pilot.press("enter")  # opening the case clears its mark
        await pilot.press("escape")
        assert row_line(app, changed)[1] != UNSEEN_MARK
        newest = queries.max_event_id(demo_session.db)
        await pilot.press("q")
    look = handover_queries.last_look(demo_session.db, me)
    assert look is not None and look[0] == newest, "quitting records what the board showed"


async def test_with_redact_the_m_form_shows_no_typed_lines_and_e_is_refused(
    demo_session: services.Session, frozen: Clock
) -> None:
    first = services.list_cases(demo_session)[0].case_id
    secret = "if seen at 12 Example Street call 555-0101"
    actions.set_handover_note(demo_session, first, contingency=secret)
    app = CaseboardApp(demo_session, clock=frozen, redact=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, HandoverNoteForm)
        values = [box.value for box in app.screen.query(Input)]
        assert values == ["", ""], values
        await type_text(pilot, "back with kin")
        await pilot.press("ctrl+s")  # replaces the summary, keeps the rest
        await pilot.pause()
        state = services.show_case(demo_session, first).summary.state
        assert state.handover_summary is not None
        assert state.handover_summary.get("text") == "back with kin"
        assert state.contingency is not None and state.contingency.get("text") == secret
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen.query_one(BoardView), BoardView)
        assert any("--redact" in str(note.message) for note in app._notifications)
