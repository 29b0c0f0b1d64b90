"""The board's data in memory: rows in board order, views, filter, and live counts from `now`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import cached_property
from heapq import heapify, heappop, heappush

from caseboard.domain.board import CaseSummary, UnreadableCase, board_key
from caseboard.domain.clocks import Clock, due_soon_from
from caseboard.domain.errors import CaseboardError
from caseboard.domain.escalation import next_reassessment
from caseboard.domain.policy import Policy
from caseboard.domain.redaction import REDACTED
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
# How long a row stays marked after a live change.
CHANGED_FOR = timedelta(seconds=5)


# An empty board says how to start (the n key opens the intake form).
EMPTY_BOARD = "No open cases — press n to open one"


class Row:
    """One case as the board shows it; typed text is cleaned once, when first needed (cleaning
    10,000 rows up front would delay the first paint)."""

    __slots__ = ("__dict__", "action_at", "changed_at", "key", "reassess_at", "redact", "summary")

    def __init__(self, summary: CaseSummary, action_at: datetime | None, redact: bool) -> None:
        self.summary = summary
        self.action_at = action_at
        self.redact = redact
        self.key = order_key(summary)
        # When a live change (or the passing of time) last changed this row, for the highlight.
        self.changed_at: datetime | None = None
        # The next moment its tier or score may change with time alone (None: never, untracked).
        self.reassess_at: datetime | None = None

    @cached_property
    def name(self) -> str:
        """The child's name for display (initials when redacting)."""
        raw = self.summary.child.name
        return initials(raw) if self.redact else clean(raw)

    @cached_property
    def haystack(self) -> str:
        """What `/` searches: name, agency and (unless redacting) aliases and places, casefolded.

        With --redact only shown fields may match (search.REDACTED_SEARCH_COLUMNS): matching a
        hidden alias or place would reveal it.
        """
        state = self.summary.state
        parts = [clean(self.summary.child.name), clean(state.agency)]
        if not self.redact:
            aliases = state.packet.get("aliases") or ""
            if isinstance(aliases, list):
                aliases = " ".join(str(alias) for alias in aliases)
            parts.append(clean(str(aliases)))
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

    def highlighted(self, now: datetime) -> bool:
        """True for a few seconds after a live change to this case."""
        return self.changed_at is not None and now - self.changed_at < CHANGED_FOR


def order_key(summary: CaseSummary) -> tuple[int, ...]:
    """The board order (tier, score, time missing, id) as a key that holds while time passes.

    Every case still missing gains time at the same rate, so "longest missing first" is
    "earliest last seen first": keyed by last seen, a key never has to be recomputed and rows
    move one at a time by bisection. A case no longer missing has a fixed time missing.
    """
    state = summary.state
    if state.missing_until is None:
        elapsed = -int(state.last_seen_at.timestamp())
    else:
        elapsed = max(int((state.missing_until - state.last_seen_at).total_seconds()), 0)
    tier, score = summary.assessment.tier, summary.assessment.score
    return board_key(state.status, tier, score, elapsed, summary.case_id)


def make_row(summary: CaseSummary, fraction: float, redact: bool) -> Row:
    """A row with the moment its first running clock needs action."""
    moments = [due_soon_from(clock, fraction) for clock in summary.clocks.values()]
    due = [moment for moment in moments if moment is not None]
    return Row(summary, min(due) if due else None, redact)


UNCONFIRMED_MARK = "?"


def last_seen(summary: CaseSummary, redact: bool) -> tuple[datetime, str]:
    """The latest sighting if newer than the intake's last seen, else last seen: when, where.
    An unconfirmed sighting is marked '? ' so it never passes for where the child was seen."""
    state = summary.state
    when, where = state.last_seen_at, state.last_seen_where
    mark = ""
    if state.sighting is not None and state.sighting.at > when:
        when, where = state.sighting.at, state.sighting.get("where") or ""
        mark = "" if state.sighting.get("confirmed") else f"{UNCONFIRMED_MARK} "
    return when, mark + (REDACTED if redact else clean(where))


class UnreadableLine(str):
    """A board line for a case that cannot be read: not a row (the cursor passes over it),
    drawn as a warning rather than a section title."""

    __slots__ = ()


UNREADABLE_TITLE = "UNREADABLE — run caseboard verify"


def _first(entry: tuple[datetime, int, str] | tuple[datetime, int]) -> datetime:
    return entry[0]


def _due_entries(row: Row) -> list[tuple[datetime, int, str]]:
    return [
        (clock.due_at, row.case_id, name)
        for name, clock in row.summary.clocks.items()
        if clock.state not in ("done", "not_started") and clock.due_at is not None
    ]


def _differs(old: CaseSummary, new: CaseSummary) -> bool:
    """A change worth marking: another version of the case, or another tier or score."""
    before, after = old.assessment, new.assessment
    return old.state.version != new.state.version or (before.tier, before.score) != (
        after.tier,
        after.score,
    )


class BoardModel:
    """Open cases in board order, the current view, filter and order, and the visible lines.

    Live changes move single rows by bisection, and the moments at which something changes
    with time alone (a clock falls due or needs action, a case's tier or score escalates) are
    kept sorted, so a tick costs the same with 100 cases as with 10,000.
    """

    def __init__(
        self,
        summaries: Iterable[CaseSummary],
        fraction: float,
        redact: bool,
        *,
        policy: Policy | None = None,
        now: datetime | None = None,
        unreadable: Iterable[UnreadableCase] = (),
    ) -> None:
        self.fraction = fraction
        self.redact = redact
        # With a policy, each row's next escalation moment is tracked for take_reassessments.
        self.policy = policy
        self.view = "all"
        self.query = ""
        self.longest_first = False
        self._rows: dict[int, Row] = {}
        self.ordered: list[Row] = []
        self._keys: list[tuple[int, ...]] = []
        self.visible: list[Row] = []
        self.lines: list[Row | str] = []
        self._due: list[tuple[datetime, int, str]] = []  # running clocks: (due, case, clock)
        self._action: list[tuple[datetime, int]] = []  # (needs action from, case)
        self._reassess: list[tuple[datetime, int]] = []  # a heap; outdated entries are skipped
        self._tiers = dict.fromkeys(TIERS, 0)
        self._recovered = 0
        self.action_count_built = -1
        # Full-text search (services.search_case_ids) when the app wires it; substring otherwise.
        self.search: Callable[[str], set[int] | None] | None = None
        # Cases others changed since this operator last had the board open (marked "+"); a
        # case leaves the set when the operator opens it.
        self.unseen: set[int] = set()
        # Cases whose stored rows cannot be read: one warning line each, counted in the header.
        self.unreadable: dict[int, UnreadableCase] = {}
        self.upsert(summaries, [], now, unreadable=unreadable)

    # --- data -------------------------------------------------------------------------------

    def upsert(
        self,
        summaries: Iterable[CaseSummary],
        removed: Iterable[int],
        now: datetime | None,
        *,
        changed_at: datetime | None = None,
        unreadable: Iterable[UnreadableCase] = (),
    ) -> list[Row]:
        """Add or replace cases and drop removed ones, keeping board order; returns the rows
        that really changed (new, another version, tier or score), marked `changed_at`.
        Cases that became unreadable leave the rows for a warning line each.

        `now` is the moment the summaries were computed at (for the next escalation moment).
        """
        summaries = list(summaries)
        damaged = list(unreadable)
        removed = [*removed, *(case.case_id for case in damaged)]
        for case_id in removed:
            self.unreadable.pop(case_id, None)
        for case in damaged:
            self.unreadable[case.case_id] = case
        for summary in summaries:
            self.unreadable.pop(summary.case_id, None)
        # Many changes at once (the first load, a resync): one sort beats many bisections.
        bulk = len(summaries) + len(removed) > max(64, len(self._rows) // 8)
        for case_id in removed:
            gone = self._rows.pop(case_id, None)
            if gone is not None and not bulk:
                self._unindex(gone)
        changed: list[Row] = []
        for summary in summaries:
            old = self._rows.get(summary.case_id)
            if old is not None and not bulk:
                self._unindex(old)
            row = make_row(summary, self.fraction, self.redact)
            if self.policy is not None and now is not None:
                row.reassess_at = next_reassessment(summary.state, summary.child, self.policy, now)
            if old is None or _differs(old.summary, summary):
                row.changed_at = changed_at
                changed.append(row)
            else:
                row.changed_at = old.changed_at
            self._rows[summary.case_id] = row
            if not bulk:
                self._index(row)
        if bulk:
            self._reindex()
        return changed

    def _index(self, row: Row) -> None:
        at = bisect_left(self._keys, row.key)
        self._keys.insert(at, row.key)
        self.ordered.insert(at, row)
        for entry in _due_entries(row):
            insort(self._due, entry)
        if row.action_at is not None:
            insort(self._action, (row.action_at, row.case_id))
        if row.reassess_at is not None:
            heappush(self._reassess, (row.reassess_at, row.case_id))
        self._tiers[row.summary.assessment.tier] += 1
        self._recovered += row.status == "recovered"

    def _unindex(self, row: Row) -> None:
        at = bisect_left(self._keys, row.key)
        del self._keys[at]
        del self.ordered[at]
        for entry in _due_entries(row):
            del self._due[bisect_left(self._due, entry)]
        if row.action_at is not None:
            del self._action[bisect_left(self._action, (row.action_at, row.case_id))]
        # Its heap entry stays and is skipped when it surfaces (its row has moved on).
        self._tiers[row.summary.assessment.tier] -= 1
        self._recovered -= row.status == "recovered"

    def _reindex(self) -> None:
        self.ordered = sorted(self._rows.values(), key=lambda row: row.key)
        self._keys = [row.key for row in self.ordered]
        self._due = sorted(entry for row in self.ordered for entry in _due_entries(row))
        self._action = sorted(
            (row.action_at, row.case_id) for row in self.ordered if row.action_at is not None
        )
        self._reassess = [
            (row.reassess_at, row.case_id) for row in self.ordered if row.reassess_at is not None
        ]
        heapify(self._reassess)
        # Tiers and sections change only with the data, so they are counted here, not per tick.
        self._tiers = dict.fromkeys(TIERS, 0)
        for row in self.ordered:
            self._tiers[row.summary.assessment.tier] += 1
        self._recovered = sum(1 for row in self.ordered if row.status == "recovered")

    # --- time passing -------------------------------------------------------------------------

    def take_reassessments(self, now: datetime) -> list[int]:
        """Cases whose escalation moment has passed by `now`, each handed out once (give them
        back with `retry_reassessments` when they could not be re-read)."""
        due: list[int] = []
        heap = self._reassess
        while heap and heap[0][0] < now:
            moment, case_id = heappop(heap)
            row = self._rows.get(case_id)
            if row is not None and row.reassess_at == moment and case_id not in due:
                due.append(case_id)
        return due

    def retry_reassessments(self, case_ids: Iterable[int]) -> None:
        """Give back cases `take_reassessments` handed out, to be taken on a later tick."""
        for case_id in case_ids:
            row = self._rows.get(case_id)
            if row is not None and row.reassess_at is not None:
                heappush(self._reassess, (row.reassess_at, case_id))

    def next_reassessment(self) -> datetime | None:
        """The earliest pending escalation moment."""
        heap = self._reassess
        while heap:
            moment, case_id = heap[0]
            row = self._rows.get(case_id)
            if row is not None and row.reassess_at == moment:
                return moment
            heappop(heap)
        return None

    def clocks_breached(self, since: datetime, now: datetime) -> list[tuple[Row, Clock]]:
        """Running clocks whose due time fell in (since, now]: those that just turned overdue."""
        low = bisect_right(self._due, since, key=_first)
        high = bisect_right(self._due, now, key=_first)
        found: list[tuple[Row, Clock]] = []
        for _due_at, case_id, name in self._due[low:high]:
            row = self._rows[case_id]
            found.append((row, row.summary.clocks[name]))
        return found

    def get(self, case_id: int) -> Row | None:
        """A row by case id."""
        return self._rows.get(case_id)

    # --- counts -----------------------------------------------------------------------------

    def tier_counts(self) -> dict[str, int]:
        """Open cases per tier (the tier the board uses, overrides included)."""
        return dict(self._tiers)

    def overdue_clocks(self, now: datetime) -> int:
        """Running clocks past their due time at `now`."""
        return bisect_right(self._due, now, key=_first)

    def action_count(self, now: datetime) -> int:
        """Cases with a clock overdue or due soon at `now`."""
        return bisect_left(self._action, now, key=_first)

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
        found: set[int] | None = None
        if needle and self.search is not None:
            try:
                found = self.search(self.query)
            except CaseboardError:
                found = None  # the database cannot be searched now: match what is on screen
            else:
                if found is None:
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
        if self.unreadable:
            # First, in every view and whatever the filter: such a case may be a child at risk
            # whose clocks the board can no longer show.
            lines.append(f"{UNREADABLE_TITLE} ({len(self.unreadable)})")
            lines.extend(
                UnreadableLine(self.unreadable[key].line()) for key in sorted(self.unreadable)
            )
        for status, title in SECTION_TITLES.items():
            section = [row for row in rows if row.status == status]
            if section:
                lines.append(f"{title} ({len(section)})")
                lines.extend(section)
        if not lines and not self.ordered:
            lines.append(EMPTY_BOARD)
        self.lines = lines or ["No cases match this view and filter."]

    def line_of(self, case_id: int | None) -> int | None:
        """The line showing a case, if it is visible."""
        if case_id is None:
            return None
        for index, line in enumerate(self.lines):
            if isinstance(line, Row) and line.case_id == case_id:
                return index
        return None
