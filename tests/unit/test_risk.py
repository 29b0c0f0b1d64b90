"""Risk scoring, table-driven from the README's risk rules and the federal profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from caseboard.domain import model
from caseboard.domain.model import CaseState, Child, Event
from caseboard.domain.policy import Policy
from caseboard.domain.risk import Assessment, Reason, age_on, assess, tier_for, time_missing
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import RISK_FACTORS, EventType

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

CRITICAL_FACTORS = [
    "trafficking",
    "suicidal",
    "life_medication",
    "disability",
    "abduction",
    "severe_weather",
]

# Points for ticked factors, as the README states them.
FACTOR_POINTS = [
    ("medication", 3),
    ("pregnancy", 3),
    ("online_enticement", 3),
    ("exploited_before", 3),
    ("substance_use", 2),
    ("gang_weapon", 2),
    ("out_of_state", 2),
    ("out_of_character", 2),
]


def teen(age: int = 16) -> Child:
    """A child with an age given at intake (no date of birth)."""
    return Child(id=3, name="Ava Testwood", dob=None, age=age)


def opened(
    now: datetime,
    *,
    last_seen_ago: timedelta = HOUR,
    learned_ago: timedelta = timedelta(0),
    placement: str = "foster_home",
    factors: Iterable[str] = (),
) -> CaseState:
    """A case opened by an intake event `learned_ago` before now."""
    learned = now - learned_ago
    event = Event(
        id=1,
        case_id=7,
        type=EventType.INTAKE,
        occurred_at=learned,
        recorded_at=learned,
        actor="dispatcher1",
        data={
            "name": "Ava Testwood",
            "dob": None,
            "age": 16,
            "learned_at": to_iso(learned),
            "last_seen_at": to_iso(now - last_seen_ago),
            "last_seen_where": "Maple St bus stop",
            "placement_type": placement,
            "agency": "Cook County DCFS",
            "risk_factors": list(factors),
        },
    )
    return model.start(event, child_id=3)


def then(state: CaseState, kind: str, at: datetime, **data: Any) -> CaseState:
    """Apply one further event of the case."""
    event = Event(
        state.last_event_id + 1, state.case_id, EventType(kind), at, at, "supervisor1", data
    )
    return model.apply(state, event)


def score(
    state: CaseState,
    policy: Policy,
    now: datetime,
    child: Child | None = None,
    episodes: Sequence[datetime] | None = None,
) -> Assessment:
    return assess(
        state,
        child or teen(),
        [state.learned_at] if episodes is None else episodes,
        policy,
        now,
    )


def factors_of(assessment: Assessment) -> dict[str, int]:
    return {reason.factor: reason.points for reason in assessment.reasons}


# --- baseline ---------------------------------------------------------------------------------


def test_a_case_with_no_factors_is_standard_with_no_reasons(policy: Policy, now: datetime) -> None:
    result = score(opened(now), policy, now)
    assert result.tier == "STANDARD"
    assert result.computed_tier == "STANDARD"
    assert result.score == 0
    assert result.reasons == ()
    assert result.override_tier is None


# --- CRITICAL conditions ----------------------------------------------------------------------


@pytest.mark.parametrize("age", [0, 5, 11, 12])
def test_age_twelve_or_under_is_critical(policy: Policy, now: datetime, age: int) -> None:
    result = score(opened(now), policy, now, child=teen(age))
    assert result.tier == "CRITICAL"
    assert result.score == 0
    assert result.reasons == (Reason("age", 0, f"age {age}: 12 or under", critical=True),)


def test_age_thirteen_is_not_critical(policy: Policy, now: datetime) -> None:
    result = score(opened(now), policy, now, child=teen(13))
    assert result.tier == "STANDARD"
    assert not any(reason.critical for reason in result.reasons)


@pytest.mark.parametrize(
    ("dob", "critical"),
    [
        # now is 2026-11-28 (UTC): born 2013-11-29 is still 12, born 2013-11-28 has turned 13.
        (date(2013, 11, 29), True),
        (date(2013, 11, 28), False),
    ],
)
def test_age_from_date_of_birth_decides_critical(
    policy: Policy, now: datetime, dob: date, critical: bool
) -> None:
    child = Child(id=3, name="Ava Testwood", dob=dob, age=None)
    result = score(opened(now), policy, now, child=child)
    assert (result.tier == "CRITICAL") is critical


@pytest.mark.parametrize("factor", CRITICAL_FACTORS)
def test_each_critical_factor_makes_the_case_critical(
    policy: Policy, now: datetime, factor: str
) -> None:
    result = score(opened(now, factors=[factor]), policy, now)
    assert result.tier == "CRITICAL"
    assert result.computed_tier == "CRITICAL"
    assert result.score == 0
    assert result.reasons == (Reason(factor, 0, RISK_FACTORS[factor], critical=True),)


def test_critical_cases_still_get_points_for_ordering(policy: Policy, now: datetime) -> None:
    state = opened(now, factors=["trafficking", "substance_use"], placement="shelter")
    result = score(state, policy, now)
    assert result.tier == "CRITICAL"
    assert result.score == 2 + 1


def test_critical_factor_ticked_by_a_later_risk_event(policy: Policy, now: datetime) -> None:
    state = then(opened(now), "risk", now, add=["suicidal"], remove=[])
    assert score(state, policy, now).tier == "CRITICAL"
    state = then(state, "risk", now, add=[], remove=["suicidal"])
    assert score(state, policy, now).tier == "STANDARD"


# --- points ----------------------------------------------------------------------------------


def test_federal_points_match_the_domain_brief(policy: Policy) -> None:
    for factor, points in FACTOR_POINTS:
        assert policy.points[factor] == points
    assert policy.points["young_teen"] == 2
    assert policy.points["repeat_episodes"] == 2
    assert policy.points["congregate_care"] == 1


@pytest.mark.parametrize(("factor", "points"), FACTOR_POINTS)
def test_each_ticked_factor_scores_its_points(
    policy: Policy, now: datetime, factor: str, points: int
) -> None:
    result = score(opened(now, factors=[factor]), policy, now)
    assert result.score == points
    assert result.reasons == (Reason(factor, points, RISK_FACTORS[factor]),)


def test_all_ticked_point_factors_add_up(policy: Policy, now: datetime) -> None:
    state = opened(now, factors=[factor for factor, _ in FACTOR_POINTS])
    result = score(state, policy, now)
    assert result.score == 3 * 4 + 2 * 4
    assert result.tier == "HIGH"


@pytest.mark.parametrize(("age", "points"), [(12, 0), (13, 2), (14, 2), (15, 0), (17, 0)])
def test_young_teen_points(policy: Policy, now: datetime, age: int, points: int) -> None:
    result = score(opened(now), policy, now, child=teen(age))
    assert factors_of(result).get("young_teen", 0) == points
    if points:
        assert Reason("young_teen", 2, f"age {age}") in result.reasons


@pytest.mark.parametrize(
    ("earlier", "points"),
    [
        ([], 0),  # first episode
        ([30], 0),  # the 2nd episode does not count
        ([60, 30], 2),  # 3rd within 90 days
        ([80, 40, 10], 2),  # 4th
        ([91, 30], 0),  # the one 91 days earlier is outside the window
        ([90, 30], 2),  # exactly 90 days earlier is inside
        ([200, 150, 30], 0),  # only one other within the window
    ],
)
def test_repeat_episodes(policy: Policy, now: datetime, earlier: list[int], points: int) -> None:
    state = opened(now)
    episodes = [state.learned_at - days * DAY for days in earlier] + [state.learned_at]
    result = score(state, policy, now, episodes=episodes)
    assert factors_of(result).get("repeat_episodes", 0) == points
    assert result.score == points


def test_repeat_episode_label_counts_the_episodes(policy: Policy, now: datetime) -> None:
    state = opened(now)
    episodes = [state.learned_at - 60 * DAY, state.learned_at - 5 * DAY, state.learned_at]
    result = score(state, policy, now, episodes=episodes)
    assert result.reasons == (Reason("repeat_episodes", 2, "episode 3 within 90 days"),)


def test_later_episodes_do_not_make_an_earlier_one_a_repeat(policy: Policy, now: datetime) -> None:
    state = opened(now, learned_ago=20 * DAY, last_seen_ago=20 * DAY + HOUR)
    episodes = [state.learned_at, state.learned_at + 5 * DAY, state.learned_at + 10 * DAY]
    result = score(state, policy, now, episodes=episodes)
    assert "repeat_episodes" not in factors_of(result)


@pytest.mark.parametrize(
    ("placement", "points"),
    [
        ("group_home", 1),
        ("residential", 1),
        ("shelter", 1),
        ("foster_home", 0),
        ("kin", 0),
        ("other", 0),
    ],
)
def test_congregate_care(policy: Policy, now: datetime, placement: str, points: int) -> None:
    result = score(opened(now, placement=placement), policy, now)
    assert result.score == points
    if points:
        assert result.reasons == (Reason("congregate_care", 1, "congregate-care placement"),)
    else:
        assert result.reasons == ()


# --- time escalation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "points", "label"),
    [
        (timedelta(0), 0, None),
        (23 * HOUR, 0, None),
        (24 * HOUR, 0, None),
        (24 * HOUR + timedelta(seconds=1), 1, "missing over 1d"),
        (72 * HOUR, 1, "missing over 1d"),
        (72 * HOUR + timedelta(seconds=1), 2, "missing over 3d"),
        (7 * DAY, 2, "missing over 3d"),
        (7 * DAY + timedelta(seconds=1), 3, "missing over 7d"),
        (30 * DAY, 3, "missing over 7d"),
        (30 * DAY + timedelta(seconds=1), 4, "missing over 30d"),
        (400 * DAY, 4, "missing over 30d"),
    ],
)
def test_time_escalation_is_the_largest_step_not_a_sum(
    policy: Policy, now: datetime, missing: timedelta, points: int, label: str | None
) -> None:
    result = score(opened(now, last_seen_ago=missing), policy, now)
    assert result.score == points
    if label is None:
        assert result.reasons == ()
    else:
        assert result.reasons == (Reason("time_missing", points, label),)


def test_time_missing_counts_from_last_seen_not_from_learned(policy: Policy, now: datetime) -> None:
    # Learned of 1 hour ago, but last seen 80 hours ago: escalation +2.
    state = opened(now, last_seen_ago=80 * HOUR, learned_ago=HOUR)
    assert time_missing(state, now) == 80 * HOUR
    assert factors_of(score(state, policy, now)) == {"time_missing": 2}


@pytest.mark.parametrize(
    ("recovered_after", "points"), [(20 * HOUR, 0), (30 * HOUR, 1), (80 * HOUR, 2)]
)
def test_time_missing_stops_at_recovery(
    policy: Policy, now: datetime, recovered_after: timedelta, points: int
) -> None:
    state = opened(now, last_seen_ago=40 * DAY, learned_ago=40 * DAY)
    state = then(state, "recovery", state.last_seen_at + recovered_after, where="home", by="CPD")
    later = now + 10 * DAY
    assert time_missing(state, later) == recovered_after
    assert score(state, policy, later).score == points


def test_time_missing_stops_at_close(policy: Policy, now: datetime) -> None:
    state = opened(now, last_seen_ago=10 * DAY, learned_ago=10 * DAY)
    state = then(state, "close", state.last_seen_at + 2 * DAY, reason="transferred")
    assert time_missing(state, now) == 2 * DAY
    assert factors_of(score(state, policy, now)) == {"time_missing": 1}


def test_time_missing_is_never_negative(now: datetime) -> None:
    state = opened(now, last_seen_ago=-HOUR)
    assert time_missing(state, now) == timedelta(0)


# --- tiers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "tier"),
    [(0, "STANDARD"), (3, "STANDARD"), (4, "ELEVATED"), (7, "ELEVATED"), (8, "HIGH"), (30, "HIGH")],
)
def test_tier_thresholds(policy: Policy, points: int, tier: str) -> None:
    assert tier_for(points, False, policy) == tier
    assert tier_for(points, True, policy) == "CRITICAL"


@pytest.mark.parametrize(
    ("factors", "placement", "expected_score", "tier"),
    [
        (["medication"], "foster_home", 3, "STANDARD"),
        (["medication"], "group_home", 4, "ELEVATED"),
        (["medication", "pregnancy"], "group_home", 7, "ELEVATED"),
        (["medication", "pregnancy", "substance_use"], "foster_home", 8, "HIGH"),
    ],
)
def test_tiers_from_scored_cases(
    policy: Policy,
    now: datetime,
    factors: list[str],
    placement: str,
    expected_score: int,
    tier: str,
) -> None:
    result = score(opened(now, factors=factors, placement=placement), policy, now)
    assert result.score == expected_score
    assert result.tier == tier
    assert result.computed_tier == tier


# --- override ---------------------------------------------------------------------------------


def test_override_changes_the_tier_but_keeps_the_computed_tier(
    policy: Policy, now: datetime
) -> None:
    state = opened(now, factors=["medication"])
    state = then(state, "override", now, tier="HIGH", reason="known exploiter nearby")
    result = score(state, policy, now)
    assert result.tier == "HIGH"
    assert result.computed_tier == "STANDARD"
    assert result.score == 3
    assert result.override_tier == "HIGH"
    assert result.override_reason == "known exploiter nearby"


def test_override_down_from_critical_keeps_critical_as_computed(
    policy: Policy, now: datetime
) -> None:
    state = opened(now, factors=["disability"])
    state = then(state, "override", now, tier="ELEVATED", reason="assessed mild; with guardian")
    result = score(state, policy, now)
    assert result.tier == "ELEVATED"
    assert result.computed_tier == "CRITICAL"


def test_clearing_an_override_restores_the_computed_tier(policy: Policy, now: datetime) -> None:
    state = then(opened(now), "override", now, tier="HIGH", reason="hunch")
    state = then(state, "override", now, tier=None, reason="cleared")
    result = score(state, policy, now)
    assert result.tier == "STANDARD"
    assert result.override_tier is None


# --- explanation ------------------------------------------------------------------------------


def test_every_reason_is_explained_with_its_points(policy: Policy, now: datetime) -> None:
    state = opened(
        now,
        factors=["out_of_state", "trafficking", "medication"],
        placement="residential",
        last_seen_ago=80 * HOUR,
        learned_ago=70 * HOUR,
    )
    episodes = [state.learned_at - 50 * DAY, state.learned_at - 20 * DAY, state.learned_at]
    result = score(state, policy, now, child=teen(14), episodes=episodes)
    assert result.reasons == (
        Reason("trafficking", 0, RISK_FACTORS["trafficking"], critical=True),
        Reason("medication", 3, RISK_FACTORS["medication"]),
        Reason("out_of_state", 2, RISK_FACTORS["out_of_state"]),
        Reason("young_teen", 2, "age 14"),
        Reason("repeat_episodes", 2, "episode 3 within 90 days"),
        Reason("congregate_care", 1, "congregate-care placement"),
        Reason("time_missing", 2, "missing over 3d"),
    )
    assert result.score == 12
    assert result.score == sum(reason.points for reason in result.reasons)
    assert result.tier == "CRITICAL"


def test_age_on_uses_birthday(now: datetime) -> None:
    child = Child(id=1, name="A B", dob=date(2012, 6, 1), age=None)
    assert age_on(child, date(2026, 5, 31)) == 13
    assert age_on(child, date(2026, 6, 1)) == 14
    assert age_on(Child(id=1, name="A B", dob=None, age=9), now.date()) == 9
    assert age_on(Child(id=1, name="A B", dob=None, age=None), now.date()) is None
