"""The entry point: parse the command line, then run one command from the table below."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from caseboard.cli import (
    actions,
    board,
    cases,
    handover,
    intake,
    integrity,
    operators,
    ops,
    paperwork,
    stats,
)
from caseboard.cli import parser as cli_parser
from caseboard.cli.access import check_delegation, cmd_audit, cmd_keys, cmd_ssh_shell
from caseboard.cli.runner import Runner, say
from caseboard.clock import system_clock
from caseboard.crashlog import EXIT_INTERNAL, crash_sentence, record_crash
from caseboard.domain.errors import CaseboardError
from caseboard.store.writer import Actor


def _ssh_shell(run: Runner) -> int:
    # ssh-shell runs the client's command through this same table and dispatch.
    return cmd_ssh_shell(run, COMMANDS, dispatch)


# Every command: its name on the command line (cli/parser.py) and the function that runs it.
COMMANDS: dict[str, Callable[[Runner], int]] = {
    "board": board.cmd_board,
    "init": operators.cmd_init,
    "operators": operators.cmd_operators,
    "import": intake.cmd_import,
    "intake": intake.cmd_intake,
    "cases": cases.cmd_cases,
    "show": cases.cmd_show,
    "demo": board.cmd_demo,
    "sighting": actions.cmd_sighting,
    "contact": actions.cmd_contact,
    "recover": actions.cmd_recover,
    "confirm": actions.cmd_confirm,
    "notify": actions.cmd_notify,
    "interview": actions.cmd_interview,
    "note": actions.cmd_note,
    "update": actions.cmd_update,
    "risk": actions.cmd_risk,
    "correct": actions.cmd_correct,
    "close": actions.cmd_close,
    "handover": handover.cmd_handover,
    "signoff": handover.cmd_signoff,
    "handover-note": handover.cmd_handover_note,
    "verify": integrity.cmd_verify,
    "backup": integrity.cmd_backup,
    "export": integrity.cmd_export,
    "replicate": ops.cmd_replicate,
    "restore": ops.cmd_restore,
    "doctor": ops.cmd_doctor,
    "keys": cmd_keys,
    "ssh-shell": _ssh_shell,
    "audit": cmd_audit,
    "photo": paperwork.cmd_photo,
    "packet": paperwork.cmd_packet,
    "stats": stats.cmd_stats,
}


def main(argv: Sequence[str] | None = None, clock: Callable[[], datetime] = system_clock) -> int:
    """Run one command; returns the exit code of docs/cli.md."""
    # Looked up on the module each call, so a test may swap in a cached grammar.
    args = cli_parser.build_parser().parse_args(argv)
    return dispatch(args, clock)


def dispatch(
    args: Any, clock: Callable[[], datetime], actor: Actor | None = None, *, over_ssh: bool = False
) -> int:
    """Run the parsed command as `actor` (default: the OS user); returns its exit code."""
    command = args.command or "board"
    try:
        run = Runner(args, clock, actor, over_ssh=over_ssh)
        if actor is None:
            check_delegation(run)
        return COMMANDS[command](run)
    except CaseboardError as exc:
        say(exc.shown(redact=bool(getattr(args, "redact", False))))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the last line of defence: one sentence, details in a log file
        return _crash(exc, redact=bool(getattr(args, "redact", False)))


def _crash(exc: Exception, *, redact: bool) -> int:
    log = record_crash(exc, redact=redact, where="command")
    sys.stderr.write(crash_sentence(exc, log, redact=redact, what="internal error") + "\n")
    return EXIT_INTERNAL
