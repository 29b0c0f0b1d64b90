"""The JSON shapes of docs/cli.md: cases, clocks and events, as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from caseboard.domain.board import CaseSummary
from caseboard.domain.clocks import Clock
from caseboard.domain.flags import case_flags
from caseboard.domain.model import CaseState, Event
from caseboard.domain.redaction import (
    REDACTED,
    clock_ref,
    redacted_data,
    redacted_packet_value,
    shown_text,
)
from caseboard.domain.textsafe import initials
from caseboard.domain.timefmt import to_iso


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else to_iso(moment)


def clock_json(clock: Clock, *, redact: bool = False) -> dict[str, Any]:
    """One clock: state, due_at, done_at, ref, by (and started_at, late)."""
    return {
        "state": clock.state,
        "due_at": _iso(clock.due_at),
        "done_at": _iso(clock.done_at),
        "ref": clock_ref(clock.name, clock.ref, redact),
        "by": clock.by,
        "started_at": _iso(clock.started_at),
        "late": clock.late,
    }


def case_json(summary: CaseSummary, *, redact: bool = False) -> dict[str, Any]:
    """One case as `cases --json` prints it."""
    state, child, risk = summary.state, summary.child, summary.assessment
    override = None
    if state.override is not None:
        override = {
            "tier": risk.override_tier,
            "reason": shown_text(risk.override_reason, redact),
            "by": state.override.by,
            "at": _iso(state.override.at),
        }
    recovery = state.recovery
    return {
        "id": state.case_id,
        "child": {
            "id": child.id,
            "name": initials(child.name) if redact else child.name,
            "dob": None if child.dob is None or redact else child.dob.isoformat(),
            "age": summary.age,
        },
        "status": state.status,
        "tier": risk.tier,
        "computed_tier": risk.computed_tier,
        "score": risk.score,
        "reasons": [
            {"factor": r.factor, "points": r.points, "label": r.label, "critical": r.critical}
            for r in risk.reasons
        ],
        "override": override,
        "flags": list(case_flags(state)),
        "learned_at": _iso(state.learned_at),
        "last_seen_at": _iso(state.last_seen_at),
        "last_seen_where": REDACTED if redact else state.last_seen_where,
        "last_contact_at": _iso(state.last_contact_at),
        "last_news_at": _iso(state.no_news_anchor),
        "elapsed_s": summary.elapsed_s,
        "clocks": {
            name: clock_json(clock, redact=redact) for name, clock in summary.clocks.items()
        },
        "placement": {"type": state.placement_type, "agency": state.agency},
        "packet_complete": summary.packet_complete,
        "recovered_at": _iso(recovery.at) if recovery else None,
        "closed_at": _iso(state.closure.at) if state.closure else None,
        "version": state.version,
    }


def packet_json(state: CaseState, *, redact: bool = False) -> dict[str, Any]:
    """The typed packet fields of a case."""
    packet = dict(state.packet)
    if redact:
        packet = {key: redacted_packet_value(key, value) for key, value in packet.items()}
        packet.pop("dob", None)
    return packet


def event_json(
    event: Event, superseded_by: Mapping[int, int], *, redact: bool = False
) -> dict[str, Any]:
    """One event of a case's timeline."""
    data = redacted_data(event.data) if redact else dict(event.data)
    return {
        "id": event.id,
        "type": event.type,
        "occurred_at": _iso(event.occurred_at),
        "recorded_at": _iso(event.recorded_at),
        "actor": event.actor,
        "data": data,
        "supersedes": event.supersedes,
        "superseded_by": superseded_by.get(event.id),
    }
