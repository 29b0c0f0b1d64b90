"""The privacy screen after a spell without a key: counts and alerts, no names or places."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Static

from caseboard.domain.alerts import Alert, anonymous_summary
from caseboard.domain.vocab import TIERS
from caseboard.tui.styles import CSSPath, css


class PrivacyScreen(Screen[None]):
    """Shown over the board when it locks; any key brings the board back. A wall display still
    alerts: new alerts are counted here, with nothing that identifies a child."""

    CSS_PATH: ClassVar[CSSPath | None] = css("privacy.tcss")

    def __init__(
        self,
        counts: Callable[[], dict[str, int]],
        overdue: Callable[[datetime], int],
        clock: Callable[[], datetime],
        zone: tzinfo,
        idle: str,
        ticks: Signal[datetime],
    ) -> None:
        super().__init__()
        self.ticks = ticks
        self.counts = counts
        self.overdue = overdue
        self.clock = clock
        self.zone = zone
        self.idle = idle
        self.alerts: list[Alert] = []

    def compose(self) -> ComposeResult:
        """One block of plain text, refreshed every tick."""
        yield Static(self.summary(), id="privacy", markup=False)

    def on_mount(self) -> None:
        """Follow the board's second tick."""
        self.ticks.subscribe(self, self._ticked)

    def _ticked(self, _now: datetime) -> None:
        if self.is_active:
            self.tick()

    def summary(self) -> Text:
        """What a passer-by may see: the time, tier counts, overdue clocks, alert counts."""
        now = self.clock()
        shown = now.astimezone(self.zone)
        counts = self.counts()
        text = Text(justify="center")
        text.append("caseboard is locked\n", "bold")
        text.append(f"no key for {self.idle} · {shown:%a %H:%M} {shown.tzname() or ''}\n\n")
        text.append("open: " + "  ".join(f"{tier} {counts.get(tier, 0)}" for tier in TIERS))
        text.append(f"\noverdue clocks {self.overdue(now)}\n")
        lines = anonymous_summary(self.alerts)
        if lines:
            text.append("\nsince the board locked:\n", "bold")
            for line in lines:
                text.append(f"{line}\n", "bold reverse")
        text.append("\npress any key to return to the board")
        return text

    def add_alerts(self, alerts: list[Alert]) -> None:
        """Alerts that arrived while locked (only counted, never named)."""
        self.alerts.extend(alerts)
        self.refresh_summary()

    def tick(self) -> None:
        """Every second: the time, counts and overdue clocks move on."""
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Repaint with the current time and counts."""
        if self.is_mounted:
            self.query_one("#privacy", Static).update(self.summary())

    def on_key(self, event: events.Key) -> None:
        """Any key unlocks (the key itself does nothing else)."""
        event.stop()
        event.prevent_default()
        self._unlock()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """So does a click."""
        event.stop()
        self._unlock()

    def _unlock(self) -> None:
        if self.is_current:  # a second key before the screen has gone does nothing more
            self.dismiss(None)
