"""Pilot tests of intake, note, risk, override, close and correction forms (board and detail)."""

from __future__ import annotations

from textual.widgets import Select, Static

from caseboard import services
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail import DetailScreen
from caseboard.tui.forms.base import FormScreen
from caseboard.tui.forms.correct import EventPicker
from caseboard.tui.screen import BoardScreen
from support.formkit import (
    SIZE,
    board_screen,
    error_of,
    events,
    fill,
    first_case,
    missing,
    notes,
    open_form,
    row_text,
    still_selected,
    submit,
    summary,
    top_form,
)
from support.keyboard import type_text
from support.reading import palette_offers

# --- intake --------------------------------------------------------------------------------

INTAKE = {
    "name": "Quinn Formtester",
    "age": "13",
    "learned_at": "10m ago",
    "last_seen_at": "1h ago",
    "last_seen_where": "Example Middle School",
    "placement_type": "group_home",
    "agency": "Fictional County DCFS",
}


async def test_intake_opens_a_case_and_the_cursor_moves_to_it(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    before = {s.case_id for s in services.list_cases(demo_session)}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = top_form(app)
        fill(form, **INTAKE, risk_factors=["suicidal", "substance_use"])
        fill(form, clothing="red hoodie", photo_on_file=True, caseworker_phone="555-0100")
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        (case_id,) = {s.case_id for s in services.list_cases(demo_session)} - before
        detail = services.show_case(demo_session, case_id)
        intake = detail.events[0]
        assert intake.type == "intake" and intake.data["name"] == "Quinn Formtester"
        assert intake.data["age"] == 13 and intake.data["clothing"] == "red hoodie"
        assert intake.data["photo_on_file"] is True
        assert sorted(detail.summary.state.risk_factors) == ["substance_use", "suicidal"]
        assert detail.summary.assessment.tier == "CRITICAL"
        assert not detail.other_episodes
        assert still_selected(app, case_id)
        assert "Quinn" in row_text(app, case_id)


async def test_intake_offers_to_link_a_child_on_file(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    earlier = first_case(demo_session, lambda s: s.child.dob is not None)
    child = summary(demo_session, earlier).child
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = top_form(app)
        await type_text(pilot, child.name.split()[-1][:6])
        await pilot.pause()
        assert form.field("child").display
        fill(form, dob=str(child.dob))
        await pilot.pause()
        select = form.field("child").control
        assert isinstance(select, Select)
        fill(form, child=str(child.id), name=child.name)
        fill(form, **{k: v for k, v in INTAKE.items() if k not in ("name", "age")})
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        newest = max(s.case_id for s in services.list_cases(demo_session))
        detail = services.show_case(demo_session, newest)
        assert detail.summary.child.id == child.id
        assert earlier in [episode.case_id for episode in detail.other_episodes]


async def test_intake_bad_input_names_the_field(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    count = len(services.list_cases(demo_session, include_closed=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = top_form(app)
        fill(form, **{**INTAKE, "name": ""})
        await submit(pilot)
        assert error_of(form, "name") == "✗ is required"
        fill(form, name="N" * 121)
        await submit(pilot)
        assert "limit is 120" in error_of(form, "name")
        fill(form, name="Quinn", age="", dob="")
        await submit(pilot)
        assert error_of(form, "dob") == "✗ is required (or age)"
        fill(form, age="13", last_seen_at="+3h")
        await submit(pilot)
        assert "in the future" in error_of(form, "last_seen_at")
        fill(form, last_seen_at="1h ago", agency="")
        await submit(pilot)
        assert error_of(form, "agency") == "✗ is required"
        assert app.screen is form and form.value("name") == "Quinn"
        assert len(services.list_cases(demo_session, include_closed=True)) == count


# --- note (from the detail screen), risk, override, close ----------------------------------


async def test_note_from_the_detail_screen_shows_in_its_timeline(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("a")
        await pilot.pause()
        form = top_form(app)
        await submit(pilot)
        assert error_of(form, "text") == "✗ is required"
        assert len(events(demo_session, case_id)) == count
        await type_text(pilot, "aunt [b]called[/b]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert events(demo_session, case_id)[-1].data == {"text": "aunt [b]called[/b]"}
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "Note: aunt [b]called[/b]" in body
        await pilot.press("escape")
        assert still_selected(app, case_id)


async def test_risk_factors_are_sent_as_added_and_removed(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: missing(s) and len(s.state.risk_factors) >= 2)
    current = sorted(summary(demo_session, case_id).state.risk_factors)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "f")
        assert sorted(form.value("factors")) == current
        await submit(pilot)
        assert "give factors" in error_of(form, "factors")
        fill(form, factors=[*current[1:], "pregnancy"])
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        event = events(demo_session, case_id)[-1]
        assert event.type == "risk"
        assert dict(event.data) == {"add": ["pregnancy"], "remove": [current[0]]}
        state = summary(demo_session, case_id).state
        assert state.risk_factors == frozenset([*current[1:], "pregnancy"])
        assert still_selected(app, case_id)


async def test_a_supervisor_overrides_and_clears_the_tier(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: s.assessment.tier == "CRITICAL")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "o")
        fill(form, tier="STANDARD", reason="")
        await submit(pilot)
        assert error_of(form, "reason") == "✗ is required"
        fill(form, reason="with her grandmother, confirmed by phone")
        await submit(pilot)
        risk = summary(demo_session, case_id).assessment
        assert risk.tier == "STANDARD" and risk.computed_tier == "CRITICAL"
        assert row_text(app, case_id).startswith("▶ STANDARD")
        assert still_selected(app, case_id)
        form = await open_form(pilot, app, case_id, "o")
        fill(form, tier="none", reason="back to the computed tier")
        await submit(pilot)
        assert summary(demo_session, case_id).assessment.tier == "CRITICAL"


async def test_close_warns_about_open_clocks_and_needs_a_tick(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, lambda s: missing(s) and not s.state.confirmations)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "x")
        warning = str(form.query_one("#close-warning", Static).render())
        assert "Police report still" in warning and "NCMEC report still" in warning
        fill(form, reason="")
        await submit(pilot)  # the empty required field is named before anything else
        assert error_of(form, "reason") == "✗ is required"
        assert error_of(form, "anyway") == ""
        fill(form, reason="placement found her")
        await submit(pilot)
        assert "tick this" in error_of(form, "anyway")
        assert len(events(demo_session, case_id)) == count
        fill(form, reason="duplicate of another case", anyway=True)
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert summary(demo_session, case_id).state.status == "closed"
        assert app.model.get(case_id) is None
        assert any(sev == "warning" and "Police report" in msg for sev, msg in notes(app))


# --- corrections ----------------------------------------------------------------------------


async def test_correct_a_sighting_picked_from_the_detail_timeline(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    logged = actions.log_sighting(demo_session, case_id, {"at": "2h ago", "where": "Mal"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, EventPicker)
        await pilot.press("enter")  # the newest event comes first
        await pilot.pause()
        form = top_form(app)
        assert form.value("where") == "Mal" and form.value("at") == "2026-11-27 20:00"
        fill(form, where="Mall food court")
        await submit(pilot)
        assert "is required" in error_of(form, "why")
        fill(form, at="+3h", why="typo")
        await submit(pilot)
        assert "in the future" in error_of(form, "at")
        fill(form, at="2026-11-27 20:00")
        await submit(pilot)
        assert isinstance(app.screen, DetailScreen)
        correction = events(demo_session, case_id)[-1]
        assert correction.type == "correction" and correction.supersedes == logged.event_id
        assert correction.data["changes"] == {"where": "Mall food court"}
        state = summary(demo_session, case_id).state
        assert state.sighting is not None and state.sighting.get("where") == "Mall food court"
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert f"corrected by {correction.actor}: typo (#{correction.id})" in body


async def test_strike_an_event_from_the_board(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, missing)
    logged = actions.add_note(demo_session, case_id, "wrong case")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board_screen(app).board.reload(keep=case_id)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EventPicker)
        await pilot.press("enter")
        await pilot.pause()
        form = top_form(app)
        fill(form, why="entered on the wrong case", void=True)
        await submit(pilot)
        correction = events(demo_session, case_id)[-1]
        assert correction.supersedes == logged.event_id and correction.data["void"] is True
        assert still_selected(app, case_id)


async def test_q_in_a_form_does_not_quit(app: CaseboardApp, demo_session: services.Session) -> None:
    case_id = first_case(demo_session, missing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "s")
        form.field("confirmed").control.focus()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.screen is form
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_palette_and_help_offer_the_case_actions(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#help-body", Static).render())
        assert "Case actions (board and detail)" in text and "Correct an event" in text
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Sighting")
        await palette_offers(pilot, "Sighting")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.FORM_TITLE == "Sighting"


async def test_typed_markup_stays_text_in_forms(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    name = "Bobby [/] [@click=app.quit]Tables"
    case_id = services.open_case(
        demo_session,
        {**INTAKE, "name": name, "learned_at": "5m ago"},
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.poll()
        form = await open_form(pilot, app, case_id, "s")
        title = str(form.query_one("#form-title", Static).render())
        assert f"case {case_id}: {name}" in title
        await pilot.press("escape", "n")
        await pilot.pause()
        form = top_form(app)
        await type_text(pilot, "Bobby [")
        await pilot.pause()
        select = form.field("child").control
        assert isinstance(select, Select)
        labels = [str(prompt) for prompt, _value in select._options]
        assert any(name in label for label in labels)
        assert app.is_running
