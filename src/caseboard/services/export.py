"""`export`: every case, event, child and operator, for other systems (JSON or CSV rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from caseboard.domain.board import CaseSummary
from caseboard.domain.jsonview import case_json, event_json
from caseboard.domain.model import Event
from caseboard.domain.redaction import redacted_child
from caseboard.domain.roles import Action
from caseboard.domain.textsafe import csv_cell
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import CLOCKS
from caseboard.services.access import EXPORT, record_access, require_role
from caseboard.services.cases import read_cases
from caseboard.services.session import Session
from caseboard.store import export_queries, queries
from caseboard.store.connection import snapshot

CSV_COLUMNS = (
    "id", "child_id", "child_name", "status", "tier", "score", "learned_at", "last_seen_at",
    "last_seen_where", "agency", "placement_type", *(f"clock_{name}" for name in CLOCKS),
    "packet_complete",
)  # fmt: skip


@dataclass(frozen=True)
class Everything:
    """One consistent read of the whole database."""

    cases: list[CaseSummary]
    events: list[Event]
    children: list[dict[str, Any]]
    operators: list[dict[str, Any]]
    exported_at: datetime
    # Cases and events left out because their stored rows cannot be read, one sentence each.
    unreadable: list[str] = field(default_factory=list)


def gather(session: Session) -> Everything:
    """Everything, read in one snapshot (supervisors and dispatchers only)."""
    require_role(session, Action.EXPORT)
    with session.reading(), snapshot(session.db):
        cases = read_cases(session, include_closed=True)
        events, bad = export_queries.all_events(session.db)
        children = export_queries.all_children(session.db)
        operators = queries.operators(session.db)
    unreadable = [case.line() for case in cases.unreadable]
    for child in children:
        for key, value in child.items():
            if isinstance(value, bytes):  # a damaged row: stored bytes where text belongs
                child[key] = value.decode("utf-8", "replace")
                unreadable.append(
                    f"children row {child['id']}: {key} is not text (exported with U+FFFD in"
                    " place of what cannot be read); run caseboard verify"
                )
    unreadable += [
        f"event {event_id}{'' if case_id is None else f' (case {case_id})'} cannot be read"
        f" ({what}) and is left out; run caseboard verify"
        for event_id, case_id, what in bad
    ]
    record_access(session, EXPORT, f"ok: {len(cases.summaries)} case(s), {len(events)} event(s)")
    return Everything(cases.summaries, events, children, operators, session.now(), unreadable)


def to_json(everything: Everything, *, redact: bool = False) -> dict[str, Any]:
    """The export as one JSON object: cases, events, children, operators, exported_at."""
    superseded_by = {e.supersedes: e.id for e in everything.events if e.supersedes is not None}
    events = []
    for event in everything.events:
        item = event_json(event, superseded_by, redact=redact)  # corrections' changes too
        item["case_id"] = event.case_id
        events.append(item)
    return {
        "exported_at": to_iso(everything.exported_at),
        "cases": [case_json(summary, redact=redact) for summary in everything.cases],
        "events": events,
        "children": [_child_json(child, redact=redact) for child in everything.children],
        # Usernames and roles only: nothing here that would help anyone sign in.
        "operators": [
            {"username": o["username"], "role": o["role"], "active": bool(o["active"])}
            for o in everything.operators
        ],
    }


def _child_json(child: dict[str, Any], *, redact: bool) -> dict[str, Any]:
    return redacted_child(child) if redact else dict(child)


def csv_rows(everything: Everything, *, redact: bool = False) -> list[list[Any]]:
    """One row per case in board order, the header first; every cell made inert for a terminal
    and for a spreadsheet (csv_cell: controls visible, a formula-like start quoted)."""
    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    for summary in everything.cases:
        case = case_json(summary, redact=redact)
        clocks = case["clocks"]
        values = [
            case["id"],
            case["child"]["id"],
            case["child"]["name"],
            case["status"],
            case["tier"],
            case["score"],
            case["learned_at"],
            case["last_seen_at"],
            case["last_seen_where"],
            case["placement"]["agency"],
            case["placement"]["type"],
            *(clocks[name]["state"] if name in clocks else "" for name in CLOCKS),
            case["packet_complete"],
        ]
        rows.append([csv_cell(value) for value in values])
    return rows
