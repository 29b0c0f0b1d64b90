"""The statistics screen: reports on time per period, hours to NCMEC, episodes by placement,
drawn in the terminal (textual-plotext), with the numbers behind each chart one key away.

The figures are read in a worker thread on a connection of its own, so the board never waits.
Series are told apart by their marker letters and signs, not by colour (NO_COLOR, monochrome
terminals). Nothing typed by a person reaches a chart; the numbers view shows cleaned text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from caseboard import services
from caseboard.domain.errors import CaseboardError
from caseboard.domain.stats import Stats
from caseboard.domain.stats_periods import SPANS
from caseboard.domain.stats_view import headline, pct, period_label
from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import PLACEMENT_TYPES, REPORT_LABELS, REPORTS
from caseboard.services import stats as stats_service
from caseboard.services.stats import StatsResult
from caseboard.tui.keys import STATS_KEYS
from caseboard.tui.longtext import Line, LongText
from caseboard.tui.styles import CSSPath, css

SPAN_ORDER = ("7d", "30d", "12m")
CHARTS = ("On-time share per period", "Hours to NCMEC confirmation", "Episodes by placement")
# One letter per report: the lines are told apart without colour.
REPORT_MARKS = {"police": "P", "ncic": "I", "ncmec": "N"}
PLACEMENT_MARKS = dict(zip(PLACEMENT_TYPES, ("#", "=", "o", "+", ":", "."), strict=True))
SHORT_PLACEMENTS = {
    "foster_home": "foster", "kin": "kin", "group_home": "group", "residential": "resid.",
    "shelter": "shelter", "other": "other",
}  # fmt: skip
BIN_H, LAST_H = 2, 48  # the histogram: 2-hour bins up to 48 hours, then one bin for the rest


def tick(stats: Stats, index: int) -> str:
    """A short x label for period `index`: '11-02' for a day or week, 'Nov' for a month."""
    start = stats.series[index].start
    return start.strftime("%b") if stats.by == "month" else start.strftime("%m-%d")


def hour_bins(hours: tuple[float, ...]) -> list[int]:
    """Counts per 2-hour bin from 0 to 48 hours, and a last bin for 48 hours or more."""
    bins = [0] * (LAST_H // BIN_H + 1)
    for value in hours:
        bins[min(int(max(value, 0) // BIN_H), len(bins) - 1)] += 1
    return bins


def bin_label(index: int) -> str:
    """'0–2 h', …, '48 h or more'."""
    if index * BIN_H >= LAST_H:
        return f"{LAST_H} h or more"
    return f"{index * BIN_H}–{(index + 1) * BIN_H} h"


def whole_ticks(top: int) -> list[float]:
    """At most five whole-number ticks from 0 to `top` (counts are never fractions)."""
    step = max(1, -(-top // 4))
    return [float(n) for n in range(0, top + step, step)]


def legend(stats: Stats, chart: int) -> str:
    """What tells the series apart (letters and signs, not colour)."""
    if chart == 0:
        return "P police · I NCIC · N NCMEC · the line: 100 %"
    if chart == 1:
        return f"# episodes per {BIN_H} hours · the bar │ : the 24-hour limit · 48+: 48 h or more"
    kinds = [p.type for p in stats.by_placement]
    if not kinds:
        return "no episodes in this period"
    return " · ".join(
        f"{PLACEMENT_MARKS.get(k, '*')} {SHORT_PLACEMENTS.get(k, clean(k))}" for k in kinds
    )


def numbers(stats: Stats, chart: int) -> list[Line]:
    """The figures behind a chart, as lines (headings marked)."""
    lines: list[Line] = [(CHARTS[chart], True)]
    if chart == 0:
        lines.append(
            (f"{'period':<16}" + "".join(f"{REPORT_LABELS[r]:>15}" for r in REPORTS), False)
        )
        for period in stats.series:
            cells = "".join(f"{pct(period.shares.get(r)):>15}" for r in REPORTS)
            lines.append((f"{period_label(period.start, stats.by):<16}{cells}", False))
        total = "".join(f"{pct(stats.reports[r].on_time_share):>15}" for r in REPORTS)
        lines.append((f"{'whole window':<16}{total}", False))
    elif chart == 1:
        ncmec = stats.reports["ncmec"]
        lines.append((f"{len(ncmec.hours)} confirmed; the limit is 24 hours", False))
        for index, count in enumerate(hour_bins(ncmec.hours)):
            lines.append((f"{bin_label(index):<14}{count:>8}", False))
        lines.append(
            (f"median {ncmec.median_hours} h · 90th percentile {ncmec.p90_hours} h", False)
        )
    else:
        kinds = [p.type for p in stats.by_placement]
        head = "".join(f"{SHORT_PLACEMENTS.get(k, clean(k))[:8]:>9}" for k in kinds)
        lines.append((f"{'period':<16}{head}{'all':>7}", False))
        for period in stats.series:
            cells = "".join(f"{period.placements.get(k, 0):>9}" for k in kinds)
            lines.append(
                (f"{period_label(period.start, stats.by):<16}{cells}{period.opened:>7}", False)
            )
    return lines


def draw(plot: PlotextPlot, stats: Stats, chart: int) -> None:
    """Draw one chart on the plot widget (it is rebuilt at its size when rendered)."""
    plt = plot.plt
    plt.clear_figure()
    count = len(stats.series)
    xs = [float(x) for x in range(1, count + 1)]
    step = max(1, count // 8)  # at most about eight labels fit under an 80-column chart
    ticks = xs[::step]
    labels = [tick(stats, int(x) - 1) for x in ticks]
    if chart == 0:
        for report in REPORTS:
            points = [
                (x, share * 100)
                for x, period in zip(xs, stats.series, strict=True)
                if (share := period.shares.get(report)) is not None
            ]
            if points:
                px, py = zip(*points, strict=True)
                plt.plot(list(px), list(py), marker=REPORT_MARKS[report])
        plt.hline(100)
        plt.ylim(0, 105)
        plt.yticks([0, 25, 50, 75, 100])
        plt.xticks(ticks, labels)
        plt.xlim(0.5, count + 0.5)
    elif chart == 1:
        bins = hour_bins(stats.reports["ncmec"].hours)
        centres = [index * BIN_H + BIN_H / 2 for index in range(len(bins))]
        plt.bar(centres, bins, width=0.8, marker="#")
        plt.yticks(whole_ticks(max(bins)))
        plt.vline(24)
        plt.xticks([0.0, 12.0, 24.0, 36.0, 48.0], ["0", "12", "24", "36", "48+"])
    else:
        kinds = [p.type for p in stats.by_placement]
        if kinds:
            top = max((period.opened for period in stats.series), default=0)
            plt.yticks(whole_ticks(top))
            stacks = [[p.placements.get(k, 0) for p in stats.series] for k in kinds]
            marks = [PLACEMENT_MARKS.get(k, "*") for k in kinds]
            # plotext takes a marker per stack (its annotations say one str).
            plt.stacked_bar(xs, stacks, marker=marks, width=0.8)  # type: ignore[arg-type]
            plt.xticks(ticks, labels)
    plot.refresh()


class StatsScreen(Screen[None]):
    """Statistics for the last 7 days, 30 days or 12 months; three charts and their numbers."""

    CSS_PATH: ClassVar[CSSPath | None] = css("stats.tcss")
    BINDINGS: ClassVar[list[BindingType]] = list(STATS_KEYS)

    def __init__(self, session: services.Session, *, redact: bool = False) -> None:
        super().__init__()
        self.session = session
        self.redact = redact
        self.span = "30d"
        self.chart = 0
        self.show_numbers = False
        self.result: StatsResult | None = None

    def compose(self) -> ComposeResult:
        """Title, headline, the chart (or its numbers), footer."""
        yield Static(Text(""), id="stats-title")
        yield Static(Text("Loading statistics…"), id="stats-headline")
        yield Static(Text(""), id="stats-legend")
        yield PlotextPlot(id="stats-chart")
        yield LongText(id="stats-numbers")
        yield Footer()

    def on_mount(self) -> None:
        """Start reading; the chart area waits for the figures."""
        self.query_one("#stats-numbers", LongText).display = False
        self.load()

    def load(self) -> None:
        """Read the figures for the chosen period in a worker (never on the UI thread)."""
        self._title("loading…")
        self.read(self.span)

    @work(thread=True, exclusive=True, group="stats")
    def read(self, span: str) -> None:
        """The worker: the service opens its own connection (the board's is not thread-safe)."""
        try:
            result = stats_service.span_statistics(self.session, span)
        except CaseboardError as exc:
            said = exc.shown(self.redact)
            self.app.call_from_thread(self._failed, said)
            return
        self.app.call_from_thread(self._loaded, span, result)

    def _failed(self, said: str) -> None:
        self.notify(said, title="Statistics not read", severity="error", markup=False)
        self.query_one("#stats-headline", Static).update(Text("Statistics could not be read."))

    def _loaded(self, span: str, result: StatsResult) -> None:
        if span != self.span:
            return  # an older read finishing after the period changed
        self.result = result
        for line in result.unreadable:
            self.notify(line, title="Left out", severity="warning", markup=False)
        self.query_one("#stats-headline", Static).update(Text(headline(result.stats)))
        self.show()

    def _title(self, extra: str = "") -> None:
        label = SPANS[self.span][0]
        text = f"Statistics · {label} · {self.chart + 1}/3 {CHARTS[self.chart]}"
        if self.show_numbers:
            text += " · numbers"
        if extra:
            text += f" · {extra}"
        self.query_one("#stats-title", Static).update(Text(text, style="bold"))

    def show(self) -> None:
        """The current chart, or its numbers."""
        self._title()
        if self.result is None:
            return
        plot = self.query_one("#stats-chart", PlotextPlot)
        table = self.query_one("#stats-numbers", LongText)
        shown = "" if self.show_numbers else legend(self.result.stats, self.chart)
        self.query_one("#stats-legend", Static).update(Text(shown))
        plot.display = not self.show_numbers
        table.display = self.show_numbers
        if self.show_numbers:
            table.show(numbers(self.result.stats, self.chart))
        else:
            draw(plot, self.result.stats, self.chart)

    def action_period(self) -> None:
        """The next period: 7 days, 30 days, 12 months."""
        self.span = SPAN_ORDER[(SPAN_ORDER.index(self.span) + 1) % len(SPAN_ORDER)]
        self.result = None
        self.load()

    def action_chart(self) -> None:
        """The next chart."""
        self.chart = (self.chart + 1) % len(CHARTS)
        self.show()

    def action_numbers(self) -> None:
        """Switch between the chart and the numbers behind it."""
        self.show_numbers = not self.show_numbers
        self.show()

    def action_refresh(self) -> None:
        """Read the figures again (new events, clocks at the new now)."""
        self.load()

    def action_back(self) -> None:
        """Back to the board."""
        self.dismiss(None)
