"""The next moment a case's risk changes with time alone: escalation steps and birthdays."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from msgspec.structs import replace as struct_replace

from caseboard.domain.escalation import next_birthday, next_escalation, next_reassessment
from caseboard.domain.model import CaseState, Child, Stamp
from caseboard.domain.policy import Policy
from caseboard.domain.risk import assess

SEEN = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def case(**changes: object) -> CaseState:
    state = CaseState(
        case_id=1,
        child_id=1,
        status="missing",
        learned_at=SEEN + HOUR,
        last_seen_at=SEEN,
        last_seen_where="Example Park",
        placement_type="foster_home",
        agency="Fictional County DCFS",
        packet={},
        risk_factors=frozenset(),
    )
    return struct_replace(state, **changes)


CHILD = Child(1, "Test Child", None, 15)


@pytest.mark.parametrize(
    ("hours_missing", "step_hours"),
    [(0, 24), (23.9, 24), (24, 24), (24.1, 72), (100, 168), (168, 168), (500, 720)],
)
def test_next_escalation_is_the_next_step_threshold(
    policy: Policy, hours_missing: float, step_hours: int
) -> None:
    now = SEEN + timedelta(hours=hours_missing)
    assert next_escalation(case(), policy, now) == SEEN + step_hours * HOUR


def test_no_escalation_after_the_last_step_or_once_time_stops(policy: Policy) -> None:
    assert next_escalation(case(), policy, SEEN + 721 * HOUR) is None
    recovered = case(status="recovered", recovery=Stamp(SEEN + 2 * HOUR, "alice", 9))
    assert next_escalation(recovered, policy, SEEN + 3 * HOUR) is None


def test_the_score_changes_just_after_the_moment_and_not_before(policy: Policy) -> None:
    state = case()
    now = SEEN + 30 * HOUR
    moment = next_escalation(state, policy, now)
    assert moment is not None
    before = assess(state, CHILD, [], policy, moment).score
    after = assess(state, CHILD, [], policy, moment + timedelta(seconds=1)).score
    assert (before, after) == (1, 2)
    assert assess(state, CHILD, [], policy, now).score == before


def test_a_custom_policy_uses_its_own_steps(policy: Policy) -> None:
    custom = replace(policy, time_escalation=((2 * HOUR, 5),))
    assert next_escalation(case(), custom, SEEN) == SEEN + 2 * HOUR
    assert next_escalation(case(), custom, SEEN + 3 * HOUR) is None


@pytest.mark.parametrize(
    ("dob", "today", "expected"),
    [
        (date(2014, 12, 1), date(2026, 11, 28), date(2026, 12, 1)),
        (date(2014, 11, 28), date(2026, 11, 28), date(2027, 11, 28)),  # today: next year
        (date(2014, 1, 5), date(2026, 11, 28), date(2027, 1, 5)),
        (date(2012, 2, 29), date(2026, 11, 28), date(2027, 3, 1)),  # common year: 1 March
        (date(2012, 2, 29), date(2027, 12, 1), date(2028, 2, 29)),  # leap year
    ],
)
def test_next_birthday(dob: date, today: date, expected: date) -> None:
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + 5 * HOUR
    child = Child(1, "Test Child", dob, None)
    assert next_birthday(child, now) == datetime.combine(expected, datetime.min.time(), UTC)


def test_no_birthday_without_a_date_of_birth() -> None:
    assert next_birthday(CHILD, SEEN) is None


def test_reassessment_takes_the_earlier_moment(policy: Policy) -> None:
    # Turning 13 ends "12 or under" (CRITICAL) before the 24-hour step.
    child = Child(1, "Test Child", date(2013, 11, 2), None)
    state = case(last_seen_at=SEEN + 2 * HOUR)
    birthday = datetime(2026, 11, 2, tzinfo=UTC)
    assert next_reassessment(state, child, policy, SEEN + 3 * HOUR) == birthday
    assert assess(state, child, [], policy, birthday - HOUR).tier == "CRITICAL"
    assert assess(state, child, [], policy, birthday).tier != "CRITICAL"
    assert next_reassessment(state, CHILD, policy, SEEN + 3 * HOUR) == SEEN + 26 * HOUR
    done = struct_replace(state, status="recovered", recovery=Stamp(SEEN + 4 * HOUR, "alice", 9))
    assert next_reassessment(done, CHILD, policy, SEEN + 5 * HOUR) is None
