"""d: the packet completed from the board — filled with what is on file, only changes saved."""

from __future__ import annotations

from caseboard import services
from caseboard.tui.app import CaseboardApp
from support.formkit import SIZE, error_of, events, fill, first_case, open_form, submit, summary


async def test_the_packet_form_saves_only_what_changed(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: not s.state.packet.get("caseworker"))
    before = summary(demo_session, case_id)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "d")
        filled = {key: form.value(key) for key in ("clothing", "caseworker")}
        assert filled["caseworker"] == ""
        assert filled["clothing"] == str(before.state.packet.get("clothing") or "")
        fill(form, caseworker="J. Example", caseworker_phone="555-0100")
        await submit(pilot)
        logged = events(demo_session, case_id)
        assert len(logged) == count + 1
        assert logged[-1].type == "packet"
        assert logged[-1].data == {"caseworker": "J. Example", "caseworker_phone": "555-0100"}
        after = summary(demo_session, case_id)
        assert after.packet_complete > before.packet_complete


async def test_an_unchanged_packet_is_refused_in_the_form(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: True)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "d")
        await submit(pilot)
        assert error_of(form, "aliases") == "✗ nothing changed"
        fill(form, photo_date="2999-01-01")
        await submit(pilot)
        assert error_of(form, "photo_date") == "✗ is in the future"
        assert len(events(demo_session, case_id)) == count
