"""Idle protection: when the board locks (the privacy screen) and when an SSH session ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


def duration_text(span: timedelta) -> str:
    """'15 minutes', '1 minute', '3 seconds' (a short lock in a test's policy)."""
    seconds = round(span.total_seconds())
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


@dataclass(frozen=True)
class IdleLimits:
    """How long without a key before the board locks, and (over SSH only) before it ends."""

    lock_after: timedelta | None
    logout_after: timedelta | None = None


class IdleWatch:
    """The time of the last key (read from the board's injectable clock) against the limits."""

    def __init__(self, limits: IdleLimits, now: datetime) -> None:
        self.limits = limits
        self.last_input = now

    def touched(self, now: datetime) -> None:
        """A key (or a click) now."""
        self.last_input = max(self.last_input, now)

    def due(self, now: datetime, *, locked: bool) -> str | None:
        """'logout', 'lock' or None: what the time since the last key calls for."""
        idle = now - self.last_input
        logout = self.limits.logout_after
        if logout is not None and idle >= logout:
            return "logout"
        lock = self.limits.lock_after
        if not locked and lock is not None and idle >= lock:
            return "lock"
        return None
