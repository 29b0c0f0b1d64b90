"""Pilot tests of the board: order, cursor, ticks, views, filter, live updates, terminal size."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from textual.geometry import Region

from caseboard import services
from caseboard.board.model import Row
from caseboard.clock import Clock
from caseboard.domain.clocks import needs_action
from caseboard.domain.errors import Unavailable
from caseboard.domain.synthetic import synthetic_records
from caseboard.domain.textsafe import clean
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.header import StatusHeader, ViewBar
from caseboard.tui.small import TooSmallScreen
from support.keyboard import type_text


def board_of(app: CaseboardApp) -> BoardView:
    return app.screen.query_one(BoardView)


def shown_lines(app: CaseboardApp) -> list[str]:
    board = board_of(app)
    return [board.render_line(y).text for y in range(board.size.height)]


def row_ids(app: CaseboardApp) -> list[int]:
    return [line.case_id for line in board_of(app).model.lines if isinstance(line, Row)]


def selected_id(app: CaseboardApp) -> int:
    row = board_of(app).selected
    assert row is not None
    return row.case_id


async def test_rows_follow_board_order(app: CaseboardApp, demo_session: services.Session) -> None:
    expected = services.list_cases(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert row_ids(app) == [summary.case_id for summary in expected]
        lines = shown_lines(app)
        assert "TIER" in lines[0] and "NO NEWS" in lines[0] and "POLICE" in lines[0]
        assert lines[1].startswith("── MISSING")
        first = expected[0]
        assert lines[2].startswith("▶ " + first.assessment.tier)
        assert clean(first.child.name)[:6] in lines[2]
        recovered = [s for s in expected if s.state.status == "recovered"]
        assert any(line.startswith("── RECOVERED") for line in lines)
        assert recovered, "the demo data has recovered cases with follow-ups"


async def test_cursor_keys_move_between_cases(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ids = row_ids(app)
        assert selected_id(app) == ids[0]
        await pilot.press("j", "j")
        assert selected_id(app) == ids[2]
        await pilot.press("k")
        assert selected_id(app) == ids[1]
        await pilot.press("G")
        assert selected_id(app) == ids[-1]
        await pilot.press("g")
        assert selected_id(app) == ids[0]
        await pilot.press("pagedown")
        assert ids.index(selected_id(app)) > 20
        await pilot.press("pageup")
        assert selected_id(app) == ids[0]
        await pilot.press("down", "up", "end", "home")
        assert selected_id(app) == ids[0]


async def test_cursor_move_repaints_two_lines_and_a_tick_does_not_rebuild(
    app: CaseboardApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = board_of(app)
        repainted: list[int] = []
        original = board.refresh_line

        def recording(y: int) -> None:
            repainted.append(y)
            original(y)

        board.refresh_line = recording  # type: ignore[method-assign]
        await pilot.press("j")
        assert repainted == [2, 3]
        rebuilds = 0
        rebuild = app.model.rebuild

        def counting(now: object) -> None:
            nonlocal rebuilds
            rebuilds += 1
            rebuild(now)  # type: ignore[arg-type]

        app.model.rebuild = counting  # type: ignore[method-assign]
        app.tick()
        await pilot.pause()
        assert rebuilds == 0


async def test_cursor_stays_on_its_case_after_ticks_and_new_cases(
    app: CaseboardApp, make_session: Callable[..., services.Session]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j")
        chosen = selected_id(app)
        app.tick()
        await pilot.pause()
        assert selected_id(app) == chosen
        # Another operator opens a CRITICAL case: it sorts above, the cursor follows its case.
        other = make_session()
        new_id = services.open_case(
            other,
            {
                "name": "Newly Opened",
                "age": 8,
                "learned_at": "10m ago",
                "last_seen_at": "30m ago",
                "last_seen_where": "Example Park",
                "placement_type": "foster_home",
                "agency": "Fictional County DCFS",
            },
        )
        app.poll()
        await pilot.pause()
        assert new_id in row_ids(app)
        assert selected_id(app) == chosen
        assert row_ids(app) == [s.case_id for s in services.list_cases(other)]


async def test_views_have_the_expected_counts(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    summaries = services.list_cases(demo_session)
    expected = {
        "1": [s.case_id for s in summaries],
        "2": [s.case_id for s in summaries if s.assessment.tier in ("CRITICAL", "HIGH")],
        "3": [s.case_id for s in summaries if needs_action(s.clocks)],
        "4": [s.case_id for s in summaries if s.state.status == "recovered"],
    }
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(ViewBar).render().plain
        assert f"1 All open {len(expected['1'])}" in bar
        assert f"2 Critical & High {len(expected['2'])}" in bar
        assert f"3 Action needed {len(expected['3'])}" in bar
        assert f"4 Recovered follow-ups {len(expected['4'])}" in bar
        for key, ids in expected.items():
            await pilot.press(key)
            assert row_ids(app) == ids, key


async def test_header_shows_operator_time_tiers_overdue_and_live(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    summaries = services.list_cases(demo_session)
    overdue = sum(1 for s in summaries for clock in s.clocks.values() if clock.state == "overdue")
    critical = sum(1 for s in summaries if s.assessment.tier == "CRITICAL")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(StatusHeader).render().plain
        assert f"{demo_session.actor.username} (supervisor)" in header
        assert "2026-11-27 22:00:00 CST" in header
        assert f"CRITICAL {critical}" in header
        assert f"OVERDUE clocks {overdue}" in header
        assert "live" in header
        assert "READ-ONLY" not in header


async def test_read_only_session_is_shown(
    make_session: Callable[..., services.Session], demo_session: services.Session, frozen: object
) -> None:
    app = CaseboardApp(make_session(readonly=True), clock=frozen)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "READ-ONLY" in app.screen.query_one(StatusHeader).render().plain


async def test_filter_narrows_and_survives_a_stray_quote(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        everyone = len(row_ids(app))
        await pilot.press("/")
        await type_text(pilot, "aiden")
        assert len(row_ids(app)) == 1
        assert "Aiden Mo" in "\n".join(shown_lines(app))
        await pilot.press("enter")
        assert board_of(app).has_focus
        # A stray quote is plain text, not an error: `"star` finds the alias "Star".
        await pilot.press("/", "ctrl+a", "ctrl+k", '"')
        assert len(row_ids(app)) == everyone
        await type_text(pilot, "star")
        starred = [line for line in board_of(app).model.lines if isinstance(line, Row)]
        assert starred and all("star" in row.haystack for row in starred)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, '"zzz')
        assert row_ids(app) == []
        assert "No cases match" in "\n".join(shown_lines(app))
        await pilot.press("escape")
        assert len(row_ids(app)) == everyone
        # Typing `l` or `q` into the filter box types them: it does not quit or reorder.
        await pilot.press("/", "l", "q")
        assert app.is_running
        assert not app.model.longest_first


async def test_filter_is_full_text_over_agency_and_place_and_treats_operators_as_text(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    summaries = services.list_cases(demo_session)
    parish = {s.case_id for s in summaries if "Parish" in s.state.agency}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("/")
        await type_text(pilot, "parish")
        assert parish and set(row_ids(app)) == parish
        # FTS5 syntax typed by an operator is quoted: no error, no crash, simply no match.
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, 'NEAR( AND "x OR * -')
        assert app.is_running and row_ids(app) == []


async def test_longest_missing_first_toggles(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = row_ids(app)
        await pilot.press("l")
        after = [line for line in board_of(app).model.lines if isinstance(line, Row)]
        missing = [row.summary.elapsed_s for row in after if row.status == "missing"]
        assert missing == sorted(missing, reverse=True)
        await pilot.press("l")
        assert row_ids(app) == before


async def test_too_small_message_and_recovery(app: CaseboardApp) -> None:
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small").render())
        assert "terminal too small: need 80×24, have 60×20" in text
        # Keys that open screens do nothing under the message (they would sit above it).
        await pilot.press("h", "question_mark", "ctrl+p")
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen"  # type() keeps mypy's narrowing out
        assert row_ids(app)


async def test_80_by_24_drops_columns_without_wrapping(app: CaseboardApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = shown_lines(app)
        assert all(len(line) <= 80 for line in lines)
        assert "NO NEWS" in lines[0]
        assert "PKT" not in lines[0]
        assert board_of(app).size.height >= 15


async def test_a_failing_poll_shows_stale_since_then_live_again(app: CaseboardApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        working = app.feed.poll

        def broken(*_args: object) -> None:
            raise Unavailable("the database stayed locked by another process for too long")

        app.feed.poll = broken  # type: ignore[method-assign,assignment]
        app.poll()
        await pilot.pause()
        header = app.screen.query_one(StatusHeader).render().plain
        assert "stale since 22:00:00" in header and "live" not in header
        app.feed.poll = working  # type: ignore[method-assign]
        app.poll()
        await pilot.pause()
        assert "live" in app.screen.query_one(StatusHeader).render().plain


async def test_header_lines_fit_80_columns_with_thousands_of_cases(
    make_session: Callable[..., services.Session], frozen: Clock
) -> None:
    # Counts in the thousands made the tier line 84 cells long at 80 columns: it wrapped, and
    # its tail pushed the handover line out of the three-line header.
    session = make_session(clock=frozen)
    services.import_records(session, synthetic_records(3000))
    app = CaseboardApp(session, clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(StatusHeader)
        shown = [strip.text for strip in header.render_lines(Region(0, 0, 80, 3))]
        overdue = header.model.overdue_clocks(frozen())
        counts = header.model.tier_counts()
        assert overdue >= 1000 and counts["CRITICAL"] >= 1000, "the case this test is about"
        assert all(cell_len(line.rstrip()) <= 80 for line in shown)
        assert shown[1].rstrip().endswith(f"OVERDUE clocks {overdue}")
        assert f"CRIT {counts['CRITICAL']} " in shown[1]  # the tier words shortened to fit
        assert shown[2].strip().startswith("handover:"), shown
    app = CaseboardApp(session, clock=frozen)
    async with app.run_test(size=(120, 40)) as pilot:  # with room, the full words again
        await pilot.pause()
        header = app.screen.query_one(StatusHeader)
        line = header.render_lines(Region(0, 0, 120, 3))[1].text
        assert f"CRITICAL {counts['CRITICAL']}  HIGH" in line


def test_a_full_name_shows_whole_at_120_columns() -> None:
    from caseboard.tui.cells import layout

    widths = dict((column.key, width) for column, width in layout(120))
    assert widths["child"] >= len("Christopher Mockingworth") + len(" (17)")
    assert {"tier", "score", "missing", "seen", "no_news", "police"} <= set(widths)
    narrow = dict((column.key, width) for column, width in layout(80))
    assert {"tier", "score", "child", "missing", "seen", "no_news", "police"} <= set(narrow)
