"""Typed times: relative, bare, day words, ISO, zones, DST, the future and garbage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caseboard.domain.errors import BadInput
from caseboard.domain.timeparse import parse_time

# The `now` fixture is 2026-11-28 04:00 UTC, which is 2026-11-27 22:00 CST in `zone` (Chicago).


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("now", timedelta(0)),
        ("20m ago", timedelta(minutes=20)),
        ("3h ago", timedelta(hours=3)),
        ("1h30m ago", timedelta(minutes=90)),
        ("2 days ago", timedelta(days=2)),
        ("45 minutes ago", timedelta(minutes=45)),
        ("1 hour 15 mins ago", timedelta(minutes=75)),
        ("1.5h ago", timedelta(minutes=90)),
        ("-3h", timedelta(hours=3)),
        ("-2d4h", timedelta(days=2, hours=4)),
        ("-  90m", timedelta(minutes=90)),
        ("  3H  AGO ", timedelta(hours=3)),
    ],
)
def test_relative_times(now: datetime, zone: ZoneInfo, text: str, back: timedelta) -> None:
    result = parse_time(text, now, zone)
    assert result == now - back
    assert result.tzinfo == UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:30", utc(2026, 11, 28, 3, 30)),  # earlier today (CST = UTC-6)
        ("10pm", utc(2026, 11, 28, 4, 0)),  # exactly now
        ("9am", utc(2026, 11, 27, 15, 0)),
        ("00:05", utc(2026, 11, 27, 6, 5)),
        ("22:15", utc(2026, 11, 27, 4, 15)),  # later than now: yesterday's 22:15
        ("23:59", utc(2026, 11, 27, 5, 59)),
        ("22:03", utc(2026, 11, 28, 4, 3)),  # 3 minutes ahead is within tolerance: today's
        ("22:06", utc(2026, 11, 27, 4, 6)),  # 6 minutes ahead: yesterday's
    ],
)
def test_bare_time_means_the_most_recent_one(
    now: datetime, zone: ZoneInfo, text: str, expected: datetime
) -> None:
    assert parse_time(text, now, zone) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday 22:15", utc(2026, 11, 27, 4, 15)),
        ("yesterday 10pm", utc(2026, 11, 27, 4, 0)),
        ("yesterday at 7:30am", utc(2026, 11, 26, 13, 30)),
        ("today 9am", utc(2026, 11, 27, 15, 0)),
        ("Today 21:00", utc(2026, 11, 28, 3, 0)),
    ],
)
def test_day_words(now: datetime, zone: ZoneInfo, text: str, expected: datetime) -> None:
    assert parse_time(text, now, zone) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27T20:00:00+00:00", utc(2026, 11, 27, 20, 0)),
        ("2026-11-27T20:00:00Z", utc(2026, 11, 27, 20, 0)),
        ("2026-11-27T20:00-05:00", utc(2026, 11, 28, 1, 0)),
        ("2026-11-27T20:00", utc(2026, 11, 28, 2, 0)),  # no offset: the display zone (CST)
        ("2026-11-27 20:00", utc(2026, 11, 28, 2, 0)),
    ],
)
def test_iso_times(now: datetime, zone: ZoneInfo, text: str, expected: datetime) -> None:
    assert parse_time(text, now, zone) == expected


@pytest.mark.parametrize("text", ["21:30", "yesterday 22:15", "2026-11-27T20:00", "today 9am"])
def test_same_text_in_two_zones_gives_different_utc(now: datetime, text: str) -> None:
    chicago = parse_time(text, now, ZoneInfo("America/Chicago"))
    new_york = parse_time(text, now, ZoneInfo("America/New_York"))
    assert chicago - new_york == timedelta(hours=1)


def test_zone_examples(now: datetime) -> None:
    # 04:00 UTC is 23:00 in New York and 04:00 in London.
    assert parse_time("21:30", now, ZoneInfo("America/New_York")) == utc(2026, 11, 28, 2, 30)
    assert parse_time("2026-11-27T20:00", now, ZoneInfo("Europe/London")) == utc(2026, 11, 27, 20)
    # An explicit offset wins over the display zone.
    text = "2026-11-27T20:00:00+00:00"
    assert parse_time(text, now, ZoneInfo("Asia/Tokyo")) == utc(2026, 11, 27, 20)


def test_dst_fall_back_in_chicago() -> None:
    zone = ZoneInfo("America/Chicago")
    # 2026-11-01: clocks go back from 02:00 CDT to 01:00 CST. 15:00 UTC is 09:00 CST.
    now = utc(2026, 11, 1, 15, 0)
    half_past_midnight = parse_time("today 00:30", now, zone)
    three = parse_time("today 03:00", now, zone)
    assert half_past_midnight == utc(2026, 11, 1, 5, 30)  # CDT, UTC-5
    assert three == utc(2026, 11, 1, 9, 0)  # CST, UTC-6
    assert three - half_past_midnight == timedelta(hours=3, minutes=30)  # 2h30 on the wall
    assert parse_time("yesterday 22:15", now, zone) == utc(2026, 11, 1, 3, 15)
    # Relative times are plain UTC arithmetic across the change.
    assert parse_time("5h ago", now, zone) == utc(2026, 11, 1, 10, 0)


def test_dst_spring_forward_in_chicago() -> None:
    zone = ZoneInfo("America/Chicago")
    # 2026-03-08: clocks jump from 02:00 CST to 03:00 CDT. 18:00 UTC is 13:00 CDT.
    now = utc(2026, 3, 8, 18, 0)
    one = parse_time("today 01:00", now, zone)
    four = parse_time("today 04:00", now, zone)
    assert one == utc(2026, 3, 8, 7, 0)
    assert four == utc(2026, 3, 8, 9, 0)
    assert four - one == timedelta(hours=2)  # 3h on the wall


@pytest.mark.parametrize(
    "text",
    ["+1h", "+6m", "2026-11-28T07:00:00+00:00", "today 23:00", "2026-11-27T23:00"],
)
def test_future_times_are_refused(now: datetime, zone: ZoneInfo, text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_time(text, now, zone, field="last_seen_at")
    assert caught.value.field == "last_seen_at"
    assert "future" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3m", utc(2026, 11, 28, 4, 3)),
        ("+5m", utc(2026, 11, 28, 4, 5)),  # exactly at the tolerance
        ("2026-11-28T04:03:00+00:00", utc(2026, 11, 28, 4, 3)),
        ("today 22:03", utc(2026, 11, 28, 4, 3)),
    ],
)
def test_slightly_ahead_is_accepted(
    now: datetime, zone: ZoneInfo, text: str, expected: datetime
) -> None:
    assert parse_time(text, now, zone) == expected


def test_max_future_is_a_parameter(now: datetime, zone: ZoneInfo) -> None:
    assert parse_time("+1h", now, zone, max_future=timedelta(hours=2)) == now + timedelta(hours=1)
    with pytest.raises(BadInput):
        parse_time("+3m", now, zone, max_future=timedelta(0))


@pytest.mark.parametrize(
    "text",
    ["banana", "3 bananas ago", "yesterday", "today", "", "   ", "ago", "tomorrow 9am", "-3x"],
)
def test_garbage_is_refused_naming_the_field(now: datetime, zone: ZoneInfo, text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_time(text, now, zone, field="records[2].learned_at")
    assert caught.value.field == "records[2].learned_at"
    assert str(caught.value).startswith("records[2].learned_at: ")


def test_default_field_name(now: datetime, zone: ZoneInfo) -> None:
    with pytest.raises(BadInput) as caught:
        parse_time("banana", now, zone)
    assert caught.value.field == "time"


def test_naive_now_is_a_programming_error(zone: ZoneInfo) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_time("now", datetime(2026, 11, 28, 4, 0), zone)  # noqa: DTZ001
