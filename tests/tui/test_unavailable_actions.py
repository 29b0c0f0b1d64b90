"""Pilot tests: an action the operator's role (or --readonly) does not allow is shown disabled,
and its key says why without opening a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from caseboard import services
from caseboard.tui.app import CaseboardApp
from caseboard.tui.case_actions import unavailable_reason
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.help import HelpScreen
from support.formkit import SIZE, board_screen, events, first_case, missing, notes


def _app(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    frozen: Callable[[], Any],
    role: str | None,
    *,
    readonly: bool = False,
) -> CaseboardApp:
    if role is None:
        return CaseboardApp(make_session(readonly=readonly), clock=frozen)
    services.add_operator(demo_session, f"op-{role}", role, None)
    return CaseboardApp(make_session(f"op-{role}", readonly=readonly), clock=frozen)


async def _press_on_case(app: CaseboardApp, pilot: Any, case_id: int, key: str) -> None:
    board = board_screen(app).board
    board.reload(keep=case_id)
    await pilot.press(key)
    await pilot.pause()


async def test_a_dispatcher_pressing_override_is_told_why_and_no_form_opens(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    frozen: Callable[[], Any],
) -> None:
    app = _app(demo_session, make_session, frozen, "dispatcher")
    case_id = first_case(demo_session, missing)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = board_screen(app)
        assert screen.check_action("override", ()) is None  # shown disabled
        assert screen.check_action("sighting", ()) is True
        await _press_on_case(app, pilot, case_id, "o")
        assert not isinstance(app.screen, FormScreen)
        assert ("warning", "Override tier needs a supervisor; you are a dispatcher.") in notes(app)
        # What the dispatcher may do still opens its form.
        await _press_on_case(app, pilot, case_id, "s")
        assert isinstance(app.screen, FormScreen)
    assert len(events(demo_session, case_id)) == count


async def test_a_viewer_can_write_nothing_and_help_marks_every_case_action(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    frozen: Callable[[], Any],
) -> None:
    app = _app(demo_session, make_session, frozen, "viewer")
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        active = board_screen(app).active_bindings
        for key in "nstrc":  # in the footer, shown disabled (dimmed), not hidden
            assert key in active and active[key].enabled is False, key
        assert active["enter"].enabled  # reading is open to everyone
        for key in "nstrcuiafoxemd":
            await _press_on_case(app, pilot, case_id, key)
            assert not isinstance(app.screen, FormScreen), key
        messages = [msg for sev, msg in notes(app) if sev == "warning"]
        assert "Sighting needs a supervisor, dispatcher or liaison; you are a viewer." in messages
        assert "Risk factors needs a supervisor or dispatcher; you are a viewer." in messages
        assert len(messages) == 14
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert len(app.screen.unavailable) == 14
        body = str(app.screen.query_one("#help-body").render())
        assert "Sighting  (unavailable: Sighting needs" in body


async def test_readonly_says_so_on_every_case_action(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    frozen: Callable[[], Any],
) -> None:
    app = _app(demo_session, make_session, frozen, None, readonly=True)
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _press_on_case(app, pilot, case_id, "a")
        assert not isinstance(app.screen, FormScreen)
        assert ("warning", "Note: not available in read-only mode (--readonly).") in notes(app)
        # The detail screen refuses the same way.
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert unavailable_reason(app.session, "sighting") is not None


async def test_a_supervisor_has_every_action(demo_session: services.Session) -> None:
    assert demo_session.role == "supervisor"
    for action in ("override", "new_case", "sighting", "packet", "correct"):
        assert unavailable_reason(demo_session, action) is None
