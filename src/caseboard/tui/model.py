"""The board's data in memory: rows in board order, views, filter, and live counts from `now`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cached_property

from caseboard.domain.board import CaseSummary, board_key
from caseboard.domain.clocks import Clock
from caseboard.domain.jsonview import REDACTED
from caseboard.domain.risk import time_missing
from caseboard.domain.textsafe import clean, initials
from caseboard.domain.vocab import TIERS

VIEWS: tuple[tuple[str, str], ...] = (
    ("all", "All open"),
    ("urgent", "Critical & High"),
    ("action", "Action needed"),
    ("recovered", "Recovered follow-ups"),
)
SHORT_TITLES = {"all": "All", "urgent": "Crit & High", "action": "Action", "recovered": "Recovered"}
URGENT_TIERS = ("CRITICAL", "HIGH")
BOARD_CLOCKS = ("no_news", "police", "ncmec", "ncic")
SECTION_TITLES = {"missing": "MISSING", "recovered": "RECOVERED — follow-ups open"}


def live_clock(clock: Clock, now: datetime, fraction: float) -> Clock:
    """The clock's state re-read at `now` (a running clock becomes due soon, then overdue)."""
    if clock.state in ("done", "not_started") or clock.due_at is None:
        return clock
    left = clock.due_at - now
    started = clock.started_at or clock.due_at
    if left <= timedelta(0):
        state = "overdue"
    elif left < (clock.due_at - started) * fraction:
        state = "due_soon"
    else:
        state = "due"
    return clock if state == clock.state else replace(clock, state=state)


def action_from(clock: Clock, fraction: float) -> datetime | None:
    """The moment a running clock starts to need action (due soon), None if it never will."""
    if clock.state in ("done", "not_started") or clock.due_at is None:
        return None
    started = clock.started_at or clock.due_at
    return clock.due_at - (clock.due_at - started) * fraction


class Row:
    """One case as the board shows it; typed text is cleaned once, when first needed (cleaning
    10,000 rows up front would delay the first paint)."""

    __slots__ = ("__dict__", "action_at", "redact", "summary")

    def __init__(self, summary: CaseSummary, action_at: datetime | None, redact: bool) -> None:
        self.summary = summary
        self.action_at = action_at
        self.redact = redact

    @cached_property
    def name(self) -> str:
        """The child's name for display (initials when redacting)."""
        raw = self.summary.child.name
        return initials(raw) if self.redact else clean(raw)

    @cached_property
    def haystack(self) -> str:
        """What `/` searches: name, aliases, agency and (unless redacting) places, casefolded."""
        state = self.summary.state
        aliases = state.packet.get("aliases") or ""
        if isinstance(aliases, list):
            aliases = " ".join(str(alias) for alias in aliases)
        parts = [clean(self.summary.child.name), clean(str(aliases)), clean(state.agency)]
        if not self.redact:
            parts.append(clean(state.last_seen_where))
            if state.sighting is not None:
                parts.append(clean(state.sighting.get("where")))
        return " ".join(parts).casefold()

    @property
    def case_id(self) -> int:
        """The case id."""
        return self.summary.case_id

    @property
    def status(self) -> str:
        """missing or recovered."""
        return self.summary.state.status


def make_row(summary: CaseSummary, fraction: float, redact: bool) -> Row:
    """A row with the moment its first running clock needs action."""
    moments = [action_from(clock, fraction) for clock in summary.clocks.values()]
    due = [moment for moment in moments if moment is not None]
    return Row(summary, min(due) if due else None, redact)


def last_seen(summary: CaseSummary, redact: bool) -> tuple[datetime, str]:
    """The latest sighting if newer than the intake's last seen, else last seen: when, where."""
    state = summary.state
    when, where = state.last_seen_at, state.last_seen_where
    if state.sighting is not None and state.sighting.at > when:
        when, where = state.sighting.at, state.sighting.get("where") or ""
    return when, REDACTED if redact else clean(where)


class BoardModel:
    """Open cases in board order, the current view, filter and order, and the visible lines."""

    def __init__(self, summaries: Iterable[CaseSummary], fraction: float, redact: bool) -> None:
        self.fraction = fraction
        self.redact = redact
        self.view = "all"
        self.query = ""
        self.longest_first = False
        self._rows: dict[int, Row] = {}
        self.ordered: list[Row] = []
        self.visible: list[Row] = []
        self.lines: list[Row | str] = []
        self._due: list[datetime] = []
        self._action: list[datetime] = []
        self.action_count_built = -1
        # Full-text search (services.search_case_ids) when the app wires it; substring otherwise.
        self.search: Callable[[str], set[int] | None] | None = None
        self.upsert(summaries, [], None)

    # --- data -------------------------------------------------------------------------------

    def upsert(
        self, summaries: Iterable[CaseSummary], removed: Iterable[int], now: datetime | None
    ) -> None:
        """Add or replace cases and drop removed ones, then restore board order."""
        for case_id in removed:
            self._rows.pop(case_id, None)
        for summary in summaries:
            self._rows[summary.case_id] = make_row(summary, self.fraction, self.redact)
        self.ordered = sorted(self._rows.values(), key=lambda row: self._key(row, now))
        self._due, self._action = [], []
        for row in self.ordered:
            for clock in row.summary.clocks.values():
                if clock.state not in ("done", "not_started") and clock.due_at is not None:
                    self._due.append(clock.due_at)
            if row.action_at is not None:
                self._action.append(row.action_at)
        self._action.sort()
        self._due.sort()
        # Tiers and sections change only with the data, so they are counted here, not per tick.
        self._tiers = dict.fromkeys(TIERS, 0)
        for row in self.ordered:
            self._tiers[row.summary.assessment.tier] += 1
        self._recovered = sum(1 for row in self.ordered if row.status == "recovered")

    def _key(self, row: Row, now: datetime | None) -> tuple[int, ...]:
        summary = row.summary
        elapsed = summary.elapsed_s
        if now is not None:
            elapsed = int(time_missing(summary.state, now).total_seconds())
        tier, score = summary.assessment.tier, summary.assessment.score
        return board_key(summary.state.status, tier, score, elapsed, summary.case_id)

    def get(self, case_id: int) -> Row | None:
        """A row by case id."""
        return self._rows.get(case_id)

    # --- counts -----------------------------------------------------------------------------

    def tier_counts(self) -> dict[str, int]:
        """Open cases per tier (the tier the board uses, overrides included)."""
        return dict(self._tiers)

    def overdue_clocks(self, now: datetime) -> int:
        """Running clocks past their due time at `now`."""
        return bisect_right(self._due, now)

    def action_count(self, now: datetime) -> int:
        """Cases with a clock overdue or due soon at `now`."""
        return bisect_left(self._action, now)

    def view_counts(self, now: datetime) -> dict[str, int]:
        """How many cases each view holds (before the text filter)."""
        return {
            "all": len(self.ordered),
            "urgent": sum(self._tiers[tier] for tier in URGENT_TIERS),
            "action": self.action_count(now),
            "recovered": self._recovered,
        }

    # --- the visible list -------------------------------------------------------------------

    def _in_view(self, row: Row, now: datetime) -> bool:
        if self.view == "urgent":
            return row.summary.assessment.tier in URGENT_TIERS
        if self.view == "action":
            return row.action_at is not None and row.action_at < now
        if self.view == "recovered":
            return row.status == "recovered"
        return True

    def rebuild(self, now: datetime) -> None:
        """Recompute the visible rows and the lines (section headers and rows)."""
        needle = clean(self.query).casefold().strip()
        found = self.search(self.query) if needle and self.search is not None else None
        if needle and self.search is not None and found is None:
            needle = ""  # nothing searchable typed (only punctuation): no filter
        rows = [
            row
            for row in self.ordered
            if self._in_view(row, now)
            and (
                not needle
                or (row.case_id in found if found is not None else needle in row.haystack)
            )
        ]
        if self.longest_first:
            rows.sort(
                key=lambda row: (row.status != "missing", -time_missing(row.summary.state, now))
            )
        self.visible = rows
        self.action_count_built = self.action_count(now)
        lines: list[Row | str] = []
        for status, title in SECTION_TITLES.items():
            section = [row for row in rows if row.status == status]
            if section:
                lines.append(f"{title} ({len(section)})")
                lines.extend(section)
        self.lines = lines or ["No cases match this view and filter."]

    def line_of(self, case_id: int | None) -> int | None:
        """The line showing a case, if it is visible."""
        if case_id is None:
            return None
        for index, line in enumerate(self.lines):
            if isinstance(line, Row) and line.case_id == case_id:
                return index
        return None
