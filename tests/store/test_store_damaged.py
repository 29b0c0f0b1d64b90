"""Reading around damaged rows: the fast path stays the same, the fallback is per row, a
rebuilt projection is exactly the stored one, and no message quotes stored text."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from caseboard import paths, services
from caseboard.domain.board import UnreadableCase
from caseboard.domain.errors import Damaged
from caseboard.store import codec, queries
from caseboard.store.rows import fetch_all
from support.damage import BAD_UTF8, case_with_intake, set_event, set_state

MakeSession = Callable[..., services.Session]
ESC = "\x1b]0;pwned\x07"  # a terminal title sequence, as a hostile edit might store it


@pytest.fixture
def session(make_session: MakeSession) -> services.Session:
    session = make_session()
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    return session


def test_a_rebuilt_projection_equals_the_stored_one(session: services.Session) -> None:
    for record in queries.case_records(session.db, include_closed=True).records:
        rebuilt = queries.rebuild_state(session.db, record.state.case_id, record.child.id)
        assert rebuilt == record.state


def test_one_damaged_projection_is_rebuilt_and_the_others_read_as_before(
    session: services.Session, db_path: Path
) -> None:
    before = queries.case_records(session.db)
    case_id, _child, _event = case_with_intake(db_path)
    set_state(db_path, case_id, "{" + ESC)
    after = queries.case_records(session.db)
    assert after.unreadable == []
    assert {r.state.case_id: r for r in after.records} == {
        r.state.case_id: r for r in before.records
    }


def test_nothing_to_rebuild_from_makes_one_unreadable_case(
    session: services.Session, db_path: Path
) -> None:
    case_id, child_id, event_id = case_with_intake(db_path)
    set_state(db_path, case_id, ESC)
    set_event(db_path, event_id, "data", ESC)
    found = queries.case_records(session.db)
    assert found.unreadable == [UnreadableCase(case_id, child_id, found.unreadable[0].why)]
    assert f"event {event_id} cannot be decoded" in found.unreadable[0].why
    assert case_id not in {r.state.case_id for r in found.records}
    with pytest.raises(Damaged, match=f"case {case_id} cannot be read") as raised:
        queries.case_events(session.db, case_id)
    assert "\x1b" not in str(raised.value)
    assert isinstance(queries.case_record(session.db, case_id), UnreadableCase)


def test_decode_events_names_the_bad_column_without_quoting_it(
    session: services.Session, db_path: Path
) -> None:
    _case, _child, event_id = case_with_intake(db_path)
    set_event(db_path, event_id, "occurred_at", ESC)
    rows = fetch_all(session.db, "SELECT * FROM events ORDER BY id", by_name=True)
    events, bad = codec.decode_events(rows)
    assert len(events) == len(rows) - 1
    ((bad_id, _bad_case, what),) = bad
    assert bad_id == event_id
    assert what == "occurred_at is not a time with an offset (ISO 8601)"


def test_text_that_is_not_utf8_fails_one_row_not_the_query(
    session: services.Session, db_path: Path
) -> None:
    case_id, _child, _event = case_with_intake(db_path)
    set_state(db_path, case_id, BAD_UTF8)
    with closing(sqlite3.connect(db_path)) as conn, pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT state FROM cases").fetchall()  # what sqlite3 does on its own
    rows = fetch_all(session.db, "SELECT id, state FROM cases ORDER BY id")
    assert len(rows) == queries.count(session.db, "cases")
    assert session.db.conn.text_factory is str  # put back for every later read
    assert case_id in {r.state.case_id for r in queries.case_records(session.db).records}
