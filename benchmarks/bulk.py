"""Loading a benchmark's generated database in one transaction: children, chained events and the
cases' projections (folded by the domain's own `replay`/`apply`), with executemany."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from caseboard.domain.model import CaseState, state_to_dict
from caseboard.domain.timefmt import to_iso
from caseboard.store.codec import dumps


def insert_all(
    db: Database,
    children: Sequence[tuple[Any, ...]],
    events: Sequence[tuple[Any, ...]],
    states: Iterable[CaseState],
    updated_at: Callable[[CaseState], str],
) -> None:
    """Insert inside an open transaction (the caller begins and commits it: it may add more)."""
    db.conn.executemany("INSERT INTO children VALUES (?, ?, ?, ?, ?, ?)", children)
    db.conn.executemany(
        "INSERT INTO events (id, case_id, type, occurred_at, recorded_at, actor, data,"
        " supersedes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        events,
    )
    db.conn.executemany(
        "INSERT INTO cases (id, child_id, status, learned_at, last_seen_at, last_seen_where,"
        " placement_type, agency, version, last_event_id, updated_at, state)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                s.case_id, s.child_id, s.status, to_iso(s.learned_at), to_iso(s.last_seen_at),
                s.last_seen_where, s.placement_type, s.agency, s.version, s.last_event_id,
                updated_at(s), dumps(state_to_dict(s)),
            )
            for s in states
        ],
    )  # fmt: skip
