"""Intake validation: the fast minimum, the optional packet, and each refusal naming its field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard.domain.errors import BadInput
from caseboard.domain.intake import Intake, parse_intake
from caseboard.domain.policy import Policy

MINIMAL: dict[str, Any] = {
    "name": "Ava Testwood",
    "age": 15,
    "learned_at": "1h ago",
    "last_seen_at": "3h ago",
    "last_seen_where": "Maple St bus stop",
    "placement_type": "group_home",
    "agency": "Cook County DCFS",
}


def parse(
    record: dict[str, Any], now: datetime, zone: ZoneInfo, policy: Policy, **kwargs: Any
) -> Intake:
    return parse_intake(record, now, zone, policy, **kwargs)


def test_the_minimum_opens_a_case(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    intake = parse(MINIMAL, now, zone, policy)
    assert intake.name == "Ava Testwood"
    assert intake.dob is None
    assert intake.age == 15
    assert intake.learned_at == now - timedelta(hours=1)
    assert intake.last_seen_at == now - timedelta(hours=3)
    assert intake.last_seen_where == "Maple St bus stop"
    assert intake.placement_type == "group_home"
    assert intake.agency == "Cook County DCFS"
    assert intake.risk_factors == []
    assert intake.packet == {}
    assert intake.history == []
    assert intake.event_data() == {
        "name": "Ava Testwood",
        "dob": None,
        "age": 15,
        "learned_at": "2026-11-28T03:00:00+00:00",
        "last_seen_at": "2026-11-28T01:00:00+00:00",
        "last_seen_where": "Maple St bus stop",
        "placement_type": "group_home",
        "agency": "Cook County DCFS",
        "risk_factors": [],
    }


def test_typed_times_use_the_display_zone(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    record = {**MINIMAL, "learned_at": "21:30", "last_seen_at": "yesterday 22:15"}
    intake = parse(record, now, zone, policy)
    assert intake.learned_at == datetime(2026, 11, 28, 3, 30, tzinfo=UTC)
    assert intake.last_seen_at == datetime(2026, 11, 27, 4, 15, tzinfo=UTC)


def test_dob_instead_of_age(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    record = {key: value for key, value in MINIMAL.items() if key != "age"}
    intake = parse({**record, "dob": "2011-03-04"}, now, zone, policy)
    assert intake.dob == date(2011, 3, 4)
    assert intake.age is None
    # With both, the date of birth wins.
    intake = parse({**MINIMAL, "dob": "2011-03-04"}, now, zone, policy)
    assert (intake.dob, intake.age) == (date(2011, 3, 4), None)


def test_text_is_stripped_and_factors_deduplicated(
    now: datetime, zone: ZoneInfo, policy: Policy
) -> None:
    record = {
        **MINIMAL,
        "name": "  Ava Testwood ",
        "age": "15",
        "risk_factors": ["pregnancy", "medication", "pregnancy"],
        "county": " Cook ",
        "photo_on_file": True,
        "photo_date": "2026-06-01",
        "circumstances": "x" * 2000,
        "aliases": "",
    }
    intake = parse(record, now, zone, policy)
    assert intake.name == "Ava Testwood"
    assert intake.age == 15
    assert intake.risk_factors == ["pregnancy", "medication"]
    assert intake.packet == {
        "county": "Cook",
        "photo_on_file": True,
        "photo_date": "2026-06-01",
        "circumstances": "x" * 2000,
    }


def test_last_seen_equal_to_learned_is_fine(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    record = {**MINIMAL, "learned_at": "2h ago", "last_seen_at": "2h ago"}
    intake = parse(record, now, zone, policy)
    assert intake.last_seen_at == intake.learned_at


def without(key: str) -> dict[str, Any]:
    return {name: value for name, value in MINIMAL.items() if name != key}


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (without("name"), "name"),
        ({**MINIMAL, "name": "   "}, "name"),
        ({**MINIMAL, "name": 42}, "name"),
        (without("age"), "dob"),  # neither dob nor age
        ({**MINIMAL, "age": 21}, "age"),
        ({**MINIMAL, "age": -1}, "age"),
        ({**MINIMAL, "age": "fifteen"}, "age"),
        ({**MINIMAL, "age": True}, "age"),
        ({**MINIMAL, "dob": "13/13/2011"}, "dob"),  # neither month first nor day first
        ({**MINIMAL, "dob": "2026-12-25"}, "dob"),  # in the future
        ({**MINIMAL, "dob": "1990-01-01"}, "dob"),  # an adult
        ({**MINIMAL, "placement_type": "hotel"}, "placement_type"),
        (without("placement_type"), "placement_type"),
        ({**MINIMAL, "risk_factors": ["wings"]}, "risk_factors"),
        ({**MINIMAL, "risk_factors": "pregnancy"}, "risk_factors"),
        ({**MINIMAL, "learned_at": "2h ago", "last_seen_at": "1h ago"}, "last_seen_at"),
        ({**MINIMAL, "name": "A" * 121}, "name"),
        ({**MINIMAL, "circumstances": "x" * 2001}, "circumstances"),
        ({**MINIMAL, "county": "x" * 201}, "county"),
        ({**MINIMAL, "agency": "x" * 201}, "agency"),
        ({**MINIMAL, "learned_at": "+1h"}, "learned_at"),
        ({**MINIMAL, "last_seen_at": "+2h"}, "last_seen_at"),
        ({**MINIMAL, "learned_at": "2026-11-28T05:00:00+00:00"}, "learned_at"),
        (without("learned_at"), "learned_at"),
        ({**MINIMAL, "learned_at": "banana"}, "learned_at"),
        ({**MINIMAL, "learned_at": 1700000000}, "learned_at"),
        (without("last_seen_where"), "last_seen_where"),
        (without("agency"), "agency"),
        ({**MINIMAL, "colour": "red"}, "colour"),
        ({**MINIMAL, "photo_on_file": "yes"}, "photo_on_file"),
        ({**MINIMAL, "child_id": "12"}, "child_id"),
        ({**MINIMAL, "events": []}, "events"),  # history only from import files
    ],
)
@pytest.mark.parametrize("prefix", ["", "records[3]."])
def test_refusals_name_the_field(
    now: datetime,
    zone: ZoneInfo,
    policy: Policy,
    record: dict[str, Any],
    field: str,
    prefix: str,
) -> None:
    with pytest.raises(BadInput) as caught:
        parse(record, now, zone, policy, prefix=prefix)
    assert caught.value.field == f"{prefix}{field}"
    assert str(caught.value).startswith(f"{prefix}{field}: ")


def test_a_21_year_old_by_date_of_birth_is_refused(
    now: datetime, zone: ZoneInfo, policy: Policy
) -> None:
    # Local today is 2026-11-27: born 2005-11-01 makes the person 21, over the 0-20 range
    # that `age` enforces.
    with pytest.raises(BadInput) as caught:
        parse({**MINIMAL, "dob": "2005-11-01"}, now, zone, policy)
    assert caught.value.field == "dob"


def test_a_20_year_old_by_date_of_birth_is_accepted(
    now: datetime, zone: ZoneInfo, policy: Policy
) -> None:
    intake = parse({**without("age"), "dob": "2005-12-01"}, now, zone, policy)
    assert intake.dob == date(2005, 12, 1)


def test_not_a_mapping(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    with pytest.raises(BadInput) as caught:
        parse_intake(["Ava"], now, zone, policy, prefix="records[0].")  # type: ignore[arg-type]
    assert caught.value.field == "records[0]"


def test_history_from_an_import_file(now: datetime, zone: ZoneInfo, policy: Policy) -> None:
    record = {
        **MINIMAL,
        "events": [
            {"type": "confirm", "at": "50m ago", "report": "police", "ref": "24-0012"},
            {"type": "sighting", "at": "30m ago", "where": "Navy Pier", "confirmed": True},
        ],
    }
    intake = parse(record, now, zone, policy, allow_history=True)
    assert [(event.type, event.at) for event in intake.history] == [
        ("confirm", now - timedelta(minutes=50)),
        ("sighting", now - timedelta(minutes=30)),
    ]
    assert intake.history[0].data == {
        "report": "police",
        "ref": "24-0012",
        "agency": None,
        "officer": None,
    }


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([{"type": "confirm", "at": "1h ago", "report": "ncic", "ref": "M1"}], "events[0].report"),
        ([{"type": "notify", "at": "1h ago", "report": "police"}], "events[0].type"),
        ([{"type": "sighting", "at": "5h ago", "where": "x"}], "events[0].at"),  # before last seen
        ([{"type": "teleport", "at": "1h ago"}], "events[0].type"),
        ([{"type": "note", "at": "+1h", "text": "x"}], "events[0].at"),
        (
            [
                {"type": "close", "at": "2h ago", "reason": "dup"},
                {"type": "note", "at": "1h ago", "text": "x"},
            ],
            "events[1].type",
        ),
        ("not a list", "events"),
    ],
)
def test_history_refusals(
    now: datetime, zone: ZoneInfo, policy: Policy, events: Any, field: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parse({**MINIMAL, "events": events}, now, zone, policy, allow_history=True, prefix="r.")
    assert caught.value.field == f"r.{field}"
