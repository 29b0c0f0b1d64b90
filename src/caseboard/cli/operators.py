"""Setting up: `init` and `operators`."""

from __future__ import annotations

from pathlib import Path

from caseboard import services
from caseboard.cli import render
from caseboard.cli.runner import Runner
from caseboard.domain.textsafe import json_text
from caseboard.store import permissions


def cmd_init(run: Runner) -> int:
    _, applied, made = services.init_database(run.path, run.actor, run.policy, run.zone, run.clock)
    if applied:
        run.say(f"database ready at {run.path} (applied {', '.join(applied)})")
    else:
        run.say(f"database at {run.path} is already up to date")
    if made:
        run.say(f"{run.actor.username} is the first operator, as supervisor")
    for warning in permissions.folder_warnings(run.path.parent):
        run.say(f"warning: {warning}")
    return 0


def cmd_operators(run: Runner) -> int:
    session = run.session()
    if run.args.operators_command == "list":
        rows = services.list_operators(session)
        if run.args.json:
            run.out(json_text(rows))
        else:
            run.out(render.operators_text(rows))
    elif run.args.operators_command == "add":
        services.add_operator(session, run.args.user, run.args.role, run.args.name)
        run.say(f"{run.args.user} is now an active {run.args.role}")
    else:
        keys_file = Path(run.args.authorized_keys) if run.args.authorized_keys else None
        removed = services.disable_operator(session, run.args.user, keys_file)
        run.say(f"{run.args.user} is disabled")
        for fingerprint in removed:
            run.say(f"their SSH key {fingerprint} was removed")
    return 0
