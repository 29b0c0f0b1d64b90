"""Dates typed the way people write them: 03/14/2012 month first by default, day first when the
policy says `[input] day_first = true`; ISO dates read the same either way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from caseboard import paths
from caseboard.domain.errors import BadInput
from caseboard.domain.intake import parse_intake
from caseboard.domain.policy import Policy, PolicyError, load
from caseboard.domain.timeparse import parse_date, parse_time

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("03/14/2012", False, date(2012, 3, 14)),
        ("3/4/2012", False, date(2012, 3, 4)),
        ("03-14-2012", False, date(2012, 3, 14)),
        ("14/03/2012", True, date(2012, 3, 14)),
        ("03/04/2012", True, date(2012, 4, 3)),
        ("2012-03-14", False, date(2012, 3, 14)),
        ("2012-03-14", True, date(2012, 3, 14)),
        (" 2012-03-14 ", False, date(2012, 3, 14)),
    ],
)
def test_dates(text: str, day_first: bool, expected: date) -> None:
    assert parse_date(text, day_first=day_first) == expected


@pytest.mark.parametrize(
    ("text", "day_first", "says"),
    [
        ("14/03/2012", False, "not a real date (read as MM/DD/YYYY)"),
        ("03/14/2012", True, "not a real date (read as DD/MM/YYYY)"),
        ("2012-02-30", False, "not a real date"),
        ("03/14/12", False, "not a date as YYYY-MM-DD or MM/DD/YYYY"),
        ("yesterday", True, "not a date as YYYY-MM-DD or DD/MM/YYYY"),
        ("", False, "not a date"),
    ],
)
def test_bad_dates_name_the_field_and_the_order(text: str, day_first: bool, says: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_date(text, field="--dob", day_first=day_first)
    assert raised.value.field == "--dob" and says in raised.value.message


def test_times_with_slashes_follow_the_same_order() -> None:
    month_first = parse_time("03/11/2026 22:15", NOW, ZONE)
    day_first = parse_time("03/11/2026 22:15", NOW, ZONE, day_first=True)
    assert month_first.astimezone(ZONE).date() == date(2026, 3, 11)
    assert day_first.astimezone(ZONE).date() == date(2026, 11, 3)


def policy_with(text: str) -> Policy:
    return load(paths.builtin_policy_text("federal"), text)


def test_the_policy_says_how_dates_read(policy: Policy) -> None:
    assert policy.day_first is False
    assert policy_with("[input]\nday_first = true\n").day_first is True
    with pytest.raises(PolicyError) as raised:
        policy_with('[input]\nday_first = "yes"\n')
    assert raised.value.field == "input.day_first"


RECORD = {
    "name": "Test Child",
    "learned_at": "1h ago",
    "last_seen_at": "2h ago",
    "last_seen_where": "Example Park",
    "placement_type": "kin",
    "agency": "Fictional County DCFS",
}


def test_intake_reads_a_date_of_birth_in_the_policys_order(policy: Policy) -> None:
    intake = parse_intake({**RECORD, "dob": "03/14/2012"}, NOW, ZONE, policy)
    assert intake.dob == date(2012, 3, 14)
    european = policy_with("[input]\nday_first = true\n")
    intake = parse_intake({**RECORD, "dob": "14/03/2012"}, NOW, ZONE, european)
    assert intake.dob == date(2012, 3, 14)
    with pytest.raises(BadInput) as raised:
        parse_intake({**RECORD, "dob": "14/03/2012"}, NOW, ZONE, policy)
    assert raised.value.field == "dob"
