"""Events and the case state folded from them (the projection, as pure data).

The value types are frozen msgspec Structs rather than frozen dataclasses: a handover or a
board load builds hundreds of thousands of them, a Struct is made about ten times faster, and
stored projections decode straight into them. They hold no reference cycles, so they are kept
out of the cyclic collector (`gc=False`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from msgspec.structs import replace

from caseboard.domain.interview import STATUTE_KEYS
from caseboard.domain.timefmt import from_iso, to_iso
from caseboard.domain.vocab import EventType, Placement, Status

# A stored projection decodes straight into these types: a time without an offset must fail
# there (and the case be rebuilt from its events), not later when it meets an aware `now`.
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
# Likewise a status or placement type outside the vocabulary (vocab's Status and Placement:
# the board order and the labels look them up).


class Event(msgspec.Struct, frozen=True, gc=False):
    """One append-only event as stored."""

    id: int
    case_id: int | None
    type: EventType
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    data: Mapping[str, Any]
    supersedes: int | None = None


class Child(msgspec.Struct, frozen=True, gc=False):
    """A child who may have several missing episodes."""

    id: int
    name: str
    dob: date | None
    age: int | None


class Stamp(msgspec.Struct, frozen=True, gc=False):
    """Something done at a time by an operator, with its reference details."""

    at: Moment
    by: str
    event_id: int
    details: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def get(self, key: str) -> Any:
        """A detail by name, or None."""
        return self.details.get(key)


class CaseState(msgspec.Struct, frozen=True, gc=False):
    """Everything known about one episode, folded from its effective events."""

    case_id: int
    child_id: int
    status: Status
    learned_at: Moment
    last_seen_at: Moment
    last_seen_where: str
    placement_type: Placement
    agency: str
    packet: Mapping[str, Any]
    risk_factors: frozenset[str]
    override: Stamp | None = None
    confirmations: Mapping[str, Stamp] = msgspec.field(default_factory=dict)
    news_at: Moment | None = None
    last_contact_at: Moment | None = None
    sighting: Stamp | None = None
    recovery: Stamp | None = None
    notices: Mapping[str, Stamp] = msgspec.field(default_factory=dict)
    interview: Stamp | None = None
    closure: Stamp | None = None
    # The operators' handover lines (I-PASS summary and contingency), latest first; None = unset.
    handover_summary: Stamp | None = None
    contingency: Stamp | None = None
    sightings: int = 0
    notes: int = 0
    version: int = 0
    last_event_id: int = 0

    @property
    def no_news_anchor(self) -> datetime:
        """When the no-news clock last restarted: the latest verified news, else last seen."""
        if self.news_at is not None and self.news_at > self.last_seen_at:
            return self.news_at
        return self.last_seen_at

    @property
    def missing_until(self) -> datetime | None:
        """When the time missing stopped counting (recovery or close), if it has."""
        if self.recovery is not None:
            return self.recovery.at
        if self.closure is not None:
            return self.closure.at
        return None


INTAKE_CORE = ("learned_at", "last_seen_at", "last_seen_where", "placement_type", "agency")


def _stamp(event: Event, **details: Any) -> Stamp:
    return Stamp(at=event.occurred_at, by=event.actor, event_id=event.id, details=details)


def _later(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate > current else current


def start(event: Event, child_id: int) -> CaseState:
    """The state an intake event opens."""
    data = event.data
    packet = {key: value for key, value in data.items() if key not in INTAKE_CORE}
    if event.case_id is None:
        raise ValueError("an intake event needs a case id")
    return CaseState(
        case_id=event.case_id,
        child_id=child_id,
        status="missing",
        learned_at=event.occurred_at,
        last_seen_at=from_iso(data["last_seen_at"]),
        last_seen_where=data["last_seen_where"],
        placement_type=data["placement_type"],
        agency=data["agency"],
        packet=packet,
        risk_factors=frozenset(data.get("risk_factors") or ()),
        version=1,
        last_event_id=event.id,
    )


def apply(state: CaseState, event: Event) -> CaseState:
    """Fold one effective (already corrected) non-intake event into the state."""
    data = event.data
    kind = event.type
    changes: dict[str, Any] = {}
    if kind == "sighting":
        changes["sightings"] = state.sightings + 1
        if state.sighting is None or event.occurred_at >= state.sighting.at:
            changes["sighting"] = _stamp(
                event, where=data.get("where"), confirmed=bool(data.get("confirmed"))
            )
        if data.get("confirmed"):
            changes["news_at"] = _later(state.news_at, event.occurred_at)
    elif kind == "contact":
        changes["news_at"] = _later(state.news_at, event.occurred_at)
        changes["last_contact_at"] = _later(state.last_contact_at, event.occurred_at)
    elif kind == "confirm":
        details = {key: data.get(key) for key in ("ref", "agency", "officer")}
        changes["confirmations"] = {**state.confirmations, data["report"]: _stamp(event, **details)}
    elif kind == "recovery":
        changes["status"] = "recovered" if state.closure is None else "closed"
        changes["recovery"] = _stamp(
            event, **{key: data.get(key) for key in ("where", "by", "condition", "placed", "note")}
        )
    elif kind == "notify":
        changes["notices"] = {**state.notices, data["report"]: _stamp(event)}
    elif kind == "interview":
        changes["interview"] = _stamp(
            event,
            screen=data.get("screen"),
            note=data.get("note"),
            police_told=data.get("police_told"),
            # The statute's fields only when recorded: older interviews fold as they always did.
            **{key: data[key] for key in STATUTE_KEYS if key in data},
        )
    elif kind == "note":
        changes["notes"] = state.notes + 1
    elif kind == "risk":
        factors = (set(state.risk_factors) | set(data.get("add") or ())) - set(
            data.get("remove") or ()
        )
        changes["risk_factors"] = frozenset(factors)
    elif kind == "override":
        tier = data.get("tier")
        changes["override"] = _stamp(event, tier=tier, reason=data.get("reason")) if tier else None
    elif kind == "close":
        changes["status"] = "closed"
        changes["closure"] = _stamp(event, reason=data.get("reason"))
    elif kind == "packet":
        # Fields added, changed or (None) cleared after intake.
        packet = dict(state.packet)
        for key, value in data.items():
            if value is None:
                packet.pop(key, None)
            else:
                packet[key] = value
        changes["packet"] = packet
    elif kind == "photo":
        # The newest photo is on file and its date is the packet's photo date (none known:
        # the previous photo's date no longer applies).
        packet = {**state.packet, "photo_on_file": True, "photo_date": data.get("taken")}
        changes["packet"] = {key: value for key, value in packet.items() if value is not None}
    elif kind == "handover_note":
        # Only the keys present change; an empty text clears that line.
        for key, attr in (("summary", "handover_summary"), ("contingency", "contingency")):
            if key in data:
                text = data.get(key)
                changes[attr] = _stamp(event, text=text) if text else None
    return replace(state, **changes, version=state.version + 1, last_event_id=event.id)


def effective(events: Iterable[Event]) -> list[Event]:
    """Apply corrections to the events they supersede, in log order, dropping the corrections.

    A correction's data holds `changes` (field -> new value; `at` moves occurred_at) and may set
    `void` to strike the event entirely. Several corrections of one event apply in log order.
    """
    ordered = sorted(events, key=lambda event: event.id)
    corrections: dict[int, list[Event]] = {}
    for event in ordered:
        if event.type == "correction" and event.supersedes is not None:
            corrections.setdefault(event.supersedes, []).append(event)
    result: list[Event] = []
    for event in ordered:
        if event.type == "correction":
            continue
        voided = False
        for correction in corrections.get(event.id, ()):
            if correction.data.get("void"):
                voided = True
                continue
            new_data = dict(event.data)
            moved_to = event.occurred_at
            for key, value in (correction.data.get("changes") or {}).items():
                if key == "at":
                    moved_to = from_iso(value)
                else:
                    new_data[key] = value
            if event.type == "intake" and "learned_at" in new_data:
                moved_to = from_iso(new_data["learned_at"])
            event = replace(event, data=new_data, occurred_at=moved_to)
        if not voided:
            result.append(event)
    return result


def replay(events: Iterable[Event], child_id: int) -> CaseState:
    """Fold a case's whole history, corrections included, into its current state."""
    all_events = list(events)
    kept = effective(all_events)
    intakes = [event for event in kept if event.type == "intake"]
    if not intakes:
        raise ValueError("a case's history must begin with an intake event")
    state = start(intakes[0], child_id)
    for event in kept:
        if event.type != "intake":
            state = apply(state, event)
    last_id = max(event.id for event in all_events)
    # The version counts every event of the case, corrections and voided ones included, so it
    # matches the incremental fold exactly.
    return replace(state, version=len(all_events), last_event_id=last_id)


# --- serialisation of the projection -------------------------------------------------------


def _stamp_to_dict(stamp: Stamp | None) -> dict[str, Any] | None:
    if stamp is None:
        return None
    # Details stay nested: a recovery's own `by` (who found the child) must not shadow the
    # operator who logged it.
    return {
        "at": to_iso(stamp.at),
        "by": stamp.by,
        "event_id": stamp.event_id,
        "details": dict(stamp.details),
    }


def state_to_dict(state: CaseState) -> dict[str, Any]:
    """The projection as JSON-ready data."""
    return {
        "case_id": state.case_id,
        "child_id": state.child_id,
        "status": state.status,
        "learned_at": to_iso(state.learned_at),
        "last_seen_at": to_iso(state.last_seen_at),
        "last_seen_where": state.last_seen_where,
        "placement_type": state.placement_type,
        "agency": state.agency,
        "packet": dict(state.packet),
        "risk_factors": sorted(state.risk_factors),
        "override": _stamp_to_dict(state.override),
        "confirmations": {k: _stamp_to_dict(v) for k, v in state.confirmations.items()},
        "news_at": None if state.news_at is None else to_iso(state.news_at),
        "last_contact_at": None if state.last_contact_at is None else to_iso(state.last_contact_at),
        "sighting": _stamp_to_dict(state.sighting),
        "recovery": _stamp_to_dict(state.recovery),
        "notices": {k: _stamp_to_dict(v) for k, v in state.notices.items()},
        "interview": _stamp_to_dict(state.interview),
        "closure": _stamp_to_dict(state.closure),
        "handover_summary": _stamp_to_dict(state.handover_summary),
        "contingency": _stamp_to_dict(state.contingency),
        "sightings": state.sightings,
        "notes": state.notes,
        "version": state.version,
        "last_event_id": state.last_event_id,
    }
