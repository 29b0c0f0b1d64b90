"""Helpers shared by the form tests: find the board, open a form on a case, fill, submit, read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, SelectionList, Static

from caseboard import services
from caseboard.domain.board import CaseSummary
from caseboard.domain.model import Event
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.forms.discard import DiscardQuestion
from caseboard.tui.screen import BoardScreen

SIZE = (120, 40)


def board_screen(app: CaseboardApp) -> BoardScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, BoardScreen))


def first_case(session: services.Session, test: Callable[[CaseSummary], bool]) -> int:
    return next(s.case_id for s in services.list_cases(session) if test(s))


def events(session: services.Session, case_id: int) -> list[Event]:
    return services.show_case(session, case_id).events


def summary(session: services.Session, case_id: int) -> CaseSummary:
    return services.show_case(session, case_id).summary


async def open_form(pilot: Pilot[None], app: CaseboardApp, case_id: int, key: str) -> FormScreen:
    board = board_screen(app).board
    board.reload(keep=case_id)
    assert board.selected is not None and board.selected.case_id == case_id
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, FormScreen), key
    return app.screen


def top_form(app: CaseboardApp) -> FormScreen:
    screen: object = app.screen
    assert isinstance(screen, FormScreen)
    return screen


def fill(form: FormScreen, **values: Any) -> None:
    for key, value in values.items():
        control = form.field(key).control
        if isinstance(control, SelectionList):
            control.deselect_all()
            for item in value:
                control.select(item)
        else:
            assert isinstance(control, Input | Checkbox | Select), key
            control.value = value


async def submit(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    # Saving dismisses the form, then its callback polls the live feed and rebuilds the board:
    # two turns of the message loop, which a loaded machine does not always fit in one pause.
    await pilot.pause()
    await pilot.pause()


def error_of(form: FormScreen, key: str) -> str:
    return str(form.field(key).query_one(".field-error", Static).render())


def form_message(form: FormScreen) -> str:
    return str(form.query_one("#form-error", Static).render())


def notes(app: CaseboardApp) -> list[tuple[str, str]]:
    return [(n.severity, n.message) for n in app._notifications]


def row_text(app: CaseboardApp, case_id: int) -> str:
    board = board_screen(app).board
    line = board.model.line_of(case_id)
    assert line is not None
    return board.render_line(line - round(board.scroll_offset.y) + 1).text


def still_selected(app: CaseboardApp, case_id: int) -> bool:
    row = board_screen(app).board.selected
    return row is not None and row.case_id == case_id


def missing(s: CaseSummary) -> bool:
    return s.state.status == "missing"


async def discard(pilot: Pilot[None], app: CaseboardApp) -> None:
    """esc out of a form, answering 'y' when it asks whether to discard what was typed."""
    await pilot.press("escape")
    await pilot.pause()
    if isinstance(app.screen, DiscardQuestion):
        await pilot.press("y")
        await pilot.pause()
