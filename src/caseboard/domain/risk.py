"""Risk scoring: tier and score with a factor-by-factor explanation, all weights from policy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache

import msgspec

from caseboard.domain.model import CaseState, Child
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import span
from caseboard.domain.vocab import RISK_FACTORS, TIER_RANK, TIERS, Tier


class Reason(msgspec.Struct, frozen=True, gc=False):
    """One line of a risk explanation."""

    factor: str
    points: int
    label: str
    critical: bool = False


class Assessment(msgspec.Struct, frozen=True, gc=False):
    """The tier the board uses, the computed tier beneath any override, and why."""

    tier: Tier
    computed_tier: Tier
    score: int
    reasons: tuple[Reason, ...]
    override_tier: str | None
    override_reason: str | None


_FACTOR_ORDER = {factor: index for index, factor in enumerate(RISK_FACTORS)}


def age_on(child: Child, day: date) -> int | None:
    """Whole years of age on a day, from the date of birth, else the age given at intake."""
    if child.dob is None:
        return child.age
    years = day.year - child.dob.year
    if (day.month, day.day) < (child.dob.month, child.dob.day):
        years -= 1
    return years


def episode_number(learned_at: datetime, episodes: Sequence[datetime], window: timedelta) -> int:
    """How many of the child's episodes (this one included) were learned of inside the window."""
    return sum(1 for other in episodes if learned_at - window <= other <= learned_at)


def time_missing(state: CaseState, now: datetime) -> timedelta:
    """Time missing: from last seen until recovery, close, or now; never negative."""
    until = state.missing_until or now
    return max(until - state.last_seen_at, timedelta(0))


def tier_for(score: int, critical: bool, policy: Policy) -> Tier:
    """The computed tier for a score, CRITICAL conditions first."""
    if critical:
        return "CRITICAL"
    if score >= policy.high_at:
        return "HIGH"
    if score >= policy.elevated_at:
        return "ELEVATED"
    return "STANDARD"


def assess(
    state: CaseState,
    child: Child,
    episodes: Sequence[datetime],
    policy: Policy,
    now: datetime,
) -> Assessment:
    """Score a case: ticked factors, derived factors, time escalation, then tier and override."""
    return assess_measured(
        state, age_on(child, now.date()), time_missing(state, now), episodes, policy
    )


def assess_measured(
    state: CaseState,
    age: int | None,
    missing: timedelta,
    episodes: Sequence[datetime],
    policy: Policy,
) -> Assessment:
    """assess() with the child's age and the time missing already measured (the board and the
    handover need both anyway, for 10,000 cases at a time)."""
    reasons: list[Reason] = []
    critical = False
    points = policy.points
    if age is not None and age <= policy.critical_age_max:
        critical = True
        label = f"age {age}: {policy.critical_age_max} or under"
        reasons.append(Reason("age", 0, label, critical=True))
    factors = state.risk_factors
    for factor in sorted(factors, key=_FACTOR_ORDER.__getitem__) if len(factors) > 1 else factors:
        if factor in policy.critical_factors:
            critical = True
            reasons.append(Reason(factor, 0, RISK_FACTORS[factor], critical=True))
        elif points.get(factor, 0):
            reasons.append(Reason(factor, points[factor], RISK_FACTORS[factor]))
    if age is not None and policy.young_teen_min_age <= age <= policy.young_teen_max_age:
        reasons.append(Reason("young_teen", points.get("young_teen", 0), f"age {age}"))
    if len(episodes) >= policy.repeat_episodes:  # fewer episodes can never reach the count
        count = episode_number(state.learned_at, episodes, policy.repeat_window)
        if count >= policy.repeat_episodes:
            days = policy.repeat_window.days
            label = f"episode {count} within {days} days"
            reasons.append(Reason("repeat_episodes", points.get("repeat_episodes", 0), label))
    if state.placement_type in policy.congregate_placements:
        label = "congregate-care placement"
        reasons.append(Reason("congregate_care", points.get("congregate_care", 0), label))
    step = _escalation_step(missing, policy.time_escalation)
    if step is not None:
        threshold, step_points = step
        reasons.append(Reason("time_missing", step_points, _missing_over(threshold)))
    score = sum(reason.points for reason in reasons)
    computed = tier_for(score, critical, policy)
    override = state.override
    override_tier = override.get("tier") if override else None
    override_reason = override.get("reason") if override else None
    tier = override_tier if override_tier in TIER_RANK else computed
    return Assessment(
        tier=tier,
        computed_tier=computed,
        score=score,
        reasons=tuple(reasons),
        override_tier=override_tier,
        override_reason=override_reason,
    )


@lru_cache(maxsize=64)
def _missing_over(threshold: timedelta) -> str:
    """The label of a time-escalation step (a policy has a handful; cases share them)."""
    return f"missing over {span(threshold)}"


def _escalation_step(
    missing: timedelta, steps: Sequence[tuple[timedelta, int]]
) -> tuple[timedelta, int] | None:
    """The last time-escalation step passed (steps are in increasing order), if any."""
    passed = None
    for step in steps:
        if missing <= step[0]:
            break
        passed = step
    return passed


__all__ = ["TIERS", "Assessment", "Reason", "age_on", "assess", "time_missing"]
