"""Board columns: which fit a width, and each cell's text and emphasis computed from `now`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from caseboard.board.model import Row, last_seen
from caseboard.domain.clocks import clock_at as live_clock
from caseboard.domain.describe import critical_tag
from caseboard.domain.display import ago, clock_cell, percent
from caseboard.domain.flags import FLAG_MARK, case_flags
from caseboard.domain.risk import time_missing
from caseboard.domain.textsafe import clean
from caseboard.domain.timefmt import span

PLACEMENT_SHORT = {
    "foster_home": "foster",
    "kin": "kin",
    "group_home": "group",
    "residential": "resid.",
    "shelter": "shelter",
    "other": "other",
}
_MINOR_UNIT = re.compile(r"(\d+[dh])\d+[hm]$")
GAP = 1
GUTTER = 2  # the cursor mark "▶" and the changed mark "•": neither relies on colour


@dataclass(frozen=True)
class Column:
    """One board column: minimum width, how far it may grow, alignment."""

    key: str
    title: str
    width: int
    grow: int = 0
    right: bool = False


# In priority order: when the terminal narrows, columns drop from the end of this list.
COLUMNS: tuple[Column, ...] = (
    Column("tier", "TIER", 9),
    Column("score", "PTS", 3, right=True),
    Column("child", "CHILD (AGE)", 14, grow=18),
    Column("missing", "MISSING", 7, right=True),
    Column("seen", "LAST SEEN", 12, grow=26),
    Column("no_news", "NO NEWS", 11),
    Column("police", "POLICE", 11),
    Column("ncmec", "NCMEC", 11),
    Column("ncic", "NCIC", 11),
    Column("agency", "PLACEMENT / AGENCY", 12, grow=24),
    Column("packet", "PKT", 4, right=True),
    Column("id", "CASE", 6, right=True),
)


# A full name of up to 24 cells and its age: what the CHILD column takes when the terminal has
# room for it and still for every column up to POLICE; narrower terminals cut the name instead.
CHILD_FULL = 30
KEEP_WITH_FULL_NAMES = 7  # tier, score, child, missing, last seen, no news, police


def _choose(width: int, child_width: int) -> list[Column]:
    chosen: list[Column] = []
    used = GUTTER
    for column in COLUMNS:
        least = child_width if column.key == "child" else column.width
        need = least + (GAP if chosen else 0)
        if used + need > width:
            break
        chosen.append(column)
        used += need
    return chosen


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit `width` cells, with the spare width shared by the growing ones.

    The child's name has priority: where a full name fits beside the columns up to POLICE,
    it gets that room before later columns are added."""
    chosen = _choose(width, CHILD_FULL)
    if len(chosen) < KEEP_WITH_FULL_NAMES:
        chosen = _choose(width, next(c.width for c in COLUMNS if c.key == "child"))
    used = GUTTER + sum(column.width for column in chosen) + GAP * (len(chosen) - 1)
    spare = width - used
    widths = {column.key: column.width for column in chosen}
    # Spare width goes to the growing columns in priority order, each filled before the next:
    # the child's name first.
    for column in chosen:
        extra = min(column.grow, spare)
        widths[column.key] += extra
        spare -= extra
    return [(column, widths[column.key]) for column in chosen]


def fit(text: str, width: int, right: bool = False) -> str:
    """Cut (with an ellipsis) or pad text to exactly `width` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    if right:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)


def fit_clock(text: str, width: int) -> str:
    """A clock cell that is too wide loses its smallest time unit ('OVERDUE 1d12h' -> 'OVERDUE
    1d+') rather than being cut mid-number."""
    if cell_len(text) > width:
        coarse = _MINOR_UNIT.sub(r"\1+", text)
        if cell_len(coarse) <= width:
            return coarse
    return text


def tier_word(row: Row) -> str:
    """The tier as a word; '*' marks a supervisor's override."""
    risk = row.summary.assessment
    return risk.tier + ("*" if risk.override_tier else "")


def cell(
    row: Row, key: str, width: int, now: datetime, fraction: float, redact: bool
) -> tuple[str, str]:
    """A cell's text (not yet fitted) and its emphasis class ('' for plain)."""
    summary = row.summary
    state = summary.state
    if key == "tier":
        return tier_word(row), f"tier-{summary.assessment.tier.lower()}"
    if key == "score":
        # A case CRITICAL by a rule with no points says which rule ('≤12', 'trf'), not '0'.
        tag = critical_tag(summary.assessment)
        return (tag, "") if tag is not None else (str(summary.assessment.score), "")
    if key == "child":
        age = "" if summary.age is None else f" ({summary.age})"
        if case_flags(state):  # a clear trafficking concern leads the name, in every width
            flagged = f"{FLAG_MARK} {row.name}"
            room = max(1, width - cell_len(age))
            name = fit(flagged, room).rstrip() if cell_len(flagged) > room else flagged
            return name + age, "flag"
        room = max(1, width - cell_len(age))
        name = fit(row.name, room).rstrip() if cell_len(row.name) > room else row.name
        return name + age, ""
    if key == "missing":
        return span(time_missing(state, now)), ""
    if key == "seen":
        when, where = last_seen(summary, redact)
        return f"{ago(when, now)} · {where}", ""
    if key in ("no_news", "police", "ncmec", "ncic"):
        clock = live_clock(summary.clocks[key], now, fraction)
        emphasis = {"overdue": "overdue", "due_soon": "soon", "done": "done"}.get(clock.state, "")
        return fit_clock(clock_cell(clock, now, redact), width), emphasis
    if key == "agency":
        return f"{PLACEMENT_SHORT.get(state.placement_type, '?')} · {clean(state.agency)}", ""
    if key == "packet":
        return percent(summary.packet_complete), ""
    if key == "id":
        return str(state.case_id), ""
    return "", ""
