"""The status header: its clock goes on ticking while a form covers the board, and at 80
columns the time zone and the live mark stay in sight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from rich.text import Text
from textual.widgets import Footer

from caseboard import services
from caseboard.tui.app import CaseboardApp
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.header import StatusHeader
from caseboard.tui.help import HelpScreen
from support.formkit import board_screen


class MovingClock:
    """A frozen clock the test moves forward."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


async def test_the_header_clock_ticks_while_a_form_is_open(
    demo_session: services.Session, now: datetime
) -> None:
    clock = MovingClock(now)
    app = CaseboardApp(demo_session, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        header = board_screen(app).query_one(StatusHeader)
        drawn: list[str] = []
        render = header.render

        def recording() -> Text:
            text = render()
            drawn.append(text.plain)
            return text

        header.render = recording  # type: ignore[method-assign]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        clock.moment = now + timedelta(minutes=7, seconds=5)  # 22:07:05 CST
        for _ in range(100):  # the header repaints itself once a second, under the form too
            if any("22:07:05 CST" in line for line in drawn):
                break
            await pilot.pause(0.1)
        assert any("22:07:05 CST" in line for line in drawn), drawn[-1:]
        assert isinstance(app.screen, FormScreen)  # still in the form


async def test_the_zone_stays_in_sight_at_80_columns(
    make_session: Callable[..., services.Session], frozen: Callable[[], datetime]
) -> None:
    name = "a_rather_long_operator_account"
    services.add_operator(make_session(), name, "supervisor", "Long Name")
    app = CaseboardApp(make_session(name, readonly=True), clock=frozen, redact=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = board_screen(app).query_one(StatusHeader)
        first = header.render().plain.splitlines()[0]
        assert len(first) <= 80, first
        assert "22:00:00 CST" in first and "● live" in first, first
        assert "READ-ONLY" in first and "REDACTED" in first, first
        assert first.split()[1].startswith("a_rather"), first  # who it is, cut if need be


def footer_text(app: CaseboardApp) -> str:
    """The footer's row as drawn."""
    footer = app.screen.query_one(Footer)
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[footer.region.y])


async def test_help_and_quit_stay_in_the_footer_at_80_columns(app: CaseboardApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = footer_text(app)
        for shown in ("n New case", "c Confirm", "? Help", "q Quit"):
            assert shown in board, (shown, board)
        assert board.index("c Confirm") < board.index("? Help") < board.index("q Quit")
        await pilot.press("enter")
        await pilot.pause()
        detail = footer_text(app)
        for shown in ("n New case", "c Confirm", "esc Back", "? Help", "q Quit"):
            assert shown in detail, (shown, detail)
        await pilot.press("escape", "question_mark")  # the board's own ? opens help
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "q")
        await pilot.pause()
        assert not app.is_running
