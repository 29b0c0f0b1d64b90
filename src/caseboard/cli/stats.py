"""The `stats` command: reporting compliance and shift statistics as Markdown, JSON or CSV."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from caseboard.cli.handover import write_atomically
from caseboard.domain.stats_periods import PERIODS
from caseboard.domain.stats_view import stats_csv, stats_json, stats_markdown
from caseboard.domain.textsafe import clean_lines, json_text
from caseboard.services import stats as stats_service

if TYPE_CHECKING:
    from caseboard.cli import Runner

FORMATS = ("md", "json", "csv")


def add_stats_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    path_type: Callable[[str], str],
    time_help: str,
) -> None:
    """`stats` and its options (the parser passes its file-name check and its TIME help)."""
    stats = commands.add_parser(
        "stats",
        help="reporting compliance and shift statistics (default: the last 30 days)",
        description=(
            "Episodes count when the agency learned of them inside the window"
            " (since < learned_at <= until). Any operator may read them."
        ),
    )
    stats.add_argument(
        "--since", help=f"window start (default: 30 days before --until); {time_help}"
    )
    stats.add_argument("--until", help=f"window end (default now); {time_help}")
    stats.add_argument(
        "--by",
        choices=PERIODS,
        help="series step (default: day up to 31 days, week up to 184, else month)",
    )
    stats.add_argument("--format", choices=FORMATS, default="md")
    stats.add_argument(
        "--out", type=path_type, metavar="FILE", help="write to FILE (atomically) not stdout"
    )


def cmd_stats(run: Runner) -> int:
    """The statistics for the window, to stdout or --out."""
    a = run.args
    result = stats_service.statistics(run.session(), since=a.since, until=a.until, by=a.by)
    for line in result.unreadable:
        run.say(f"warning: {line}; it is left out of the statistics")
    if a.format == "json":
        text = json_text(stats_json(result.stats))
    elif a.format == "csv":
        text = stats_csv(result.stats)
    else:
        text = stats_markdown(result.stats, run.zone, redact=run.redact)
    if not text.endswith("\n"):
        text += "\n"
    if a.out:
        path = Path(a.out)
        write_atomically(path, clean_lines(text))  # a file gets the same inert text as stdout
        run.say(f"statistics written to {path.resolve()}")
    else:
        run.out(text)
    return 0
