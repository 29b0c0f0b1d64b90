"""Waiting for what the board reads in the background (the handover report) to be shown."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot


async def settled(pilot: Pilot[Any]) -> None:
    """Wait for the app's workers to finish and for what they posted to be shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
