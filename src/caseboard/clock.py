"""The one injectable clock: only the CLI and the TUI read the time, through this."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def frozen_clock(moment: datetime) -> Clock:
    """A clock that always says `moment` (tests, snapshots)."""
    if moment.tzinfo is None:
        raise ValueError("a frozen clock needs an aware datetime")
    return lambda: moment
