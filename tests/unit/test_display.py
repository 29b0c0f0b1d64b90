"""Plain-text renderings of clocks and times, and the stored ISO form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caseboard.domain.clocks import Clock
from caseboard.domain.display import ago, clock_cell, local, percent
from caseboard.domain.timefmt import from_iso, maybe_iso, span, to_iso


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(minutes=59, seconds=59), "59m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=3, minutes=20), "3h20m"),
        (timedelta(hours=12, minutes=20), "12h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=2, hours=4), "2d4h"),
        (timedelta(days=40, hours=4), "40d"),
        (timedelta(hours=-5), "5h"),
    ],
)
def test_span(delta: timedelta, text: str) -> None:
    assert span(delta) == text


def test_iso_round_trip() -> None:
    moment = datetime(2026, 11, 27, 22, 15, 30, 999, tzinfo=ZoneInfo("America/Chicago"))
    text = to_iso(moment)
    assert text == "2026-11-28T04:15:30+00:00"
    assert from_iso(text) == moment.replace(microsecond=0)
    assert maybe_iso(None) is None
    with pytest.raises(ValueError):
        to_iso(datetime(2026, 11, 27, 22, 15))  # noqa: DTZ001
    with pytest.raises(ValueError):
        from_iso("2026-11-27T22:15:00")


def test_clock_cells(now: datetime) -> None:
    due = Clock("police", "due", started_at=now, due_at=now + timedelta(hours=5))
    soon = Clock("police", "due_soon", started_at=now, due_at=now + timedelta(minutes=40))
    late = Clock("police", "overdue", started_at=now, due_at=now - timedelta(hours=3))
    at_due = Clock("police", "overdue", started_at=now, due_at=now)
    done = Clock("police", "done", due_at=now, done_at=now, ref="24-0012\x1b[2J", by="x")
    assert clock_cell(due, now) == "due 5h"
    assert clock_cell(soon, now) == "soon 40m"
    assert clock_cell(late, now) == "OVERDUE 3h"
    assert clock_cell(at_due, now) == "OVERDUE"
    assert clock_cell(done, now) == "✓ 24-0012␛[2J"  # a stored escape is shown, inert
    assert clock_cell(Clock("police", "done"), now) == "✓"
    assert clock_cell(Clock("ncic", "not_started"), now) == "—"


def test_ago_local_percent(now: datetime, zone: ZoneInfo) -> None:
    assert ago(None, now) == "—"
    assert ago(now - timedelta(seconds=30), now) == "just now"
    assert ago(now - timedelta(hours=5), now) == "5h ago"
    assert local(now, zone) == "2026-11-27 22:00 CST"
    assert local(now, zone, with_date=False) == "22:00"
    assert local(datetime(2026, 7, 1, 17, 0, tzinfo=UTC), zone) == "2026-07-01 12:00 CDT"
    assert local(None, zone) == "—"
    assert percent(0.8) == "80%"
    assert percent(0.22) == "22%"
