"""The handover commands: `handover`, `signoff` and `handover-note`."""

from __future__ import annotations

import os
from pathlib import Path

from caseboard.cli.runner import Runner
from caseboard.domain.display import local
from caseboard.domain.errors import BadInput
from caseboard.domain.handover_view import report_json, report_markdown
from caseboard.domain.textsafe import clean_lines, json_text
from caseboard.services import actions
from caseboard.services import handover as handover_service


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput("--out", f"no such folder: {folder}")
    # Created with the usual permissions (0666 less the umask), unlike mkstemp's 0600.
    temporary = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except IsADirectoryError:
        raise BadInput("--out", f"{path} is a folder") from None
    except OSError as exc:
        raise BadInput("--out", f"cannot write {path}: {exc.strerror or exc}") from None


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
    if not text.endswith("\n"):
        text += "\n"
    if a.out:
        path = Path(a.out)
        write_atomically(path, clean_lines(text))  # a file gets the same inert text as stdout
        run.say(f"handover written to {path.resolve()}")
    else:
        run.out(text)
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
