"""The legal and policy clocks of a case, each done / due / due_soon / overdue / not_started."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec
from msgspec.structs import replace

from caseboard.domain.model import CaseState, Stamp
from caseboard.domain.policy import Policy
from caseboard.domain.vocab import SCREEN_RESULTS, ClockName, ClockState, Report


class Clock(msgspec.Struct, frozen=True, gc=False):
    """One clock's state at a moment (a msgspec Struct: every case builds several, and a
    Struct is made ten times faster than a frozen dataclass)."""

    name: ClockName
    state: ClockState
    started_at: datetime | None = None
    due_at: datetime | None = None
    done_at: datetime | None = None
    ref: str | None = None
    by: str | None = None
    late: bool = False

    def remaining(self, now: datetime) -> timedelta | None:
        """Time left before due (negative when overdue); None when not running."""
        if self.due_at is None or self.state in ("done", "not_started"):
            return None
        return self.due_at - now


_ZERO = timedelta(0)
# Clocks that have not started are the same for every case: one shared (immutable) instance.
_NOT_STARTED: dict[ClockName, Clock] = {}


def not_started(name: ClockName) -> Clock:
    """The not-started clock of that name."""
    clock = _NOT_STARTED.get(name)
    if clock is None:
        clock = _NOT_STARTED[name] = Clock(name, "not_started")
    return clock


def running(
    name: ClockName, started: datetime, window: timedelta, policy: Policy, now: datetime
) -> Clock:
    """A started, unfinished clock: due, due soon (little of the window left) or overdue."""
    due_at = started + window
    return Clock(name, state_at(due_at, window, policy.due_soon_fraction, now), started, due_at)


def state_at(due_at: datetime, window: timedelta, fraction: float, now: datetime) -> ClockState:
    """A running clock's state at `now`: overdue from its due time, due soon in the last
    `fraction` of its window, due before that."""
    left = due_at - now
    if left <= _ZERO:
        return "overdue"
    if left < window * fraction:
        return "due_soon"
    return "due"


def _window(clock: Clock) -> tuple[datetime, timedelta] | None:
    """A running clock's due time and window; None when it is not running."""
    if clock.state in ("done", "not_started") or clock.due_at is None:
        return None
    return clock.due_at, clock.due_at - (clock.started_at or clock.due_at)


def clock_at(clock: Clock, now: datetime, fraction: float) -> Clock:
    """A computed clock re-read at a later `now` (a running clock turns due soon, then overdue)
    without computing the case again: what a live board shows as time passes."""
    running_window = _window(clock)
    if running_window is None:
        return clock
    state = state_at(*running_window, fraction, now)
    return clock if state == clock.state else replace(clock, state=state)


def due_soon_from(clock: Clock, fraction: float) -> datetime | None:
    """The moment a running clock turns due soon (needs action); None when it is not running."""
    running_window = _window(clock)
    if running_window is None:
        return None
    due_at, window = running_window
    return due_at - window * fraction


def finished(
    name: ClockName, started: datetime, window: timedelta, stamp: Stamp, ref: str | None
) -> Clock:
    """A clock stopped by a stamp; late if it stopped after its due time."""
    due_at = started + window
    return Clock(
        name,
        "done",
        started_at=started,
        due_at=due_at,
        done_at=stamp.at,
        ref=ref,
        by=stamp.by,
        late=stamp.at > due_at,
    )


def _report_clock(
    name: Report,
    started: datetime | None,
    window: timedelta,
    state: CaseState,
    policy: Policy,
    now: datetime,
) -> Clock:
    if started is None:
        return not_started(name)
    stamp = state.confirmations.get(name)
    if stamp is not None:
        return finished(name, started, window, stamp, stamp.get("ref"))
    return running(name, started, window, policy, now)


def compute(state: CaseState, tier: str, policy: Policy, now: datetime) -> dict[str, Clock]:
    """Every clock of a case; a closed case's clocks are read as they stood when it closed."""
    if state.closure is not None and state.closure.at < now:
        now = state.closure.at
    police_stamp = state.confirmations.get("police")
    clocks: dict[str, Clock] = {
        "police": _report_clock("police", state.learned_at, policy.police, state, policy, now),
        "ncmec": _report_clock("ncmec", state.learned_at, policy.ncmec, state, policy, now),
        "ncic": _report_clock(
            "ncic", police_stamp.at if police_stamp else None, policy.ncic, state, policy, now
        ),
    }
    anchor = state.no_news_anchor
    no_news_window = policy.no_news[tier]
    if state.recovery is not None:
        clocks["no_news"] = finished("no_news", anchor, no_news_window, state.recovery, "recovered")
    else:
        clocks["no_news"] = running("no_news", anchor, no_news_window, policy, now)
    clocks["recovery_notice"] = _notice_clock(state, policy, now)
    clocks["return_interview"] = _interview_clock(state, policy, now)
    return clocks


def _notice_clock(state: CaseState, policy: Policy, now: datetime) -> Clock:
    recovery = state.recovery
    if recovery is None:
        return not_started("recovery_notice")
    police, ncmec = state.notices.get("police"), state.notices.get("ncmec")
    if police is not None and ncmec is not None:
        last = police if police.at >= ncmec.at else ncmec
        return finished(
            "recovery_notice", recovery.at, policy.recovery_notice, last, "police+ncmec"
        )
    clock = running("recovery_notice", recovery.at, policy.recovery_notice, policy, now)
    told = "police told" if police else "ncmec told" if ncmec else None
    return Clock(clock.name, clock.state, clock.started_at, clock.due_at, ref=told)


def _interview_clock(state: CaseState, policy: Policy, now: datetime) -> Clock:
    recovery = state.recovery
    if recovery is None:
        return not_started("return_interview")
    interview = state.interview
    if interview is not None:
        screen = SCREEN_RESULTS.get(interview.get("screen") or "", "screen not recorded")
        return finished("return_interview", recovery.at, policy.return_interview, interview, screen)
    return running("return_interview", recovery.at, policy.return_interview, policy, now)


def needs_action(clocks: dict[str, Clock]) -> bool:
    """True when any clock is overdue or due soon."""
    return any(clock.state in ("overdue", "due_soon") for clock in clocks.values())
