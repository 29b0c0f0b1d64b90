"""Reading cases: `cases` (board order) and `show` (one case in full)."""

from __future__ import annotations

import os
import sys
from datetime import datetime

from caseboard import services
from caseboard.cli import render
from caseboard.cli.runner import Runner
from caseboard.domain.jsonview import case_json, event_json, packet_json
from caseboard.domain.textsafe import json_text
from caseboard.domain.timefmt import to_iso
from caseboard.services import access


def cmd_cases(run: Runner) -> int:
    session = run.session()
    found = services.read_cases(session, include_closed=run.args.all)
    summaries = found.summaries
    for case in found.unreadable:
        run.say(f"warning: {case.line()}")
    if run.args.json:
        payload = [case_json(summary, redact=run.redact) for summary in summaries]
        run.out(json_text(payload))
    else:
        run.out(render.cases_table(summaries, session.now(), run.redact))
    return 0


def cmd_show(run: Runner) -> int:
    session = run.session()
    detail = access.view_case(session, run.args.case)
    if run.args.json:
        payload = case_json(detail.summary, redact=run.redact)
        payload["packet"] = packet_json(detail.summary.state, redact=run.redact)
        payload["events"] = [
            event_json(event, detail.superseded_by, redact=run.redact) for event in detail.events
        ]
        payload["other_episodes"] = [
            {
                "id": episode.case_id,
                "status": episode.status,
                "learned_at": event_json_time(episode.learned_at),
                "recovered_at": event_json_time(episode.recovery.at) if episode.recovery else None,
                "found_where": None
                if episode.recovery is None or run.redact
                else episode.recovery.get("where"),
                "found_with": None if run.redact else episode.packet.get("companions"),
            }
            for episode in detail.other_episodes
        ]
        run.out(json_text(payload))
    else:
        # On a terminal the timeline wraps to its width with a hanging indent; piped, it doesn't.
        width = os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else None
        run.out(render.case_text(detail, session.now(), run.zone, run.redact, width))
    return 0


def event_json_time(moment: datetime) -> str:
    """ISO text for JSON output."""
    return to_iso(moment)
