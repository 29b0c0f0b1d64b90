"""Board benchmark: the Line-API board against a DataTable rebuilt on every tick.

Method. For 100, 1,000 and 10,000 open cases (synthetic records imported into a fresh temporary
database, read at a frozen clock) each app runs headless under `App.run_test(size=(120, 40))`.
All times are `time.perf_counter()` wall time in milliseconds.

- first paint: from constructing the app (which reads the cases through services.list_cases)
  until the first `pilot.pause()` returns with the screen composed and rendered. `load` is the
  services.list_cases part of it, shown separately.
- tick and key (`tick_ms`, `key_ms`): the widget work timed directly, median of several runs.
  Tick: `app.tick()` and rendering what it dirtied (every visible board line through
  `render_line`, the header and the view bar). Key: `action_cursor_down()` and rendering the two
  lines it dirtied. Naive: `tick()` clears and re-adds every DataTable row, then runs the table's
  deferred layout (`_on_idle`, what Textual does before the next frame) and renders the visible
  lines; its key is `action_cursor_down()` plus rendering the visible lines.
- pilot tick / key (`pilot_*`): the same through the pilot (`app.tick()` + `pilot.pause()`,
  `pilot.press("down")` + `pilot.pause()`). These include Textual's frame scheduling (at most 60
  frames a second; press waits for idle twice), a fixed floor of roughly 30 and 80 ms here that
  does not grow with the work.
- blocked while a handover loads (`handover_blocked_ms`): over the running board a heartbeat
  task wakes every millisecond on the app's event loop; the longest gap between two wakes, from
  opening the handover screen until its report has been shown and drawn, is the longest frame
  the board could not draw or take a key (median of three openings).
  `naive_handover_blocked_ms` is the same for a screen that reads and lays out the report on
  the UI thread (as the screen did before its worker), and `idle_blocked_ms` the same gap over
  the idle board (ticks and polls only) for as long, the floor, and `help_blocked_ms` for
  opening the help screen (which reads nothing) over the same board: what opening any screen
  costs. `handover_shown_ms` /
  `naive_handover_shown_ms`: until the report is on screen.

Run: `.venv/bin/python benchmarks/board.py [SIZES...]`. The last line of output is JSON.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from caseboard import paths, services
from caseboard.board.model import BoardModel
from caseboard.clock import frozen_clock
from caseboard.domain import policy as policy_module
from caseboard.domain.synthetic import synthetic_records
from caseboard.identity import os_username
from caseboard.services import handover as handover_service
from caseboard.store.writer import Actor
from caseboard.tui.app import CaseboardApp
from caseboard.tui.board import BoardView
from caseboard.tui.cells import COLUMNS, cell
from caseboard.tui.handover import HandoverScreen, report_lines
from caseboard.tui.header import StatusHeader, ViewBar
from caseboard.tui.help import HelpScreen
from caseboard.tui.longtext import LongText

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CLOCK = frozen_clock(NOW)
SIZE = (120, 40)
TICKS = {100: 10, 1_000: 10, 10_000: 3}
KEYS = 10
HANDOVER_OPENS = 3


class NaiveBoard(App[None]):
    """The naive approach: every case in a DataTable, rebuilt from scratch on each tick."""

    def __init__(self, session: services.Session) -> None:
        super().__init__()
        self.session = session
        self.model = BoardModel(
            services.list_cases(session), session.policy.due_soon_fraction, False
        )

    def compose(self) -> ComposeResult:
        """Just the table."""
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns(*(column.title for column in COLUMNS))
        self.fill()
        table.focus()

    def fill(self) -> None:
        """Every row's cells as literal Text (never markup)."""
        table = self.query_one(DataTable)
        now, fraction = CLOCK(), self.model.fraction
        for row in self.model.ordered:
            cells = [cell(row, c.key, c.width, now, fraction, False)[0] for c in COLUMNS]
            table.add_row(*(Text(text) for text in cells))

    def tick(self) -> None:
        """What the naive board does every second."""
        self.query_one(DataTable).clear()
        self.fill()


class SyncHandoverScreen(HandoverScreen):
    """The naive handover screen: the report read and laid out on the UI thread, in one go."""

    def refresh_report(self) -> None:
        """Read and show, blocking the board meanwhile."""
        self.report = handover_service.handover(self.session, since=self.since)
        self.query_one(LongText).show(report_lines(self.report, self.session.zone, self.redact))


class Heartbeat:
    """Wakes every millisecond on the event loop and keeps the longest gap between wakes."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.running = True

    async def beat(self) -> None:
        """Run until stopped."""
        last = time.perf_counter()
        while self.running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now


async def handover_blocking(
    session: services.Session, screen: type[HandoverScreen]
) -> dict[str, float]:
    """Open the handover over the running board a few times: the median of the longest gaps of
    the event loop until the report is shown and drawn, the same over the idle board for as
    long (the floor), and the median time until the report is shown."""
    blocked, idle, shown, other = [], [], [], []
    app = CaseboardApp(session, clock=CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(HANDOVER_OPENS):
            heart = Heartbeat()
            task = asyncio.create_task(heart.beat())
            began = time.perf_counter()
            opened = screen(session)
            app.push_screen(opened)
            while opened.report is None or opened.is_reading:
                await asyncio.sleep(0.001)
            took = time.perf_counter() - began
            await pilot.pause()  # the first frame of the report is drawn
            heart.running = False
            await task
            await pilot.press("escape")
            await pilot.pause()
            # The idle board for as long: its ticks, polls and frames are the floor.
            still = Heartbeat()
            task = asyncio.create_task(still.beat())
            await asyncio.sleep(took)
            still.running = False
            await task
            blocked.append(heart.longest * 1000)
            idle.append(still.longest * 1000)
            shown.append(took * 1000)
            # Any screen opened over 10,000 rows costs a frame or more (Textual restyles and
            # lays out): the help screen, which reads nothing, for as long.
            plain = Heartbeat()
            task = asyncio.create_task(plain.beat())
            app.push_screen(HelpScreen({}))
            await asyncio.sleep(took)
            plain.running = False
            await task
            await pilot.press("escape")
            await pilot.pause()
            other.append(plain.longest * 1000)
    return {
        "blocked": statistics.median(blocked),
        "shown": statistics.median(shown),
        "idle": statistics.median(idle),
        "other": statistics.median(other),
    }


def seed(count: int, folder: Path) -> services.Session:
    """A fresh database with `count` synthetic open cases."""
    policy = policy_module.load(paths.builtin_policy_text("federal"))
    zone = ZoneInfo("America/Chicago")
    session, _applied, _made = services.init_database(
        folder / f"bench-{count}.db", Actor(os_username()), policy, zone, CLOCK
    )
    services.import_records(session, synthetic_records(count))
    return session


async def measure(
    make: Callable[[], App[None]],
    tick: Callable[[App[None]], Awaitable[None]],
    key: Callable[[App[None]], None],
    ticks: int,
) -> dict[str, float]:
    """First paint, median tick and key (direct and through the pilot), in ms."""
    started = time.perf_counter()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first_paint = (time.perf_counter() - started) * 1000
        direct_ticks, direct_keys = [], []
        for _ in range(ticks):
            began = time.perf_counter()
            await tick(app)
            direct_ticks.append((time.perf_counter() - began) * 1000)
            await pilot.pause()
        for _ in range(KEYS):
            began = time.perf_counter()
            key(app)
            direct_keys.append((time.perf_counter() - began) * 1000)
            await pilot.pause()
        pilot_ticks = [await timed(pilot, lambda: app.tick()) for _ in range(ticks)]  # type: ignore[attr-defined]
        pilot_keys = [await timed_key(pilot, "down") for _ in range(KEYS)]
    return {
        "first_paint": first_paint,
        "tick": statistics.median(direct_ticks),
        "key": statistics.median(direct_keys),
        "pilot_tick": statistics.median(pilot_ticks),
        "pilot_key": statistics.median(pilot_keys),
    }


async def timed(pilot: Pilot[None], action: Callable[[], None]) -> float:
    """One action and the repaint it causes."""
    started = time.perf_counter()
    action()
    await pilot.pause()
    return (time.perf_counter() - started) * 1000


async def timed_key(pilot: Pilot[None], key: str) -> float:
    """One key press until the app is idle again."""
    started = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    return (time.perf_counter() - started) * 1000


async def board_tick(app: App[None]) -> None:
    """The real board's tick and the lines it repaints."""
    assert isinstance(app, CaseboardApp)
    app.tick()
    board = app.screen.query_one(BoardView)
    for y in range(board.size.height):
        board.render_line(y)
    app.screen.query_one(StatusHeader).render()
    app.screen.query_one(ViewBar).render()


def board_key(app: App[None]) -> None:
    """One cursor move and the two lines it repaints."""
    board = app.screen.query_one(BoardView)
    before = board.cursor
    board.action_cursor_down()
    top = round(board.scroll_offset.y)
    board.render_line(before + 1 - top)
    board.render_line(board.cursor + 1 - top)


async def naive_tick(app: App[None]) -> None:
    """The naive board's tick: rebuild, lay out, render the visible lines."""
    assert isinstance(app, NaiveBoard)
    app.tick()
    table: DataTable[Text] = app.query_one(DataTable)
    await table._on_idle(events.Idle())
    for y in range(table.size.height):
        table.render_line(y)


def naive_key(app: App[None]) -> None:
    """A cursor move in the DataTable and its repaint."""
    table: DataTable[Text] = app.query_one(DataTable)
    table.action_cursor_down()
    for y in range(table.size.height):
        table.render_line(y)


async def run_size(count: int, folder: Path) -> dict[str, Any]:
    """All figures for one size."""
    session = seed(count, folder)
    started = time.perf_counter()
    services.list_cases(session)
    load = (time.perf_counter() - started) * 1000
    ticks = TICKS.get(count, 3)
    board = await measure(lambda: CaseboardApp(session, clock=CLOCK), board_tick, board_key, ticks)
    naive = await measure(lambda: NaiveBoard(session), naive_tick, naive_key, ticks)
    background = await handover_blocking(session, HandoverScreen)
    inline = await handover_blocking(session, SyncHandoverScreen)
    return {
        "cases": count,
        "first_paint_ms": round(board["first_paint"], 1),
        "tick_ms": round(board["tick"], 2),
        "key_ms": round(board["key"], 2),
        "naive_first_paint_ms": round(naive["first_paint"], 1),
        "naive_tick_ms": round(naive["tick"], 1),
        "naive_key_ms": round(naive["key"], 2),
        "load_ms": round(load, 1),
        "pilot_tick_ms": round(board["pilot_tick"], 2),
        "pilot_key_ms": round(board["pilot_key"], 2),
        "naive_pilot_tick_ms": round(naive["pilot_tick"], 1),
        "naive_pilot_key_ms": round(naive["pilot_key"], 2),
        "handover_blocked_ms": round(background["blocked"], 1),
        "naive_handover_blocked_ms": round(inline["blocked"], 1),
        "idle_blocked_ms": round(background["idle"], 1),
        "help_blocked_ms": round(background["other"], 1),
        "handover_shown_ms": round(background["shown"], 1),
        "naive_handover_shown_ms": round(inline["shown"], 1),
    }


def table(results: list[dict[str, Any]]) -> str:
    """A readable table of the results."""
    header = (
        f"{'cases':>6} {'load':>7} {'1st paint':>9} {'tick':>6} {'key':>6}"
        f" {'(pilot tick/key)':>16} │ {'naive 1st':>9} {'tick':>7} {'key':>6}"
        f" {'(pilot tick/key)':>16}  ms"
    )
    lines = [header, "─" * len(header)]
    for row in results:
        lines.append(
            f"{row['cases']:>6} {row['load_ms']:>7.1f} {row['first_paint_ms']:>9.1f}"
            f" {row['tick_ms']:>6.1f} {row['key_ms']:>6.1f}"
            f" {row['pilot_tick_ms']:>8.1f}/{row['pilot_key_ms']:<7.1f} │"
            f" {row['naive_first_paint_ms']:>9.1f} {row['naive_tick_ms']:>7.1f}"
            f" {row['naive_key_ms']:>6.1f}"
            f" {row['naive_pilot_tick_ms']:>8.1f}/{row['naive_pilot_key_ms']:<7.1f}"
        )
    lines.append("")
    header = (
        f"{'cases':>6} {'handover: blocked':>17} {'shown':>7} │ {'naive: blocked':>14}"
        f" {'shown':>7} │ {'idle board: blocked':>19} │ {'help opened: blocked':>20}  ms"
    )
    lines.extend([header, "─" * len(header)])
    for row in results:
        lines.append(
            f"{row['cases']:>6} {row['handover_blocked_ms']:>17.1f}"
            f" {row['handover_shown_ms']:>7.1f} │"
            f" {row['naive_handover_blocked_ms']:>14.1f}"
            f" {row['naive_handover_shown_ms']:>7.1f}"
            f" │ {row['idle_blocked_ms']:>19.1f} │ {row['help_blocked_ms']:>20.1f}"
        )
    lines.append(
        "targets at 10,000: tick ≤ 20 ms, key ≤ 50 ms, first paint ≤ 1000 ms,"
        " blocked while a handover loads ≤ 50 ms"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Run every size, print the table, then one JSON line."""
    sizes = [int(arg) for arg in argv] or [100, 1_000, 10_000]
    results = []
    with tempfile.TemporaryDirectory(prefix="caseboard-bench-") as folder:
        for count in sizes:
            results.append(asyncio.run(run_size(count, Path(folder))))
            print(f"measured {count} cases", file=sys.stderr, flush=True)
    print(table(results))
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
