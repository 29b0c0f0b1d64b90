"""The shift handover, computed from events and case states for a window (pure: no clock, no SQL).

The window is half-open, `since < t <= until`: an event exactly at `since` belonged to the
previous handover (which ended there), one exactly at `until` belongs to this one, so an event on
a boundary appears in exactly one of two adjacent handovers. Events are placed by when they
happened (`occurred_at`); events logged after the last sign-off for a time before it are listed
apart as "logged late", so nothing falls between two shifts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from msgspec.structs import replace

from caseboard.domain.audit import AuditHead
from caseboard.domain.board import CaseSummary, in_board_order, summarise
from caseboard.domain.clocks import Clock
from caseboard.domain.describe import critical_because
from caseboard.domain.errors import BadInput
from caseboard.domain.interview_vocab import BUILTIN, InterviewVocabulary
from caseboard.domain.model import CaseState, Child, Event, Stamp, effective, replay
from caseboard.domain.policy import Policy
from caseboard.domain.risk import age_on, assess, time_missing
from caseboard.domain.timefmt import span
from caseboard.domain.validate import unicode_text
from caseboard.domain.vocab import PLACEMENT_TYPES, EventType

# Event types listed in the handover's sections, and those that can change a tier by themselves.
SECTION_TYPES = (
    "intake", "sighting", "contact", "recovery", "confirm", "notify", "interview", "override",
    "close", "note",
)  # fmt: skip
TIER_EVENT_TYPES = ("risk", "override", "correction")
RUNNING = ("due", "due_soon", "overdue")
# How far back the handover looks when nobody has signed off yet.
DEFAULT_SPAN = timedelta(hours=12)


@dataclass(frozen=True)
class Window:
    """The handover's time window, `since < t <= until`."""

    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        if self.since.tzinfo is None or self.until.tzinfo is None:
            raise ValueError("a handover window needs aware datetimes")
        if self.since > self.until:
            raise ValueError("a handover window must not start after it ends")

    def contains(self, moment: datetime) -> bool:
        """True when `moment` is inside the window (after since, up to and including until)."""
        return self.since < moment <= self.until


@dataclass(frozen=True)
class Signoff:
    """A handover sign-off: who signed, when, with what note, and what they had reviewed."""

    event_id: int
    by: str
    at: datetime
    note: str | None = None
    # The end of the window the signed report showed, and the newest event it had read: the
    # next window starts there, so what happened while the report was open is not skipped.
    until: datetime | None = None
    through_event_id: int | None = None
    # The audit head when it was signed: the newest event before the sign-off itself.
    audit_head: AuditHead | None = None

    @property
    def next_since(self) -> datetime:
        """Where the next handover starts: the end of the reviewed window (else the sign-off)."""
        return self.until if self.until is not None and self.until <= self.at else self.at

    @property
    def seen_through(self) -> int:
        """Events with a larger id were not in the signed report."""
        return self.through_event_id if self.through_event_id is not None else self.event_id


class CaseInput(msgspec.Struct, frozen=True):
    """One case as the handover needs it.

    `news` holds the confirmed sighting / contact times after the window start (only for cases
    that have some) and `news_anchor` the no-news anchor in force at the window start; `history`
    is the case's whole event list, given only when a risk, override or correction event in the
    window may have changed its tier.
    """

    state: CaseState
    child: Child
    episodes: tuple[datetime, ...]
    news: tuple[datetime, ...] = ()
    news_anchor: datetime | None = None
    history: tuple[Event, ...] = ()


class Item(msgspec.Struct, frozen=True, gc=False):
    """One event in a section: which case, what, when, who logged it, and its details."""

    case_id: int
    name: str
    kind: EventType
    at: datetime
    actor: str
    event_id: int
    details: Mapping[str, Any] = msgspec.field(default_factory=dict)
    recorded_at: datetime | None = None
    # For a corrected event: the event as first logged, then its corrections in log order (the
    # report shows the corrected values and says what each correction changed).
    history: tuple[Event, ...] = ()


class ClockItem(msgspec.Struct, frozen=True, gc=False):
    """A clock of a case: breached in the window, falling due, or an open action."""

    case_id: int
    name: str
    clock: str
    state: str
    due_at: datetime
    done_at: datetime | None = None


class TierChange(msgspec.Struct, frozen=True, gc=False):
    """A case whose tier at the window's end differs from its tier at the start."""

    case_id: int
    name: str
    before: str
    after: str
    because: str


class OpenCase(msgspec.Struct, frozen=True, gc=False):
    """An open case (missing, or recovered with follow-ups) as handed over."""

    case_id: int
    name: str
    status: str
    tier: str
    score: int
    auto_summary: str
    summary: Stamp | None
    contingency: Stamp | None
    actions: tuple[ClockItem, ...]
    computed_tier: str | None = None  # set when a supervisor's override is in force
    # What made it CRITICAL when a rule, not points, did ('age 9, 12 or under'): said instead
    # of '0 points'.
    because: tuple[str, ...] = ()

    @property
    def summary_text(self) -> str:
        """The operators' one-line summary, else one made from the case's facts."""
        text = self.summary.get("text") if self.summary else None
        return str(text) if text else self.auto_summary


@dataclass(frozen=True)
class Report:
    """The whole handover for one window."""

    window: Window
    signoff: Signoff | None
    new_cases: tuple[Item, ...]
    recoveries: tuple[Item, ...]
    sightings: tuple[Item, ...]
    confirmations: tuple[Item, ...]
    breaches: tuple[ClockItem, ...]
    due_next: tuple[ClockItem, ...]
    due_ahead: timedelta
    tier_changes: tuple[TierChange, ...]
    open_cases: tuple[OpenCase, ...]
    late: tuple[Item, ...] = ()
    through_event_id: int = 0  # the newest event when the report was read (for the sign-off)
    # That newest event's id and hash prefix: a printed report commits to the history up to it.
    audit_head: AuditHead | None = None
    # Cases and events whose stored rows cannot be read, one sentence each (run caseboard verify).
    unreadable: tuple[str, ...] = ()
    # What else the next shift must know: overrides (with the computed tier), return interviews
    # and their trafficking screens, closures, notes, and recovery notices.
    overrides: tuple[Item, ...] = ()
    interviews: tuple[Item, ...] = ()
    closures: tuple[Item, ...] = ()
    notes: tuple[Item, ...] = ()
    notices: tuple[Item, ...] = ()
    # The policy's return-interview words (the interviews' factors and indicators read in them).
    vocabulary: InterviewVocabulary = BUILTIN

    def clear_concerns(self) -> tuple[Item, ...]:
        """Return interviews in the window that found a clear trafficking concern (sex)."""
        return tuple(item for item in self.interviews if item.details.get("screen") == "clear")

    def clear_labor_concerns(self) -> tuple[Item, ...]:
        """Return interviews in the window that found a clear labour-trafficking concern."""
        return tuple(
            item for item in self.interviews if item.details.get("labor_screen") == "clear"
        )

    def counts(self) -> dict[str, int]:
        """How many of each: the numbers a supervisor reads first."""
        return {
            "new_cases": len(self.new_cases),
            "recoveries": len(self.recoveries),
            "sightings": sum(1 for item in self.sightings if item.kind == "sighting"),
            "contacts": sum(1 for item in self.sightings if item.kind == "contact"),
            "confirmations": len(self.confirmations),
            "breaches": len(self.breaches),
            "due_next": len(self.due_next),
            "tier_changes": len(self.tier_changes),
            "open_cases": len(self.open_cases),
            "logged_late": len(self.late),
            "overrides": len(self.overrides),
            "interviews": len(self.interviews),
            "closures": len(self.closures),
            "notes": len(self.notes),
            "notices": len(self.notices),
        }


def default_since(until: datetime, signoff: Signoff | None) -> datetime:
    """Where the window starts when nobody types a time: the last sign-off, else 12 h back."""
    if signoff is not None and signoff.next_since <= until:
        return signoff.next_since
    return until - DEFAULT_SPAN


def build_report(
    window: Window,
    events: Iterable[Event],
    cases: Mapping[int, CaseInput],
    policy: Policy,
    *,
    signoff: Signoff | None = None,
    late_events: Iterable[Event] = (),
    through_event_id: int = 0,
    unreadable: tuple[str, ...] = (),
    audit_head: AuditHead | None = None,
) -> Report:
    """The handover for `window`: sections from `events` (with any corrections of them), clocks
    and tiers from `cases` (every case open at the end, plus any closed inside the window)."""
    until = window.until
    summaries = {case_id: _summary(case, policy, until) for case_id, case in cases.items()}
    events = list(events)
    histories = _histories(events)
    kept = [
        e for e in effective(events) if e.type in SECTION_TYPES and window.contains(e.occurred_at)
    ]
    kept.sort(key=lambda event: (event.occurred_at, event.id))

    def items(*kinds: str) -> tuple[Item, ...]:
        return tuple(
            _item(e, cases, histories.get(e.id, ()))
            for e in kept
            if e.type in kinds and e.case_id in cases
        )

    late_events = list(late_events)
    late_histories = _histories(late_events)
    late = [e for e in effective(late_events) if e.type in SECTION_TYPES and e.case_id in cases]
    late.sort(key=lambda event: (event.occurred_at, event.id))
    open_summaries = in_board_order([s for s in summaries.values() if s.state.status != "closed"])
    return Report(
        window=window,
        signoff=signoff,
        new_cases=items("intake"),
        recoveries=items("recovery"),
        sightings=items("sighting", "contact"),
        confirmations=items("confirm"),
        breaches=tuple(_breaches(window, cases, summaries, policy)),
        due_next=tuple(_due_next(until, policy.due_next, open_summaries, cases)),
        due_ahead=policy.due_next,
        tier_changes=tuple(_tier_changes(window, cases, summaries, policy)),
        open_cases=tuple(_open_case(s, cases[s.case_id], until) for s in open_summaries),
        late=tuple(_item(event, cases, late_histories.get(event.id, ())) for event in late),
        through_event_id=through_event_id,
        unreadable=unreadable,
        audit_head=audit_head,
        overrides=tuple(_with_computed(item, summaries) for item in items("override")),
        interviews=items("interview"),
        closures=items("close"),
        notes=items("note"),
        notices=items("notify"),
        vocabulary=policy.interview,
    )


def _histories(events: Sequence[Event]) -> dict[int, tuple[Event, ...]]:
    """For each corrected event: the event as logged, then its corrections in log order."""
    corrections: dict[int, list[Event]] = {}
    for event in events:
        if event.type == "correction" and event.supersedes is not None:
            corrections.setdefault(event.supersedes, []).append(event)
    if not corrections:
        return {}
    return {
        event.id: (event, *sorted(corrections[event.id], key=lambda fix: fix.id))
        for event in events
        if event.id in corrections and event.type != "correction"
    }


def _with_computed(item: Item, summaries: Mapping[int, CaseSummary]) -> Item:
    """An override item with the tier the points give at the window's end beside it."""
    summary = summaries.get(item.case_id)
    if summary is None:
        return item
    return replace(item, details={**item.details, "computed": summary.assessment.computed_tier})


def _summary(case: CaseInput, policy: Policy, until: datetime) -> CaseSummary:
    """The board's summary of a case at `until`."""
    return summarise(case.state, case.child, case.episodes, policy, until)


def _name(cases: Mapping[int, CaseInput], case_id: int) -> str:
    return cases[case_id].child.name


_DETAIL_KEYS = {
    "intake": ("last_seen_where", "placement_type", "agency"),
    "sighting": ("where", "source", "confirmed", "police_told", "note"),
    "contact": ("how", "note"),
    "recovery": ("where", "by", "condition", "placed", "note"),
    "confirm": ("report", "ref", "agency", "officer"),
    "notify": ("report",),
    "interview": (
        "screen",
        "labor_screen",
        "factors",
        "other_factor",
        "experiences",
        "indicators",
        "response",
        "police_told",
        "note",
    ),
    "override": ("tier", "reason"),
    "close": ("reason",),
    "note": ("text",),
}


def _item(event: Event, cases: Mapping[int, CaseInput], history: tuple[Event, ...] = ()) -> Item:
    assert event.case_id is not None
    keys = _DETAIL_KEYS.get(event.type, ())
    details = {key: event.data.get(key) for key in keys if event.data.get(key) is not None}
    return Item(
        case_id=event.case_id,
        name=_name(cases, event.case_id),
        kind=event.type,
        at=event.occurred_at,
        actor=event.actor,
        event_id=event.id,
        details=details,
        recorded_at=event.recorded_at,
        history=history,
    )


def _clock_item(summary: CaseSummary, clock: Clock) -> ClockItem:
    assert clock.due_at is not None
    return ClockItem(
        case_id=summary.case_id,
        name=summary.child.name,
        clock=clock.name,
        state=clock.state,
        due_at=clock.due_at,
        done_at=clock.done_at,
    )


def _breaches(
    window: Window,
    cases: Mapping[int, CaseInput],
    summaries: Mapping[int, CaseSummary],
    policy: Policy,
) -> list[ClockItem]:
    """Clocks whose due time fell inside the window while they were not done by then."""
    found: list[ClockItem] = []
    for case_id, summary in summaries.items():
        state = summary.state
        # A closed case's clocks stop at its closure: nothing falls due after it.
        end = window.until
        if state.closure is not None and state.closure.at < end:
            end = state.closure.at
        for name, clock in summary.clocks.items():
            if name == "no_news" or clock.due_at is None or clock.state == "not_started":
                continue
            if window.since < clock.due_at <= end and (
                clock.done_at is None or clock.done_at > clock.due_at
            ):
                found.append(_clock_item(summary, clock))
        found.extend(_no_news_breaches(window, end, cases[case_id], summary, policy))
    found.sort(key=lambda item: (item.due_at, item.case_id, item.clock))
    return found


def _no_news_breaches(
    window: Window, end: datetime, case: CaseInput, summary: CaseSummary, policy: Policy
) -> list[ClockItem]:
    """Each stretch without news whose window ran out inside the handover window.

    The no-news clock restarts at every confirmed sighting or contact, so a breach in the
    window may be hidden by news after it: walk the anchors instead of reading today's clock.
    """
    state = summary.state
    length = policy.no_news[summary.assessment.tier]
    anchor = case.news_anchor if case.news_anchor is not None else state.no_news_anchor
    anchors = [anchor, *sorted(t for t in case.news if t > anchor)] if case.news else [anchor]
    stop = state.recovery.at if state.recovery is not None else None
    found = []
    for index, start in enumerate(anchors):
        due = start + length
        following = anchors[index + 1] if index + 1 < len(anchors) else None
        if not window.since < due <= end:
            continue
        if (following is not None and following <= due) or (stop is not None and stop <= due):
            continue
        ended = [t for t in (following, stop) if t is not None]
        done_at = min(ended) if ended else None
        state_name = "overdue" if done_at is None else "done"
        found.append(
            ClockItem(summary.case_id, summary.child.name, "no_news", state_name, due, done_at)
        )
    return found


def _due_next(
    until: datetime,
    ahead: timedelta,
    summaries: Sequence[CaseSummary],
    cases: Mapping[int, CaseInput],
) -> list[ClockItem]:
    """Running clocks that fall due after the window's end and within `ahead` of it."""
    found = [
        _clock_item(summary, clock)
        for summary in summaries
        for clock in summary.clocks.values()
        if clock.state in RUNNING and clock.due_at is not None
        if until < clock.due_at <= until + ahead
    ]
    found.sort(key=lambda item: (item.due_at, item.case_id, item.clock))
    return found


def state_at(case: CaseState | CaseInput, moment: datetime) -> CaseState:
    """The case as it stood at `moment`, as far as its tier is concerned.

    A later recovery or closure is taken back from the current state; when the case's tier
    history is given (its intake, risk, override and correction events), its risk factors,
    override and intake facts are replayed from the events up to `moment`.
    """
    if isinstance(case, CaseInput):
        state = state_at(case.state, moment)
        earlier = [event for event in case.history if event.occurred_at <= moment]
        if not any(event.type == "intake" for event in earlier):
            return state
        past = replay(earlier, state.child_id)
        return replace(
            state,
            risk_factors=past.risk_factors,
            override=past.override,
            learned_at=past.learned_at,
            last_seen_at=past.last_seen_at,
            placement_type=past.placement_type,
        )
    changes: dict[str, Any] = {}
    if case.recovery is not None and case.recovery.at > moment:
        changes.update(recovery=None, status="missing")
    if case.closure is not None and case.closure.at > moment:
        changes["closure"] = None
        changes.setdefault("status", "recovered" if case.recovery else "missing")
    return replace(case, **changes) if changes else case


def _tier_changes(
    window: Window,
    cases: Mapping[int, CaseInput],
    summaries: Mapping[int, CaseSummary],
    policy: Policy,
) -> list[TierChange]:
    """Open cases whose tier at the end of the window differs from the tier at its start."""
    found = []
    days = (window.since.date(), window.until.date())
    for case_id, summary in summaries.items():
        state = summary.state
        if state.status == "closed" or state.learned_at > window.since:
            continue
        case = cases[case_id]
        if not _tier_may_change(case, window, days, policy):
            continue
        before = assess(
            state_at(case, window.since), case.child, case.episodes, policy, window.since
        )
        after = summary.assessment
        if before.tier == after.tier:
            continue
        found.append(
            TierChange(case_id, case.child.name, before.tier, after.tier, _because(case, window))
        )
    found.sort(key=lambda change: change.case_id)
    return found


def _tier_may_change(
    case: CaseInput,
    window: Window,
    days: tuple[date, date],
    policy: Policy,
) -> bool:
    """Whether anything could have moved this case's tier in the window: an event that sets
    risk (given as history), a time-escalation step passed, or a birthday. Checking this first
    spares assessing thousands of unchanged cases twice."""
    if case.history:
        return True
    child = case.child
    if child.dob is not None and age_on(child, days[0]) != age_on(child, days[1]):
        return True
    before = time_missing(state_at(case.state, window.since), window.since)
    after = time_missing(case.state, window.until)
    return any(before <= step < after for step, _points in policy.time_escalation)


def _because(case: CaseInput, window: Window) -> str:
    kinds = {e.type for e in case.history if window.contains(e.occurred_at)}
    reasons = [
        label
        for kind, label in (
            ("override", "override"),
            ("risk", "risk factors"),
            ("correction", "correction"),
        )
        if kind in kinds
    ]
    return ", ".join(reasons) or "time missing"


def auto_summary(summary: CaseSummary, until: datetime) -> str:
    """A one-line summary from facts that need no redaction: age, placement, time missing."""
    state = summary.state
    age = "age unknown" if summary.age is None else f"age {summary.age}"
    placement = PLACEMENT_TYPES.get(state.placement_type, state.placement_type)
    missing = span(timedelta(seconds=summary.elapsed_s))
    if state.recovery is not None:
        return f"{age}, {placement}; recovered after {missing} missing, follow-ups open"
    news = "no news since last seen"
    if state.news_at is not None and state.news_at > state.last_seen_at:
        news = f"last news {span(until - state.news_at)} ago"
    return f"{age}, {placement}; missing {missing}, {news}"


def _open_case(summary: CaseSummary, case: CaseInput, until: datetime) -> OpenCase:
    actions = sorted(
        (
            _clock_item(summary, clock)
            for clock in summary.clocks.values()
            if clock.state in RUNNING and clock.due_at is not None
        ),
        key=lambda item: (item.due_at, item.clock),
    )
    state = summary.state
    risk = summary.assessment
    return OpenCase(
        case_id=summary.case_id,
        name=case.child.name,
        status=state.status,
        tier=risk.tier,
        score=risk.score,
        auto_summary=auto_summary(summary, until),
        summary=state.handover_summary,
        contingency=state.contingency,
        actions=tuple(actions),
        computed_tier=risk.computed_tier if risk.override_tier else None,
        because=critical_because(risk)
        if risk.computed_tier == "CRITICAL" and risk.score == 0
        else (),
    )


NOTE_MAX = 300
NOTE_FIELDS = {"summary": "--summary", "contingency": "--contingency"}


def note_data(summary: str | None, contingency: str | None) -> dict[str, str]:
    """The data of a handover_note event: only the lines given; an empty text clears a line."""
    data: dict[str, str] = {}
    for key, value in (("summary", summary), ("contingency", contingency)):
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadInput(NOTE_FIELDS[key], "expected text")
        text = unicode_text(" ".join(value.split()), NOTE_FIELDS[key])
        if len(text) > NOTE_MAX:
            raise BadInput(
                NOTE_FIELDS[key], f"is {len(text)} characters long; the limit is {NOTE_MAX}"
            )
        data[key] = text
    if not data:
        raise BadInput("--summary", "give a --summary and/or a --contingency (empty text clears)")
    return data
