"""Intake: opening a case from one record (CLI `intake`, the board's form) or many (import)."""

from __future__ import annotations

from typing import Any

from caseboard.domain.errors import BadInput
from caseboard.domain.intake import Intake, parse_intake
from caseboard.domain.roles import Action
from caseboard.domain.vocab import EventType
from caseboard.heap import collector_paused
from caseboard.services.session import Session
from caseboard.store import queries
from caseboard.store.writer import ChildRow, NewEvent, WriteSession


def open_case(session: Session, record: dict[str, Any]) -> int:
    """Open one case from an intake record (CLI `intake`, the board's intake form)."""
    intake = parse_intake(record, session.now(), session.zone, session.policy)
    with session.writing(Action.INTAKE) as tx:
        return _write_intakes(tx, [intake])[0]


def import_records(session: Session, records: Any) -> list[int]:
    """Import intake records, all or nothing: every record is checked before anything is written."""
    # Validating and folding 10,000 records builds a few hundred thousand small acyclic
    # objects; the cyclic collector would walk them again and again (see heap.py).
    with collector_paused():
        intakes = _parse_records(session, records)
        with session.writing(Action.IMPORT) as tx:
            return _write_intakes(tx, intakes)


def _parse_records(session: Session, records: Any) -> list[Intake]:
    """Every record validated (the first problem names its record and field) before any write."""
    if not isinstance(records, list):
        raise BadInput("file", "expected a JSON list of intake records")
    now = session.now()
    return [
        parse_intake(
            record,
            now,
            session.zone,
            session.policy,
            prefix=f"records[{index}].",
            allow_history=True,
        )
        for index, record in enumerate(records)
    ]


def _write_intakes(tx: WriteSession, intakes: list[Intake]) -> list[int]:
    """Open a case per intake, in order, with its history: one batch through the write path."""
    child_ids = _children_for(tx, intakes)
    first = tx.next_case_id()
    case_ids = list(range(first, first + len(intakes)))
    batch: list[NewEvent] = []
    for case_id, child_id, intake in zip(case_ids, child_ids, intakes, strict=True):
        data = intake.event_data()
        batch.append(NewEvent(case_id, EventType.INTAKE, intake.learned_at, data, child_id))
        batch.extend(NewEvent(case_id, e.type, e.at, e.data) for e in intake.history)
    tx.append_batch(batch)
    return case_ids


def _children_for(tx: WriteSession, intakes: list[Intake]) -> list[int]:
    """Each intake's child: linked by id or by a key seen earlier in the batch, or new; new
    children are inserted together and links refresh the child's identity, in record order."""
    next_id = tx.next_child_id()
    new: list[ChildRow] = []
    made: set[int] = set()
    links: list[ChildRow] = []
    by_key: dict[str, int] = {}
    child_ids: list[int] = []
    for intake in intakes:
        identity = (intake.name, _dob(intake), intake.age, intake.packet.get("aliases"))
        child_id = intake.child_id
        if child_id is None and intake.child_key is not None:
            child_id = by_key.get(intake.child_key)
        if child_id is None:
            child_id, next_id = next_id, next_id + 1
            made.add(child_id)
            new.append((child_id, *identity))
        elif child_id in made or queries.child(tx.db, child_id) is not None:
            links.append((child_id, *identity))
        else:
            raise BadInput("child_id", f"there is no child {child_id}")
        if intake.child_key is not None:
            by_key[intake.child_key] = child_id
        child_ids.append(child_id)
    tx.add_children(new)
    for link in links:
        tx.update_child(*link)
    return child_ids


def _dob(intake: Intake) -> str | None:
    return intake.dob.isoformat() if intake.dob else None
