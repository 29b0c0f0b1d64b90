"""Validate intake records (typed, imported or from fixtures) into clean event data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from caseboard.domain import validate as v
from caseboard.domain.errors import BadInput
from caseboard.domain.interview import interview_fields
from caseboard.domain.interview_vocab import BUILTIN, InterviewVocabulary
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import (
    NOTICE_REPORTS,
    PLACEMENT_TYPES,
    REPORTS,
    RISK_FACTORS,
    SCREEN_RESULTS,
    TIERS,
    EventType,
)

# Every key an intake record may have; anything else is refused by name.
INTAKE_KEYS = frozenset(
    (
        "name",
        "dob",
        "age",
        "learned_at",
        "last_seen_at",
        "last_seen_where",
        "placement_type",
        "agency",
        "risk_factors",
        "child_id",
        "child_key",
        "events",
        *OPTIONAL_INTAKE_FIELDS,
    )
)
LONG_FIELDS = {"circumstances", "marks", "destinations", "companions", "phones_social", "clothing"}


@dataclass(frozen=True)
class HistoryEvent:
    """An event from a fixture's history, validated."""

    type: EventType
    at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class Intake:
    """A validated intake: child identity, episode core, packet and optional history."""

    name: str
    dob: date | None
    age: int | None
    learned_at: datetime
    last_seen_at: datetime
    last_seen_where: str
    placement_type: str
    agency: str
    risk_factors: list[str]
    packet: dict[str, Any]
    child_id: int | None = None
    child_key: str | None = None
    history: list[HistoryEvent] = field(default_factory=list)

    def event_data(self) -> dict[str, Any]:
        """The intake event's data: everything typed, times as UTC ISO text."""
        return {
            "name": self.name,
            "dob": self.dob.isoformat() if self.dob else None,
            "age": self.age,
            "learned_at": to_iso(self.learned_at),
            "last_seen_at": to_iso(self.last_seen_at),
            "last_seen_where": self.last_seen_where,
            "placement_type": self.placement_type,
            "agency": self.agency,
            "risk_factors": list(self.risk_factors),
            **self.packet,
        }


def packet_field(
    raw: Mapping[str, Any],
    key: str,
    field_name: str,
    now: datetime,
    zone: tzinfo,
    *,
    day_first: bool = False,
) -> Any:
    """One optional packet field checked as intake checks it; None when empty."""
    if key == "photo_on_file":
        return v.flag(raw, key, field_name)
    if key == "photo_date":
        photo = v.past_date(raw, key, field_name, now.astimezone(zone).date(), day_first=day_first)
        return None if photo is None else photo.isoformat()
    limit = v.LONG_MAX if key in LONG_FIELDS else v.SHORT_MAX
    return v.text(raw, key, field_name, limit=limit)


def packet_update(
    raw: Mapping[str, Any], now: datetime, zone: tzinfo, *, day_first: bool = False
) -> dict[str, Any]:
    """Packet fields to add, change or clear after intake: key -> new value, None to clear
    (an empty value). Names every unknown field; at least one field is needed."""
    if not isinstance(raw, Mapping):
        raise BadInput("fields", "expected packet fields")
    changes: dict[str, Any] = {}
    for key in raw:
        if key not in OPTIONAL_INTAKE_FIELDS:
            raise BadInput(v.key_name(key), "is not a packet field that can be updated")
        changes[key] = packet_field(raw, key, key, now, zone, day_first=day_first)
    if not changes:
        fields = ", ".join(f"--{key.replace('_', '-')}" for key in OPTIONAL_INTAKE_FIELDS[:4])
        raise BadInput("fields", f"nothing to update: give at least one field, e.g. {fields} …")
    return changes


def parse_intake(
    raw: Mapping[str, Any],
    now: datetime,
    zone: tzinfo,
    policy: Policy,
    *,
    prefix: str = "",
    allow_history: bool = False,
) -> Intake:
    """Check an intake record field by field; the first problem raises BadInput naming it."""
    if not isinstance(raw, Mapping):
        raise BadInput(prefix.rstrip(".") or "record", "expected an object")
    for key in raw:
        if key not in INTAKE_KEYS:
            raise BadInput(f"{prefix}{v.key_name(key)}", "is not an intake field")
    name = v.text(raw, "name", f"{prefix}name", required=True, limit=v.NAME_MAX)
    dob = v.birth_date(
        raw, "dob", f"{prefix}dob", now.astimezone(zone).date(), day_first=policy.day_first
    )
    age = v.age(raw, "age", f"{prefix}age")
    if dob is None and age is None:
        raise BadInput(f"{prefix}dob", "give a date of birth (YYYY-MM-DD) or an age")
    learned_at = v.required_time(raw, "learned_at", f"{prefix}learned_at", now, zone, policy)
    last_seen_at = v.required_time(raw, "last_seen_at", f"{prefix}last_seen_at", now, zone, policy)
    if last_seen_at > learned_at:
        raise BadInput(
            f"{prefix}last_seen_at", "is after learned_at; a child is last seen before being missed"
        )
    where = v.text(raw, "last_seen_where", f"{prefix}last_seen_where", required=True)
    placement = v.choice(raw, "placement_type", f"{prefix}placement_type", PLACEMENT_TYPES)
    agency = v.text(raw, "agency", f"{prefix}agency", required=True)
    factors = v.names(raw, "risk_factors", f"{prefix}risk_factors", RISK_FACTORS)
    packet: dict[str, Any] = {}
    for key in OPTIONAL_INTAKE_FIELDS:
        if key not in raw:
            # An absent field adds nothing (each check below returns nothing for it); an import
            # record carries a few of these thirty fields, so skip the rest cheaply.
            continue
        value = packet_field(raw, key, f"{prefix}{key}", now, zone, day_first=policy.day_first)
        if value is not None:
            packet[key] = value
    child_id = raw.get("child_id")
    if child_id is not None:
        child_id = v.identifier(child_id, f"{prefix}child_id", "child id")
    child_key = v.text(raw, "child_key", f"{prefix}child_key")
    history: list[HistoryEvent] = []
    if "events" in raw:
        if not allow_history:
            raise BadInput(f"{prefix}events", "history is only accepted from import files")
        history = parse_history(raw["events"], now, zone, policy, prefix=f"{prefix}events")
        for index, event in enumerate(history):
            if event.at < last_seen_at:
                raise BadInput(f"{prefix}events[{index}].at", "is before the child was last seen")
    assert name is not None and where is not None and agency is not None
    return Intake(
        name=name,
        dob=dob,
        age=age if dob is None else None,
        learned_at=learned_at,
        last_seen_at=last_seen_at,
        last_seen_where=where,
        placement_type=placement,
        agency=agency,
        risk_factors=factors,
        packet=packet,
        child_id=child_id,
        child_key=child_key,
        history=history,
    )


def parse_history(
    raw: Any, now: datetime, zone: tzinfo, policy: Policy, *, prefix: str
) -> list[HistoryEvent]:
    """Validate a fixture's history events in order; follow-ups need their prerequisites."""
    if not isinstance(raw, list):
        raise BadInput(prefix, "expected a list of events")
    events: list[HistoryEvent] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        field = f"{prefix}[{index}]"
        if not isinstance(item, Mapping):
            raise BadInput(field, "expected an object")
        kind = v.choice(item, "type", f"{field}.type", HISTORY_TYPES)
        at = v.required_time(item, "at", f"{field}.at", now, zone, policy)
        data = event_fields(kind, item, field, policy.interview)
        marker = f"{kind}:{data.get('report', '')}"
        if kind == "confirm" and data["report"] == "ncic" and "confirm:police" not in seen:
            raise BadInput(f"{field}.report", "an NCIC entry needs the police report first")
        if kind in ("notify", "interview") and "recovery:" not in seen:
            raise BadInput(f"{field}.type", f"a {kind} needs a recovery first")
        if "close:" in seen:
            raise BadInput(f"{field}.type", "no events may follow the close")
        seen.add(marker)
        events.append(HistoryEvent(EventType(kind), at, data))
    return events


HISTORY_TYPES = (
    "sighting",
    "contact",
    "confirm",
    "recovery",
    "notify",
    "interview",
    "note",
    "risk",
    "override",
    "close",
)


def event_fields(
    kind: str, raw: Mapping[str, Any], prefix: str, vocab: InterviewVocabulary = BUILTIN
) -> dict[str, Any]:
    """The data of one event type, validated; the same keys as the CLI's options (`vocab`: the
    policy's return-interview factors and indicators)."""
    f = f"{prefix}." if prefix else ""
    if kind == "sighting":
        return {
            "where": v.text(raw, "where", f"{f}where", required=True),
            "source": v.text(raw, "source", f"{f}source"),
            "confirmed": v.flag(raw, "confirmed", f"{f}confirmed"),
            "police_told": v.flag(raw, "police_told", f"{f}police_told"),
            "note": v.text(raw, "note", f"{f}note", limit=v.LONG_MAX),
        }
    if kind == "contact":
        return {
            "how": v.text(raw, "how", f"{f}how", required=True),
            "note": v.text(raw, "note", f"{f}note", limit=v.LONG_MAX),
        }
    if kind == "confirm":
        return {
            "report": v.choice(raw, "report", f"{f}report", REPORTS),
            "ref": v.text(raw, "ref", f"{f}ref", required=True, limit=60),
            "agency": v.text(raw, "agency", f"{f}agency"),
            "officer": v.text(raw, "officer", f"{f}officer"),
        }
    if kind == "recovery":
        return {
            "where": v.text(raw, "where", f"{f}where", required=True),
            "by": v.text(raw, "by", f"{f}by", required=True),
            "condition": v.text(raw, "condition", f"{f}condition"),
            "placed": v.text(raw, "placed", f"{f}placed"),
            "note": v.text(raw, "note", f"{f}note", limit=v.LONG_MAX),
        }
    if kind == "notify":
        return {"report": v.choice(raw, "report", f"{f}report", NOTICE_REPORTS)}
    if kind == "interview":
        return {
            "screen": v.choice(raw, "screen", f"{f}screen", SCREEN_RESULTS),
            "note": v.text(raw, "note", f"{f}note", limit=v.LONG_MAX),
            **interview_fields(raw, prefix, vocab),
        }
    if kind == "note":
        return {"text": v.text(raw, "text", f"{f}text", required=True, limit=v.LONG_MAX)}
    if kind == "risk":
        return {
            "add": v.names(raw, "add", f"{f}add", RISK_FACTORS),
            "remove": v.names(raw, "remove", f"{f}remove", RISK_FACTORS),
        }
    if kind == "override":
        tier = raw.get("tier")
        if isinstance(tier, str):
            tier = tier.upper()
        return {
            "tier": v.choice({"tier": tier}, "tier", f"{f}tier", TIERS),
            "reason": v.text(raw, "reason", f"{f}reason", required=True, limit=v.LONG_MAX),
        }
    if kind == "close":
        return {"reason": v.text(raw, "reason", f"{f}reason", required=True, limit=v.LONG_MAX)}
    raise BadInput(f"{f}type", f"unknown event type {kind!r}")
