"""What a change to a case should alert a board about: CRITICAL cases and overdue clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseboard.domain.board import CaseSummary
from caseboard.domain.clocks import Clock
from caseboard.domain.describe import critical_because
from caseboard.domain.display import CLOCK_TITLES
from caseboard.domain.timefmt import to_iso

# The clocks whose breach is worth an alert: the report duties and the no-news check.
ALERT_CLOCKS = ("police", "ncmec", "ncic", "no_news", "recovery_notice", "return_interview")


@dataclass(frozen=True)
class Alert:
    """One alert: `key` identifies it within its case, so a board raises it only once."""

    case_id: int
    key: str
    kind: str  # "new_critical", "critical" or "overdue"
    detail: str  # plain vocabulary words, never typed text

    @property
    def ident(self) -> tuple[int, str]:
        """(case, key): what a board remembers so it never raises the same alert twice."""
        return (self.case_id, self.key)


def overdue_at(clock: Clock, now: datetime) -> bool:
    """True when a running clock is past its due time at `now`."""
    return (
        clock.state not in ("done", "not_started")
        and clock.due_at is not None
        and clock.due_at <= now
    )


def clock_alert(case_id: int, clock: Clock) -> Alert:
    """The alert for a clock turning overdue; keyed by its due time, so a clock restarted by
    news and breached again alerts again, but one breach never twice."""
    due = to_iso(clock.due_at) if clock.due_at is not None else ""
    title = CLOCK_TITLES.get(clock.name, clock.name)
    return Alert(case_id, f"overdue:{clock.name}:{due}", "overdue", f"{title} overdue")


def _critical_detail(summary: CaseSummary) -> str:
    risk = summary.assessment
    if risk.override_tier == "CRITICAL":
        return "supervisor override"
    # The words of the case detail and the handover ('age 9, 12 or under', 'trafficking').
    return "; ".join(critical_because(risk)) or "critical"


def change_alerts(old: CaseSummary | None, new: CaseSummary, now: datetime) -> list[Alert]:
    """Alerts raised by a case going from `old` (None: not on the board before) to `new`.

    Both are read at `now`, so a clock that breached earlier with no event does not count as
    turning overdue here (the board's tick raises that one).
    """
    alerts: list[Alert] = []
    case_id = new.case_id
    was_critical = old is not None and old.assessment.tier == "CRITICAL"
    if new.assessment.tier == "CRITICAL" and not was_critical and new.state.status != "closed":
        kind = "new_critical" if old is None else "critical"
        alerts.append(Alert(case_id, "critical", kind, _critical_detail(new)))
    for name in ALERT_CLOCKS:
        clock = new.clocks.get(name)
        if clock is None or not overdue_at(clock, now):
            continue
        before = old.clocks.get(name) if old is not None else None
        if before is not None and overdue_at(before, now) and before.due_at == clock.due_at:
            continue
        alerts.append(clock_alert(case_id, clock))
    return alerts


def alert_text(alert: Alert, case_label: str) -> str:
    """One plain line for a toast: 'Case 12 (J. A.) is CRITICAL: new case — trafficking'.

    `case_label` must already be cleaned (or redacted) for display.
    """
    if alert.kind == "new_critical":
        return f"New CRITICAL case {alert.case_id} {case_label}: {alert.detail}"
    if alert.kind == "critical":
        return f"Case {alert.case_id} {case_label} is now CRITICAL: {alert.detail}"
    return f"Case {alert.case_id} {case_label}: {alert.detail}"


def anonymous_summary(alerts: list[Alert]) -> list[str]:
    """Alerts without any case, child or place named, for a locked screen a passer-by can see:
    '1 new CRITICAL case', '2 cases became CRITICAL', '3 clocks turned overdue (Police report)'."""
    new = sum(1 for alert in alerts if alert.kind == "new_critical")
    became = sum(1 for alert in alerts if alert.kind == "critical")
    overdue = [alert.detail.removesuffix(" overdue") for alert in alerts if alert.kind == "overdue"]
    lines = []
    if new:
        lines.append(f"{new} new CRITICAL case{'' if new == 1 else 's'}")
    if became:
        lines.append(f"{became} case{'' if became == 1 else 's'} became CRITICAL")
    if overdue:
        kinds = ", ".join(sorted(set(overdue)))
        lines.append(
            f"{len(overdue)} clock{'' if len(overdue) == 1 else 's'} turned overdue ({kinds})"
        )
    return lines
