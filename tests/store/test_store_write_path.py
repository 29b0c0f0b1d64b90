"""The one write path: all or nothing, refusals write no event, and BEGIN IMMEDIATE for real."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseboard import services
from caseboard.domain.errors import BadInput, NotAllowed, Unavailable
from caseboard.domain.intake import parse_intake
from caseboard.domain.policy import Policy
from caseboard.domain.roles import Action
from caseboard.domain.synthetic import synthetic_records
from caseboard.domain.vocab import EventType
from caseboard.services.verify import verify
from caseboard.store import connection, queries
from caseboard.store.writer import NewEvent

Counts = Callable[[], dict[str, int]]
Record = Callable[..., dict[str, Any]]
MakeSession = Callable[..., services.Session]


# --- all or nothing ---------------------------------------------------------------------------


def test_an_exception_inside_the_write_path_leaves_nothing_behind(
    make_session: MakeSession,
    counts: Counts,
    intake_record: Record,
    policy: Policy,
    zone: ZoneInfo,
    now: datetime,
) -> None:
    session = make_session()
    before = counts()
    intake = parse_intake(
        intake_record(events=[{"type": "note", "at": "-30m", "text": "called the school"}]),
        now,
        zone,
        policy,
        allow_history=True,
    )
    with pytest.raises(RuntimeError, match="power cut"), session.writing(Action.INTAKE) as tx:
        child_id = tx.add_child(intake.name, None, intake.age, None)
        case_id = tx.next_case_id()
        tx.append(
            case_id, EventType.INTAKE, intake.learned_at, intake.event_data(), child_id=child_id
        )
        for event in intake.history:
            tx.append(case_id, event.type, event.at, event.data)
        # Inside the transaction the writes are there...
        assert queries.count(tx.db, "events") == before["events"] + 2
        assert queries.case_record(tx.db, case_id) is not None
        raise RuntimeError("power cut")
    # ...and afterwards nothing is, on this connection or any other.
    assert not session.db.conn.in_transaction
    assert counts() == before
    assert queries.count(session.db, "children") == before["children"]
    # The session is still usable, and event ids (the audit chain) continue without a gap.
    case_id = services.open_case(session, intake_record())
    assert queries.case_record(session.db, case_id) is not None
    ids = [row["id"] for row in session.db.query("SELECT id FROM events ORDER BY id")]
    assert ids == list(range(1, before["events"] + 2))


@pytest.mark.parametrize("failing", ["batch", "single"])
def test_a_failed_append_caught_inside_the_transaction_cannot_be_committed(
    failing: str, make_session: MakeSession, counts: Counts, now: datetime
) -> None:
    # A failed append may have moved the audit chain on in memory; a caller that caught the
    # error and wrote on would have committed an event linked to one never written.
    session = make_session()
    services.import_records(session, synthetic_records(3, seed=1))
    before = counts()
    refused = pytest.raises(RuntimeError, match="an earlier write in this transaction failed")
    with refused, session.writing(Action.NOTE) as tx:
        with pytest.raises(ValueError):
            if failing == "batch":  # case 2 exists: an intake cannot open it again
                tx.append_batch([NewEvent(2, EventType.INTAKE, now, {}, child_id=1)])
            else:  # no such case
                tx.append(999, EventType.NOTE, now, {"text": "to nowhere"})
        tx.append(2, EventType.NOTE, now, {"text": "written after the failure"})
    assert not session.db.conn.in_transaction
    assert counts() == before
    report = verify(session)
    assert report.ok, [problem.line() for problem in report.problems]


def test_only_a_correction_supersedes_and_it_is_never_batched(
    make_session: MakeSession, counts: Counts, now: datetime
) -> None:
    session = make_session()
    services.import_records(session, synthetic_records(2, seed=3))
    before = counts()
    note = {"text": "a note passing for a correction"}
    with pytest.raises(ValueError, match="only a correction"), session.writing(Action.NOTE) as tx:
        tx.append(2, EventType.NOTE, now, note, supersedes=1)
    correction = NewEvent(2, EventType.CORRECTION, now, {"changes": {}})
    batched = pytest.raises(ValueError, match="one at a time")
    with batched, session.writing(Action.CORRECT) as tx:
        tx.append_batch([correction])
    assert counts() == before


def test_a_bad_record_late_in_an_import_rolls_back_the_records_before_it(
    make_session: MakeSession, counts: Counts, intake_record: Record
) -> None:
    session = make_session()
    before = counts()
    records = [
        intake_record("First Okayson"),
        intake_record("Second Okayson"),
        # Valid on its own; only the write finds there is no such child.
        intake_record("Third Badlink", child_id=999),
    ]
    with pytest.raises(BadInput) as caught:
        services.import_records(session, records)
    assert caught.value.field == "child_id"
    assert counts() == before


# --- refusals ----------------------------------------------------------------------------------


def test_an_unknown_operator_is_refused_and_no_event_is_written(
    make_session: MakeSession, counts: Counts, intake_record: Record
) -> None:
    make_session()
    before = counts()
    stranger = make_session("stranger", unchecked=True)
    with pytest.raises(NotAllowed) as caught:
        services.open_case(stranger, intake_record())
    assert "caseboard operators add stranger" in str(caught.value)
    after = counts()
    assert {k: after[k] for k in ("events", "cases", "children", "operators")} == {
        k: before[k] for k in ("events", "cases", "children", "operators")
    }
    assert after["access_log"] == before["access_log"] + 1, "refusals are logged"


def test_an_unknown_operator_cannot_even_open_a_session(make_session: MakeSession) -> None:
    make_session()
    with pytest.raises(NotAllowed, match="caseboard operators add stranger --role viewer"):
        make_session("stranger")


def test_a_role_without_the_right_is_refused_and_no_event_is_written(
    make_session: MakeSession, counts: Counts, intake_record: Record
) -> None:
    supervisor = make_session()
    services.add_operator(supervisor, "vic", "viewer", "Vic Viewer")
    before = counts()
    viewer = make_session("vic")
    with pytest.raises(NotAllowed, match="viewer"):
        services.open_case(viewer, intake_record())
    after = counts()
    assert after["events"] == before["events"]
    assert after["cases"] == before["cases"]
    assert after["children"] == before["children"]
    rows = list(supervisor.db.query("SELECT username, action FROM access_log"))
    assert rows == [{"username": "vic", "action": "intake"}]


def test_a_disabled_operator_is_refused(
    make_session: MakeSession, counts: Counts, intake_record: Record
) -> None:
    supervisor = make_session()
    services.add_operator(supervisor, "dora", "dispatcher", None)
    dora = make_session("dora")
    services.open_case(dora, intake_record())
    services.disable_operator(supervisor, "dora")
    before = counts()
    with pytest.raises(NotAllowed):
        services.open_case(dora, intake_record("Another Child"))
    assert counts()["events"] == before["events"]


def test_readonly_refuses_before_anything_and_writes_nothing_at_all(
    make_session: MakeSession, counts: Counts, intake_record: Record
) -> None:
    make_session()
    before = counts()
    readonly = make_session(readonly=True)
    with pytest.raises(NotAllowed, match="read-only"):
        services.open_case(readonly, intake_record())
    with (
        pytest.raises(NotAllowed, match="read-only"),
        readonly.writing(Action.INTAKE),
    ):
        pytest.fail("the body of a refused write must not run")
    assert counts() == before
    # The read-only connection itself cannot write either, whatever the code tries.
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        readonly.db.execute(
            "INSERT INTO access_log (at, username, action, outcome) VALUES (1,1,1,1)"
        )


def test_a_refused_write_body_never_runs(make_session: MakeSession, counts: Counts) -> None:
    make_session()
    before = counts()
    stranger = make_session("stranger", unchecked=True)
    with pytest.raises(NotAllowed), stranger.writing(Action.INTAKE):
        pytest.fail("the body of a refused write must not run")
    assert counts()["events"] == before["events"]


# --- BEGIN IMMEDIATE ---------------------------------------------------------------------------


def test_the_write_path_takes_the_write_lock_when_it_begins(
    make_session: MakeSession, db_path: Path
) -> None:
    """With a plain (deferred) BEGIN another writer could still get in before the first write."""
    session = make_session()
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        # Nothing is written in this transaction, only read (the role check): the lock must
        # already be held.
        with (
            session.writing(Action.INTAKE),
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
        # Released at commit.
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_write_waits_for_another_writer_and_then_lands(
    make_session: MakeSession, db_path: Path, counts: Counts, intake_record: Record
) -> None:
    session = make_session()
    holding = threading.Event()
    hold_s = 0.6

    def hold_the_write_lock() -> None:
        with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            holding.set()
            time.sleep(hold_s)
            other.execute("COMMIT")

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        case_id = services.open_case(session, intake_record())
        waited = time.monotonic() - started
    finally:
        holder.join()
    assert waited >= hold_s * 0.5, "the write did not wait for the other writer"
    assert counts()["cases"] == 1
    assert queries.case_record(session.db, case_id) is not None


def test_a_write_blocked_past_the_busy_timeout_is_unavailable_and_writes_nothing(
    make_session: MakeSession,
    db_path: Path,
    counts: Counts,
    intake_record: Record,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only to keep the test fast: the real timeout is several seconds.
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.4)
    session = make_session()
    assert session.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 400
    before = counts()
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(Unavailable, match="locked") as caught:
            services.open_case(session, intake_record())
        waited = time.monotonic() - started
        other.execute("ROLLBACK")
    assert waited >= 0.3, "gave up without waiting for the busy timeout"
    assert caught.value.exit_code == 5
    assert not session.db.conn.in_transaction
    assert counts() == before
    # Once the other writer is gone the same session writes normally.
    services.open_case(session, intake_record())
    assert counts()["cases"] == before["cases"] + 1
