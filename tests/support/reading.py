"""Waiting for what the board does later: a background read shown, a dismissed screen gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot


async def settled(pilot: Pilot[Any]) -> None:
    """Wait for the app's workers to finish and for what they posted to be shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], tries: int = 50) -> None:
    """Pause until `condition` holds, a bounded number of times: a screen dismissed by a click
    closes a few turns of the event loop later (more of them on a loaded machine)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()


def palette_highlight(app: App[Any]) -> str:
    """The command palette's highlighted command as text ('' when none is)."""
    if not isinstance(app.screen, CommandPalette):
        return ""
    option = app.screen.query_one(CommandList).highlighted_option
    return "" if option is None else str(option.prompt)


async def palette_offers(pilot: Pilot[Any], text: str) -> None:
    """Wait until the command palette, searching in the background, highlights a command whose
    text holds `text` (enter then runs that one)."""
    await until(pilot, lambda: text in palette_highlight(pilot.app), tries=200)
    assert text in palette_highlight(pilot.app), palette_highlight(pilot.app)
