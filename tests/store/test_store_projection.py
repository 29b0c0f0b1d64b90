"""The stored case projection is exactly what replaying the case's events gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from caseboard import services
from caseboard.domain import model
from caseboard.domain.roles import Action
from caseboard.domain.vocab import EventType
from caseboard.store import codec, queries

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"

MakeSession = Callable[..., services.Session]


def _assert_projection_equals_replay(session: services.Session) -> int:
    rows = list(
        session.db.query(
            "SELECT id, child_id, status, version, last_event_id, state FROM cases ORDER BY id"
        )
    )
    for row in rows:
        events = queries.case_events(session.db, row["id"])
        replayed = model.state_to_dict(model.replay(events, row["child_id"]))
        stored = json.loads(row["state"])
        assert replayed == stored, f"case {row['id']}: projection differs from its replay"
        # The indexed columns agree with the stored state too.
        assert (row["status"], row["version"], row["last_event_id"]) == (
            stored["status"],
            stored["version"],
            stored["last_event_id"],
        )
    return len(rows)


def test_projection_equals_replay_for_every_fixture_case(make_session: MakeSession) -> None:
    session = make_session()
    records = json.loads(DEMO.read_text("utf-8"))
    case_ids = services.import_records(session, records)
    assert len(case_ids) == len(records) == 38
    assert _assert_projection_equals_replay(session) == 38
    statuses = {row["status"] for row in session.db.query("SELECT status FROM cases")}
    assert statuses == {"missing", "recovered", "closed"}, "the fixture covers every status"
    case_events = sum(len(queries.case_events(session.db, case_id)) for case_id in case_ids)
    operator_events = queries.count(session.db, "events") - case_events
    assert operator_events == 1, "every other event belongs to a case"


@pytest.mark.parametrize("void", [False, True], ids=["amend", "void"])
def test_projection_equals_replay_after_a_correction(make_session: MakeSession, void: bool) -> None:
    session = make_session()
    services.import_records(session, json.loads(DEMO.read_text("utf-8")))
    # The latest sighting in the fixtures, corrected through the write path.
    row = next(
        iter(
            session.db.query(
                "SELECT events.id, events.case_id, events.occurred_at FROM events"
                " JOIN cases ON cases.id = events.case_id"
                " WHERE events.type = 'sighting' AND cases.status = 'missing'"
                " ORDER BY events.id DESC LIMIT 1"
            )
        )
    )
    event = next(e for e in queries.case_events(session.db, row["case_id"]) if e.id == row["id"])
    data: dict[str, object] = {"reason": "wrong street, per caller"}
    if void:
        data["void"] = True
    else:
        data["changes"] = {
            "where": "Corrected Corner, 2 Example Ave",
            "at": (event.occurred_at - timedelta(minutes=10)).isoformat(),
        }
    with session.writing(Action.CORRECT) as tx:
        tx.append(row["case_id"], EventType.CORRECTION, session.now(), data, supersedes=row["id"])
    _assert_projection_equals_replay(session)
    state = queries.case_record(session.db, row["case_id"])
    assert isinstance(state, queries.CaseRecord)
    if not void:
        assert state.state.sighting is not None
        assert state.state.sighting.get("where") == "Corrected Corner, 2 Example Ave"


def test_search_rows_follow_the_projection_after_an_imported_history(
    make_session: MakeSession,
) -> None:
    # An imported history is many events per case in one transaction; the projection and its
    # search row are written once at the end and must reflect the last event.
    session = make_session()
    services.import_records(session, json.loads(DEMO.read_text(encoding="utf-8")))
    for row in session.db.query("SELECT id, state FROM cases"):
        state = codec.decode_state(row["state"])
        (indexed,) = session.db.query(
            "SELECT name, agency, places FROM case_search WHERE rowid = ?", [row["id"]]
        )
        assert indexed["name"] == state.packet["name"]
        assert indexed["agency"] == state.agency
        assert indexed["places"].startswith(state.last_seen_where)
        for stamp in (state.sighting, state.recovery):
            if stamp is not None and stamp.get("where"):
                assert str(stamp.get("where")) in indexed["places"]
    count = next(iter(session.db.query("SELECT COUNT(*) AS n FROM case_search")))["n"]
    assert count == queries.count(session.db, "cases")


def test_stored_projections_decode_to_the_state_their_events_replay_to(
    make_session: MakeSession,
) -> None:
    # The board decodes projections with msgspec; a replay of the case's events is the
    # reference.
    session = make_session()
    services.import_records(session, json.loads(DEMO.read_text(encoding="utf-8")))
    rows = list(session.db.query("SELECT id, child_id, state FROM cases"))
    assert len(rows) == 38
    for row in rows:
        reference = model.replay(queries.case_events(session.db, row["id"]), row["child_id"])
        decoded = codec.decode_state(row["state"])
        assert decoded == reference
        assert decoded.learned_at.utcoffset() == timedelta(0)
    # A projection stored before handover lines existed still decodes, with none set.
    old = json.loads(rows[0]["state"])
    old.pop("handover_summary")
    old.pop("contingency")
    decoded = codec.decode_state(json.dumps(old))
    assert decoded == codec.decode_state(rows[0]["state"])
    assert decoded.handover_summary is None and decoded.contingency is None
