"""The return-interview form as the statute reads (#17), through Pilot: factors and indicators
ticked in the practitioner's words (never ids), experiences, both screens and the response;
what it refuses; and the case detail, where the next episode reads what happened last time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.widgets import SelectionList, Static

from caseboard import services
from caseboard.domain.board import CaseSummary
from caseboard.services import actions
from caseboard.tui.app import CaseboardApp
from caseboard.tui.detail_text import detail_text
from caseboard.tui.screen import BoardScreen
from support.formkit import SIZE, error_of, events, fill, first_case, open_form, submit, summary


def _recovered_without_interview(s: CaseSummary) -> bool:
    return s.state.status == "recovered" and s.state.interview is None


async def test_the_form_records_every_statute_field(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, _recovered_without_interview)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "i")
        factors = form.field("factors").control
        assert isinstance(factors, SelectionList)
        shown = [str(factors.get_option_at_index(i).prompt) for i in range(factors.option_count)]
        assert shown[:3] == [
            "conflict in the placement",
            "to be with family",
            "to be with friends or a partner",
        ]
        assert not any("_" in label for label in shown)  # words, never ids
        fill(
            form,
            at="15m ago",
            factors=["family", "school"],
            experiences="stayed with an aunt across town",
            indicators=["gifts_or_new_phone"],
            screen="possible",
            labor_screen="none",
            response="weekly supervised visits",
        )
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        event = events(demo_session, case_id)[-1]
        assert event.type == "interview"
        assert event.data == {
            "screen": "possible",
            "labor_screen": "none",
            "factors": ["family", "school"],
            "experiences": "stayed with an aunt across town",
            "indicators": ["gifts_or_new_phone"],
            "response": "weekly supervised visits",
            "police_told": False,
        }
        assert summary(demo_session, case_id).clocks["return_interview"].state == "done"


async def test_other_needs_its_text_and_nothing_is_written_until_it_has_it(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, _recovered_without_interview)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "i")
        fill(form, at="15m ago", screen="none", factors=["other"])
        await submit(pilot)
        assert "say what the 'other' factor was" in error_of(form, "other_factor")
        assert len(events(demo_session, case_id)) == count
        fill(form, other_factor="wanted to see a concert")
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        data = events(demo_session, case_id)[-1].data
        assert data["factors"] == ["other"]
        assert data["other_factor"] == "wanted to see a concert"


async def test_a_clear_labor_concern_warns_and_asks_about_police(
    app: CaseboardApp, demo_session: services.Session
) -> None:
    case_id = first_case(demo_session, _recovered_without_interview)
    count = len(events(demo_session, case_id))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await open_form(pilot, app, case_id, "i")
        fill(form, at="15m ago", screen="none", labor_screen="clear")
        await pilot.pause()
        warning = form.query_one("#clear-warning", Static)
        assert warning.display and "police must be told" in str(warning.render())
        await submit(pilot)
        assert "police not marked as told" in error_of(form, "police_told")
        assert len(events(demo_session, case_id)) == count
        fill(form, police_told=True)
        await submit(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert events(demo_session, case_id)[-1].data["labor_screen"] == "clear"
        assert summary(demo_session, case_id).state.interview is not None


def _case(session: services.Session, hours: int, child: int | None = None) -> int:
    record: dict[str, Any] = {
        "name": "Tess Example",
        "age": 14,
        "learned_at": f"{hours - 1}h ago",
        "last_seen_at": f"{hours}h ago",
        "last_seen_where": "Sample Group Home",
        "placement_type": "group_home",
        "agency": "Sample County",
    }
    if child is not None:
        record["child_id"] = child
    return services.open_case(session, record)


def test_the_detail_of_the_next_episode_says_what_happened_last_time(
    make_session: Callable[..., services.Session], now: datetime, zone: Any
) -> None:
    session = make_session()
    first = _case(session, 60)
    actions.record_recovery(session, first, {"at": "50h ago", "where": "Mall", "by": "PD"})
    actions.record_interview(
        session,
        first,
        {
            "at": "48h ago",
            "screen": "none",
            "factors": ["family"],
            "response": "weekly supervised visits",
            "experiences": "at her mother's flat",
        },
    )
    actions.close_case(session, first, "home")
    child = services.show_case(session, first).summary.state.child_id
    second = _case(session, 3, child)
    said = "last time: to be with family; response: weekly supervised visits"
    text = detail_text(services.show_case(session, second), now, zone, False, 0.25, 100).plain
    now_block = text[text.index("\nNow\n") : text.index("\nLatest\n")]
    assert f"  Earlier episode: {said}\n" in now_block
    episodes = text[text.index("Earlier and other episodes of this child") :]
    assert f"    {said}\n" in episodes
    redacted = detail_text(services.show_case(session, second), now, zone, True, 0.25, 100).plain
    assert "last time: to be with family; response: [redacted]" in redacted
    assert "weekly supervised visits" not in redacted
    earlier = detail_text(services.show_case(session, first), now, zone, False, 0.25, 100).plain
    assert "Earlier episode:" not in earlier  # the later episode teaches the earlier nothing
    assert "  Primary factors     to be with family\n" in earlier
    assert "  While absent        at her mother's flat\n" in earlier
