"""Short, plain-text renderings of clocks and times shared by the CLI and the board."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from caseboard.domain.clocks import Clock
from caseboard.domain.redaction import clock_ref
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import span

CLOCK_TITLES = {
    "police": "Police report",
    "ncmec": "NCMEC report",
    "ncic": "NCIC entry",
    "no_news": "No news",
    "recovery_notice": "Recovery notices",
    "return_interview": "Return interview",
}


def clock_cell(clock: Clock, now: datetime, redact: bool = False) -> str:
    """A clock in a few characters: '✓ 24-0012', 'due 5h', 'soon 40m', 'OVERDUE 3h', '—'.

    With `redact` a report number is hidden (clock_ref): '✓ [redacted]'.
    """
    if clock.state == "done":
        ref = clock_ref(clock.name, clock.ref, redact)
        return f"✓ {clean(ref)}" if ref else "✓"
    if clock.state == "not_started" or clock.due_at is None:
        return "—"
    left = clock.due_at - now
    if clock.state == "overdue":
        return f"OVERDUE {span(-left)}" if left < timedelta(0) else "OVERDUE"
    prefix = "soon" if clock.state == "due_soon" else "due"
    return f"{prefix} {span(left)}"


def ago(moment: datetime | None, now: datetime) -> str:
    """'5h ago', 'just now', or '—'."""
    if moment is None:
        return "—"
    delta = now - moment
    if delta < timedelta(minutes=1):
        return "just now"
    return f"{span(delta)} ago"


def local(moment: datetime | None, zone: tzinfo, *, with_date: bool = True) -> str:
    """A time in the display zone: '2026-11-27 22:15 CST' (or '22:15')."""
    if moment is None:
        return "—"
    shown = moment.astimezone(zone)
    if not with_date:
        return shown.strftime("%H:%M")
    # isoformat is twice as fast as strftime, and a handover formats tens of thousands of times.
    minute, name = shown.isoformat(" ", "minutes")[:16], shown.tzname()
    return f"{minute} {name}" if name else minute


def percent(share: float) -> str:
    """0.8 -> '80%'."""
    return f"{round(share * 100):d}%"
