"""Keys you can find: the footers at 80 columns, the empty board, help's order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Footer

from caseboard import services
from caseboard.board.model import EMPTY_BOARD
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from caseboard.tui.help import help_text
from support.formkit import board_screen

NARROW = (80, 24)


def footer_text(app: CaseboardApp) -> str:
    """The footer's row as rendered on screen."""
    footer = app.screen.query_one(Footer)
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[footer.region.y])


async def test_the_board_footer_shows_n_s_t_r_c_at_80_columns(app: CaseboardApp) -> None:
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        text = footer_text(app)
        for shown in ("n New case", "s Sighting", "t Contact", "r Recovery", "c Confirm "):
            assert shown in text, (shown, text)
        assert text.index("n New case") < text.index("c Confirm")


async def test_the_detail_footer_shows_its_action_keys_and_back(app: CaseboardApp) -> None:
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = footer_text(app)
        for shown in ("n New case", "s Sighting", "t Contact", "r Recovery", "c Confirm", "esc"):
            assert shown in text, (shown, text)


async def test_an_empty_board_says_how_to_open_a_case(
    make_session: Callable[..., services.Session], frozen: Callable[[], Any]
) -> None:
    app = CaseboardApp(make_session(), clock=frozen)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        board = board_screen(app).board
        assert board.model.lines == [EMPTY_BOARD]
        rendered = "".join(board.render_line(y).text for y in range(board.size.height))
        assert "No open cases — press n to open one" in rendered


def test_help_lists_case_actions_first() -> None:
    text = help_text().plain
    assert text.index("Case actions") < text.index("Board\n")
    assert text.index("Case actions") < text.index("Case detail")
    assert "Confirm report" in text and "Open case" in text  # help says them in full
