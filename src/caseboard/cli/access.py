"""Who may reach the board: `keys`, `ssh-shell` (a key's forced command) and `audit`."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from caseboard import services
from caseboard.cli import parser as cli_parser
from caseboard.cli import render
from caseboard.cli.runner import Runner
from caseboard.domain.errors import BadInput, CaseboardError, NotAllowed
from caseboard.domain.textsafe import clean, json_text
from caseboard.identity import service_account_owns, sudo_caller, sudo_mismatch
from caseboard.services import access
from caseboard.services import keys as key_service
from caseboard.store import authorized_keys as key_file
from caseboard.store.access_log import log_access
from caseboard.store.connection import open_existing
from caseboard.store.files import read_at_most
from caseboard.store.writer import Actor, copy_access


class Dispatch(Protocol):
    """main.dispatch, passed in by main (which imports this module)."""

    def __call__(
        self,
        args: Any,
        clock: Callable[[], datetime],
        actor: Actor | None = None,
        *,
        over_ssh: bool = False,
    ) -> int: ...


PUBKEY_MAX_BYTES = 16 * 1024
# Through sudo a person runs caseboard commands as themselves and nothing else: not the
# commands that make databases or write files as the service account. Over SSH not even those
# that bind keys or read a file on the host (a remote person has no files there).
SUDO_REFUSED_COMMANDS = {
    "init": "creates databases",
    "demo": "creates databases",
    "ssh-shell": "is what SSH runs for a key",
    "backup": "writes a file on the host",
    "restore": "writes a file on the host",
    "replicate": "runs Litestream on the host",
}
SSH_REFUSED_COMMANDS = {
    **SUDO_REFUSED_COMMANDS,
    "keys": "binds keys to people",
    "import": "reads a file on the host",
    "doctor": "checks (and tidies) the host's files",
}
SSH_GLOBALS_WITH_VALUE = ("--tz",)
SSH_GLOBAL_FLAGS = ("--readonly", "--redact", "-h", "--help")


def this_program() -> str:
    """How to run this very caseboard again: the `caseboard` program that is running, else this
    Python with `-m caseboard` (and the PYTHONPATH it was given). Never typed by anyone: a
    command line chosen by the caller would let it put a shell in a key's forced command."""
    launched = Path(sys.argv[0])
    if launched.name == "caseboard" and (found := shutil.which(str(launched))):
        program = shlex.quote(os.path.abspath(found))
    else:
        program = f"{shlex.quote(sys.executable)} -m caseboard"
    if os.environ.get("PYTHONPATH"):
        program = f"env PYTHONPATH={shlex.quote(os.environ['PYTHONPATH'])} {program}"
    return program


def _keys_path(run: Runner) -> Path:
    option = getattr(run.args, "authorized_keys", None)
    return Path(option) if option else key_file.default_path()


def _read_pubkey(option: str) -> str:
    path = Path(option)
    data = read_at_most(path, PUBKEY_MAX_BYTES, "PUBKEY_FILE")
    if len(data) > PUBKEY_MAX_BYTES:
        raise BadInput("PUBKEY_FILE", f"{path} is too large to be a public key")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise BadInput("PUBKEY_FILE", f"{path} is not an SSH public key (not text)") from None


def cmd_keys(run: Runner) -> int:
    """`keys add`, `keys list` and `keys remove`."""
    a = run.args
    path = _keys_path(run)
    session = run.session()
    if a.keys_command == "add":
        text = _read_pubkey(a.pubkey)
        program = this_program()
        if run.args.policy:
            # The key's sessions run under the same policy (its [audit] syslog copy included).
            chosen = Path(run.args.policy)
            named = os.path.abspath(chosen) if chosen.is_file() else run.args.policy
            program = f"{program} --policy {shlex.quote(named)}"
        event_id, fingerprint = key_service.add_key(session, a.operator, text, program, path)
        run.out(str(event_id))
        run.say(f"key {fingerprint} bound to {a.operator} in {path}")
    elif a.keys_command == "list":
        keys = key_service.list_keys(session, path)
        if a.json:
            rows = [
                {"operator": k.operator, "fingerprint": k.fingerprint, "type": k.kind,
                 "active": k.active}
                for k in keys
            ]  # fmt: skip
            run.out(json_text(rows))
        else:
            run.out(render.keys_text(keys))
    else:
        for event_id, fingerprint in key_service.remove_keys(session, a.target, path):
            run.out(str(event_id))
            run.say(f"key {fingerprint} removed from {path}")
    return 0


def cmd_audit(run: Runner) -> int:
    """The access log, filtered; supervisors only."""
    a = run.args
    entries = access.audit_entries(
        run.session(), since=a.since, until=a.until, operator=a.operator, case_id=a.case
    )
    if a.json:
        rows = [
            {"at": e.at, "operator": e.operator, "action": e.action, "case": e.case_id,
             "outcome": e.outcome, "source": e.source}
            for e in entries
        ]  # fmt: skip
        run.out(json_text(rows))
    else:
        run.out(render.audit_text(entries, run.zone))
    return 0


def ssh_source() -> str:
    """'ssh 192.0.2.7': the client address sshd put in SSH_CONNECTION."""
    parts = os.environ.get("SSH_CONNECTION", "").split()
    return f"ssh {clean(parts[0])[:64]}" if parts else "ssh"


def ssh_refusal(argv: list[str], commands: Collection[str]) -> str | None:
    """Why a command line sent over SSH may not run, read from its words before parsing:
    only a few global options, and only caseboard's `commands`. None when it may be parsed."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        token = argv[index]
        if token in SSH_GLOBALS_WITH_VALUE:
            index += 2
            continue
        if token.split("=", 1)[0] in SSH_GLOBALS_WITH_VALUE or token in SSH_GLOBAL_FLAGS:
            index += 1
            continue
        return (
            f"over SSH only {', '.join((*SSH_GLOBALS_WITH_VALUE, '--readonly', '--redact'))}"
            f" may come before the command ({token!r} picks another database or policy)"
        )
    if index < len(argv) and argv[index] not in commands:
        return f"{argv[index]!r} is not a caseboard command; over SSH only caseboard commands run"
    return None


def delegated_refusal(args: Any, *, over_ssh: bool) -> str | None:
    """Why a parsed command may not run for a person who reached the service account through
    an SSH key or sudo: nothing that makes databases, binds keys, picks a policy, or reads or
    writes files on the host. None when it may run."""
    command = args.command or "board"
    refused = SSH_REFUSED_COMMANDS if over_ssh else SUDO_REFUSED_COMMANDS
    if command in refused:
        return f"'{command}' {refused[command]} and is not available here"
    if getattr(args, "authorized_keys", None):
        return "--authorized-keys is not available here: the service account's own file is used"
    if args.policy:
        return "--policy is not available here: the service account's policy applies"
    if getattr(args, "out", None):
        return "--out writes a file on the host; the output comes back to you instead"
    return None


def check_delegation(run: Runner) -> None:
    """Refuse (and log) what a sudo caller may not do as the service account."""
    reason = sudo_mismatch(run.path)
    caller = sudo_caller(run.path)
    if reason is None and caller is not None and caller.pw_uid != 0:
        reason = delegated_refusal(run.args, over_ssh=False)
    if reason is not None:
        log_entry(run, run.actor, f"sudo: {run.args.command or 'board'}", f"refused: {reason}")
        raise NotAllowed(reason)


def log_entry(run: Runner, actor: Actor, action: str, outcome: str) -> None:
    """Best effort: the database may not even be ours to write (that is then the refusal); the
    syslog copy goes out whether or not the entry could be written. A connection of its own,
    so any thread (or a signal handler) may call it."""
    copy_access(actor, action, outcome, None)
    try:
        db = open_existing(run.path)
    except CaseboardError:
        return
    try:
        log_access(db, actor.username, action, outcome, run.clock(), source=actor.source)
    finally:
        db.conn.close()


def cmd_ssh_shell(run: Runner, commands: Collection[str], dispatch: Dispatch) -> int:
    """An SSH key's forced command: the board, or the client's command (one of `commands`,
    run through `dispatch`), as that operator."""
    operator = run.args.operator
    actor = Actor(operator, source=ssh_source(), audit_copy=run.actor.audit_copy)
    original = os.environ.get("SSH_ORIGINAL_COMMAND")
    action = "log-on" if not original else f"ssh: {clean(original)[:200]}"
    if not service_account_owns(run.path):
        reason = (
            f"ssh-shell runs only as the account that owns {run.path}, and only while nobody"
            " else can write it (service-account mode)"
        )
        log_entry(run, actor, action, f"refused: {reason}")
        raise NotAllowed(reason)
    argv = []
    if original:
        try:
            argv = shlex.split(original)
        except ValueError as exc:
            log_entry(run, actor, action, f"refused: cannot split the command ({exc})")
            raise BadInput("command", f"cannot read the command line: {exc}") from None
        refusal = ssh_refusal(argv, commands)
        if refusal is not None:
            log_entry(run, actor, action, f"refused: {refusal}")
            raise NotAllowed(refusal)
    # Anything for an unknown or disabled operator is refused (and logged) here.
    services.open_session(run.path, actor, run.policy, run.zone, run.clock).db.conn.close()
    try:
        args = cli_parser.build_parser().parse_args(["--db", str(run.path), *argv])
    except SystemExit as stop:  # argparse said what was wrong on stderr
        code = stop.code if isinstance(stop.code, int) else 2
        log_entry(run, actor, action, f"exit {code}: bad command line")
        return code
    refused = delegated_refusal(args, over_ssh=True)
    if refused is not None:
        log_entry(run, actor, action, f"refused: {refused}")
        raise NotAllowed(refused)
    # The service account's policy (the forced command's own --policy, if any) applies.
    args.policy = run.args.policy
    as_operator = Actor(
        operator, readonly=bool(args.readonly), source=actor.source, audit_copy=actor.audit_copy
    )
    if (args.command or "board") != "board":
        code = dispatch(args, run.clock, as_operator)
        log_entry(run, actor, action, "ok" if code == 0 else f"exit {code}")
        return code
    # The board writes its own log-on and log-off (cli/board.py), ending itself after
    # [session] ssh_logout_minutes without a key, or when the connection drops.
    return dispatch(args, run.clock, as_operator, over_ssh=True)
