"""One damaged row degrades one case, never the board: it opens, keeps polling, opens details
and the handover, and shows the unreadable case as a line counted in the header."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

from caseboard import services
from caseboard.board.model import Row, UnreadableLine
from caseboard.clock import Clock
from caseboard.services import handover as handover_service
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.handover import HandoverScreen
from caseboard.tui.header import StatusHeader
from support.damage import (
    BAD_UTF8,
    case_with_intake,
    damage,
    delete_child,
    set_event,
    set_state,
)
from support.reading import settled, until

SIZE = (120, 36)


def header(app: CaseboardApp) -> str:
    return app.screen.query_one(StatusHeader).render().plain


def unreadable_lines(app: CaseboardApp) -> list[str]:
    return [str(line) for line in app.model.lines if isinstance(line, UnreadableLine)]


def row_ids(app: CaseboardApp) -> set[int]:
    return {row.case_id for row in app.model.ordered}


def notes(app: CaseboardApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


def make_unreadable(path: Path, case_id: int, event_id: int) -> None:
    """Both the projection and the history of one case damaged: nothing left to rebuild from."""
    set_state(path, case_id, '{"case_id": ')
    set_event(path, event_id, "data", "{not json")


async def test_the_board_opens_with_an_unreadable_case_shown_and_counted(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    everything = {summary.case_id for summary in services.list_cases(demo_session)}
    case_id, _child, event_id = case_with_intake(db_path)
    make_unreadable(db_path, case_id, event_id)
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "UNREADABLE 1" in header(app)
        assert "● live" in header(app)
        lines = unreadable_lines(app)
        assert len(lines) == 1
        assert f"case {case_id} cannot be read" in lines[0]
        assert "run caseboard verify" in lines[0]
        assert row_ids(app) == everything - {case_id}  # every other case is still there
        board = app.screen.query_one(BoardView)
        assert isinstance(board.selected, Row)  # the cursor starts on a case, not the warning
        for key in ("k", "g", "enter", "escape", "j", "enter", "escape", "2", "1", "h"):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, HandoverScreen)


async def test_a_deleted_child_row_is_reported_not_hidden(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    case_id, child_id, _event = case_with_intake(db_path)
    delete_child(db_path, child_id)
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "UNREADABLE 1" in header(app)
        (line,) = unreadable_lines(app)
        assert f"case {case_id} cannot be read" in line
        assert f"child record {child_id} is missing" in line


async def test_a_deleted_cases_row_is_reported_not_hidden(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    case_id, child_id, event_id = case_with_intake(db_path)
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        damage(db_path, "cases row deleted", case_id, child_id, event_id)
        app._show(app.live.poll([case_id]))  # re-read under the running board
        await pilot.pause()
        assert app.is_running and app.model.get(case_id) is None
        assert "UNREADABLE 1" in header(app)
        (line,) = unreadable_lines(app)
        assert f"case {case_id} cannot be read (its cases row is missing" in line
    fresh = CaseboardApp(demo_session, clock=frozen)  # and on opening the board
    async with fresh.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "UNREADABLE 1" in header(fresh)


async def test_a_damaged_projection_is_rebuilt_from_its_events_on_the_board(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    before = {s.case_id: s.assessment.tier for s in services.list_cases(demo_session)}
    case_id, _child, _event = case_with_intake(db_path)
    set_state(db_path, case_id, "[]")
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "UNREADABLE" not in header(app)
        row = app.model.get(case_id)
        assert row is not None and row.summary.assessment.tier == before[case_id]


async def test_enter_on_a_case_with_a_damaged_event_says_so_and_keeps_the_board(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    case_id, _child, event_id = case_with_intake(db_path)
    set_event(db_path, event_id, "data", '["a list"]')
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen.query_one(BoardView)
        line = app.model.line_of(case_id)
        assert line is not None  # its stored projection is fine: the row shows
        board.cursor = line
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert any(f"case {case_id} cannot be read" in note for note in notes(app)), notes(app)
        assert "run caseboard verify" in " ".join(notes(app))


async def test_h_with_damaged_rows_opens_the_handover_and_names_them(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    case_id, _child, event_id = case_with_intake(db_path)
    other, _, _ = case_with_intake(db_path, skip=1)
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Damaged under the running board: an event the handover reads, another projection.
        set_event(db_path, event_id, "occurred_at", "2026-11-27T21:00:00")  # no offset
        set_state(db_path, other, "{")
        await pilot.press("h")
        await settled(pilot)
        await pilot.pause()
        assert app.is_running
        screen = app.screen
        assert isinstance(screen, HandoverScreen) and screen.report is not None
        # The damaged event is left out and named; the damaged projection was rebuilt.
        (line,) = screen.report.unreadable
        assert line.startswith(f"event {event_id} (case {case_id}) cannot be read")
        assert other in {case.case_id for case in screen.report.open_cases}
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_the_live_poll_rereading_a_damaged_case_keeps_the_board_running(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    app = CaseboardApp(demo_session, clock=frozen)
    case_id, _child, event_id = case_with_intake(db_path)
    other, _, _ = case_with_intake(db_path, skip=1)
    ran: Counter[str] = Counter()  # the app's own timer callbacks, counted as they run
    for name in ("tick", "poll"):
        real = getattr(app, name)
        setattr(app, name, lambda real=real, name=name: (ran.update([name]), real())[1])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = row_ids(app)
        # A projection damaged under the running board: re-read (as the timer does when an
        # escalation moment passes), it is rebuilt from its events and the row stays.
        set_state(db_path, other, "not json")
        app._show(app.live.poll([other]))
        await pilot.pause()
        assert app.is_running and row_ids(app) == rows
        # A case damaged beyond rebuilding: it becomes one unreadable line.
        make_unreadable(db_path, case_id, event_id)
        app._show(app.live.poll([case_id]))
        await pilot.pause()
        assert app.is_running
        assert row_ids(app) == rows - {case_id}
        assert "UNREADABLE 1" in header(app) and "● live" in header(app)
        assert any(f"case {case_id} cannot be read" in line for line in unreadable_lines(app))
        # Through the app's own timer and poller too: wait until each has run again.
        before = Counter(ran)

        def both_ran_again() -> bool:
            return all(ran[name] > before[name] for name in ("tick", "poll"))

        await until(pilot, both_ran_again, tries=500)
        assert both_ran_again(), ran
        assert app.is_running and row_ids(app) == rows - {case_id}


async def test_paused_then_resumed_an_unreadable_case_still_arrives(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    app = CaseboardApp(demo_session, clock=frozen)
    case_id, _child, event_id = case_with_intake(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        make_unreadable(db_path, case_id, event_id)
        app._show(app.live.poll([case_id]))
        assert not unreadable_lines(app)  # held while paused
        await pilot.press("p")
        await pilot.pause()
        assert app.is_running
        assert "UNREADABLE 1" in header(app)


async def test_bytes_that_are_not_utf8_damage_one_case_not_the_board(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    case_id, _child, event_id = case_with_intake(db_path)
    other, _, _ = case_with_intake(db_path, skip=1)
    set_state(db_path, case_id, BAD_UTF8)
    set_event(db_path, event_id, "data", BAD_UTF8)
    set_state(db_path, other, BAD_UTF8)  # rebuilt from its events
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "UNREADABLE 1" in header(app)
        (line,) = unreadable_lines(app)
        assert f"case {case_id} cannot be read" in line
        assert app.model.get(other) is not None


async def test_the_count_fits_the_header_at_80_columns(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    case_id, _child, event_id = case_with_intake(db_path)
    make_unreadable(db_path, case_id, event_id)
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        counts = header(app).splitlines()[1]
        assert counts.rstrip().endswith("UNREADABLE 1") and len(counts) <= 80, counts


async def test_a_damaged_sign_off_or_look_marker_does_not_stop_the_board_opening(
    demo_session: services.Session, frozen: Clock, db_path: Path
) -> None:
    signoff_id = handover_service.sign_off(demo_session, "read back")
    handover_service.mark_looked(demo_session)
    set_event(db_path, signoff_id, "data", '{"until": "at dawn", "through_event_id": "x"}')
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE board_looks SET looked_at = 'a while ago'")
        conn.commit()
    app = CaseboardApp(demo_session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running
        signoff = app.signoff.value
        assert signoff is not None and signoff.until is None
        await pilot.press("h")
        await settled(pilot)
        assert app.is_running and isinstance(app.screen, HandoverScreen)
