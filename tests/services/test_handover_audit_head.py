"""The audit head: every handover report names the newest event and its hash prefix, and every
sign-off records the head it was signed at (its own predecessor in the chain)."""

from __future__ import annotations

import json
from collections.abc import Callable

from caseboard import services
from caseboard.domain.audit import AuditHead
from caseboard.domain.handover_view import report_json, report_markdown
from caseboard.services import handover as ho
from caseboard.services import verify as verify_service
from services.test_handover import ZONE, demo_records

Make = Callable[..., services.Session]


def _newest(session: services.Session) -> tuple[int, str]:
    row = session.db.conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return int(row[0]), str(row[1])


def _demo(make_session: Make) -> services.Session:
    boss = make_session()
    services.add_operator(boss, "handover", "supervisor", "Handover Operator")
    session = make_session("handover")
    services.import_records(session, demo_records())
    return session


def test_every_report_prints_the_newest_event_and_its_hash(make_session: Make) -> None:
    session = _demo(make_session)
    event_id, full = _newest(session)
    report = ho.handover(session)
    assert report.audit_head == AuditHead(event_id, full[:16])
    assert report_json(report)["audit_head"] == {"id": event_id, "hash": full[:16]}
    lines = report_markdown(report, ZONE).splitlines()
    assert f"Audit head: event {event_id} · {full[:16]}" in "\n".join(lines)
    # Redaction hides typed text, not the head (ids and hashes are on the allowlist).
    assert f"event {event_id} · {full[:16]}" in report_markdown(report, ZONE, redact=True)


def test_a_signoff_records_its_predecessor_and_the_next_report_shows_it(
    make_session: Make,
) -> None:
    session = _demo(make_session)
    before_id, before_hash = _newest(session)
    signed = ho.sign_off(session, note="quiet night")
    row = session.db.conn.execute(
        "SELECT data, prev_hash FROM events WHERE id = ?", [signed]
    ).fetchone()
    data = json.loads(row[0])
    assert signed == before_id + 1
    assert data["audit_head"] == {"id": before_id, "hash": before_hash[:16]}
    assert row[1] == before_hash  # the same point the chain links through
    report = ho.handover(session)
    assert report.signoff is not None
    assert report.signoff.audit_head == AuditHead(before_id, before_hash[:16])
    assert report_json(report)["signoff"]["audit_head"] == {
        "id": before_id,
        "hash": before_hash[:16],
    }
    assert report.audit_head is not None and report.audit_head.event_id == signed
    # The head a report printed is an anchor the untouched chain passes through.
    anchor = report.audit_head.anchor()
    checked = verify_service.verify(session, [anchor, f"{before_id}:{before_hash[:16]}"])
    assert checked.ok, checked.problems
    assert checked.head == report.audit_head


def test_init_writes_its_first_operator_as_the_first_event(make_session: Make) -> None:
    session = make_session()
    row = session.db.conn.execute("SELECT id, type, case_id, data FROM events").fetchone()
    assert row[:3] == (1, "operator", None)
    assert json.loads(row[3])["role"] == "supervisor"
    report = ho.handover(session)
    assert report.audit_head is not None and report.audit_head.event_id == 1
    assert verify_service.verify(session).ok
