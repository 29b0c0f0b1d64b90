"""The input boundary in the domain: out-of-range times, non-ASCII digits, huge numbers, text
that is not valid Unicode and huge policy values each raise BadInput naming the field (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard import paths
from caseboard.domain import validate as v
from caseboard.domain.errors import BadInput
from caseboard.domain.handover import note_data
from caseboard.domain.intake import parse_intake
from caseboard.domain.policy import Policy, PolicyError, load
from caseboard.domain.timeparse import parse_time

GOOD = {
    "name": "Test Child",
    "age": 14,
    "learned_at": "1h ago",
    "last_seen_at": "2h ago",
    "last_seen_where": "the mall",
    "placement_type": "kin",
    "agency": "County CPS",
}


# --- times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01",  # OverflowError converting to UTC from Chicago
        "1/1/0001 10pm",
        "3000000d ago",  # OverflowError: now - 3,000,000 days
        "1000000d ago",
        "2024-06-01T10:00+25:00",  # ValueError: an offset of a day or more
        "2024-06-01T10:00-24:00",
        "9999-12-31T23:59-14:00",  # past datetime.max in UTC
        "1899-12-31T23:59Z",  # inside datetime's range, but before 1900
        "-" + "9" * 30 + "h",  # a float of hours too large for timedelta
        "yesterday 0001-01-01 10pm",
    ],
)
def test_out_of_range_times_raise_bad_input_naming_the_field(
    now: datetime, zone: ZoneInfo, text: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parse_time(text, now, zone, field="--at")
    assert caught.value.field == "--at"


def test_out_of_range_says_what_range_is_read(now: datetime, zone: ZoneInfo) -> None:
    with pytest.raises(BadInput, match="out of range; times from 1900"):
        parse_time("0001-01-01", now, zone)


def test_the_first_moment_of_1900_is_still_read(now: datetime) -> None:
    assert parse_time("1900-01-01T00:00Z", now, UTC).year == 1900


def test_a_very_long_time_is_refused_by_length(now: datetime, zone: ZoneInfo) -> None:
    with pytest.raises(BadInput, match="characters long"):
        parse_time("1" * 5000 + " ago", now, zone, field="at")


def test_a_zone_offset_that_datetime_refuses_is_bad_input(now: datetime) -> None:
    class Broken(tzinfo):
        """A tzinfo whose offset is a day: what a 'UTC+24' POSIX rule gives."""

        def utcoffset(self, dt: datetime | None) -> timedelta:
            return timedelta(hours=24)

        def dst(self, dt: datetime | None) -> timedelta:
            return timedelta(0)

        def tzname(self, dt: datetime | None) -> str:
            return "BROKEN"

    with pytest.raises(BadInput):
        parse_time("22:15", now, Broken(), field="at")


# --- intake fields -------------------------------------------------------------------------------


@pytest.mark.parametrize("age", ["²", "٣", "1_0", "١٢", "99999999999999999999999"])
def test_an_age_of_non_ascii_digits_is_bad_input(
    now: datetime, zone: ZoneInfo, policy: Policy, age: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parse_intake({**GOOD, "age": age}, now, zone, policy)
    assert caught.value.field == "age"


def test_an_age_typed_as_ascii_digits_is_still_read(
    now: datetime, zone: ZoneInfo, policy: Policy
) -> None:
    assert parse_intake({**GOOD, "age": " 14 "}, now, zone, policy).age == 14


@pytest.mark.parametrize("child_id", [2**63, 10**20, 2**200, 0, -1, 1e20, True, "7", [7]])
def test_a_child_id_outside_sqlite_integers_is_bad_input(
    now: datetime, zone: ZoneInfo, policy: Policy, child_id: Any
) -> None:
    with pytest.raises(BadInput) as caught:
        parse_intake({**GOOD, "child_id": child_id}, now, zone, policy, prefix="records[0].")
    assert caught.value.field == "records[0].child_id"


def test_the_largest_sqlite_integer_is_a_valid_child_id(
    now: datetime, zone: ZoneInfo, policy: Policy
) -> None:
    intake = parse_intake({**GOOD, "child_id": 2**63 - 1}, now, zone, policy)
    assert intake.child_id == 2**63 - 1


@pytest.mark.parametrize("key", ["name", "last_seen_where", "agency", "marks", "caseworker"])
@pytest.mark.parametrize("text", ["\ud800", "Ana \udcff\udcfe", "\udfff x"])
def test_text_with_lone_surrogates_is_bad_input(
    now: datetime, zone: ZoneInfo, policy: Policy, key: str, text: str
) -> None:
    with pytest.raises(BadInput, match="not valid text") as caught:
        parse_intake({**GOOD, key: text}, now, zone, policy)
    assert caught.value.field == key


def test_valid_text_is_stored_exactly(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    name = "Zoë 😀 ‮ Ñ 李"
    assert parse_intake({**GOOD, "name": name}, now, zone, policy).name == name


def test_an_unknown_key_that_is_not_valid_text_is_named_escaped(
    now: datetime, zone: ZoneInfo, policy: Policy
) -> None:
    with pytest.raises(BadInput) as caught:
        parse_intake({**GOOD, "\ud800": 1}, now, zone, policy)
    caught.value.field.encode("utf-8")  # printable as it is
    assert "ud800" in caught.value.field


@pytest.mark.parametrize(
    "value", ["x" * 100_000, [[[[["deep"]]]]], {"a": list(range(100_000))}, 10**4000, 1e308]
)
def test_refused_values_are_quoted_briefly(
    now: datetime, zone: ZoneInfo, policy: Policy, value: Any
) -> None:
    with pytest.raises(BadInput) as caught:
        parse_intake({**GOOD, "placement_type": value}, now, zone, policy)
    assert len(str(caught.value)) < 300


def test_handover_lines_refuse_lone_surrogates() -> None:
    with pytest.raises(BadInput) as caught:
        note_data("\ud800", None)
    assert caught.value.field == "--summary"


@pytest.mark.parametrize("value", [0, -5, 2**63, 2**64, True, 1.0, None, "3"])
def test_identifier_refuses_what_sqlite_cannot_hold(value: Any) -> None:
    with pytest.raises(BadInput) as caught:
        v.identifier(value, "CASE", "case id")
    assert caught.value.field == "CASE"


# --- policy --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("[clocks]\npolice_hours = 1e308", "clocks.police_hours"),
        ("[clocks.no_news_hours]\nHIGH = 1e300", "clocks.no_news_hours.HIGH"),
        ("[risk]\nrepeat_window_days = 1e308", "risk.repeat_window_days"),
        ("[time]\nmax_future_minutes = 1e308", "time.max_future_minutes"),
        ("[handover]\ndue_next_hours = 1e20", "handover.due_next_hours"),
        ("[risk.time_escalation]\n1e308 = 3", "risk.time_escalation.1e308"),
        ("[risk.points]\nmedication = 99999999999999999999", "risk.points.medication"),
        ("[risk]\nhigh_at = 9223372036854775807", "risk.high_at"),
    ],
)
def test_huge_policy_values_are_refused_by_key(override: str, field: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load(paths.builtin_policy_text("federal"), override, source="test.toml")
    assert caught.value.field == field
    assert "at most" in caught.value.message
