"""Pilot tests of the case detail, the help screen and the command palette."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Static

from caseboard import services
from caseboard.domain.display import CLOCK_TITLES
from caseboard.domain.textsafe import clean
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.detail import DetailScreen
from caseboard.tui.help import HelpScreen
from caseboard.tui.keys import all_bindings
from caseboard.tui.screen import BoardScreen
from support.keyboard import type_text
from support.reading import palette_offers


def body_text(app: CaseboardApp) -> str:
    return str(app.screen.query_one("#detail-body", Static).render())


async def test_enter_opens_the_whole_case_and_esc_returns(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")
        chosen = app.screen.query_one(BoardView).selected
        assert chosen is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = body_text(app)
        detail = services.show_case(demo_session, chosen.case_id)
        assert f"Case {chosen.case_id}: {clean(detail.summary.child.name)}" in text
        assert "not recorded" in text and "still missing: " in text  # unfilled fields are marked
        for reason in detail.summary.assessment.reasons:
            assert clean(reason.label) in text
        for title in CLOCK_TITLES.values():
            assert title in text
        assert "confirmed by" in text
        # What matters now comes first: the open clocks and the newest entries, then the rest.
        order = [text.index(h) for h in ("\nNow\n", "\nLatest\n", "\nRisk, factor by factor\n",
                 "\nPacket (", "\nWhole timeline\n")]  # fmt: skip
        assert order == sorted(order)
        assert f"#{detail.events[0].id}" in text
        await pilot.press("j", "pagedown", "G", "g")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.query_one(BoardView).selected == chosen


async def test_detail_marks_superseded_events_and_earlier_episodes(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    target = None
    for summary in services.list_cases(demo_session):
        detail = services.show_case(demo_session, summary.case_id)
        if detail.other_episodes:
            target = detail
            break
    assert target is not None, "the demo data has a child with earlier episodes"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen.query_one(BoardView)
        while board.selected is not None and board.selected.case_id != target.summary.case_id:
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        text = body_text(app)
        assert "Earlier and other episodes of this child" in text
        assert f"case {target.other_episodes[0].case_id}:" in text


async def test_help_lists_every_binding(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body", Static).render())
        for binding in all_bindings():
            assert binding.description in text, binding.id
        assert len({binding.id for binding in all_bindings()}) == len(all_bindings())
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_palette_runs_the_same_actions(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Longest missing")
        await palette_offers(pilot, "Longest missing")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.model.longest_first


async def test_q_quits(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


def test_every_screen_binds_only_keys_declared_in_the_one_list() -> None:
    # The help screen and the palette read keys.GROUPS: a binding declared anywhere else would
    # work but be missing from both.
    from caseboard.tui.board import BoardView
    from caseboard.tui.changes import ChangesScreen
    from caseboard.tui.detail import DetailScreen
    from caseboard.tui.forms.base import FormScreen
    from caseboard.tui.forms.correct import EventPicker
    from caseboard.tui.handover import HandoverScreen, TextPrompt
    from caseboard.tui.help import HelpScreen

    declared = {id(binding) for binding in all_bindings()}
    owners = (
        CaseboardApp, BoardScreen, BoardView, DetailScreen, FormScreen, EventPicker,
        HandoverScreen, TextPrompt, ChangesScreen, HelpScreen,
    )  # fmt: skip
    for owner in owners:
        for binding in owner.BINDINGS:
            assert id(binding) in declared, (owner.__name__, binding)


async def test_the_palette_offers_the_handover_screens_actions(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Window start")
        await palette_offers(pilot, "Window start")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TextPrompt"
