"""The status header (operator, time, tier counts, overdue clocks, live) and the view bar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from caseboard.board.model import SHORT_TITLES, URGENT_TIERS, VIEWS, BoardModel
from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import TIERS

# The tier words where the full ones do not fit (still words: the tier never rests on colour).
SHORT_TIERS = ("CRIT", "HIGH", "ELEV", "STD")
# The header's time, longest first; the zone always follows it.
TIME_FORMATS = ("%a %Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%m-%d %H:%M:%S", "%H:%M:%S")


class StatusHeader(Widget):
    """Three lines: who and when; what is open and overdue; the handover. Repainted on every
    tick."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "header--title",
        "header--readonly",
        "header--stale",
        "header--overdue",
        "header--tier-critical",
        "header--tier-high",
    }

    def __init__(
        self,
        model: BoardModel,
        clock: Callable[[], datetime],
        zone: tzinfo,
        operator: str,
        *,
        readonly: bool,
        redact: bool,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.clock = clock
        self.zone = zone
        self.operator = operator
        self.readonly = readonly
        self.redact = redact
        self.stale_since: datetime | None = None  # the last good read, while reads fail
        self.handover = Text()  # the app's handover line (last sign-off, changes since you looked)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"header--{name}")

    def on_mount(self) -> None:
        """Keep the clock ticking under a form: the app's tick repaints the board's screen only
        while it is on top, and a form is a modal screen with the board still visible behind."""
        self.set_interval(1, self._tick_behind_a_form)

    def _tick_behind_a_form(self) -> None:
        screen = self.screen
        if screen.is_current and self.app.screen is not screen:
            self.refresh()

    def render(self) -> Text:
        """Built from Text pieces: the operator name is typed text and never markup."""
        now = self.clock()
        text = self._first_line(now)
        text.append("\n")
        text.append_text(self._counts(now))
        text.append("\n ")
        text.append_text(self.handover)
        return text

    def _first_line(self, now: datetime) -> Text:
        """' caseboard   alice (supervisor)  Sat 2026-11-28 22:00:00 CST  ● live': where that is
        too wide the date shortens, then the operator is cut, so the zone and the live mark
        stay in sight."""
        shown = now.astimezone(self.zone)
        zone = shown.tzname() or ""
        width = self.size.width
        line = Text()
        for when in TIME_FORMATS:
            line = self._line(clean(self.operator), f"{shown:{when}} {zone}")
            if not width or line.cell_len <= width:
                return line
        spare = line.cell_len - width
        operator = clean(self.operator)
        cut = operator[: max(len(operator) - spare - 1, 1)] + "…"
        return self._line(cut, f"{shown:{TIME_FORMATS[-1]}} {zone}")

    def _line(self, operator: str, when: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(" caseboard ", self._style("title"))
        text.append(f"  {operator}")
        if self.readonly:
            text.append("  ")
            text.append(" READ-ONLY ", self._style("readonly"))
        if self.redact:
            text.append("  REDACTED")
        text.append(f"  {when}")
        if self.stale_since is None:
            text.append("  ● live")
        else:
            stale = self.stale_since.astimezone(self.zone)
            text.append("  ")
            text.append(f" stale since {stale:%H:%M:%S} ", self._style("stale"))
        return text

    def _counts(self, now: datetime) -> Text:
        """' open:  CRITICAL 12  HIGH 3 ...  OVERDUE clocks 7', with the tier words shortened
        when that does not fit: with thousands of cases the numbers grow, and the line must
        neither wrap nor lose the overdue count off its end."""
        counts = self.model.tier_counts()
        overdue = self.model.overdue_clocks(now)
        label = f"OVERDUE clocks {overdue}" if overdue else "overdue clocks 0"
        for words, gap in ((TIERS, "  "), (SHORT_TIERS, " ")):
            line = Text(" open:", no_wrap=True, end="")
            for tier, word in zip(TIERS, words, strict=True):
                line.append(gap)
                urgent = tier in URGENT_TIERS
                line.append(word, self._style(f"tier-{tier.lower()}") if urgent else "")
                line.append(f" {counts[tier]}")
            line.append(gap + " ")
            line.append(label, self._style("overdue") if overdue else "")
            if self.model.unreadable:
                line.append(gap + " ")
                line.append(f"UNREADABLE {len(self.model.unreadable)}", self._style("overdue"))
            if line.cell_len <= self.size.width:
                break
        return line


class ViewBar(Widget):
    """The views with their counts, the filter and the order in force."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"viewbar--active"}

    def __init__(
        self, model: BoardModel, clock: Callable[[], datetime], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.clock = clock

    def render(self) -> Text:
        """'1 All open 57 · 2 Critical & High 20 · ...', the active view in reverse."""
        counts = self.model.view_counts(self.clock())
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        wide = self.size.width >= 100
        for number, (key, title) in enumerate(VIEWS, start=1):
            if number > 1:
                text.append(" · ")
            label = f"{number} {title if wide else SHORT_TITLES[key]} {counts[key]}"
            if key == self.model.view:
                text.append(f"[{label}]", self.get_component_rich_style("viewbar--active"))
            else:
                text.append(f" {label} ")
        if self.model.query:
            text.append(f"  / {clean(self.model.query)}")
        if self.model.longest_first:
            text.append("  longest missing first")
        return text


class PauseBanner(Widget):
    """One line shown only while live updates are paused, with the count of changes waiting."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.waiting = 0
        self.display = False

    def show(self, paused: bool, waiting: int) -> None:
        """Show (with the count) or hide; repaints only when something changed."""
        if paused != self.display:
            self.display = paused
        if waiting != self.waiting:
            self.waiting = waiting
            self.refresh()

    def render(self) -> Text:
        """'PAUSED · 3 changes waiting · p applies them' — words, not colour."""
        plural = "" if self.waiting == 1 else "s"
        return Text(
            f" ‖ PAUSED · {self.waiting} change{plural} waiting · p applies them and goes live ",
            no_wrap=True,
            overflow="ellipsis",
            end="",
        )
