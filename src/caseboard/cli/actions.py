"""Recording what happened on a case: sighting, contact, recovery, reports, notes, risk,
corrections and closing; each prints the new event's id."""

from __future__ import annotations

from typing import Any

from caseboard.cli.runner import Runner
from caseboard.domain.errors import BadInput
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS
from caseboard.services import actions


def _recorded(run: Runner, what: str, result: actions.Recorded) -> int:
    for warning in result.warnings:
        run.say(f"warning: {warning}")
    run.out(str(result.event_id))
    run.say(f"{what} recorded on case {result.case_id} (event {result.event_id})")
    return 0


def _fields(args: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def cmd_sighting(run: Runner) -> int:
    a = run.args
    raw = _fields(a, "at", "where", "source", "note")
    raw.update(confirmed=a.confirmed, police_told=a.police_told)
    return _recorded(run, "sighting", actions.log_sighting(run.session(), a.case, raw))


def cmd_contact(run: Runner) -> int:
    raw = _fields(run.args, "at", "how", "note")
    return _recorded(run, "contact", actions.log_contact(run.session(), run.args.case, raw))


def cmd_recover(run: Runner) -> int:
    raw = _fields(run.args, "at", "where", "by", "condition", "placed", "note")
    return _recorded(run, "recovery", actions.record_recovery(run.session(), run.args.case, raw))


def cmd_confirm(run: Runner) -> int:
    a = run.args
    raw = _fields(a, "at", "ref", "agency", "officer")
    result = actions.confirm_report(run.session(), a.case, a.report, raw)
    return _recorded(run, f"{a.report} confirmation", result)


def cmd_notify(run: Runner) -> int:
    a = run.args
    result = actions.record_notice(run.session(), a.case, a.report, _fields(a, "at"))
    return _recorded(run, f"recovery notice to {a.report}", result)


INTERVIEW_FIELDS = (
    "at", "screen", "labor_screen", "factors", "other_factor", "experiences", "indicators",
    "response", "note",
)  # fmt: skip
# The option a person typed, by the event-data field a refusal names.
INTERVIEW_OPTIONS = {"factor": "--factor", "indicator": "--indicator", "labor": "--labor"}


def cmd_interview(run: Runner) -> int:
    a = run.args
    raw = _fields(a, *INTERVIEW_FIELDS)
    raw["police_told"] = a.police_told
    try:
        result = actions.record_interview(run.session(), a.case, raw)
    except BadInput as exc:
        option = INTERVIEW_OPTIONS.get(exc.field)
        if option is None and exc.field in ("other_factor", "experiences", "response"):
            option = f"--{exc.field.replace('_', '-')}"
        if option is None:
            raise
        raise BadInput(option, exc.message) from None
    return _recorded(run, "return interview", result)


def cmd_update(run: Runner) -> int:
    raw = _fields(run.args, *OPTIONAL_INTAKE_FIELDS)
    try:
        result = actions.update_packet(run.session(), run.args.case, raw)
    except BadInput as exc:
        # Name the option the person typed, not the packet field behind it.
        option = exc.field if exc.field == "fields" else f"--{exc.field.replace('_', '-')}"
        raise BadInput(option, exc.message) from None
    return _recorded(run, "packet update", result)


def cmd_note(run: Runner) -> int:
    return _recorded(run, "note", actions.add_note(run.session(), run.args.case, run.args.text))


def cmd_risk(run: Runner) -> int:
    a = run.args
    results = actions.change_risk(
        run.session(), a.case, add=a.add, remove=a.remove, override=a.override, reason=a.reason
    )
    for result in results:
        _recorded(run, "risk change", result)
    return 0


CORRECTION_FIELDS = (
    "at", "where", "source", "note", "how", "ref", "agency", "officer", "by", "condition",
    "placed", "text", "name", "dob", "age", "learned_at", "last_seen_at", "placement_type",
    "screen", "confirmed", "police_told", "labor_screen", "factors", "other_factor",
    "experiences", "indicators", "response",
)  # fmt: skip


def cmd_correct(run: Runner) -> int:
    a = run.args
    changes = _fields(a, *CORRECTION_FIELDS)
    result = actions.correct_event(run.session(), a.event, a.reason, changes, void=a.void)
    return _recorded(run, "correction", result)


def cmd_close(run: Runner) -> int:
    result = actions.close_case(run.session(), run.args.case, run.args.reason)
    return _recorded(run, "close", result)
