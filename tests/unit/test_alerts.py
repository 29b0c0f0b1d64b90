"""Which changes to a case raise an alert: CRITICAL cases and clocks turning overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from msgspec.structs import replace

from caseboard.domain.alerts import alert_text, change_alerts, clock_alert, overdue_at
from caseboard.domain.board import CaseSummary, summarise
from caseboard.domain.clocks import Clock
from caseboard.domain.model import CaseState, Child, Stamp
from caseboard.domain.policy import Policy

LEARNED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
CHILD = Child(1, "Test Child", None, 15)


def state(**changes: object) -> CaseState:
    base = CaseState(
        case_id=7,
        child_id=1,
        status="missing",
        learned_at=LEARNED,
        last_seen_at=LEARNED - HOUR,
        last_seen_where="Example Park",
        placement_type="foster_home",
        agency="Fictional County DCFS",
        packet={},
        risk_factors=frozenset(),
        version=1,
    )
    return replace(base, **changes)


def at(case: CaseState, now: datetime, policy: Policy) -> CaseSummary:
    return summarise(case, CHILD, [], policy, now)


def test_a_new_critical_case_alerts(policy: Policy) -> None:
    now = LEARNED + HOUR
    new = at(state(risk_factors=frozenset({"trafficking"})), now, policy)
    alerts = change_alerts(None, new, now)
    assert [(a.kind, a.key) for a in alerts] == [("new_critical", "critical")]
    assert "trafficking" in alerts[0].detail.lower()


def test_a_new_standard_case_with_running_clocks_is_quiet(policy: Policy) -> None:
    now = LEARNED + HOUR
    assert change_alerts(None, at(state(), now, policy), now) == []


def test_a_risk_factor_change_to_critical_alerts_once_then_not_again(policy: Policy) -> None:
    now = LEARNED + HOUR
    old = at(state(), now, policy)
    new = at(state(risk_factors=frozenset({"suicidal"}), version=2), now, policy)
    alerts = change_alerts(old, new, now)
    assert [(a.kind, a.ident) for a in alerts] == [("critical", (7, "critical"))]
    # Already CRITICAL: a further change (a note) raises nothing.
    assert change_alerts(new, replace(new, state=replace(new.state, version=3)), now) == []


def test_an_override_to_critical_names_the_override(policy: Policy) -> None:
    now = LEARNED + HOUR
    override = Stamp(now, "sup", 3, {"tier": "CRITICAL", "reason": "[b]typed[/b]"})
    alerts = change_alerts(at(state(), now, policy), at(state(override=override), now, policy), now)
    assert [a.detail for a in alerts] == ["supervisor override"]


def test_a_correction_that_makes_a_clock_overdue_alerts(policy: Policy) -> None:
    now = LEARNED + 2 * HOUR
    old = at(state(), now, policy)
    # Learned-of corrected to 30 hours earlier: police and NCMEC (24 h) are now overdue.
    corrected = state(learned_at=LEARNED - 30 * HOUR, last_seen_at=LEARNED - 31 * HOUR)
    alerts = change_alerts(old, at(corrected, now, policy), now)
    assert {a.kind for a in alerts} == {"overdue"}
    assert {a.key.split(":")[1] for a in alerts} == {"police", "ncmec"}


def test_a_clock_already_overdue_by_time_is_not_raised_again_by_an_event(policy: Policy) -> None:
    # The old summary was computed before the breach; both are read at `now`.
    old = at(state(), LEARNED + HOUR, policy)
    now = LEARNED + 25 * HOUR
    new = at(state(notes=1, version=2), now, policy)
    assert change_alerts(old, new, now) == []


def test_clock_alert_is_keyed_by_its_due_time() -> None:
    first = Clock("no_news", "overdue", LEARNED, LEARNED + 4 * HOUR)
    again = Clock("no_news", "overdue", LEARNED + 5 * HOUR, LEARNED + 9 * HOUR)
    assert clock_alert(7, first).ident != clock_alert(7, again).ident
    assert clock_alert(7, first) == clock_alert(7, first)
    assert overdue_at(first, LEARNED + 4 * HOUR)
    assert not overdue_at(first, LEARNED + 3 * HOUR)
    assert not overdue_at(replace(first, state="done"), LEARNED + 5 * HOUR)


def test_alert_text_is_plain_words() -> None:
    alert = clock_alert(7, Clock("police", "overdue", LEARNED, LEARNED + 24 * HOUR))
    assert alert_text(alert, "(T. C.)") == "Case 7 (T. C.): Police report overdue"
