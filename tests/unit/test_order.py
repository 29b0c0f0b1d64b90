"""Board order: section, tier, score desc, time missing desc, case id — a total order."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain import model
from caseboard.domain.board import board_key, in_board_order, summarise
from caseboard.domain.model import CaseState, Child, Event
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import STATUSES, TIERS, EventType

Row = tuple[str, str, int, int, int]  # status, tier, score, elapsed seconds, case id

rows = st.lists(
    st.tuples(
        st.sampled_from(STATUSES),
        st.sampled_from(TIERS),
        st.integers(min_value=0, max_value=40),
        st.integers(min_value=0, max_value=90 * 86400),
        st.integers(min_value=1, max_value=10**6),
    ),
    max_size=40,
    unique_by=lambda row: row[4],
)


def key(row: Row) -> tuple[int, ...]:
    return board_key(*row)


def comes_first(a: Row, b: Row) -> bool:
    """The board rule, stated field by field."""
    if a[0] != b[0]:
        return STATUSES.index(a[0]) < STATUSES.index(b[0])
    if a[1] != b[1]:
        return TIERS.index(a[1]) < TIERS.index(b[1])
    if a[2] != b[2]:
        return a[2] > b[2]
    if a[3] != b[3]:
        return a[3] > b[3]
    return a[4] < b[4]


@given(rows, st.randoms(use_true_random=False))
def test_order_does_not_depend_on_input_order(items: list[Row], rng: random.Random) -> None:
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert sorted(shuffled, key=key) == sorted(items, key=key)
    assert sorted(reversed(items), key=key) == sorted(items, key=key)


@given(rows)
def test_keys_are_distinct_for_distinct_ids(items: list[Row]) -> None:
    assert len({key(row) for row in items}) == len(items)


@given(rows)
def test_sorted_rows_follow_the_board_rule(items: list[Row]) -> None:
    ordered = sorted(items, key=key)
    for earlier, later in pairwise(ordered):
        assert comes_first(earlier, later)
        assert not comes_first(later, earlier)


def test_a_worked_example() -> None:
    items: list[Row] = [
        ("missing", "STANDARD", 9, 100, 1),
        ("missing", "HIGH", 8, 10, 2),
        ("missing", "HIGH", 8, 500, 3),
        ("missing", "HIGH", 11, 5, 4),
        ("missing", "CRITICAL", 0, 1, 5),
        ("missing", "HIGH", 8, 500, 0),
        ("recovered", "CRITICAL", 20, 9999, 6),
        ("closed", "CRITICAL", 20, 9999, 7),
        ("missing", "ELEVATED", 7, 0, 8),
    ]
    assert [row[4] for row in sorted(items, key=key)] == [5, 4, 0, 3, 2, 8, 1, 6, 7]


def _case(case_id: int, now: datetime, last_seen_ago: timedelta, factors: list[str]) -> CaseState:
    event = Event(
        id=case_id * 10,
        case_id=case_id,
        type=EventType.INTAKE,
        occurred_at=now,
        recorded_at=now,
        actor="dispatcher1",
        data={
            "name": f"Child {case_id}",
            "learned_at": to_iso(now),
            "last_seen_at": to_iso(now - last_seen_ago),
            "last_seen_where": "somewhere",
            "placement_type": "foster_home",
            "agency": "DCFS",
            "risk_factors": factors,
        },
    )
    return model.start(event, child_id=case_id)


def test_in_board_order_with_real_summaries(policy: Policy, now: datetime) -> None:
    child = Child(id=1, name="Ava Testwood", dob=None, age=16)
    hour = timedelta(hours=1)
    states = [
        _case(1, now, 2 * hour, ["medication"]),  # STANDARD 3
        _case(2, now, 5 * hour, ["medication"]),  # STANDARD 3, missing longer
        _case(3, now, hour, ["medication", "pregnancy", "gang_weapon"]),  # HIGH 8
        _case(4, now, hour, ["abduction"]),  # CRITICAL 0
        _case(5, now, hour, ["substance_use", "out_of_state"]),  # ELEVATED 4
    ]
    summaries = [summarise(state, child, [state.learned_at], policy, now) for state in states]
    ordered = in_board_order(list(reversed(summaries)))
    assert [summary.case_id for summary in ordered] == [4, 3, 5, 2, 1]
    assert [summary.assessment.tier for summary in ordered] == [
        "CRITICAL",
        "HIGH",
        "ELEVATED",
        "STANDARD",
        "STANDARD",
    ]
    assert [summary.elapsed_s for summary in ordered][-2:] == [5 * 3600, 2 * 3600]
