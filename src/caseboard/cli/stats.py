"""The `stats` command: reporting compliance and shift statistics as Markdown, JSON or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseboard.domain.stats_view import stats_csv, stats_json, stats_markdown
from caseboard.domain.textsafe import json_text
from caseboard.services import stats as stats_service

if TYPE_CHECKING:
    from caseboard.cli.runner import Runner


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
    run.deliver(text, "statistics")
    return 0
