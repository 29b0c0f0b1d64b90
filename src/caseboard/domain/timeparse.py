"""Times as operators type them: 'now', '22:15', 'yesterday 10pm', '20m ago', '-3h', ISO 8601."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from dateutil import parser as date_parser

from caseboard.domain.errors import BadInput
from caseboard.domain.timefmt import span

# The sane range of a typed time: nothing about a child missing today happened before 1900, and
# keeping well inside datetime's range leaves room for every clock's arithmetic (due = at + hours).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
# Longer than any time anyone types; dateutil is not made to read pages of text.
TEXT_MAX = 100

EXAMPLES = "e.g. 'now', '22:15', 'yesterday 10pm', '20m ago', '3h ago' or 2026-11-27T22:15"

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60}
_UNIT_WORDS = {
    "day": "d",
    "days": "d",
    "d": "d",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "hrs": "h",
    "h": "h",
    "minute": "m",
    "minutes": "m",
    "min": "m",
    "mins": "m",
    "m": "m",
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_AGO = re.compile(r"^((?:\d+(?:\.\d+)?\s*[a-z]+\s*)+)ago$")
_OFFSET = re.compile(r"^([+-])\s*((?:\d+(?:\.\d+)?\s*[a-z]+\s*)+)$")
_BARE_DURATION = re.compile(r"^(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+$")
_DAY_WORD = re.compile(r"^(yesterday|today)\b\s*(?:at\s+)?(.*)$")


def _duration(text: str) -> timedelta | None:
    """'1h30m', '2 days 4 hours' -> timedelta; None if a unit is unknown (the regexes above
    have already checked that the text is nothing but number-unit pairs)."""
    total = 0.0
    for match in _PART.finditer(text):
        unit = _UNIT_WORDS.get(match.group(2))
        if unit is None:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[unit]
    return timedelta(seconds=total)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC_DAY = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$")


def date_order(day_first: bool) -> str:
    """How a date with slashes is read: 'DD/MM/YYYY' or 'MM/DD/YYYY'."""
    return "DD/MM/YYYY" if day_first else "MM/DD/YYYY"


def parse_date(text: str, *, field: str = "date", day_first: bool = False) -> date:
    """A typed date: ISO 2012-03-14, or 03/14/2012 (month first, the US habit; 14/03/2012 when
    the policy's `[input] day_first` is true). Anything else raises BadInput naming `field`."""
    raw = (text or "").strip()
    if _ISO_DAY.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise BadInput(field, f"{raw!r} is not a real date") from None
    if not _NUMERIC_DAY.match(raw):
        raise BadInput(
            field, f"{raw[:TEXT_MAX]!r} is not a date as YYYY-MM-DD or {date_order(day_first)}"
        )
    first, second, year = (int(part) for part in re.split(r"[/.-]", raw))
    day, month = (first, second) if day_first else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        raise BadInput(
            field, f"{raw!r} is not a real date (read as {date_order(day_first)})"
        ) from None


def _parse_clock_time(text: str, day: datetime) -> datetime | None:
    """A time of day such as '22:15' or '10pm' on the given local day; None if not one."""
    try:
        first = date_parser.parse(text, default=day)
        second = date_parser.parse(text, default=day + timedelta(days=3))
    except (ValueError, OverflowError):
        return None
    return first if first == second - timedelta(days=3) and first.date() == day.date() else None


def _local_midnight(now: datetime, zone: tzinfo) -> datetime:
    """The start of now's day in the zone, as a naive local time (dateutil's default)."""
    return now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)


def parse_time(
    text: str,
    now: datetime,
    zone: tzinfo,
    *,
    field: str = "time",
    max_future: timedelta = timedelta(minutes=5),
    day_first: bool = False,
) -> datetime:
    """Read a typed time in the display zone; return it in UTC. Future times are refused.
    A date with slashes is month first ('03/14/2026 22:15') unless `day_first`.

    Whatever the text, the clock or the zone, the only error raised is BadInput naming `field`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    raw = " ".join((text or "").split()).lower()
    if not raw:
        raise BadInput(field, f"a time is required ({EXAMPLES})")
    if len(raw) > TEXT_MAX:
        raise BadInput(field, f"is {len(raw)} characters long; a time is at most {TEXT_MAX}")
    out_of_range = BadInput(field, f"{text!r} is out of range; times from 1900 to now are read")
    try:
        result = _parse(raw, text, now, zone, field, max_future, day_first)
        if result < EARLIEST:
            raise out_of_range
        if result > now + max_future:
            ahead = span(result - now)
            raise BadInput(
                field, f"{text!r} is {ahead} in the future; times ahead of now are refused"
            )
    except (OverflowError, ValueError):
        # Far past or future dates, offsets of a day or more, a zone whose rules cannot place
        # a time: datetime refuses them all, and all are out of range to the person typing.
        raise out_of_range from None
    return result


def _parse(
    raw: str,
    text: str,
    now: datetime,
    zone: tzinfo,
    field: str,
    max_future: timedelta,
    day_first: bool = False,
) -> datetime:
    """parse_time's reading of normalised text; datetime's own errors are left to it."""
    result: datetime | None = None
    if raw == "now":
        result = now
    elif match := _AGO.match(raw):
        delta = _duration(match.group(1).strip())
        if delta is None:
            raise BadInput(field, f"cannot read {text!r} as a time ({EXAMPLES})")
        result = now - delta
    elif match := _OFFSET.match(raw):
        delta = _duration(match.group(2).strip())
        if delta is None:
            raise BadInput(field, f"cannot read {text!r} as a time ({EXAMPLES})")
        result = now - delta if match.group(1) == "-" else now + delta
    elif _BARE_DURATION.match(raw) and _duration(raw) is not None:
        raise BadInput(field, f"{text!r} is ambiguous; for a time in the past say '{raw} ago'")
    elif raw.isdigit():
        raise BadInput(field, f"{text!r} is ambiguous; write a time of day such as 22:15")
    elif match := _DAY_WORD.match(raw):
        midnight = _local_midnight(now, zone)
        day = midnight - timedelta(days=1) if match.group(1) == "yesterday" else midnight
        if not match.group(2):
            raise BadInput(field, f"give a time of day too, e.g. '{match.group(1)} 22:15'")
        clock_time = _parse_clock_time(match.group(2), day)
        if clock_time is None:
            raise BadInput(field, f"cannot read {text!r} as a time ({EXAMPLES})")
        result = clock_time.replace(tzinfo=zone)
    else:
        local_now = now.astimezone(zone)
        midnight = _local_midnight(now, zone)
        result = _parse_general(raw, text, midnight, local_now, zone, field, max_future, day_first)
    return result.astimezone(UTC)


def _parse_general(
    raw: str,
    original: str,
    midnight: datetime,
    local_now: datetime,
    zone: tzinfo,
    field: str,
    max_future: timedelta,
    day_first: bool = False,
) -> datetime:
    clock_time = _parse_clock_time(raw, midnight)
    if clock_time is not None:
        # A bare time of day means the most recent one: today's, or yesterday's if today's has
        # not come yet.
        candidate = clock_time.replace(tzinfo=zone)
        if candidate > local_now + max_future:
            candidate = (clock_time - timedelta(days=1)).replace(tzinfo=zone)
        return candidate
    try:
        parsed = date_parser.parse(raw, default=midnight, dayfirst=day_first)
    except (ValueError, OverflowError):
        raise BadInput(field, f"cannot read {original!r} as a time ({EXAMPLES})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed
