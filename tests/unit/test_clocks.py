"""Each clock's transitions: not started, due, due soon, overdue, done (late), frozen at close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from caseboard import paths
from caseboard.domain import model
from caseboard.domain import policy as policy_module
from caseboard.domain.clocks import Clock, compute, needs_action
from caseboard.domain.model import CaseState, Event
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import EventType, Report

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
# The agency learns of the absence at T0; the child was last seen an hour earlier.
T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
LAST_SEEN = T0 - HOUR


def opened() -> CaseState:
    event = Event(
        id=1,
        case_id=7,
        type=EventType.INTAKE,
        occurred_at=T0,
        recorded_at=T0,
        actor="dispatcher1",
        data={
            "name": "Ava Testwood",
            "age": 15,
            "learned_at": to_iso(T0),
            "last_seen_at": to_iso(LAST_SEEN),
            "last_seen_where": "Maple St bus stop",
            "placement_type": "group_home",
            "agency": "Cook County DCFS",
            "risk_factors": [],
        },
    )
    return model.start(event, child_id=3)


def then(
    state: CaseState, kind: str, at: datetime, actor: str = "liaison1", **data: Any
) -> CaseState:
    event = Event(state.last_event_id + 1, state.case_id, EventType(kind), at, at, actor, data)
    return model.apply(state, event)


def confirm(
    state: CaseState, report: str, at: datetime, ref: str, actor: str = "liaison1"
) -> CaseState:
    return then(
        state, "confirm", at, actor, report=report, ref=ref, agency="CPD", officer="Ofc. Ruiz"
    )


def clocks_at(
    state: CaseState, policy: Policy, now: datetime, tier: str = "STANDARD"
) -> dict[str, Clock]:
    return compute(state, tier, policy, now)


def test_every_clock_is_computed(policy: Policy) -> None:
    clocks = clocks_at(opened(), policy, T0)
    assert list(clocks) == [
        "police",
        "ncmec",
        "ncic",
        "no_news",
        "recovery_notice",
        "return_interview",
    ]
    assert {name: clock.name for name, clock in clocks.items()} == {name: name for name in clocks}


# --- police and NCMEC -------------------------------------------------------------------------


@pytest.mark.parametrize("report", ["police", "ncmec"])
@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (timedelta(0), "due"),  # "due now" from the start
        (12 * HOUR, "due"),
        (18 * HOUR, "due"),  # exactly 25% (6h) left is not under 25%
        (18 * HOUR + SECOND, "due_soon"),
        (24 * HOUR - SECOND, "due_soon"),
        (24 * HOUR, "overdue"),  # at due
        (30 * HOUR, "overdue"),
    ],
)
def test_report_clock_runs_from_learned_at(
    policy: Policy, report: str, elapsed: timedelta, state: str
) -> None:
    now = T0 + elapsed
    clock = clocks_at(opened(), policy, now)[report]
    assert clock.state == state
    assert clock.started_at == T0
    assert clock.due_at == T0 + 24 * HOUR
    assert clock.remaining(now) == 24 * HOUR - elapsed
    assert clock.done_at is None
    assert clock.late is False


@pytest.mark.parametrize("report", ["police", "ncmec"])
@pytest.mark.parametrize(
    ("confirmed_after", "late"), [(3 * HOUR, False), (24 * HOUR, False), (25 * HOUR, True)]
)
def test_report_clock_done_with_ref_by_and_time(
    policy: Policy, report: Report, confirmed_after: timedelta, late: bool
) -> None:
    done_at = T0 + confirmed_after
    state = confirm(opened(), report, done_at, "24-0012", actor="liaison7")
    clock = clocks_at(state, policy, T0 + 40 * HOUR)[report]
    assert clock == Clock(
        report,
        "done",
        started_at=T0,
        due_at=T0 + 24 * HOUR,
        done_at=done_at,
        ref="24-0012",
        by="liaison7",
        late=late,
    )
    assert clock.remaining(T0 + 40 * HOUR) is None


def test_police_report_does_not_stop_the_ncmec_clock(policy: Policy) -> None:
    state = confirm(opened(), "police", T0 + HOUR, "24-0012")
    clocks = clocks_at(state, policy, T0 + 25 * HOUR)
    assert clocks["police"].state == "done"
    assert clocks["ncmec"].state == "overdue"


# --- NCIC ------------------------------------------------------------------------------------


def test_ncic_not_started_before_the_police_report(policy: Policy) -> None:
    state = confirm(opened(), "ncmec", T0 + HOUR, "NCMEC-1")
    clock = clocks_at(state, policy, T0 + 30 * HOUR)["ncic"]
    assert clock == Clock("ncic", "not_started")
    assert clock.remaining(T0) is None


@pytest.mark.parametrize(
    ("after_police", "state"),
    [
        (timedelta(0), "due"),
        (90 * timedelta(minutes=1), "due"),  # 30m of 2h left: exactly 25%
        (90 * timedelta(minutes=1) + SECOND, "due_soon"),
        (2 * HOUR, "overdue"),
        (5 * HOUR, "overdue"),
    ],
)
def test_ncic_runs_two_hours_from_police_confirmation(
    policy: Policy, after_police: timedelta, state: str
) -> None:
    police_at = T0 + 3 * HOUR
    case = confirm(opened(), "police", police_at, "24-0012")
    clock = clocks_at(case, policy, police_at + after_police)["ncic"]
    assert clock.state == state
    assert clock.started_at == police_at
    assert clock.due_at == police_at + 2 * HOUR


def test_ncic_done_with_the_nic_number(policy: Policy) -> None:
    police_at = T0 + 3 * HOUR
    case = confirm(opened(), "police", police_at, "24-0012")
    case = confirm(case, "ncic", police_at + 3 * HOUR, "M123456789", actor="liaison2")
    clock = clocks_at(case, policy, police_at + 10 * HOUR)["ncic"]
    assert clock.state == "done"
    assert clock.ref == "M123456789"
    assert clock.by == "liaison2"
    assert clock.done_at == police_at + 3 * HOUR
    assert clock.late is True


# --- no news ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "hours"), [("CRITICAL", 4), ("HIGH", 12), ("ELEVATED", 24), ("STANDARD", 72)]
)
def test_no_news_window_by_tier_from_last_seen(policy: Policy, tier: str, hours: int) -> None:
    window = hours * HOUR
    case = opened()
    assert clocks_at(case, policy, LAST_SEEN, tier)["no_news"].state == "due"
    clock = clocks_at(case, policy, LAST_SEEN + window * 0.75 + SECOND, tier)["no_news"]
    assert clock.state == "due_soon"
    assert clock.started_at == LAST_SEEN
    assert clock.due_at == LAST_SEEN + window
    assert clocks_at(case, policy, LAST_SEEN + window, tier)["no_news"].state == "overdue"


@pytest.mark.parametrize(
    ("kind", "data"),
    [("sighting", {"where": "Union Station", "confirmed": True}), ("contact", {"how": "phone"})],
)
def test_confirmed_sighting_or_contact_restarts_no_news(
    policy: Policy, kind: str, data: dict[str, Any]
) -> None:
    news_at = T0 + 2 * HOUR
    case = then(opened(), kind, news_at, **data)
    now = LAST_SEEN + 4 * HOUR  # the old CRITICAL window would be overdue now
    clock = clocks_at(case, policy, now, "CRITICAL")["no_news"]
    assert clock.started_at == news_at
    assert clock.due_at == news_at + 4 * HOUR
    assert clock.state == "due"


def test_unconfirmed_sighting_does_not_restart_no_news(policy: Policy) -> None:
    case = then(opened(), "sighting", T0 + 2 * HOUR, where="Union Station", confirmed=False)
    clock = clocks_at(case, policy, LAST_SEEN + 4 * HOUR, "CRITICAL")["no_news"]
    assert clock.started_at == LAST_SEEN
    assert clock.due_at == LAST_SEEN + 4 * HOUR
    assert clock.state == "overdue"


def test_no_news_anchor_is_the_latest_news(policy: Policy) -> None:
    case = then(opened(), "contact", T0 + 5 * HOUR, how="phone")
    # A confirmed sighting logged afterwards but from earlier does not move the anchor back.
    case = then(case, "sighting", T0 + 3 * HOUR, where="Union Station", confirmed=True)
    clock = clocks_at(case, policy, T0 + 6 * HOUR, "HIGH")["no_news"]
    assert clock.started_at == T0 + 5 * HOUR
    assert clock.due_at == T0 + 17 * HOUR


def test_no_news_done_at_recovery(policy: Policy) -> None:
    recovered_at = T0 + 30 * HOUR
    case = then(opened(), "recovery", recovered_at, actor="officer9", where="home", by="CPD")
    clock = clocks_at(case, policy, T0 + 100 * HOUR, "ELEVATED")["no_news"]
    assert clock.state == "done"
    assert clock.done_at == recovered_at
    assert clock.ref == "recovered"
    assert clock.by == "officer9"
    assert clock.due_at == LAST_SEEN + 24 * HOUR
    assert clock.late is True


# --- recovery notices -------------------------------------------------------------------------


def test_recovery_notice_not_started_before_recovery(policy: Policy) -> None:
    clocks = clocks_at(opened(), policy, T0 + 100 * HOUR)
    assert clocks["recovery_notice"] == Clock("recovery_notice", "not_started")
    assert clocks["return_interview"] == Clock("return_interview", "not_started")


def recovered(at: datetime) -> CaseState:
    return then(opened(), "recovery", at, where="Union Station", by="CPD")


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [(timedelta(0), "due"), (18 * HOUR + SECOND, "due_soon"), (24 * HOUR, "overdue")],
)
def test_recovery_notice_runs_24h_from_recovery(
    policy: Policy, elapsed: timedelta, state: str
) -> None:
    recovered_at = T0 + 10 * HOUR
    clock = clocks_at(recovered(recovered_at), policy, recovered_at + elapsed)["recovery_notice"]
    assert clock.state == state
    assert clock.started_at == recovered_at
    assert clock.due_at == recovered_at + 24 * HOUR
    assert clock.ref is None


@pytest.mark.parametrize(("told", "ref"), [("police", "police told"), ("ncmec", "ncmec told")])
def test_recovery_notice_still_running_with_one_told(policy: Policy, told: str, ref: str) -> None:
    recovered_at = T0 + 10 * HOUR
    case = then(recovered(recovered_at), "notify", recovered_at + HOUR, report=told)
    clock = clocks_at(case, policy, recovered_at + 2 * HOUR)["recovery_notice"]
    assert clock.state == "due"
    assert clock.ref == ref
    assert clock.due_at == recovered_at + 24 * HOUR
    late = clocks_at(case, policy, recovered_at + 24 * HOUR)["recovery_notice"]
    assert late.state == "overdue"


def test_recovery_notice_done_when_both_told(policy: Policy) -> None:
    recovered_at = T0 + 10 * HOUR
    case = then(recovered(recovered_at), "notify", recovered_at + 5 * HOUR, "disp2", report="ncmec")
    case = then(case, "notify", recovered_at + 2 * HOUR, "disp1", report="police")
    clock = clocks_at(case, policy, recovered_at + 30 * HOUR)["recovery_notice"]
    assert clock.state == "done"
    assert clock.done_at == recovered_at + 5 * HOUR  # the later of the two notices
    assert clock.by == "disp2"
    assert clock.ref == "police+ncmec"
    assert clock.late is False


# --- return interview -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [(timedelta(0), "due"), (54 * HOUR + SECOND, "due_soon"), (72 * HOUR, "overdue")],
)
def test_return_interview_runs_72h_from_recovery(
    policy: Policy, elapsed: timedelta, state: str
) -> None:
    recovered_at = T0 + 10 * HOUR
    clock = clocks_at(recovered(recovered_at), policy, recovered_at + elapsed)["return_interview"]
    assert clock.state == state
    assert clock.due_at == recovered_at + 72 * HOUR


@pytest.mark.parametrize(
    ("screen", "ref"),
    [("none", "no concern"), ("possible", "possible concern"), ("clear", "clear concern")],
)
def test_return_interview_done_with_screen_result(policy: Policy, screen: str, ref: str) -> None:
    recovered_at = T0 + 10 * HOUR
    case = then(
        recovered(recovered_at), "interview", recovered_at + 20 * HOUR, "cw1", screen=screen
    )
    clock = clocks_at(case, policy, recovered_at + 100 * HOUR)["return_interview"]
    assert clock.state == "done"
    assert clock.ref == ref
    assert clock.by == "cw1"
    assert clock.done_at == recovered_at + 20 * HOUR
    assert clock.late is False


# --- closed cases -----------------------------------------------------------------------------


def test_closed_case_clocks_are_frozen_at_close(policy: Policy) -> None:
    closed_at = T0 + 2 * HOUR
    case = then(opened(), "close", closed_at, "supervisor1", reason="duplicate report")
    much_later = T0 + 500 * HOUR
    assert clocks_at(case, policy, much_later) == clocks_at(case, policy, closed_at)
    police = clocks_at(case, policy, much_later)["police"]
    assert police.state == "due"  # it was due (22h left) when the case closed
    # Last seen 3h before the close: 1h of the CRITICAL 4h window was left, so still "due".
    no_news = clocks_at(case, policy, much_later, "CRITICAL")["no_news"]
    assert no_news.state == "due"
    assert no_news.due_at == LAST_SEEN + 4 * HOUR
    assert clocks_at(opened(), policy, much_later, "CRITICAL")["no_news"].state == "overdue"


def test_closed_case_read_before_close_is_not_frozen(policy: Policy) -> None:
    case = then(opened(), "close", T0 + 30 * HOUR, "supervisor1", reason="duplicate")
    assert clocks_at(case, policy, T0 + 25 * HOUR)["police"].state == "overdue"


# --- strict-2h profile --------------------------------------------------------------------------


@pytest.fixture
def strict() -> Policy:
    return policy_module.load(
        paths.builtin_policy_text("federal"), paths.builtin_policy_text("strict-2h")
    )


@pytest.mark.parametrize("report", ["police", "ncmec"])
@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (timedelta(0), "due"),
        (90 * timedelta(minutes=1) + SECOND, "due_soon"),
        (2 * HOUR, "overdue"),
    ],
)
def test_strict_profile_police_and_ncmec_due_within_2h(
    strict: Policy, report: str, elapsed: timedelta, state: str
) -> None:
    clock = clocks_at(opened(), strict, T0 + elapsed)[report]
    assert clock.due_at == T0 + 2 * HOUR
    assert clock.state == state


def test_strict_profile_late_confirmation(strict: Policy, policy: Policy) -> None:
    case = confirm(opened(), "police", T0 + 3 * HOUR, "24-0012")
    assert clocks_at(case, strict, T0 + 4 * HOUR)["police"].late is True
    assert clocks_at(case, policy, T0 + 4 * HOUR)["police"].late is False


def test_needs_action(policy: Policy) -> None:
    case = opened()
    assert needs_action(clocks_at(case, policy, T0)) is False
    assert needs_action(clocks_at(case, policy, T0 + 20 * HOUR)) is True  # police/NCMEC due soon
    assert needs_action(clocks_at(case, policy, T0 + 30 * HOUR)) is True
