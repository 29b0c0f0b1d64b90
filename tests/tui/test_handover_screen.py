"""The handover screen through the Pilot: sign off with a note, reopen (the window starts at the
sign-off), type a window start, scroll; at 80×24 with NO_COLOR; untrusted text stays literal."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection
from textual.widgets import Input, Static

from caseboard import paths, services
from caseboard.clock import Clock
from caseboard.services import handover as ho
from caseboard.tui.app import CaseboardApp
from caseboard.tui.handover import HandoverScreen, TextPrompt
from caseboard.tui.longtext import LongText
from support.keyboard import type_text
from support.reading import settled

Make = Callable[..., services.Session]


class Ticking:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def body(app: CaseboardApp) -> str:
    """The report's lines as the screen wraps them for drawing."""
    return "\n".join(app.screen.query_one("#handover-body", LongText).shown)


async def drawn_around(app: CaseboardApp, pilot: Pilot[None], needle: str) -> list[str]:
    """Scroll the report to the first line holding `needle`; the rows as drawn then."""
    view = app.screen.query_one("#handover-body", LongText)
    line = next(n for n, text in enumerate(view.shown) if needle in text)
    view.scroll_to(y=line, animate=False, immediate=True)
    await pilot.pause()
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


@pytest.fixture
def ticking(now: datetime) -> Ticking:
    return Ticking(now)


@pytest.fixture
def session(make_session: Make, ticking: Ticking) -> services.Session:
    """The demo data on a session whose clock the test moves."""
    import json

    session = make_session(clock=ticking)
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    return session


async def test_sign_off_then_reopen_starts_at_the_sign_off(
    session: services.Session, ticking: Ticking, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CaseboardApp(session, clock=ticking)
    ticking.now = now + timedelta(hours=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(HandoverScreen(session))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert screen.window_since == ticking.now - timedelta(hours=12)
        assert "Shift handover" in body(app) and "Last sign-off: none" in body(app)
        await pilot.press("j", "pagedown", "G", "g")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "all read back")
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is screen
        signed = ho.last_signoff(session)
        assert signed is not None
        assert (signed.note, signed.at) == ("all read back", ticking.now)
        assert screen.window_since == signed.at
        await pilot.press("escape")
        await pilot.pause()
        # Two hours later the handover is opened again: its window starts at the sign-off.
        ticking.now += timedelta(hours=2)
        app.push_screen(HandoverScreen(session))
        await settled(pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert app.screen.window_since == signed.at
        assert app.screen.report is not None and app.screen.report.window.until == ticking.now
        assert '"all read back"' in body(app)


async def test_typing_a_window_start_and_a_bad_time(
    session: services.Session, ticking: Ticking
) -> None:
    app = CaseboardApp(session, clock=ticking)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = HandoverScreen(session)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("w")
        await type_text(pilot, "soon")
        await pilot.press("enter")
        await settled(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)  # the bad time keeps the dialog open
        assert "--since" in str(prompt.query_one("#prompt-error", Static).render())
        assert prompt.query_one(Input).value == "soon"  # what was typed is kept
        prompt.query_one(Input).value = "3h ago"
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is screen
        assert screen.window_since == ticking.now - timedelta(hours=3)
        await pilot.press("w", "escape")
        await pilot.pause()
        assert app.screen is screen and screen.window_since == ticking.now - timedelta(hours=3)
        assert ho.last_signoff(session) is None


async def test_a_viewer_sees_the_refusal_in_the_dialog(
    make_session: Make, session: services.Session, frozen: Clock
) -> None:
    services.add_operator(session, "vic", "viewer", None)
    viewer = make_session("vic")
    app = CaseboardApp(viewer, clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(HandoverScreen(viewer))
        await settled(pilot)
        await pilot.press("s", "enter")
        await settled(pilot)
        assert isinstance(app.screen, TextPrompt)
        assert "vic is a viewer" in str(app.screen.query_one("#prompt-error", Static).render())
        assert ho.last_signoff(viewer) is None


async def test_untrusted_text_is_shown_literally(
    session: services.Session, ticking: Ticking
) -> None:
    from caseboard.services import actions

    hostile = "Bobby [/] [@click=app.quit] \x1b]0;pwned\x07"
    actions.set_handover_note(session, 6, summary=hostile, contingency="[b]call[/b] 555")
    app = CaseboardApp(session, clock=ticking)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(HandoverScreen(session, redact=False))
        await settled(pilot)
        text = body(app)
        assert "Bobby [/] [@click=app.quit]" in text
        assert "\x1b" not in text and "\x07" not in text  # the OSC title sequence is inert
        assert "␛]0;pwned␇" in text
        assert "[b]call[/b] 555" in text
        rows = await drawn_around(app, pilot, "Bobby")
        assert any("Summary: Bobby [/] [@click=app.quit]" in row for row in rows), rows
        assert any("Contingency: [b]call[/b] 555" in row for row in rows), rows
        assert not any("\x1b" in row or "\x07" in row for row in rows)
        assert app.is_running


async def test_open_case_headings_keep_their_case_number_and_the_text_can_be_copied(
    session: services.Session, ticking: Ticking
) -> None:
    app = CaseboardApp(session, clock=ticking)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(HandoverScreen(session))
        await settled(pilot)
        view = app.screen.query_one("#handover-body", LongText)
        report = view.plain.splitlines()
        headings = [
            line
            for line in report
            if re.match(r"#\d+ \S.*: [A-Z]+ (\(override[^)]*\) )?\((\d+ points?|[a-z])", line)
        ]
        # "### #12 Ava ..." is shown as "#12 Ava ...": only the Markdown marks go.
        assert len(headings) == ho.handover(session).counts()["open_cases"]
        assert set(headings) <= set(view.shown)
        copied, ending = view.get_selection(Selection(None, None)) or ("", "")
        assert copied == "\n".join(view.shown) and ending == "\n"
        part, _ = view.get_selection(Selection(Offset(0, 0), Offset(5, 0))) or ("", "")
        assert part == "Shift"
