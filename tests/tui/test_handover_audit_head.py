"""The board's handover screen shows the audit head, and after a sign-off the head it recorded."""

from __future__ import annotations

import json
from collections.abc import Callable

from caseboard import paths, services
from caseboard.services import handover as ho
from caseboard.tui.app import CaseboardApp
from caseboard.tui.handover import HandoverScreen
from caseboard.tui.longtext import LongText
from support.reading import settled

Make = Callable[..., services.Session]


def _newest(session: services.Session) -> tuple[int, str]:
    row = session.db.conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return int(row[0]), str(row[1])


async def test_the_handover_screen_shows_the_audit_head(make_session: Make) -> None:
    session = make_session()
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    ho.sign_off(session, note="read back")
    signed_id, signed_hash = _newest(session)
    app = CaseboardApp(session)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(HandoverScreen(session))
        await settled(pilot)
        shown = "\n".join(app.screen.query_one("#handover-body", LongText).shown)
    assert f"Audit head: event {signed_id} · {signed_hash[:16]}" in shown
    row = session.db.conn.execute("SELECT prev_hash FROM events WHERE id = ?", [signed_id])
    before = row.fetchone()[0]
    assert f"Audit head at that sign-off: event {signed_id - 1} · {before[:16]}" in shown
