"""Who may reach the board: `keys`, `ssh-shell` (a key's forced command) and `audit`."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from caseboard import services
from caseboard.cli import render
from caseboard.domain.errors import BadInput, CaseboardError, NotAllowed
from caseboard.domain.textsafe import clean
from caseboard.identity import service_account_owns
from caseboard.services import access
from caseboard.services import keys as key_service
from caseboard.store import authorized_keys as key_file
from caseboard.store.access_log import log_access
from caseboard.store.connection import open_existing
from caseboard.store.writer import Actor

if TYPE_CHECKING:
    from caseboard.cli import Runner

PUBKEY_MAX_BYTES = 16 * 1024
# Over SSH a person runs caseboard commands as themselves and nothing else: not the commands
# that make or replace databases, bind keys, or read or write files on the host.
SSH_REFUSED_COMMANDS = {
    "init": "creates databases",
    "demo": "creates databases",
    "keys": "binds keys to people",
    "ssh-shell": "is what SSH runs for you",
    "import": "reads a file on the host",
    "backup": "writes a file on the host",
}
SSH_GLOBALS_WITH_VALUE = ("--tz",)
SSH_GLOBAL_FLAGS = ("--readonly", "--redact", "-h", "--help")


def default_program() -> str:
    """How the service account runs this caseboard: the `caseboard` program that is running,
    else this Python with `-m caseboard`."""
    launched = Path(sys.argv[0])
    if launched.name == "caseboard":
        found = shutil.which(str(launched))
        if found:
            return shlex.quote(os.path.abspath(found))
    return f"{shlex.quote(sys.executable)} -m caseboard"


def _keys_path(run: Runner) -> Path:
    option = getattr(run.args, "authorized_keys", None)
    return Path(option) if option else key_file.default_path()


def _read_pubkey(option: str) -> str:
    path = Path(option)
    try:
        data = path.read_bytes()[: PUBKEY_MAX_BYTES + 1]
    except FileNotFoundError:
        raise BadInput("PUBKEY_FILE", f"no such file: {path}") from None
    except OSError as exc:
        raise BadInput("PUBKEY_FILE", f"cannot read {path}: {exc.strerror or exc}") from None
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
        program = a.program or default_program()
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
            run.out(json.dumps(rows, indent=2, ensure_ascii=False))
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
        run.out(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        run.out(render.audit_text(entries, run.zone))
    return 0


def ssh_source() -> str:
    """'ssh 192.0.2.7': the client address sshd put in SSH_CONNECTION."""
    parts = os.environ.get("SSH_CONNECTION", "").split()
    return f"ssh {clean(parts[0])[:64]}" if parts else "ssh"


def ssh_refusal(argv: list[str]) -> str | None:
    """Why a command line sent over SSH may not run; None when it may."""
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
    if index >= len(argv):
        return None  # only options: the board
    from caseboard.cli import COMMANDS  # the table lives with main()

    command = argv[index]
    if command not in COMMANDS:
        return f"{command!r} is not a caseboard command; over SSH only caseboard commands run"
    if command in SSH_REFUSED_COMMANDS:
        return f"'{command}' {SSH_REFUSED_COMMANDS[command]} and is not available over SSH"
    return None


def _log(run: Runner, actor: Actor, action: str, outcome: str) -> None:
    """Best effort: the database may not even be ours to write (that is then the refusal)."""
    try:
        db = open_existing(run.path)
    except CaseboardError:
        return
    try:
        log_access(db, actor.username, action, outcome, run.clock(), source=actor.source)
    finally:
        db.conn.close()


def cmd_ssh_shell(run: Runner) -> int:
    """An SSH key's forced command: the board, or the client's command, as that operator."""
    from caseboard.cli import dispatch
    from caseboard.cli.parser import build_parser

    operator = run.args.operator
    actor = Actor(operator, source=ssh_source())
    original = os.environ.get("SSH_ORIGINAL_COMMAND")
    action = "log-on" if not original else f"ssh: {clean(original)[:200]}"
    if not service_account_owns(run.path):
        reason = (
            f"ssh-shell runs only as the account that owns {run.path}, and only while nobody"
            " else can write it (service-account mode)"
        )
        _log(run, actor, action, f"refused: {reason}")
        raise NotAllowed(reason)
    argv = []
    if original:
        try:
            argv = shlex.split(original)
        except ValueError as exc:
            _log(run, actor, action, f"refused: cannot split the command ({exc})")
            raise BadInput("command", f"cannot read the command line: {exc}") from None
        refusal = ssh_refusal(argv)
        if refusal is not None:
            _log(run, actor, action, f"refused: {refusal}")
            raise NotAllowed(refusal)
    # Anything for an unknown or disabled operator is refused (and logged) here.
    services.open_session(run.path, actor, run.policy, run.zone, run.clock).db.conn.close()
    try:
        args = build_parser().parse_args(["--db", str(run.path), *argv])
    except SystemExit as stop:  # argparse said what was wrong on stderr
        code = stop.code if isinstance(stop.code, int) else 2
        _log(run, actor, action, f"exit {code}: bad command line")
        return code
    if getattr(args, "out", None):
        reason = "--out writes a file on the host; over SSH the output comes back to you instead"
        _log(run, actor, action, f"refused: {reason}")
        raise NotAllowed(reason)
    as_operator = Actor(operator, readonly=bool(args.readonly), source=actor.source)
    if (args.command or "board") != "board":
        code = dispatch(args, run.clock, as_operator)
        _log(run, actor, action, "ok" if code == 0 else f"exit {code}")
        return code
    _log(run, actor, "log-on", "ok")
    code = 70
    try:
        code = dispatch(args, run.clock, as_operator)
        return code
    finally:
        _log(run, actor, "log-off", "ok" if code == 0 else f"exit {code}")
