"""Typed names and places render literally and inertly; --redact hides them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static

from caseboard import services
from caseboard.clock import Clock
from caseboard.domain.textsafe import initials
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.detail import DetailScreen
from support.keyboard import type_text

HOSTILE = [
    ("Bobby [/]", "Bobby [/]"),
    ("[@click=app.quit]", "[@click=app.quit]"),
    ("[link=x]y", "[link=x]y"),
    ("\x1b]0;pwned\x07Eve", "␛]0;pwned␇Eve"),
    ("A\u202eB", "A<U+202E>B"),
    ("Zero\u200bWidth", "Zero<U+200B>Width"),
]


def intake(name: str, where: str = "Example Park") -> dict[str, object]:
    return {
        "name": name,
        "age": 16,
        "learned_at": "10m ago",
        "last_seen_at": "30m ago",
        "last_seen_where": where,
        "placement_type": "foster_home",
        "agency": "[b]Fictional[/b] County DCFS",
    }


@pytest.fixture
def hostile_session(make_session: Callable[..., services.Session]) -> services.Session:
    session = make_session()
    for name, _shown in HOSTILE:
        services.open_case(session, intake(name, where=f"{name} corner"))
    return session


async def test_hostile_names_render_literally(
    hostile_session: services.Session, frozen: Clock
) -> None:
    app = CaseboardApp(hostile_session, clock=frozen)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        board = app.screen.query_one(BoardView)
        text = "\n".join(board.render_line(y).text for y in range(board.size.height))
        for _name, shown in HOSTILE:
            assert shown in text
        assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text
        assert "[b]Fictional[/b]" in text
        for _ in HOSTILE:
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DetailScreen)
            body = str(app.screen.query_one("#detail-body", Static).render())
            assert "\x1b" not in body and "pwned\x07" not in body
            await pilot.press("escape", "j")
        await pilot.press("/")
        await type_text(pilot, "[/]")
        assert [row.case_id for row in board.model.visible]
        assert app.is_running


async def test_redact_shows_initials_and_hides_places(
    hostile_session: services.Session, frozen: Clock
) -> None:
    services.open_case(hostile_session, intake("Ava Testwood", where="14 Secret Lane"))
    app = CaseboardApp(hostile_session, clock=frozen, redact=True)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        board = app.screen.query_one(BoardView)
        text = "\n".join(board.render_line(y).text for y in range(board.size.height))
        assert "Testwood" not in text and "Secret" not in text
        assert initials("Ava Testwood") in text
        assert "[redacted]" in text
        await pilot.press("G", "enter")
        await pilot.pause()
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "Testwood" not in body and "Secret Lane" not in body
        assert "[redacted]" in body
