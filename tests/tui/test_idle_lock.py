"""Idle protection on the board: the privacy screen after [session] lock_minutes without a
key (counts and alerts, no names), a key back to the board, both in the access log; over SSH
the board ends after ssh_logout_minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from textual.widgets import Static

from caseboard import services
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from caseboard.tui.idle import IdleLimits
from caseboard.tui.privacy import PrivacyScreen
from caseboard.tui.screen import BoardScreen
from support.reading import until

SIZE = (120, 40)
LOCK = IdleLimits(timedelta(minutes=15))


class MutableClock:
    """A frozen clock the test moves forward."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class RecordingApp(CaseboardApp):
    """The real app, remembering its toasts and bells."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.toasts: list[str] = []
        self.bells = 0

    def notify(self, message: str, **kwargs: Any) -> None:
        """Remember what reached the screen."""
        if self.locked is None:
            self.toasts.append(message)
        super().notify(message, **kwargs)

    def bell(self) -> None:
        """Count."""
        self.bells += 1


def shown(app: CaseboardApp) -> str:
    """The privacy screen's text."""
    assert isinstance(app.screen, PrivacyScreen)
    return str(app.screen.query_one("#privacy", Static).render())


def names(session: services.Session) -> list[str]:
    """Every open case's child name (and each word of it)."""
    found = services.read_cases(session).summaries
    return [summary.child.name for summary in found]


async def test_the_board_locks_without_names_and_a_key_brings_it_back(
    demo_session: services.Session, now: datetime
) -> None:
    clock = MutableClock(now)
    logged: list[tuple[str, str]] = []
    app = RecordingApp(
        demo_session, clock=clock, limits=LOCK, audit=lambda *entry: logged.append(entry)
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")  # someone at the board
        clock.moment += timedelta(minutes=14, seconds=59)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        clock.moment += timedelta(seconds=1)
        app.tick()
        await pilot.pause()
        text = shown(app)
        assert "caseboard is locked" in text and "no key for 15 minutes" in text
        assert "CRITICAL" in text and "overdue clocks" in text
        for name in names(demo_session):
            assert name not in text
            assert all(word not in text for word in name.split() if len(word) > 3)
        assert logged == [("lock", "no key for 15 minutes")]
        cursor = app.screen_stack[0]
        # Any key, q and ctrl+q included, only unlocks.
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is cursor and app.is_running
        assert logged == [("lock", "no key for 15 minutes"), ("unlock", "ok")]
        clock.moment += timedelta(minutes=10)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen), "the unlocking key counts as a key"


async def test_alerts_while_locked_are_counted_not_named(
    demo_session: services.Session,
    make_session: Callable[..., services.Session],
    now: datetime,
) -> None:
    services.add_operator(demo_session, "watcher", "dispatcher", "Watching Operator")
    clock = MutableClock(now)
    app = RecordingApp(make_session("watcher"), clock=clock, limits=LOCK, audit=lambda *_: None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.moment += timedelta(minutes=15)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, PrivacyScreen)
        record = {
            "name": "Quinby Lockwood", "age": 9, "learned_at": "10m ago",
            "last_seen_at": "30m ago", "last_seen_where": "Example Park",
            "placement_type": "foster_home", "agency": "Fictional County DCFS",
            "risk_factors": [],
        }  # fmt: skip
        bells = app.bells
        new_id = services.open_case(demo_session, record)
        app.poll()
        await pilot.pause()
        text = shown(app)
        assert "1 new CRITICAL case" in text
        assert "Quinby" not in text and "Lockwood" not in text
        assert app.toasts == [], "no toast while locked (it would name the child)"
        assert app.bells == bells + 1, "a wall display still rings"
        assert app.model.get(new_id) is not None, "the board kept up"
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_over_ssh_the_board_ends_after_the_logout_time(
    demo_session: services.Session, now: datetime
) -> None:
    clock = MutableClock(now)
    limits = IdleLimits(timedelta(minutes=15), timedelta(minutes=30))
    app = CaseboardApp(demo_session, clock=clock, limits=limits, audit=lambda *_: None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.moment += timedelta(minutes=29)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, PrivacyScreen) and app.is_running
        clock.moment += timedelta(minutes=1)
        app.tick()
        await pilot.pause()
        assert not app.is_running
    assert app.ended == "idle logout: no key for 30 minutes"


async def test_a_case_detail_is_covered_too_and_a_click_returns_to_it(
    demo_session: services.Session, now: datetime
) -> None:
    clock = MutableClock(now)
    # Each access-log entry with the screen on top when it was written. Pilot's click skips
    # App.on_event, so the idle watch never hears of it and the app's own one-second tick may
    # lock the board again at once: the screen right after the unlock is what the click gave.
    logged: list[tuple[str, str, object]] = []
    app = CaseboardApp(
        demo_session,
        clock=clock,
        limits=LOCK,
        audit=lambda action, outcome: logged.append((action, outcome, app.screen)),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        clock.moment += timedelta(minutes=15)
        app.tick()
        await pilot.pause()
        text = shown(app)
        assert detail.detail.summary.child.name not in text
        await pilot.click()
        await until(pilot, lambda: ("unlock", "ok", detail) in logged)
        assert ("unlock", "ok", detail) in logged, logged
