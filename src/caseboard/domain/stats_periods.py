"""The windows and periods of the statistics: series steps in the display zone (local days,
weeks from Monday, months), and the screen's period selector. Pure: `now` is an argument."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

PERIODS = ("day", "week", "month")
# The screen's period selector: a window ending now, and the series step that suits it.
SPANS: dict[str, tuple[str, str]] = {
    "7d": ("last 7 days", "day"),
    "30d": ("last 30 days", "day"),
    "12m": ("last 12 months", "month"),
}
DEFAULT_DAYS = 30


def default_by(since: datetime, until: datetime) -> str:
    """The series step that suits a window: days up to a month, weeks up to six, else months."""
    length = until - since
    if length <= timedelta(days=31):
        return "day"
    if length <= timedelta(days=184):
        return "week"
    return "month"


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def period_start(moment: datetime, by: str, zone: tzinfo) -> datetime:
    """The start (local midnight; weeks from Monday, months from the 1st) of the period that
    holds `moment`."""
    day = moment.astimezone(zone).date()
    if by == "week":
        day -= timedelta(days=day.weekday())
    elif by == "month":
        day = day.replace(day=1)
    return _midnight(day, zone)


def next_start(start: datetime, by: str, zone: tzinfo) -> datetime:
    """The start of the period after the one starting at `start`."""
    day = start.date()
    if by == "day":
        day += timedelta(days=1)
    elif by == "week":
        day += timedelta(days=7)
    else:
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return _midnight(day, zone)


def period_starts(since: datetime, until: datetime, by: str, zone: tzinfo) -> list[datetime]:
    """Every period from the one holding `since` to the one holding `until`."""
    starts = [period_start(since, by, zone)]
    last = period_start(until, by, zone)
    while starts[-1] < last:
        starts.append(next_start(starts[-1], by, zone))
    return starts


def span_window(span: str, now: datetime, zone: tzinfo) -> tuple[datetime, datetime, str]:
    """The screen's windows, whole local periods ending with the current one: the last 7 or
    30 days from midnight, or the last 12 months from the 1st; (since, until, by)."""
    _label, by = SPANS[span]
    if by == "day":
        days = 7 if span == "7d" else 30
        today = period_start(now, "day", zone).date()
        return _midnight(today - timedelta(days=days - 1), zone), now, by
    first = period_start(now, "month", zone).date()
    months = first.year * 12 + first.month - 1 - 11
    return _midnight(date(months // 12, months % 12 + 1, 1), zone), now, by
