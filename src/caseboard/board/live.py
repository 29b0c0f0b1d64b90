"""The board's live loop without the screen: poll, hold while paused, apply, alert, go stale."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from caseboard import services
from caseboard.board.model import BoardModel, Row
from caseboard.domain.alerts import Alert, alert_text, change_alerts, clock_alert
from caseboard.domain.board import CaseSummary, UnreadableCase
from caseboard.domain.errors import Unavailable
from caseboard.domain.textsafe import clean, initials
from caseboard.services.live import Changes, LiveReader

__all__ = ["Changes", "LiveBoard", "LiveReader", "Outcome", "Pending", "operator_role"]

NAME_CELLS = 40  # a toast names the child, cut so one long name cannot fill the screen


def operator_role(session: services.Session) -> str | None:
    """The operator's active role as of opening the board, or None."""
    return session.role


def _own(change: Changes, case_id: int, operator: str) -> bool:
    """True when every event on the case in this change was written by `operator`."""
    return change.actors.get(case_id) == frozenset({operator})


@dataclass
class Pending:
    """Changes held while the board is paused, merged per case (the latest state wins)."""

    summaries: dict[int, CaseSummary] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    others: set[int] = field(default_factory=set)  # cases changed by someone else (or time)
    as_of: datetime | None = None
    unreadable: dict[int, UnreadableCase] = field(default_factory=dict)

    def add(self, change: Changes, operator: str) -> None:
        """Merge one poll's changes in."""
        for case in change.unreadable:
            self.unreadable[case.case_id] = case
            self.summaries.pop(case.case_id, None)
            self.removed.discard(case.case_id)
        for summary in change.summaries:
            self.summaries[summary.case_id] = summary
            self.removed.discard(summary.case_id)
            self.unreadable.pop(summary.case_id, None)
            if not _own(change, summary.case_id, operator):
                self.others.add(summary.case_id)
        for case_id in change.removed:
            self.summaries.pop(case_id, None)
            self.unreadable.pop(case_id, None)
            self.removed.add(case_id)
        # The earliest moment: escalation moments computed from it are never late.
        if change.as_of is not None and (self.as_of is None or change.as_of < self.as_of):
            self.as_of = change.as_of

    def __len__(self) -> int:
        """How many cases have changes waiting."""
        return len(self.summaries) + len(self.removed) + len(self.unreadable)


@dataclass
class Outcome:
    """What one poll or tick did: alerts to raise (each with its toast text, which names the
    child), whether the board changed."""

    messages: list[str] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)  # the same alerts, structured (no names)
    changed: list[Row] = field(default_factory=list)
    applied: bool = False
    error: str | None = None  # the database could not be read: the board is stale

    def add(self, raised: Iterable[tuple[Alert, str]]) -> None:
        """Alerts with their toast texts."""
        for alert, message in raised:
            self.alerts.append(alert)
            self.messages.append(message)


class LiveBoard:
    """Applies other operators' commits and the passing of time to a BoardModel.

    The app calls `poll` a few times a second and `tick` every second; the benchmark drives
    the same object, so what it measures is what the board does.
    """

    def __init__(
        self,
        feed: LiveReader,
        model: BoardModel,
        clock: Callable[[], datetime],
        operator: str,
        *,
        redact: bool = False,
    ) -> None:
        self.feed = feed
        self.model = model
        self.clock = clock
        self.operator = operator
        self.redact = redact
        self.paused = False
        self.pending = Pending()
        self.alerted: set[tuple[int, str]] = set()
        self.last_good = clock()
        self.last_tick = self.last_good
        self.stale_since: datetime | None = None  # the last good read, while reads fail

    # --- polling ------------------------------------------------------------------------------

    def poll(self, refresh: Iterable[int] = ()) -> Outcome:
        """Read what other processes committed (and re-read `refresh`); apply it unless paused.

        A database that cannot be read leaves the board as it was and marks it stale.
        """
        now = self.clock()
        try:
            change = self.feed.poll(now, refresh)
        except Unavailable as exc:
            if self.stale_since is None:
                self.stale_since = self.last_good
            return Outcome(error=str(exc))
        self.last_good = now
        self.stale_since = None
        if change is None:
            return Outcome()
        outcome = Outcome()
        outcome.add(self._alerts(change, now))
        if self.paused:
            self.pending.add(change, self.operator)
            return outcome
        changed = self.model.upsert(
            change.summaries,
            change.removed,
            change.as_of,
            changed_at=now,
            unreadable=change.unreadable,
        )
        outcome.changed = self._mark(changed, lambda case_id: _own(change, case_id, self.operator))
        outcome.applied = True
        return outcome

    @staticmethod
    def _mark(changed: list[Row], own: Callable[[int], bool]) -> list[Row]:
        """The operator's own changes are not highlighted: they know, and their cursor is there."""
        for row in changed:
            if own(row.case_id):
                row.changed_at = None
        return [row for row in changed if row.changed_at is not None]

    def _known(self, case_id: int) -> CaseSummary | None:
        """The latest state this board has of a case (held changes first)."""
        if case_id in self.pending.summaries:
            return self.pending.summaries[case_id]
        row = self.model.get(case_id)
        return None if row is None else row.summary

    def _alerts(self, change: Changes, now: datetime) -> list[tuple[Alert, str]]:
        messages: list[tuple[Alert, str]] = []
        for summary in change.summaries:
            alerts = change_alerts(self._known(summary.case_id), summary, now)
            # This operator's own action is not echoed back to them, but counts as raised.
            own = _own(change, summary.case_id, self.operator)
            messages.extend(self._raise(alerts, summary, silent=own))
        return messages

    def _raise(
        self, alerts: Iterable[Alert], summary: CaseSummary, *, silent: bool
    ) -> list[tuple[Alert, str]]:
        raised: list[tuple[Alert, str]] = []
        for alert in alerts:
            if alert.ident in self.alerted:
                continue
            self.alerted.add(alert.ident)
            if not silent:
                raised.append((alert, alert_text(alert, self.label(summary))))
        return raised

    def label(self, summary: CaseSummary) -> str:
        """The child as a toast names them: cleaned, initials when redacting, cut short."""
        raw = summary.child.name
        name = initials(raw) if self.redact else clean(raw)
        if len(name) > NAME_CELLS:
            name = name[: NAME_CELLS - 1] + "…"
        return f"({name})"

    # --- time passing -------------------------------------------------------------------------

    def tick(self) -> Outcome:
        """Every second: alert on clocks that just turned overdue, and (unless paused) re-read
        the cases whose escalation moment passed. Costs a bisection when nothing is due."""
        now = self.clock()
        outcome = Outcome()
        for row, clock in self.model.clocks_breached(self.last_tick, now):
            alert = clock_alert(row.case_id, clock)
            outcome.add(self._raise([alert], row.summary, silent=False))
        self.last_tick = max(now, self.last_tick)
        if self.paused:
            return outcome
        due = self.model.take_reassessments(now)
        if not due:
            return outcome
        polled = self.poll(due)
        if polled.error is not None:
            self.model.retry_reassessments(due)
        polled.messages[:0] = outcome.messages
        polled.alerts[:0] = outcome.alerts
        return polled

    # --- pause --------------------------------------------------------------------------------

    def pause(self) -> None:
        """Hold changes (and re-sorting by time) so the operator can read a still board."""
        self.paused = True

    def resume(self) -> Outcome:
        """Apply everything held, then carry on live."""
        self.paused = False
        held, self.pending = self.pending, Pending()
        outcome = Outcome()
        if not len(held):
            return outcome
        removed = list(held.removed)
        now = self.clock()
        changed = self.model.upsert(
            held.summaries.values(),
            removed,
            held.as_of,
            changed_at=now,
            unreadable=held.unreadable.values(),
        )
        outcome.changed = self._mark(changed, lambda case_id: case_id not in held.others)
        outcome.applied = True
        return outcome
