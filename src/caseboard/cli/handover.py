"""The handover commands: `handover`, `signoff` and `handover-note`."""

from __future__ import annotations

from caseboard.cli.runner import Runner
from caseboard.domain.display import local
from caseboard.domain.handover_view import report_json, report_markdown
from caseboard.domain.textsafe import json_text
from caseboard.services import actions
from caseboard.services import handover as handover_service


def cmd_handover(run: Runner) -> int:
    """The shift handover report as Markdown or JSON, to stdout or --out."""
    a = run.args
    session = run.session()
    report = handover_service.handover(session, since=a.since, until=a.until)
    for line in report.unreadable:
        run.say(f"warning: {line}")
    if a.format == "json":
        text = json_text(report_json(report, redact=run.redact))
    else:
        text = report_markdown(report, run.zone, redact=run.redact)
    run.deliver(text, "handover")
    return 0


def cmd_signoff(run: Runner) -> int:
    """Sign off the handover; prints the sign-off event id."""
    session = run.session()
    event_id = handover_service.sign_off(session, run.args.note)
    run.out(str(event_id))
    run.say(
        f"handover signed off by {session.actor.username} at {local(session.now(), run.zone)}"
        f" (event {event_id}); the next handover starts here"
    )
    return 0


def cmd_handover_note(run: Runner) -> int:
    """Set a case's handover summary and/or contingency; prints the event id."""
    a = run.args
    result = actions.set_handover_note(
        run.session(), a.case, summary=a.summary, contingency=a.contingency
    )
    run.out(str(result.event_id))
    run.say(f"handover note recorded on case {result.case_id} (event {result.event_id})")
    return 0
