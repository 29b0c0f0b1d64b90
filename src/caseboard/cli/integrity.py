"""The commands for other systems and for safekeeping: `verify`, `backup` and `export`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from caseboard.cli.runner import Runner
from caseboard.domain.textsafe import json_text
from caseboard.services import export as export_service
from caseboard.services import verify as verify_service

# docs/cli.md: exit 1 when `verify` found a problem.
EXIT_PROBLEM = 1


def cmd_verify(run: Runner) -> int:
    """Check the database; one line per check, one line per problem; exit 1 on any problem."""
    keys = Path(run.args.authorized_keys) if run.args.authorized_keys else None
    report = verify_service.verify(run.session(), run.args.anchor, keys)
    head = report.head
    if run.args.json:
        payload = {
            "ok": report.ok,
            "audit_head": head.as_json() if head is not None else None,
            "checked": report.checked,
            "problems": [
                {"check": p.check, "where": p.where, "what": p.what} for p in report.problems
            ],
        }
        run.out(json_text(payload))
    else:
        lines = [f"checked {line}" for line in report.checked]
        lines.append(f"audit head: {head.line() if head is not None else 'none (no events)'}")
        lines += [f"PROBLEM {problem.line()}" for problem in report.problems]
        run.out("\n".join(lines))
    if report.ok:
        run.say(f"{run.path}: no problems found")
        return 0
    run.say(f"{run.path}: {len(report.problems)} problem(s) found")
    return EXIT_PROBLEM


def cmd_backup(run: Runner) -> int:
    """Copy the live database to DEST (a new file); says where and how many events it holds."""
    result = verify_service.backup(run.session(), Path(run.args.dest))
    run.out(str(result.path))
    run.say(
        f"backup written to {result.path}: {result.events} event(s), {result.cases} case(s);"
        " SQLite's integrity check of the copy: ok"
    )
    return 0


def cmd_export(run: Runner) -> int:
    """Everything as JSON (default) or one CSV row per case, to stdout or --out."""
    everything = export_service.gather(run.session())
    for line in everything.unreadable:
        run.say(f"warning: {line}")
    if run.args.format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(export_service.csv_rows(everything, redact=run.redact))
        text = buffer.getvalue()  # every cell already made inert (csv_cell)
    else:
        payload = export_service.to_json(everything, redact=run.redact)
        text = json_text(payload) + "\n"
    counts = f": {len(everything.cases)} case(s), {len(everything.events)} event(s)"
    run.deliver(text, "export", counts)
    return 0
