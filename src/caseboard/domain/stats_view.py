"""The statistics as JSON data (the keys of docs/cli.md), a Markdown report to bring to a
meeting, and CSV (the series, one row per period).

With `redact`, the one named thing, the child in the list of missed episodes, becomes initials.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, tzinfo
from typing import Any

from caseboard.domain.display import local
from caseboard.domain.stats import INTERVIEW_OUTCOMES, Missed, ReportFigures, Stats
from caseboard.domain.textsafe import clean, csv_cell, initials
from caseboard.domain.timefmt import to_iso
from caseboard.domain.vocab import PLACEMENT_TYPES, REPORT_LABELS, REPORTS, SCREEN_RESULTS

SERIES_COLUMNS = ("start", "opened", "recovered", "ncmec_on_time_share")
PERIOD_WORDS = {"day": "day", "week": "week (from Monday)", "month": "month"}


def _report_json(figures: ReportFigures) -> dict[str, Any]:
    return {
        "on_time": figures.on_time,
        "late": figures.late,
        "missed": figures.missed,
        "pending": figures.pending,
        "not_started": figures.not_started,
        "on_time_share": figures.on_time_share,
        "median_hours": figures.median_hours,
        "p90_hours": figures.p90_hours,
    }


def period_iso(start: datetime) -> str:
    """A period's start as ISO 8601 with the display zone's offset (a local midnight)."""
    return start.isoformat()


def stats_json(stats: Stats) -> dict[str, Any]:
    """Exactly the keys of docs/cli.md; nothing in it is named (no redaction needed)."""
    return {
        "window": {"since": to_iso(stats.since), "until": to_iso(stats.until)},
        "episodes": {
            "opened": stats.opened,
            "recovered": stats.recovered,
            "closed": stats.closed,
            "open": stats.open,
        },
        "reports": {report: _report_json(stats.reports[report]) for report in REPORTS},
        "recovery": {
            "median_hours": stats.recovery_median_hours,
            "p90_hours": stats.recovery_p90_hours,
        },
        "repeat": {
            "children": stats.repeat_children,
            "episodes_share": stats.repeat_episodes_share,
        },
        "interviews": dict(stats.interviews),
        "screens": dict(stats.screens),
        "by_placement": [
            {
                "type": placement.type,
                "opened": placement.opened,
                "ncmec_on_time_share": placement.ncmec_on_time_share,
                "median_missing_hours": placement.median_missing_hours,
            }
            for placement in stats.by_placement
        ],
        "series": [
            {
                "start": period_iso(period.start),
                "opened": period.opened,
                "recovered": period.recovered,
                "ncmec_on_time_share": period.ncmec_on_time_share,
            }
            for period in stats.series
        ],
        "factors": [{"factor": key, "episodes": count} for key, count in stats.factors],
        "indicators": [{"indicator": key, "episodes": count} for key, count in stats.indicators],
    }


def stats_csv(stats: Stats) -> str:
    """The series, one row per period, under a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SERIES_COLUMNS)
    for period in stats.series:
        share = period.ncmec_on_time_share
        row = [period_iso(period.start), period.opened, period.recovered, share]
        writer.writerow([csv_cell("" if value is None else value) for value in row])
    return out.getvalue()


# --- words --------------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    """0.7885 -> '79 %'; None -> '—' (nothing has fallen due)."""
    return "—" if value is None else f"{round(value * 100)} %"


def num(value: float | None) -> str:
    """Hours to one place, or '—'."""
    return "—" if value is None else f"{value:.1f}"


def plural(count: int, word: str) -> str:
    """'1 episode', '3 episodes'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def headline(stats: Stats) -> str:
    """'NCMEC was told on time for 41 of 52 episodes (79 %); 3 were never reported.'"""
    ncmec = stats.reports["ncmec"]
    if stats.opened == 0:
        return "No episode was learned of in this window."
    if ncmec.due == 0:
        waiting = plural(ncmec.pending, "episode")
        return f"No NCMEC report has fallen due yet ({waiting} still within the limit)."
    verb = "was" if ncmec.missed == 1 else "were"
    text = (
        f"NCMEC was told on time for {ncmec.on_time} of {plural(ncmec.due, 'episode')}"
        f" ({pct(ncmec.on_time_share)}); {ncmec.missed} {verb} never reported"
    )
    extra = []
    if ncmec.late:
        extra.append(f"{ncmec.late} late")
    if ncmec.pending:
        extra.append(f"{ncmec.pending} not yet due")
    return text + (f" ({', '.join(extra)})." if extra else ".")


def child_name(name: str | None, redact: bool) -> str:
    """A child's name as the report shows it: cleaned, or initials under --redact."""
    if name is None:
        return "(child record cannot be read)"
    return initials(name) if redact else clean(name)


def missed_words(missed: Missed) -> str:
    """'NCMEC report, return interview'."""
    words = [REPORT_LABELS.get(n, "return interview") for n in missed.missed]
    return ", ".join(words)


def placement_label(kind: str) -> str:
    """'group home' for group_home (an unknown id as it is, cleaned)."""
    return PLACEMENT_TYPES.get(kind, clean(kind))


def period_label(start: datetime, by: str) -> str:
    """'Mon 2026-11-02' for a day or week, '2026-11' for a month."""
    return start.strftime("%Y-%m") if by == "month" else start.strftime("%a %Y-%m-%d")


def _table(
    head: list[str], rows: list[list[str]], *, labels: bool = True, words_last: bool = False
) -> list[str]:
    """A Markdown table padded to read as text too: numbers right-aligned, the first column
    (when it holds labels) and a last column of words (`words_last`) left-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(head, *rows, strict=True)]
    left = ({0} if labels else set()) | ({len(head) - 1} if words_last else set())

    def line(cells: list[str]) -> str:
        padded = [
            str(cell).ljust(width) if index in left else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (width + 1) + ("-" if index in left else ":") for index, width in enumerate(widths)
    ) + "|"  # fmt: skip
    return [line(head), rule, *(line(row) for row in rows)]


def report_rows(stats: Stats) -> list[list[str]]:
    """One row per report: outcomes, share, median and 90th-percentile hours."""
    rows = []
    for report in REPORTS:
        f = stats.reports[report]
        rows.append(
            [
                REPORT_LABELS[report],
                str(f.on_time),
                str(f.late),
                str(f.missed),
                str(f.pending),
                str(f.not_started),
                pct(f.on_time_share),
                num(f.median_hours),
                num(f.p90_hours),
            ]
        )
    return rows


REPORT_HEAD = ["Report", "On time", "Late", "Missed", "Pending", "Not started", "On time %",
               "Median h", "90th pct h"]  # fmt: skip


def words(stats: Stats, key: str) -> str:
    """A factor or indicator id in the policy's words (an id it no longer lists, spaced)."""
    return clean(stats.words.get(key) or key.replace("_", " "))


# How many of a placement type's factors its row names.
COMMON_FACTORS = 3


def common_factors(stats: Stats, factors: tuple[tuple[str, int], ...]) -> str:
    """'to be with family (12), conflict in the placement (9)'; '—' when none was recorded."""
    top = factors[:COMMON_FACTORS]
    return ", ".join(f"{words(stats, key)} ({count})" for key, count in top) or "—"


def stats_markdown(stats: Stats, zone: tzinfo, *, redact: bool = False) -> str:
    """The report: headline, text tables, and the missed episodes listed by case."""
    count, days = stats.repeat_rule
    md: list[str] = ["# Reporting compliance and shift statistics", ""]
    md.append(
        f"Window: episodes learned of after {local(stats.since, zone)}, up to and including"
        f" {local(stats.until, zone)}; series by {PERIOD_WORDS[stats.by]}; clocks as of"
        f" {local(stats.now, zone)}."
    )
    md += ["", f"**{headline(stats)}**", ""]
    md += ["## Reports", ""]
    md += _table(REPORT_HEAD, report_rows(stats))
    md += [
        "",
        "On time: confirmed at or before the limit; late: after it; missed: not confirmed and"
        " past the limit (open, recovered or closed); pending: not yet due; not started: the"
        " clock never started (NCIC before the police report). Hours run from each clock's"
        " start to the confirmation.",
        "",
        "## Episodes",
        "",
    ]
    md += _table(
        ["Opened", "Recovered", "Closed", "Still open"],
        [[str(stats.opened), str(stats.recovered), str(stats.closed), str(stats.open)]],
        labels=False,
    )
    md += [
        "",
        f"Time missing until recovery: median {num(stats.recovery_median_hours)} h,"
        f" 90th percentile {num(stats.recovery_p90_hours)} h.",
        f"Repeat runners ({count} or more episodes within {days} days):"
        f" {plural(stats.repeat_children, 'child').replace('childs', 'children')},"
        f" {pct(stats.repeat_episodes_share)} of the window's episodes.",
        "",
        "## Return interviews",
        "",
    ]
    md += _table(
        ["On time", "Late", "Missed", "Pending"],
        [[str(stats.interviews[key]) for key in INTERVIEW_OUTCOMES]],
        labels=False,
    )
    md += ["", "Trafficking screen results:", ""]
    md += _table(
        [SCREEN_RESULTS[key].capitalize() for key in SCREEN_RESULTS],
        [[str(stats.screens[key]) for key in SCREEN_RESULTS]],
        labels=False,
    )
    md += ["", "Why children were absent (primary factors; an episode may have several):", ""]
    md += _table(
        ["Factor", "Episodes"],
        [[words(stats, key), str(count)] for key, count in stats.factors]
        or [["(no factors recorded)", "0"]],
    )
    md += ["", "Trafficking indicators while absent:", ""]
    md += _table(
        ["Indicator", "Episodes"],
        [[words(stats, key), str(count)] for key, count in stats.indicators]
        or [["(no indicators recorded)", "0"]],
    )
    md += ["", "## By placement type", ""]
    placements = [
        [placement_label(p.type), str(p.opened), pct(p.ncmec_on_time_share),
         num(p.median_missing_hours), common_factors(stats, p.factors)]
        for p in stats.by_placement
    ]  # fmt: skip
    md += _table(
        ["Placement", "Opened", "NCMEC on time", "Median hours missing", "Most common factors"],
        placements or [["(none)", "0", "—", "—", "—"]],
        words_last=True,
    )
    md += ["", f"## By {stats.by}", ""]
    series = [
        [period_label(p.start, stats.by), str(p.opened), str(p.recovered),
         pct(p.ncmec_on_time_share)]
        for p in stats.series
    ]  # fmt: skip
    md += _table(["Period", "Opened", "Recovered", "NCMEC on time"], series)
    md += ["", "## Missed, by case (to follow up)", ""]
    if not stats.missed:
        md.append("Nothing missed in this window.")
    for item in stats.missed:
        md.append(
            f"- Case {item.case_id} · {child_name(item.name, redact)} ·"
            f" {placement_label(item.placement)} · learned of {local(item.learned_at, zone)} ·"
            f" {item.status} · missed: {missed_words(item)}"
        )
    return "\n".join(md) + "\n"
