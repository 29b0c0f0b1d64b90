"""Shown instead of the board while the terminal is smaller than 80×24."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from caseboard.tui.styles import CSSPath, css

MIN_WIDTH, MIN_HEIGHT = 80, 24


def too_small(width: int, height: int) -> bool:
    """True below the smallest usable terminal."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


def message(width: int, height: int) -> str:
    """The one sentence the operator sees."""
    return (
        f"terminal too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {width}×{height}"
        " — enlarge the window (q quits)"
    )


class TooSmallScreen(Screen[None]):
    """Says how big the terminal must be; the app removes it once the terminal is big enough."""

    CSS_PATH: ClassVar[CSSPath | None] = css("small.tcss")

    def compose(self) -> ComposeResult:
        """One centred message."""
        yield Static(message(*self.app.size), id="too-small", markup=False)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the numbers current."""
        self.query_one("#too-small", Static).update(message(*event.size))
