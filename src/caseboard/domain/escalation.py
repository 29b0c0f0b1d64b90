"""When a case's risk next changes with time alone: time-escalation steps and birthdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from caseboard.domain.model import CaseState, Child
from caseboard.domain.policy import Policy


def next_escalation(state: CaseState, policy: Policy, now: datetime) -> datetime | None:
    """The first moment at or after `now` past which a further time-escalation step applies.

    A step applies once the time missing is strictly greater than its threshold (see `assess`),
    so the moment returned is the last one at which the case still scores as before. None when
    the time missing has stopped (recovery, close) or no step is left.
    """
    if state.missing_until is not None:
        return None
    for threshold, _points in policy.time_escalation:
        moment = state.last_seen_at + threshold
        if moment >= now:
            return moment
    return None


def next_birthday(child: Child, now: datetime) -> datetime | None:
    """Midnight UTC of the child's next birthday after `now` (ages are read on UTC dates).

    Someone born on 29 February turns a year older on 1 March in common years, as `age_on`
    counts it. None without a date of birth.
    """
    if child.dob is None:
        return None
    today = now.astimezone(UTC).date()
    for year in (today.year, today.year + 1):
        try:
            day = date(year, child.dob.month, child.dob.day)
        except ValueError:  # 29 February in a common year
            day = date(year, 3, 1)
        if day > today:
            return datetime.combine(day, time(0), tzinfo=UTC)
    raise AssertionError("a birthday falls within a year")  # pragma: no cover


def next_reassessment(
    state: CaseState, child: Child, policy: Policy, now: datetime
) -> datetime | None:
    """The earliest moment the case's tier or score may change with no event: the next
    escalation step or the next birthday (age decides CRITICAL and the young-teen points)."""
    moments = [next_escalation(state, policy, now), next_birthday(child, now)]
    found = [moment for moment in moments if moment is not None]
    return min(found) if found else None
