"""The board re-reads a case's clocks as time passes with the domain's own rules: what it shows
at a later moment is what computing the case afresh at that moment gives."""

from __future__ import annotations

from datetime import datetime, timedelta

from caseboard import services
from caseboard.board.model import make_row
from caseboard.domain.clocks import clock_at, compute, due_soon_from


def test_a_clock_re_read_later_matches_the_case_computed_then(
    demo_session: services.Session, now: datetime
) -> None:
    policy = demo_session.policy
    fraction = policy.due_soon_fraction
    summaries = services.list_cases(demo_session)
    seen_states = set()
    for later in (now + timedelta(minutes=m) for m in (0, 30, 6 * 60, 30 * 60, 80 * 60 * 24)):
        for summary in summaries:
            fresh = compute(summary.state, summary.assessment.tier, policy, later)
            for name, stored in summary.clocks.items():
                shown = clock_at(stored, later, fraction)
                assert shown.state == fresh[name].state, (summary.case_id, name, later)
                seen_states.add(shown.state)
    # The demo data moves clocks through every state in that time, so each rule is exercised.
    assert {"due", "due_soon", "overdue", "done", "not_started"} <= seen_states


def test_a_row_needs_action_from_the_moment_its_first_clock_is_due_soon(
    demo_session: services.Session,
) -> None:
    fraction = demo_session.policy.due_soon_fraction
    for summary in services.list_cases(demo_session):
        row = make_row(summary, fraction, redact=False)
        moments = [due_soon_from(clock, fraction) for clock in summary.clocks.values()]
        running = [moment for moment in moments if moment is not None]
        assert row.action_at == (min(running) if running else None)
        for clock in summary.clocks.values():
            turns = due_soon_from(clock, fraction)
            if turns is None:
                continue
            before, after = turns - timedelta(seconds=1), turns + timedelta(seconds=1)
            assert clock_at(clock, before, fraction).state == "due"
            assert clock_at(clock, after, fraction).state in ("due_soon", "overdue")
