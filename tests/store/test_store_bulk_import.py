"""An import (one batch) writes exactly the rows its events appended one at a time write."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard import services
from caseboard.clock import frozen_clock
from caseboard.domain.errors import BadInput
from caseboard.domain.intake import parse_intake
from caseboard.domain.policy import Policy
from caseboard.domain.roles import Action
from caseboard.domain.synthetic import synthetic_records
from caseboard.domain.vocab import EventType
from caseboard.identity import os_username
from caseboard.services import actions
from caseboard.services.verify import verify
from caseboard.store.writer import Actor, NewEvent

# The suite's frozen moment and zone (tests/conftest.py), given here as the files are made here.
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"

# Everything the import writes, in a fixed order; the FTS5 shadow tables are compared too, so
# the search index is the same down to its stored bytes, not only its visible rows.
TABLES = {
    "events": "SELECT * FROM events ORDER BY id",
    "cases": "SELECT * FROM cases ORDER BY id",
    "children": "SELECT * FROM children ORDER BY id",
    "case_search": "SELECT rowid, * FROM case_search ORDER BY rowid",
    "case_search_data": "SELECT * FROM case_search_data ORDER BY id",
    "case_search_idx": "SELECT * FROM case_search_idx ORDER BY segid, term",
    "case_search_docsize": "SELECT * FROM case_search_docsize ORDER BY id",
    "sqlite_sequence": "SELECT * FROM sqlite_sequence ORDER BY name",
}

Importer = Callable[[services.Session, Any], list[int]]


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the import writes, read on a fresh connection."""
    with closing(sqlite3.connect(path)) as conn:
        return {table: conn.execute(sql).fetchall() for table, sql in TABLES.items()}


def _session(path: Path, policy: Policy) -> services.Session:
    # A clock with microseconds: stored times drop them, so the projection must not keep them.
    clock = frozen_clock(NOW + timedelta(microseconds=654_321))
    session, _applied, _made = services.init_database(
        path, Actor(os_username()), policy, ZONE, clock
    )
    return session


def _history_before(session: services.Session) -> None:
    """Cases, children and events already on file, so every id of the import continues a run."""
    services.import_records(session, synthetic_records(5, seed=7))
    actions.log_sighting(session, 2, {"where": "Example City library", "at": "-20m"})
    actions.add_note(session, 3, "school called back")


def _records() -> list[dict[str, Any]]:
    """The demo fixtures, synthetic cases, and the awkward ones: links to children on file and to
    children made earlier in the same import, repeated child keys, typed text of every kind."""
    base = {
        "age": 13,
        "learned_at": "-50m",
        "last_seen_at": "-3h",
        "last_seen_where": "Sample Street bus station",
        "placement_type": "foster_home",
        "agency": "Fictional County DCFS",
    }
    odd = [
        {**base, "name": "Zoë “Quotes” Ñandú-Testwood", "child_id": 1, "aliases": 'Z, "Zo"\\'},
        {**base, "name": "Linked Twice", "child_key": "twice", "sex": "F"},
        {**base, "name": "Linked Twice-Again", "child_key": "twice", "photo_on_file": True},
        # Child 6 is the first child this import makes (five were on file before it).
        {**base, "name": "Relinked Sampleton", "child_id": 6, "photo_date": "2026-01-02"},
        {**base, "name": "Ünïcode\u200b Bidi\u202e Name", "circumstances": "line one\nline 2\t"},
        {
            **base,
            "name": "Full History",
            "events": [
                {"type": "confirm", "report": "police", "at": "-40m", "ref": "P-1"},
                {"type": "sighting", "at": "-35m", "where": "Demo Mall", "confirmed": True},
                # The same second as the one before once stored: the later-logged one wins.
                {"type": "sighting", "at": "2026-11-28T03:25:00+00:00", "where": "Sample Park"},
                {"type": "recovery", "at": "-30m", "where": "Demo Mall", "by": "Officer Fixture"},
                {"type": "notify", "report": "ncmec", "at": "-20m"},
                {"type": "interview", "at": "-10m", "screen": "none"},
                {"type": "risk", "at": "-9m", "add": ["substance_use"], "remove": []},
                {"type": "override", "at": "-8m", "tier": "standard", "reason": "found safe"},
                {"type": "note", "at": "-7m", "text": "back at placement"},
                {"type": "close", "at": "-5m", "reason": "recovered and screened"},
            ],
        },
    ]
    demo = json.loads(DEMO.read_text("utf-8"))
    return [*odd[:4], *demo, *synthetic_records(300), *odd[4:]]


def _one_event_at_a_time(session: services.Session, records: Any) -> list[int]:
    """The reference: the same import, each child written and each event appended on its own
    (`WriteSession.append`, a batch of one), in record order, in one transaction."""
    now = session.now()
    intakes = [
        parse_intake(record, now, session.zone, session.policy, allow_history=True)
        for record in records
    ]
    case_ids: list[int] = []
    by_key: dict[str, int] = {}
    with session.writing(Action.IMPORT) as tx:
        for intake in intakes:
            data = intake.event_data()
            identity = (intake.name, data["dob"], intake.age, intake.packet.get("aliases"))
            child_id = intake.child_id or by_key.get(intake.child_key or "")
            if child_id is None:
                child_id = tx.add_child(*identity)
            else:
                tx.update_child(child_id, *identity)
            if intake.child_key is not None:
                by_key[intake.child_key] = child_id
            case_id = tx.next_case_id()
            tx.append(case_id, EventType.INTAKE, intake.learned_at, data, child_id=child_id)
            for event in intake.history:
                tx.append(case_id, event.type, event.at, event.data)
            case_ids.append(case_id)
    return case_ids


def _import_into(path: Path, policy: Policy, importer: Importer) -> list[int]:
    session = _session(path, policy)
    _history_before(session)
    case_ids = importer(session, _records())
    session.db.conn.close()
    return case_ids


def test_an_import_writes_the_same_rows_as_its_events_appended_one_at_a_time(
    tmp_path: Path, policy: Policy
) -> None:
    batched = _import_into(tmp_path / "batched.db", policy, services.import_records)
    reference = _import_into(tmp_path / "reference.db", policy, _one_event_at_a_time)
    assert batched == reference
    rows, expected = _rows(tmp_path / "batched.db"), _rows(tmp_path / "reference.db")
    assert len(expected["cases"]) == 5 + len(_records())
    for table in TABLES:
        assert rows[table] == expected[table], f"{table} differs"


def test_a_batched_import_passes_verify(tmp_path: Path, policy: Policy) -> None:
    _import_into(tmp_path / "batched.db", policy, services.import_records)
    session = services.open_session(
        tmp_path / "batched.db", Actor(os_username()), policy, ZONE, frozen_clock(NOW)
    )
    report = verify(session)
    assert report.ok, [problem.line() for problem in report.problems]


@pytest.mark.parametrize(
    ("index", "change", "field"),
    [
        (0, {"name": ""}, "records[0].name"),
        (3, {"name": None}, "records[3].name"),
        (340, {"events": [{"type": "sighting", "at": "-1m"}]}, "records[340].events[0].where"),
        (340, {"age": 30}, "records[340].age"),
    ],
)
def test_one_bad_record_names_its_field_and_nothing_is_written(
    tmp_path: Path, policy: Policy, index: int, change: dict[str, Any], field: str
) -> None:
    session = _session(tmp_path / "batched.db", policy)
    before = _rows(tmp_path / "batched.db")
    records = _records()
    records[index] = {**records[index], **change}
    with pytest.raises(BadInput) as caught:
        services.import_records(session, records)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert _rows(tmp_path / "batched.db") == before


def test_a_link_to_a_child_not_on_file_rolls_back_the_whole_batch(
    tmp_path: Path, policy: Policy
) -> None:
    session = _session(tmp_path / "batched.db", policy)
    _history_before(session)
    before = _rows(tmp_path / "batched.db")
    records = _records()
    records.append({**records[0], "child_id": 99_999})
    with pytest.raises(BadInput, match="there is no child 99999"):
        services.import_records(session, records)
    assert _rows(tmp_path / "batched.db") == before


def test_a_batch_refuses_what_it_cannot_fold_in_memory(tmp_path: Path, policy: Policy) -> None:
    session = _session(tmp_path / "batched.db", policy)
    _history_before(session)
    before = _rows(tmp_path / "batched.db")
    at = NOW - timedelta(minutes=5)
    correction = NewEvent(2, EventType.CORRECTION, at, {"changes": {"where": "Demo Mall"}})
    reopened = NewEvent(2, EventType.INTAKE, at, {}, child_id=1)
    for batch in ([correction], [reopened]):
        with pytest.raises(ValueError), session.writing(Action.IMPORT) as tx:
            tx.append_batch(batch)
    assert _rows(tmp_path / "batched.db") == before
