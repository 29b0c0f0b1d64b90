"""The composition root: parse arguments, open the store, run a command or the board."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as dateutil_tz

from caseboard import paths, services
from caseboard.cli import render
from caseboard.cli.access import check_delegation, cmd_audit, cmd_keys, cmd_ssh_shell, log_entry
from caseboard.cli.handover import cmd_handover, cmd_handover_note, cmd_signoff
from caseboard.cli.integrity import cmd_backup, cmd_export, cmd_verify
from caseboard.cli.parser import build_parser, path_problem
from caseboard.clock import system_clock
from caseboard.crashlog import EXIT_INTERNAL, crash_sentence, record_crash
from caseboard.domain import policy as policy_module
from caseboard.domain.errors import BadInput, CaseboardError
from caseboard.domain.jsonview import case_json, event_json, packet_json
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS
from caseboard.domain.synthetic import synthetic_records
from caseboard.domain.textsafe import clean_lines, json_text
from caseboard.identity import os_username
from caseboard.services import access, actions
from caseboard.store import permissions
from caseboard.store.syslog_copy import syslog_copy
from caseboard.store.writer import Actor


def load_policy(option: str | None) -> policy_module.Policy:
    """The built-in federal profile, overlaid with --policy (a file, or a shipped profile name)."""
    builtin = paths.builtin_policy_text("federal")
    if option is None:
        return policy_module.load(builtin)
    path = Path(option)
    try:
        is_file = path.is_file()
    except OSError as exc:  # e.g. a name too long for the file system
        raise BadInput("--policy", f"cannot read {option!r}: {exc.strerror or exc}") from None
    if is_file:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput("--policy", f"cannot read {path}: {exc}") from exc
        return policy_module.load(builtin, text, source=str(path))
    if option in paths.builtin_policy_names():
        return policy_module.load(builtin, paths.builtin_policy_text(option), source=option)
    names = ", ".join(paths.builtin_policy_names())
    raise BadInput("--policy", f"no policy file {option!r} (built-in profiles: {names})")


def system_zone(localtime: Path = Path("/etc/localtime")) -> tzinfo:
    """The machine's zone, read as the C library reads it: TZ (an IANA name, a zone file's
    path, or a POSIX rule such as 'CST6CDT,M3.2.0,M11.1.0'), else /etc/localtime, else UTC.

    Zones are ZoneInfo wherever they can be: it converts in C, four times faster than
    dateutil's Python tzfile, and a handover or a board shows tens of thousands of local times.
    """
    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if not name:
            with localtime.open("rb") as handle:
                return ZoneInfo.from_file(handle, key="localtime")
        if name.startswith("/"):
            with open(name, "rb") as handle:
                return ZoneInfo.from_file(handle, key=name)
        return ZoneInfo(name)
    except (OSError, ValueError, ZoneInfoNotFoundError):
        pass
    # No zone found: what libc assumes then is UTC. A POSIX rule always holds an offset (a digit).
    if not any(char.isdigit() for char in name):
        return ZoneInfo("UTC")
    try:
        # posix_offset: 'GMT+5' is five hours *behind* UTC, as for the C library.
        rule = dateutil_tz.tzstr(name, posix_offset=True)
    except Exception:  # malformed rules raise ValueError, or dateutil's warnings under -W error
        return ZoneInfo("UTC")
    # dateutil accepts offsets of a day or more ('UTC+24'), which datetime refuses the moment a
    # time is converted; the C library ignores such a rule, and so does caseboard: UTC.
    offsets = (getattr(rule, "_std_offset", None), getattr(rule, "_dst_offset", None))
    if not all(isinstance(o, timedelta) and abs(o) < timedelta(hours=24) for o in offsets):
        return ZoneInfo("UTC")
    return rule


def load_zone(option: str | None) -> tzinfo:
    """--tz as an IANA zone, else the system's zone."""
    if option is None:
        return system_zone()
    try:
        return ZoneInfo(option)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise BadInput(
            "--tz", f"{option!r} is not an IANA time zone such as America/Chicago"
        ) from None


def _default_db_path() -> Path:
    """$CASEBOARD_DB (checked as --db is) or the user data folder's caseboard.db."""
    problem = path_problem(os.environ.get("CASEBOARD_DB", ""))
    if problem is not None:
        raise BadInput("$CASEBOARD_DB", problem)
    return paths.default_db_path()


class Runner:
    """Holds the global options and opens sessions for the commands."""

    def __init__(
        self,
        args: Any,
        clock: Callable[[], datetime],
        actor: Actor | None = None,
        *,
        over_ssh: bool = False,
    ) -> None:
        self.args = args
        # Run by an SSH key's forced command (cli/access.py): the board then logs out when idle.
        self.over_ssh = over_ssh
        self.clock = clock
        self.path = Path(args.db) if args.db else _default_db_path()
        self.policy = load_policy(args.policy)
        self.zone = load_zone(args.tz)
        # An SSH key's forced command names the operator (see cli/access.py); else the OS user.
        self.actor = actor or Actor(
            os_username(self.path), readonly=bool(args.readonly), source="local"
        )
        if self.actor.audit_copy is None and self.policy.audit_syslog is not None:
            self.actor.audit_copy = syslog_copy(self.policy.audit_syslog)
        self.redact = bool(args.redact)

    def session(self) -> services.Session:
        """A session on the existing database."""
        return services.open_session(self.path, self.actor, self.policy, self.zone, self.clock)

    def out(self, text: str) -> None:
        """Write a result to stdout: the one way out for results, made inert (clean_lines)."""
        sys.stdout.write(clean_lines(text + ("" if text.endswith("\n") else "\n")))

    def say(self, text: str) -> None:
        """Write a message for the person (not the script) to stderr, made inert."""
        say(text)


def say(text: str) -> None:
    """The one way out for messages on stderr: every stored string in them made inert."""
    sys.stderr.write(clean_lines(f"caseboard: {text}\n"))


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


# An import file larger than this is refused before it is read: /dev/zero, or a mistaken
# file of gigabytes, would otherwise fill the memory. 100,000 demo-sized records take ~170 MB.
JSON_FILE_MAX = 256 * 1024 * 1024


def _read_json_file(option: str) -> Any:
    path = Path(option)
    try:
        with path.open("rb") as handle:
            data = handle.read(JSON_FILE_MAX + 1)
        if len(data) > JSON_FILE_MAX:
            raise BadInput("FILE", f"{path} is larger than {JSON_FILE_MAX // 2**20} MB")
        return json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise BadInput("FILE", f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput("FILE", f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BadInput("FILE", f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise BadInput("FILE", f"{path} nests lists or objects too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise BadInput("FILE", f"{path} is not valid JSON ({exc})") from None


def cmd_import(run: Runner) -> int:
    records = _read_json_file(run.args.file)
    case_ids = services.import_records(run.session(), records)
    run.say(f"imported {len(case_ids)} case(s)")
    return 0


INTAKE_OPTIONS = {
    "learned_at": "--learned",
    "last_seen_at": "--last-seen",
    "last_seen_where": "--where",
    "placement_type": "--placement",
    "risk_factors": "--risk",
    "child_id": "--child",
}


def cmd_intake(run: Runner) -> int:
    args = run.args
    record: dict[str, Any] = {
        "name": args.name,
        "dob": args.dob,
        "age": args.age,
        "learned_at": args.learned,
        "last_seen_at": args.last_seen,
        "last_seen_where": args.where,
        "placement_type": args.placement,
        "agency": args.agency,
        "risk_factors": args.risk or [],
        "child_id": args.child,
    }
    for key in OPTIONAL_INTAKE_FIELDS:
        value = getattr(args, key, None)
        if value is not None:
            record[key] = value
    try:
        case_id = services.open_case(run.session(), record)
    except BadInput as exc:
        # Name the option the person typed, not the record field behind it.
        option = INTAKE_OPTIONS.get(exc.field, f"--{exc.field.replace('_', '-')}")
        raise BadInput(option, exc.message) from None
    run.out(str(case_id))
    run.say(f"case {case_id} opened")
    return 0


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
    from caseboard.domain.timefmt import to_iso

    return to_iso(moment)


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


def cmd_interview(run: Runner) -> int:
    a = run.args
    raw = _fields(a, "at", "screen", "note")
    raw["police_told"] = a.police_told
    return _recorded(run, "return interview", actions.record_interview(run.session(), a.case, raw))


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
    "screen", "confirmed", "police_told",
)  # fmt: skip


def cmd_correct(run: Runner) -> int:
    a = run.args
    changes = _fields(a, *CORRECTION_FIELDS)
    result = actions.correct_event(run.session(), a.event, a.reason, changes, void=a.void)
    return _recorded(run, "correction", result)


def cmd_close(run: Runner) -> int:
    result = actions.close_case(run.session(), run.args.case, run.args.reason)
    return _recorded(run, "close", result)


def cmd_demo(run: Runner) -> int:
    folder = Path(tempfile.mkdtemp(prefix="caseboard-demo-"))
    run.path = folder / "demo.db"
    session, _, _ = services.init_database(run.path, run.actor, run.policy, run.zone, run.clock)
    records = _read_json_file(str(paths.demo_fixture()))
    extra = max(0, run.args.cases - len(records))
    records += synthetic_records(extra)
    run.say(f"seeding {len(records)} cases into {run.path} ...")
    services.import_records(session, records)
    run.say(f"demo database: {run.path}  (other terminals: caseboard --db {run.path})")
    if not _interactive():
        run.say("not a terminal, so no board; the board order follows")
        run.out(render.cases_table(services.list_cases(session), session.now(), run.redact))
        return 0
    return _run_board(run, run.session())


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _run_board(run: Runner, session: services.Session) -> int:
    # Imported here so that scripted commands do not pay for loading Textual.
    from caseboard.cli.board import open_board

    return open_board(run, session)


def cmd_board(run: Runner) -> int:
    session = run.session()
    if not _interactive():
        if run.over_ssh:
            log_entry(run, run.actor, "log-on", "refused: no terminal (ssh -t gives one)")
        raise BadInput("board", "needs a terminal; for text use `caseboard cases`")
    return _run_board(run, session)


COMMANDS: dict[str, Callable[[Runner], int]] = {
    "board": cmd_board,
    "init": cmd_init,
    "operators": cmd_operators,
    "import": cmd_import,
    "intake": cmd_intake,
    "cases": cmd_cases,
    "show": cmd_show,
    "demo": cmd_demo,
    "sighting": cmd_sighting,
    "contact": cmd_contact,
    "recover": cmd_recover,
    "confirm": cmd_confirm,
    "notify": cmd_notify,
    "interview": cmd_interview,
    "note": cmd_note,
    "update": cmd_update,
    "risk": cmd_risk,
    "correct": cmd_correct,
    "close": cmd_close,
    "handover": cmd_handover,
    "signoff": cmd_signoff,
    "handover-note": cmd_handover_note,
    "verify": cmd_verify,
    "backup": cmd_backup,
    "export": cmd_export,
    "keys": cmd_keys,
    "ssh-shell": cmd_ssh_shell,
    "audit": cmd_audit,
}


def main(argv: Sequence[str] | None = None, clock: Callable[[], datetime] = system_clock) -> int:
    """Run one command; returns the exit code of docs/cli.md."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
