"""The statistics screen: opened with S, read in a worker, charts and their numbers, periods;
a snapshot at 80x24 with NO_COLOR on the frozen clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from caseboard import paths, services
from caseboard.clock import Clock
from caseboard.tui.app import CaseboardApp
from caseboard.tui.longtext import LongText
from caseboard.tui.stats import StatsScreen

Snap = Callable[..., bool]


@pytest.fixture
def stats_session(make_session: Callable[..., services.Session]) -> services.Session:
    """The demo data imported by a fixed operator, so no OS account name reaches a snapshot."""
    services.add_operator(make_session(), "snapshot", "supervisor", "Snapshot Operator")
    session = make_session("snapshot")
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    return session


async def _open(pilot: Any) -> StatsScreen:
    await pilot.press("S")
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_opens_loads_and_switches(stats_session: services.Session, frozen: Clock) -> None:
    app = CaseboardApp(stats_session, clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.result is not None
        assert screen.result.stats.by == "day" and len(screen.result.stats.series) == 30
        legend = screen.query_one("#stats-legend", Static)
        # Series are told apart by letters, not colour (NO_COLOR, monochrome terminals).
        assert str(legend.render()) == "P police · I NCIC · N NCMEC · the line: 100 %"
        await pilot.press("c", "c")
        assert str(legend.render()).startswith("# foster · = kin · o group")
        await pilot.press("c")
        await pilot.press("n")  # the numbers behind the on-time chart
        shown = "\n".join(screen.query_one("#stats-numbers", LongText).shown)
        assert "Police report" in shown and "whole window" in shown
        await pilot.press("c")  # the histogram's numbers
        shown = "\n".join(screen.query_one("#stats-numbers", LongText).shown)
        assert "the limit is 24 hours" in shown and "48 h or more" in shown
        for span, by, periods in (("12m", "month", 12), ("7d", "day", 7)):
            await pilot.press("p")  # 30 days -> 12 months -> 7 days
            await screen.workers.wait_for_complete()
            await pilot.pause()
            assert screen.span == span
            assert screen.result is not None and screen.result.stats.by == by
            assert len(screen.result.stats.series) == periods
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


def test_stats_80x24_no_color(
    snap_compare: Snap,
    stats_session: services.Session,
    frozen: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The on-time chart for the last 30 days: series told apart by P, I and N, not by colour.
    monkeypatch.setenv("NO_COLOR", "1")
    app: Any = CaseboardApp(stats_session, clock=frozen)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open)
