"""Shift handover use cases: the report for a window, sign-off, and "since you last looked"
markers for the board (a case's handover lines are set in services.actions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseboard.domain.audit import AuditHead, head_from_data
from caseboard.domain.errors import BadInput, Damaged
from caseboard.domain.handover import (
    SECTION_TYPES,
    TIER_EVENT_TYPES,
    CaseInput,
    Report,
    Signoff,
    Window,
    build_report,
    default_since,
)
from caseboard.domain.model import Event, effective
from caseboard.domain.roles import Action
from caseboard.domain.timefmt import from_iso, to_iso
from caseboard.domain.validate import LONG_MAX, unicode_text
from caseboard.domain.vocab import EventType
from caseboard.heap import collector_paused
from caseboard.services import access
from caseboard.services.session import Session
from caseboard.store import handover_queries as hq
from caseboard.store import queries
from caseboard.store.codec import DAMAGE, BadEvent
from caseboard.store.connection import snapshot, translate_errors

# --- the report ---------------------------------------------------------------------------------


def last_signoff(session: Session) -> Signoff | None:
    """Who signed off the last handover, when, their note and what they had reviewed; None
    before the first one."""
    with session.reading():
        event = hq.last_signoff(session.db)
    if event is None:
        return None
    note, until, through = (event.data.get(k) for k in ("note", "until", "through_event_id"))
    return Signoff(
        event.id,
        event.actor,
        event.occurred_at,
        str(note) if note else None,
        until=_time_or_none(until),
        through_event_id=through if isinstance(through, int) else None,
        audit_head=head_from_data(event.data.get("audit_head")),
    )


def _time_or_none(text: object) -> datetime | None:
    """A sign-off's stored window end; None when it is missing or damaged (the next window
    then starts at the sign-off itself)."""
    if not isinstance(text, str):
        return None
    try:
        return from_iso(text)
    except ValueError:
        return None


def resolve_window(
    session: Session, since: str | None = None, until: str | None = None
) -> tuple[Window, Signoff | None]:
    """The window from typed times: until defaults to now, since to the last sign-off (else
    12 hours before until)."""
    signoff = last_signoff(session)
    end = session.now() if not until else session.typed_time(until, "--until")
    start = default_since(end, signoff) if not since else session.typed_time(since, "--since")
    if start > end:
        raise BadInput("--since", "is after the end of the window (--until, default now)")
    return Window(start, end), signoff


def handover(session: Session, since: str | None = None, until: str | None = None) -> Report:
    """The handover report for a window (see resolve_window for the defaults)."""
    window, signoff = resolve_window(session, since, until)
    # Every open case is summarised: as for the board's load, keep the cyclic GC out of it.
    # One read transaction: every section, and the newest event id, from one snapshot.
    with session.reading(), collector_paused(), snapshot(session.db):
        report = build(session, window, signoff, late=not since)
    access.record_access(session, access.HANDOVER, "ok")  # a handover read is audited
    return report


def build(session: Session, window: Window, signoff: Signoff | None, *, late: bool) -> Report:
    """Gather what the window needs from the store and compute the report.

    `late` adds events logged after the last sign-off for a time before it (only meaningful
    when the window starts at that sign-off).
    """
    db = session.db
    bad: list[BadEvent] = []
    kinds = (*SECTION_TYPES, *TIER_EVENT_TYPES)
    events = hq.window_events(db, window.since, window.until, kinds, bad)
    rows, unreadable = hq.handover_cases(db, window.since)
    episodes = queries.episodes_by_child(db)
    news = hq.news_after(db, window.since)
    anchors = hq.latest_news_by(db, [c for c in news if c is not None], window.since)
    tier_cases = {e.case_id for e in events if e.type in TIER_EVENT_TYPES and e.case_id}
    known = {row.state.case_id for row in rows}
    # Only what can move a tier: the intake (with its corrections), risk factors and overrides.
    histories = hq.histories(db, tier_cases & known, ("intake", *TIER_EVENT_TYPES))
    cases: dict[int, CaseInput] = {}
    for row in rows:
        state = row.state
        anchor = None
        if state.case_id in news:
            # The anchor in force at the window start: last seen, or later news before it.
            before = anchors.get(state.case_id)
            anchor = max(state.last_seen_at, before) if before else state.last_seen_at
        cases[state.case_id] = CaseInput(
            state=state,
            child=row.child,
            episodes=tuple(episodes.get(row.child.id, ())),
            news=tuple(news.get(state.case_id, ())),
            news_anchor=anchor,
            history=tuple(histories.get(state.case_id, ())),
        )
    late_events: list[Event] = []
    if late and signoff is not None and signoff.next_since == window.since:
        late_events = hq.late_events(
            db, signoff.seen_through, window.since, window.until, SECTION_TYPES, bad
        )
    # One damaged row leaves one case (or one event) out, said at the top of the report.
    damaged = [case.line() for case in [*unreadable, *queries.orphaned_cases(db)]]
    damaged += [
        f"event {event_id}{'' if case_id is None else f' (case {case_id})'} cannot be read"
        f" ({what}) and is left out; run caseboard verify"
        for event_id, case_id, what in sorted(set(bad))
    ]
    through = queries.max_event_id(db)
    newest = queries.audit_head(db)
    head = AuditHead.of(*newest) if newest is not None else None
    try:
        return build_report(
            window,
            events,
            cases,
            session.policy,
            signoff=signoff,
            late_events=late_events,
            through_event_id=through,
            unreadable=tuple(damaged),
            audit_head=head,
        )
    except DAMAGE:
        pass  # some case's events cannot be folded (a damaged correction): find it, only now
    failing = {
        case_id
        for case_id, group in _by_case([*events, *late_events, *histories_of(cases)]).items()
        if case_id is not None and not _folds(group)
    }
    damaged += [
        f"case {case_id} cannot be read (a correction of it cannot be applied) and is left out;"
        " run caseboard verify"
        for case_id in sorted(failing)
    ]
    try:
        return build_report(
            window,
            [e for e in events if e.case_id not in failing],
            {case_id: case for case_id, case in cases.items() if case_id not in failing},
            session.policy,
            signoff=signoff,
            late_events=[e for e in late_events if e.case_id not in failing],
            through_event_id=through,
            unreadable=tuple(damaged),
            audit_head=head,
        )
    except DAMAGE:
        raise Damaged(
            "the handover cannot be built: a stored row is damaged; run caseboard verify"
        ) from None


def histories_of(cases: dict[int, CaseInput]) -> list[Event]:
    """Every history event the cases carry."""
    return [event for case in cases.values() for event in case.history]


def _by_case(events: list[Event]) -> dict[int | None, list[Event]]:
    groups: dict[int | None, list[Event]] = {}
    for event in events:
        groups.setdefault(event.case_id, []).append(event)
    return groups


def _folds(events: list[Event]) -> bool:
    """Whether a case's events take their corrections (the step a damaged correction breaks)."""
    unique = list({event.id: event for event in events}.values())
    try:
        effective(unique)
    except DAMAGE:
        return False
    return True


# --- writing ------------------------------------------------------------------------------------


def sign_off(
    session: Session,
    note: str | None = None,
    since: str | None = None,
    *,
    reviewed: Report | None = None,
) -> int:
    """The incoming operator signs off the handover and returns the sign-off event's id.

    With the `reviewed` report (the board's handover screen), the next window starts where that
    report ended and anything logged after it was read still reaches the next handover; without
    one (the CLI), the operator signs off everything up to now.
    """
    text = " ".join((note or "").split()) or None
    if text is not None and len(text) > LONG_MAX:
        raise BadInput("--note", f"is {len(text)} characters long; the limit is {LONG_MAX}")
    if text is not None:
        unicode_text(text, "--note")
    if reviewed is not None:
        window, through = reviewed.window, reviewed.through_event_id
    else:
        window, _ = resolve_window(session, since)
        with session.reading():
            through = queries.max_event_id(session.db)
    data: dict[str, Any] = {
        "note": text,
        "since": to_iso(window.since),
        "until": to_iso(window.until),
        "through_event_id": through,
    }
    with session.writing(Action.SIGNOFF) as tx:
        # The audit head is the sign-off's own predecessor, read under the write lock: the
        # newest event when it was signed, which the sign-off's prev_hash also links to.
        head_id, head_hash = tx.last_event()
        if head_id:
            data["audit_head"] = AuditHead.of(head_id, head_hash).as_json()
        return tx.append(None, EventType.SIGNOFF, tx.now, {k: v for k, v in data.items() if v})


# --- since you last looked ----------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What other operators changed since this one last looked."""

    case_ids: set[int]
    events: list[Event]
    looked_at: datetime | None
    through_event_id: int


def changed_since_last_look(session: Session, username: str | None = None) -> Changes:
    """Cases and events changed by others since the operator's last recorded look (everything
    counts as unchanged for someone who never looked: there is nothing to compare with)."""
    who = username or session.actor.username
    with session.reading():
        return _changed_since(session, who)


def _changed_since(session: Session, who: str) -> Changes:
    look = hq.last_look(session.db, who)
    if look is None:
        return Changes(set(), [], None, queries.max_event_id(session.db))
    events = hq.case_events_after(session.db, look[0], not_by=who)
    return Changes({e.case_id for e in events if e.case_id is not None}, events, look[1], look[0])


def mark_looked(session: Session, event_id: int | None = None) -> int | None:
    """Record that this operator has seen the board up to `event_id` (default: the newest
    event). Read-only sessions record nothing; returns the id recorded, or None."""
    if session.actor.readonly:
        return None
    with translate_errors(session.path):
        seen = queries.max_event_id(session.db) if event_id is None else event_id
        hq.record_look(session.db, session.actor.username, seen, session.now())
    return seen
