"""Row <-> domain conversions for events, children and case projections."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from caseboard.domain.model import CaseState, Child, Event, state_from_dict
from caseboard.domain.timefmt import from_iso


def dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, no ASCII escaping, so stored text is exactly what was typed."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_from_row(row: Mapping[str, Any]) -> Event:
    """An events row as a domain Event."""
    return Event(
        id=row["id"],
        case_id=row["case_id"],
        type=row["type"],
        occurred_at=from_iso(row["occurred_at"]),
        recorded_at=from_iso(row["recorded_at"]),
        actor=row["actor"],
        data=json.loads(row["data"]),
        supersedes=row["supersedes"],
    )


def child_from_row(row: Mapping[str, Any]) -> Child:
    """A children row as a domain Child."""
    dob = row["dob"]
    return Child(
        id=row["id"],
        name=row["name"],
        dob=date.fromisoformat(dob) if dob else None,
        age=row["age"],
    )


def state_from_row(row: Mapping[str, Any]) -> CaseState:
    """A cases row's stored projection as a CaseState."""
    return state_from_dict(json.loads(row["state"]))
