"""The live board: other processes' commits, alerts, pause, staleness and time escalation.

Real database files and real `caseboard` processes; the board runs under `App.run_test()` and
each test calls `app.poll()` / `app.tick()` itself instead of waiting for the timers.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseboard import services
from caseboard.board.model import Row
from caseboard.clock import Clock
from caseboard.domain.board import CaseSummary
from caseboard.services.actions import add_note, change_risk
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.header import PauseBanner, StatusHeader

SIZE = (120, 40)
WATCHER = "watcher"


class RecordingApp(CaseboardApp):
    """The real app, remembering the toasts and bells it raised."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.toasts: list[str] = []
        self.bells = 0

    def notify(self, message: str, **kwargs: Any) -> None:
        """Remember, then show as usual."""
        self.toasts.append(message)
        super().notify(message, **kwargs)

    def bell(self) -> None:
        """Count (a headless app rings nothing anyway)."""
        self.bells += 1
        super().bell()


class MutableClock:
    """A frozen clock the test can move forward."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def watcher(
    demo_session: services.Session, make_session: Callable[..., services.Session]
) -> Callable[..., services.Session]:
    """Sessions for a second operator, so the OS user's commands come from someone else."""
    services.add_operator(demo_session, WATCHER, "dispatcher", "Watching Operator")
    return lambda **kwargs: make_session(WATCHER, **kwargs)


@pytest.fixture
def board(watcher: Callable[..., services.Session], frozen: Clock) -> RecordingApp:
    """The board of the watching operator, at the frozen clock."""
    return RecordingApp(watcher(), clock=frozen)


def run_cli(db: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`python -m caseboard --db DB ARGS...` as the OS user, in its own process."""
    env = {key: value for key, value in os.environ.items() if key != "CASEBOARD_DB"}
    env.update(XDG_STATE_HOME=str(home / "state"), XDG_DATA_HOME=str(home / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "caseboard", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return result


def board_of(app: CaseboardApp) -> BoardView:
    return app.screen.query_one(BoardView)


def row_ids(app: CaseboardApp) -> list[int]:
    return [line.case_id for line in app.model.lines if isinstance(line, Row)]


def selected_id(app: CaseboardApp) -> int:
    row = board_of(app).selected
    assert row is not None
    return row.case_id


def row_text(app: CaseboardApp, case_id: int) -> str:
    board = board_of(app)
    line = app.model.line_of(case_id)
    assert line is not None
    board.scroll_to(y=max(line - 5, 0), animate=False, immediate=True)
    return board.render_line(line - round(board.scroll_offset.y) + 1).text


def header(app: CaseboardApp) -> str:
    return app.screen.query_one(StatusHeader).render().plain


def pick(session: services.Session, test: Callable[[CaseSummary], bool]) -> int:
    """The last case in board order that passes `test` (low on the board: it has room to move)."""
    found = [s.case_id for s in services.list_cases(session) if test(s)]
    assert found, "the demo data has such a case"
    return found[-1]


def quiet_missing(summary: CaseSummary) -> bool:
    """A missing case that is not CRITICAL."""
    return summary.state.status == "missing" and summary.assessment.tier != "CRITICAL"


async def test_a_sighting_from_another_process_reaches_the_board_and_is_marked(
    board: RecordingApp, db_path: Path, tmp_path: Path
) -> None:
    session = board.session
    case_id = pick(session, quiet_missing)
    before = board.model.get(case_id)
    assert before is not None
    async with board.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")
        chosen = selected_id(board)
        assert "•" not in row_text(board, case_id)
        # Typed text from another operator is shown literally: it is never markup.
        where = "Bus [/] station [@click=app.quit]"
        run_cli(db_path, "sighting", str(case_id), "--at", "now", "--where", where, home=tmp_path)
        board.poll()
        await pilot.pause()
        row = board.model.get(case_id)
        assert row is not None and row.summary.state.sightings == before.summary.state.sightings + 1
        assert row.summary.state.sighting is not None
        assert row.summary.state.sighting.by != WATCHER  # the OS user, in the other process
        assert selected_id(board) == chosen
        text = row_text(board, case_id)
        assert text[1] == "•", text  # the changed mark beside the (absent) cursor mark
        assert "Bus [/]" in text
        assert board.is_running
        # Not CRITICAL and no clock breached: a sighting raises no alert.
        assert board.toasts == []


async def test_rows_resort_and_the_cursor_stays_on_its_case(
    board: RecordingApp, db_path: Path, tmp_path: Path
) -> None:
    case_id = pick(board.session, quiet_missing)
    async with board.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j")
        chosen = selected_id(board)
        assert chosen != case_id
        position = row_ids(board).index(case_id)
        # Trafficking makes the case CRITICAL: it jumps up the board, past the cursor.
        run_cli(db_path, "risk", str(case_id), "--add", "trafficking", home=tmp_path)
        board.poll()
        await pilot.pause()
        assert row_ids(board).index(case_id) < position
        assert selected_id(board) == chosen
        expected = [s.case_id for s in services.list_cases(board.session)]
        assert row_ids(board) == expected


async def test_alerts_fire_once_and_not_for_the_operators_own_actions(
    board: RecordingApp, db_path: Path, tmp_path: Path
) -> None:
    session = board.session
    others, own = [
        s.case_id for s in services.list_cases(session) if quiet_missing(s) and s.age != 12
    ][-2:]
    async with board.run_test(size=SIZE) as pilot:
        await pilot.pause()
        run_cli(db_path, "risk", str(others), "--add", "suicidal", home=tmp_path)
        board.poll()
        await pilot.pause()
        critical = [toast for toast in board.toasts if "CRITICAL" in toast]
        assert len(critical) == 1 and board.bells == 1
        assert critical[0].startswith(f"Case {others} (") and "now CRITICAL" in critical[0]
        # CRITICAL shortens the no-news window to 4 hours: that clock may now be overdue too.
        assert all(f"Case {others} " in toast for toast in board.toasts)
        raised = list(board.toasts)
        # More changes to the same case, and the same poll again: no repeat.
        run_cli(db_path, "note", str(others), "still critical", home=tmp_path)
        board.poll()
        board.poll()
        run_cli(db_path, "risk", str(others), "--add", "abduction", home=tmp_path)
        board.poll()
        await pilot.pause()
        assert board.toasts == raised and board.bells == 1
        # The watcher's own escalation (their own session, as the board's form would) is quiet.
        change_risk(session, own, add=["trafficking"])
        board.poll()
        await pilot.pause()
        assert board.model.get(own) is not None
        assert board.model.get(own).summary.assessment.tier == "CRITICAL"  # type: ignore[union-attr]
        assert board.toasts == raised and board.bells == 1
        assert "•" not in row_text(board, own)[:2]


async def test_a_new_critical_case_alerts_and_the_bell_can_be_turned_off(
    watcher: Callable[..., services.Session], frozen: Clock, db_path: Path, tmp_path: Path
) -> None:
    session = watcher()
    session.policy = replace(session.policy, bell=False)  # as `[board] bell = false` gives
    app = RecordingApp(session, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        out = run_cli(
            db_path,
            "intake",
            *("--name", "New [b]Child[/b]", "--age", "9", "--learned", "10m ago"),
            *("--last-seen", "30m ago", "--where", "Example Park"),
            *("--placement", "foster_home", "--agency", "Fictional County DCFS"),
            home=tmp_path,
        )
        new_id = int(out.stdout.strip())
        app.poll()
        await pilot.pause()
        assert new_id in row_ids(app)
        assert len(app.toasts) == 1 and app.bells == 0
        assert app.toasts[0].startswith(f"New CRITICAL case {new_id} (New [b]Child[/b])")


async def test_pause_holds_changes_then_applies_them(
    board: RecordingApp, watcher: Callable[..., services.Session], make_session: Any
) -> None:
    other = make_session()  # the OS user, in this process: another operator to the watcher
    target = pick(board.session, quiet_missing)
    async with board.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = board.screen.query_one(PauseBanner)
        assert not banner.display
        order = row_ids(board)
        version = board.model.get(target).summary.state.version  # type: ignore[union-attr]
        await pilot.press("p")
        assert banner.display
        assert "PAUSED · 0 changes waiting" in banner.render().plain
        change_risk(other, target, add=["trafficking"])
        add_note(other, order[0], "a note")
        board.poll()
        await pilot.pause()
        # Held: same order, same row, the banner counts the cases waiting.
        assert row_ids(board) == order
        assert board.model.get(target).summary.state.version == version  # type: ignore[union-attr]
        assert "PAUSED · 2 changes waiting" in banner.render().plain
        # Alerts do not wait for the operator to resume.
        assert any(f"Case {target} " in t and "now CRITICAL" in t for t in board.toasts)
        board.tick()
        assert row_ids(board) == order
        await pilot.press("p")
        await pilot.pause()
        assert not banner.display
        assert row_ids(board) != order
        assert row_ids(board) == [s.case_id for s in services.list_cases(other)]
        assert "•" in row_text(board, target)[:2]


async def test_the_help_and_palette_list_pause(board: RecordingApp) -> None:
    async with board.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        body = str(board.screen.query_one("#help-body").render())
        assert "Live updates" in body and "Pause / resume live updates" in body


async def test_stale_when_the_file_is_moved_away_and_live_again_when_it_is_back(
    board: RecordingApp, db_path: Path
) -> None:
    async with board.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = row_ids(board)
        moved = db_path.with_name("moved-away.db")
        db_path.rename(moved)
        board.poll()
        board.poll()
        await pilot.pause()
        assert "stale since 22:00:00" in header(board)
        assert "live" not in header(board)
        assert row_ids(board) == shown  # the last good state stays up
        assert sum("missing" in toast for toast in board.toasts) == 1  # said once
        moved.rename(db_path)
        board.poll()
        await pilot.pause()
        assert "● live" in header(board) and "stale" not in header(board)
        assert row_ids(board) == shown


async def test_stale_while_garbage_replaces_the_file_and_a_restore_asks_for_a_restart(
    board: RecordingApp, db_path: Path, tmp_path: Path
) -> None:
    async with board.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = row_ids(board)
        copy = tmp_path / "restored.db"
        with closing(sqlite3.connect(db_path)) as source, closing(sqlite3.connect(copy)) as target:
            source.backup(target)
        garbage = tmp_path / "garbage.db"
        garbage.write_bytes(b"this is not a database at all" * 100)
        os.replace(garbage, db_path)
        board.poll()
        await pilot.pause()
        assert "stale since 22:00:00" in header(board)
        assert row_ids(board) == shown
        # A good copy put back is still another file: the board does not follow it (its old
        # -wal/-shm would mix with the new file) and says to restart.
        os.replace(copy, db_path)
        board.poll()
        await pilot.pause()
        assert "stale since 22:00:00" in header(board)
        assert row_ids(board) == shown
        assert any("start again" in toast for toast in board.toasts), board.toasts


async def test_time_escalation_resorts_a_row_when_the_clock_passes_24_hours(
    watcher: Callable[..., services.Session], now: datetime
) -> None:
    clock = MutableClock(now)
    session = watcher(clock=clock)
    app = RecordingApp(session, clock=clock)
    summaries = services.list_cases(session)
    under_a_day = [s for s in summaries if s.state.status == "missing" and s.elapsed_s < 24 * 3600]
    assert under_a_day, "the demo data has cases missing under a day"
    moment = app.model.next_reassessment()
    assert moment is not None and moment > now
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.tick()  # nothing due yet: nothing re-read, nothing moves
        assert row_ids(app) == [s.case_id for s in summaries]
        # Past the first escalation moment (+1 point at 24 hours missing, say).
        clock.moment = moment + timedelta(seconds=1)
        changed_case = next(row.case_id for row in app.model.ordered if row.reassess_at == moment)
        before = app.model.get(changed_case).summary.assessment.score  # type: ignore[union-attr]
        app.tick()
        await pilot.pause()
        after = app.model.get(changed_case).summary.assessment.score  # type: ignore[union-attr]
        assert after > before
        assert row_ids(app) == [s.case_id for s in services.list_cases(session)]
        assert "•" in row_text(app, changed_case)[:2]
        # A whole day later: every case that crossed a step is re-assessed, in board order.
        clock.moment = now + timedelta(days=1, hours=1)
        app.tick()
        await pilot.pause()
        fresh = services.list_cases(session)
        assert row_ids(app) == [s.case_id for s in fresh]
        scores = {s.case_id: (s.assessment.tier, s.assessment.score) for s in fresh}
        shown = {
            row.case_id: (row.summary.assessment.tier, row.summary.assessment.score)
            for row in app.model.ordered
        }
        assert shown == scores
        # Clocks that ran out meanwhile alerted, each once.
        toasts = list(app.toasts)
        assert any("overdue" in toast for toast in toasts)
        assert len(toasts) == len(set(toasts))
        app.tick()
        assert app.toasts == toasts
