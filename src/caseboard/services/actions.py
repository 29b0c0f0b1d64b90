"""What staff do to an open case: sightings, contacts, recovery, confirmations, follow-ups,
notes, risk, overrides, corrections and closing; each one event through the write path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseboard.domain import validate as v
from caseboard.domain.board import UnreadableCase
from caseboard.domain.clocks import compute
from caseboard.domain.display import CLOCK_TITLES, local
from caseboard.domain.errors import BadInput, Conflict, Damaged
from caseboard.domain.handover import note_data
from caseboard.domain.intake import event_fields, packet_update, parse_intake
from caseboard.domain.model import CaseState, Stamp, effective
from caseboard.domain.redaction import REDACTED
from caseboard.domain.roles import CONFIRM_ACTIONS, Action
from caseboard.domain.timefmt import from_iso, to_iso
from caseboard.domain.vocab import REPORT_LABELS, RUNNING_STATES, TIERS, EventType
from caseboard.services.session import Session
from caseboard.store import queries
from caseboard.store.codec import DAMAGE
from caseboard.store.writer import WriteSession

NIC_FORMAT = "a letter M and nine digits"


def looks_like_nic(ref: str) -> bool:
    """True when a reference has the NIC number's shape (NIC_FORMAT)."""
    ref = ref.strip()
    return len(ref) == 10 and ref[0] in "Mm" and ref[1:].isdigit()


@dataclass(frozen=True)
class Recorded:
    """The outcome of an action: the event written and any warnings for the operator."""

    event_id: int
    case_id: int
    warnings: tuple[str, ...] = ()


def _when(session: Session, stamp: Stamp) -> str:
    return local(stamp.at, session.zone)


def _case(tx: WriteSession, case_id: int) -> CaseState:
    state = tx.case_state(v.identifier(case_id, "CASE", "case id"))
    if state is None:
        record = queries.case_record(tx.db, case_id)  # events without their cases row?
        if isinstance(record, UnreadableCase):
            raise Damaged(f"{record.line()}; nothing was written")
        raise BadInput("CASE", f"there is no case {case_id}")
    return state


def _not_closed(session: Session, state: CaseState) -> None:
    if state.closure is not None:
        said = f"case {state.case_id} was closed by {state.closure.by} at" + (
            f" {_when(session, state.closure)}: "
        )
        # The reason and places are typed free text: --redact shows the sentence without them.
        raise Conflict(said + str(state.closure.get("reason")), redacted=said + REDACTED)


def _still_missing(session: Session, state: CaseState) -> None:
    _not_closed(session, state)
    if state.recovery is not None:
        said = (
            f"case {state.case_id} was already recovered at {_when(session, state.recovery)}"
            f" (recorded by {state.recovery.by}, found at "
        )
        raise Conflict(f"{said}{state.recovery.get('where')})", redacted=f"{said}{REDACTED})")


def _recovered(session: Session, state: CaseState, what: str) -> None:
    _not_closed(session, state)
    if state.recovery is None:
        raise BadInput("CASE", f"case {state.case_id} has no recovery yet; {what} follows one")


def _at(session: Session, raw: Mapping[str, Any], *, default_now: bool = False) -> datetime:
    if default_now and not raw.get("at"):
        return session.now()
    return v.required_time(raw, "at", "at", session.now(), session.zone, session.policy)


def _not_before_last_seen(state: CaseState, at: datetime) -> None:
    if at < state.last_seen_at:
        raise BadInput("at", "is before the child was last seen; check the time")


def _not_before(at: datetime, stamp: Stamp, what: str) -> None:
    if at < stamp.at:
        raise BadInput("at", f"is before the {what}; check the time")


# News of a child still missing: the same checks, one event each (`Action` and `EventType`
# share their values).
NEWS = (EventType.SIGHTING, EventType.CONTACT, EventType.RECOVERY)


def _log_news(session: Session, kind: EventType, case_id: int, raw: Mapping[str, Any]) -> Recorded:
    """One piece of news of a missing child, timed no earlier than the child was last seen."""
    at = _at(session, raw)
    data = event_fields(kind, raw, "")
    with session.writing(Action(kind)) as tx:
        state = _case(tx, case_id)
        _still_missing(session, state)
        _not_before_last_seen(state, at)
        return Recorded(tx.append(case_id, kind, at, _strip(data)), case_id)


def log_sighting(session: Session, case_id: int, raw: Mapping[str, Any]) -> Recorded:
    """A sighting; a confirmed one restarts the no-news clock."""
    return _log_news(session, EventType.SIGHTING, case_id, raw)


def log_contact(session: Session, case_id: int, raw: Mapping[str, Any]) -> Recorded:
    """Contact with the child (phone, social media, in person); restarts the no-news clock."""
    return _log_news(session, EventType.CONTACT, case_id, raw)


def record_recovery(session: Session, case_id: int, raw: Mapping[str, Any]) -> Recorded:
    """The child is back in safe custody; follow-up clocks start. Only one recovery lands."""
    return _log_news(session, EventType.RECOVERY, case_id, raw)


def confirm_report(session: Session, case_id: int, report: str, raw: Mapping[str, Any]) -> Recorded:
    """Confirm the police report, NCIC entry or NCMEC report; stops that clock."""
    at = _at(session, raw, default_now=True)
    data = event_fields("confirm", {**raw, "report": report}, "")
    warnings: list[str] = []
    ref = str(data["ref"])
    if report == "ncic" and not looks_like_nic(ref):
        warnings.append(f"NIC number {ref!r} is not {NIC_FORMAT}; recorded as typed")
    with session.writing(CONFIRM_ACTIONS[data["report"]]) as tx:
        state = _case(tx, case_id)
        _not_closed(session, state)
        done = state.confirmations.get(report)
        if done is not None:
            said = (
                f"the {REPORT_LABELS[report].lower()} of case {case_id} was already confirmed by"
                f" {done.by} at {_when(session, done)} (ref "
            )
            raise Conflict(f"{said}{done.get('ref')})", redacted=f"{said}{REDACTED})")
        police = state.confirmations.get("police")
        if report == "ncic":
            if police is None:
                raise BadInput("report", "confirm the police report before the NCIC entry")
            _not_before(at, police, "police report")
        if at < state.learned_at - session.policy.max_future:
            raise BadInput("at", "is before the agency learned of the absence; check the time")
        event_id = tx.append(case_id, EventType.CONFIRM, at, _strip(data))
        return Recorded(event_id, case_id, tuple(warnings))


def record_notice(session: Session, case_id: int, report: str, raw: Mapping[str, Any]) -> Recorded:
    """Police or NCMEC were told of the recovery."""
    at = _at(session, raw, default_now=True)
    data = event_fields("notify", {"report": report}, "")
    with session.writing(Action.NOTIFY) as tx:
        state = _case(tx, case_id)
        _recovered(session, state, "a recovery notice")
        assert state.recovery is not None
        _not_before(at, state.recovery, "recovery")
        told = state.notices.get(report)
        if told is not None:
            raise Conflict(
                f"{report} was already told of the recovery of case {case_id} by {told.by}"
                f" at {_when(session, told)}"
            )
        return Recorded(tx.append(case_id, EventType.NOTIFY, at, data), case_id)


def record_interview(session: Session, case_id: int, raw: Mapping[str, Any]) -> Recorded:
    """The return interview as the statute reads: the primary factors, the experiences while
    absent with trafficking indicators, both trafficking screens and the response planned. A
    clear concern of either kind asks for police."""
    at = _at(session, raw)
    data = _strip(event_fields("interview", raw, "", session.policy.interview))
    data["police_told"] = v.flag(raw, "police_told", "police_told")
    warnings: list[str] = []
    if not data["police_told"]:
        for key, kind in (("screen", "trafficking"), ("labor_screen", "labor trafficking")):
            if data.get(key) == "clear":
                warnings.append(f"clear {kind} concern: police must be told; record that they were")
    with session.writing(Action.INTERVIEW) as tx:
        state = _case(tx, case_id)
        _recovered(session, state, "the return interview")
        assert state.recovery is not None
        _not_before(at, state.recovery, "recovery")
        if state.interview is not None:
            raise Conflict(
                f"the return interview of case {case_id} was already recorded by"
                f" {state.interview.by} at {_when(session, state.interview)}"
            )
        return Recorded(tx.append(case_id, EventType.INTERVIEW, at, data), case_id, tuple(warnings))


def update_packet(session: Session, case_id: int, raw: Mapping[str, Any]) -> Recorded:
    """Add, change or clear packet fields after intake: one event; completeness recomputes."""
    changes = packet_update(raw, session.now(), session.zone, day_first=session.policy.day_first)
    with session.writing(Action.PACKET) as tx:
        state = _case(tx, case_id)
        _not_closed(session, state)
        same = {key for key, value in changes.items() if state.packet.get(key) == value}
        if same == set(changes):
            raise BadInput("fields", "every field given already holds that value; nothing changed")
        data = {key: value for key, value in changes.items() if key not in same}
        return Recorded(tx.append(case_id, EventType.PACKET, session.now(), data), case_id)


def add_note(session: Session, case_id: int, text: str) -> Recorded:
    """A free-text note on the timeline."""
    data = event_fields("note", {"text": text}, "")
    with session.writing(Action.NOTE) as tx:
        _not_closed(session, _case(tx, case_id))
        return Recorded(tx.append(case_id, EventType.NOTE, session.now(), data), case_id)


def change_risk(
    session: Session,
    case_id: int,
    *,
    add: list[str] | None = None,
    remove: list[str] | None = None,
    override: str | None = None,
    reason: str | None = None,
) -> list[Recorded]:
    """Tick or untick risk factors and/or (supervisors) override the tier with a reason."""
    factors = event_fields("risk", {"add": add or [], "remove": remove or []}, "")
    both = set(factors["add"]) & set(factors["remove"])
    if both:
        raise BadInput("--remove", f"{', '.join(sorted(both))} cannot be added and removed at once")
    override_data: dict[str, Any] | None = None
    if override is not None:
        tier = override.strip().upper() if isinstance(override, str) else None
        if tier not in (*TIERS, "NONE"):
            shown = v.shown(override)
            raise BadInput("--override", f"{shown} is not one of {', '.join(TIERS)} or none")
        text = v.text({"reason": reason}, "reason", "--reason", required=True, limit=v.LONG_MAX)
        override_data = {"tier": None if tier == "NONE" else tier, "reason": text}
    elif reason is not None:
        raise BadInput("--reason", "only goes with --override")
    if not factors["add"] and not factors["remove"] and override_data is None:
        raise BadInput("--add", "give factors to --add or --remove, or an --override")
    now = session.now()
    with session.writing(Action.OVERRIDE if override_data else Action.RISK) as tx:
        state = _case(tx, case_id)
        _not_closed(session, state)
        results = []
        if factors["add"] or factors["remove"]:
            results.append(Recorded(tx.append(case_id, EventType.RISK, now, factors), case_id))
        if override_data is not None:
            if override_data["tier"] is None and state.override is None:
                raise BadInput("--override", "there is no override to clear")
            results.append(
                Recorded(tx.append(case_id, EventType.OVERRIDE, now, override_data), case_id)
            )
        return results


def close_case(session: Session, case_id: int, reason: str) -> Recorded:
    """Close a case; warns (does not refuse) when clocks are still open."""
    data = event_fields("close", {"reason": reason}, "")
    now = session.now()
    with session.writing(Action.CLOSE) as tx:
        state = _case(tx, case_id)
        _not_closed(session, state)
        warnings = tuple(
            f"{CLOCK_TITLES[name]} still {clock.state.replace('_', ' ')}"
            for name, clock in open_clocks(session, state, now).items()
        )
        return Recorded(tx.append(case_id, EventType.CLOSE, now, data), case_id, warnings)


def open_clocks(session: Session, state: CaseState, now: datetime) -> dict[str, Any]:
    """Clocks that are running (due, due soon or overdue) for a case at `now`."""
    # The no-news clock is left out, so the tier (which only sets its window) does not matter.
    clocks = compute(state, "STANDARD", session.policy, now)
    return {
        name: clock
        for name, clock in clocks.items()
        if clock.state in RUNNING_STATES and name != "no_news"
    }


# Fields a correction may change, per event type (the same keys as the CLI options).
CORRECTABLE = {
    "intake": (
        "name", "dob", "age", "learned_at", "last_seen_at", "last_seen_where", "placement_type",
        "agency",
    ),
    "sighting": ("at", "where", "source", "confirmed", "police_told", "note"),
    "contact": ("at", "how", "note"),
    "confirm": ("at", "ref", "agency", "officer"),
    "recovery": ("at", "where", "by", "condition", "placed", "note"),
    "notify": ("at",),
    "interview": (
        "at", "screen", "note", "police_told", "factors", "other_factor", "experiences",
        "indicators", "labor_screen", "response",
    ),
    "note": ("text",),
    "close": ("reason",),
    "photo": (),  # a wrong photo is struck (--void); the one before it is current again
}  # fmt: skip


def correct_event(
    session: Session, event_id: int, reason: str, changes: Mapping[str, Any], *, void: bool = False
) -> Recorded:
    """Supersede an earlier event with corrected fields (or strike it); everything recomputes."""
    why = v.text({"reason": reason}, "reason", "--reason", required=True, limit=v.LONG_MAX)
    changes = {key: value for key, value in changes.items() if value is not None}
    if not changes and not void:
        raise BadInput("EVENT", "give at least one field to correct, or --void")
    v.identifier(event_id, "EVENT", "event id")
    now = session.now()
    with session.writing(Action.CORRECT) as tx:
        case_id, kind = queries.event_case(tx.db, event_id) or (None, "")
        if case_id is None:
            raise BadInput("EVENT", f"there is no case event {event_id}")
        if kind not in CORRECTABLE:
            raise BadInput("EVENT", f"a {kind} event cannot be corrected")
        if void and kind == "intake":
            raise BadInput("--void", "an intake cannot be struck; close the case instead")
        allowed = (*CORRECTABLE[kind], "where") if kind == "intake" else CORRECTABLE[kind]
        for key in changes:
            if key not in allowed:
                raise BadInput(key, f"is not a field of this {kind} event ({', '.join(allowed)})")
        if kind == "intake" and "where" in changes:
            changes = {
                ("last_seen_where" if k == "where" else k): val for k, val in changes.items()
            }
        history = queries.case_events(tx.db, case_id)
        try:
            current = {event.id: event for event in effective(history)}.get(event_id)
        except DAMAGE:
            raise Damaged(
                f"case {case_id} cannot be corrected: an earlier correction of it cannot be"
                " applied; nothing was written: run caseboard verify"
            ) from None
        if current is None:
            raise BadInput("EVENT", f"event {event_id} was already struck by a correction")
        stored = _validated_changes(session, kind, current.data, current.occurred_at, changes)
        if "at" in stored:
            _corrected_time_fits(_case(tx, case_id), kind, from_iso(stored["at"]))
        data = {"reason": why, "changes": stored, "void": void}
        new_id = tx.append(case_id, EventType.CORRECTION, now, data, supersedes=event_id)
        if kind == "intake":
            _refresh_child(tx, case_id)
        return Recorded(new_id, case_id)


def _corrected_time_fits(state: CaseState, kind: str, at: datetime) -> None:
    """A corrected time obeys the same order as a freshly typed one."""
    if kind in NEWS:
        _not_before_last_seen(state, at)
    elif kind in ("notify", "interview") and state.recovery is not None:
        _not_before(at, state.recovery, "recovery")


def _validated_changes(
    session: Session,
    kind: str,
    current: Mapping[str, Any],
    occurred_at: datetime,
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    """Re-validate the corrected event as a whole; return the changes as they will be stored."""
    now, zone, policy = session.now(), session.zone, session.policy
    if kind == "intake":
        merged = {k: val for k, val in current.items() if val is not None}
        merged.update(changes)
        intake = parse_intake(merged, now, zone, policy)
        fresh = intake.event_data()
        return {key: fresh.get(key) for key in changes}
    stored: dict[str, Any] = {}
    if "at" in changes:
        stored["at"] = to_iso(v.required_time(changes, "at", "at", now, zone, policy))
    rest = {k: val for k, val in changes.items() if k != "at"}
    if rest:
        merged = {**current, **rest}
        fresh = event_fields(kind, merged, "", policy.interview)
        stored.update({key: fresh.get(key, rest[key]) for key in rest})
        if "police_told" in rest:
            stored["police_told"] = v.flag(rest, "police_told", "police_told")
    return stored


def _refresh_child(tx: WriteSession, case_id: int) -> None:
    state = tx.case_state(case_id)
    if state is None:  # pragma: no cover - the case was just projected
        return
    packet = state.packet
    tx.update_child(
        state.child_id, packet["name"], packet.get("dob"), packet.get("age"), packet.get("aliases")
    )


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional fields so stored events hold what was typed, not placeholders."""
    return {key: value for key, value in data.items() if value is not None}


# --- handover lines -----------------------------------------------------------------------------


def set_handover_note(
    session: Session, case_id: int, *, summary: str | None = None, contingency: str | None = None
) -> Recorded:
    """Set (or clear, with empty text) a case's one-line handover summary and/or contingency."""
    data = note_data(summary, contingency)
    with session.writing(Action.HANDOVER_NOTE) as tx:
        _not_closed(session, _case(tx, case_id))
        return Recorded(tx.append(case_id, EventType.HANDOVER_NOTE, tx.now, data), case_id)
