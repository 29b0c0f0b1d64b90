"""The board (`board`, the default, and `demo`): log-on and log-off, idle limits, and
leaving when the terminal goes."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from caseboard import paths, services
from caseboard.cli import render
from caseboard.cli.access import log_entry
from caseboard.cli.intake import read_json_file
from caseboard.cli.runner import Runner
from caseboard.domain.errors import BadInput
from caseboard.domain.synthetic import synthetic_records
from caseboard.terminal import TerminalWatch, give_back, saved_modes, terminal_fds

# The exit status of a board whose terminal went away without a signal, as after a hangup.
EXIT_TERMINAL_GONE = 128 + signal.SIGHUP


def board_audit(run: Runner, session: services.Session) -> Callable[[str, str], None]:
    """Where the board's log-on, log-off, lock and unlock go. Over SSH always (the service
    account writes its log); locally not under --readonly, which writes nothing at all. Each
    entry on a connection of its own: the terminal watch and signal handlers write too."""
    if session.actor.readonly and not run.over_ssh:
        return lambda action, outcome: None
    return lambda action, outcome: log_entry(run, run.actor, action, outcome)


def open_board(run: Runner, session: services.Session) -> int:
    """Run the board as this session's operator until they quit, it ends itself (idle over
    SSH), or its terminal goes away; every way out writes the log-off."""
    from caseboard.tui.app import run_board
    from caseboard.tui.idle import IdleLimits

    policy = session.policy
    limits = IdleLimits(policy.lock_after, policy.ssh_logout_after if run.over_ssh else None)
    audit = board_audit(run, session)

    def leave(reason: str, status: int) -> NoReturn:
        # Nobody is left to show anything to, and tearing the screen down would write to (and
        # may wait on) a terminal that is gone: log off and end at once. SQLite rolls back
        # anything half-written.
        audit("log-off", reason)
        os._exit(status)

    ttys = terminal_fds()
    modes = saved_modes(ttys)

    def on_signal(signum: int, frame: object) -> None:
        name = signal.Signals(signum).name
        if signum == signal.SIGHUP:
            leave(f"{name}: the terminal went away", 128 + signum)
        # Ended by someone else while the terminal may still be there: give it back usable.
        give_back(modes, 2 if 2 in ttys else None)
        leave(f"{name}: ended by a signal", 128 + signum)

    for number in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, on_signal)
    watch = TerminalWatch(ttys, lambda reason: leave(reason, EXIT_TERMINAL_GONE))
    audit("log-on", "ok")
    code, ended = 70, "exit 70: internal error"
    try:
        watch.start()
        code, ended = run_board(
            session, redact=run.redact, clock=run.clock, limits=limits, audit=audit
        )
        return code
    finally:
        watch.stop()
        audit("log-off", ended)


def cmd_board(run: Runner) -> int:
    """The live board; needs a terminal."""
    session = run.session()
    if not _interactive():
        if run.over_ssh:
            log_entry(run, run.actor, "log-on", "refused: no terminal (ssh -t gives one)")
        raise BadInput("board", "needs a terminal; for text use `caseboard cases`")
    return open_board(run, session)


def cmd_demo(run: Runner) -> int:
    """A fresh demo database in a new temporary folder, then the board (or, without a
    terminal, the board order as text)."""
    folder = Path(tempfile.mkdtemp(prefix="caseboard-demo-"))
    run.path = folder / "demo.db"
    session, _, _ = services.init_database(run.path, run.actor, run.policy, run.zone, run.clock)
    records = read_json_file(str(paths.demo_fixture()))
    extra = max(0, run.args.cases - len(records))
    records += synthetic_records(extra)
    run.say(f"seeding {len(records)} cases into {run.path} ...")
    services.import_records(session, records)
    run.say(f"demo database: {run.path}  (other terminals: caseboard --db {run.path})")
    if not _interactive():
        run.say("not a terminal, so no board; the board order follows")
        run.out(render.cases_table(services.list_cases(session), session.now(), run.redact))
        return 0
    return open_board(run, run.session())


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
