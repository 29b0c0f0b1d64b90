"""The argument parser: names and options exactly as docs/cli.md lists them, plus extras."""

from __future__ import annotations

import argparse
import math
import os
from typing import Any, NoReturn

from caseboard.domain.errors import BadInput
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS
from caseboard.domain.stats_periods import PERIODS
from caseboard.domain.textsafe import clean_lines
from caseboard.domain.validate import ID_MAX, unicode_text
from caseboard.domain.vocab import (
    NOTICE_REPORTS,
    PLACEMENT_TYPES,
    REPORTS,
    RISK_FACTORS,
    ROLES,
    SCREEN_RESULTS,
)

# `demo --cases`: generated cases beyond this would take minutes and hundreds of megabytes.
DEMO_CASES_MAX = 100_000
STATS_FORMATS = ("md", "json", "csv")
TIME_HELP = "ISO 8601, now, 22:15, 'yesterday 22:15', '20m ago', '3h ago' (display zone)"


def _text(text: str) -> str:
    """Every argument without a type of its own: refused if it is not valid Unicode (bytes that
    are not UTF-8 reach Python as lone surrogates, which can be neither stored nor printed)."""
    try:
        return unicode_text(text, "argument")
    except BadInput:
        raise argparse.ArgumentTypeError(
            f"{text!a} is not valid text (it holds bytes that are not UTF-8)"
        ) from None


# What Linux file systems take: a name (one component) of 255 bytes, a path of 4096.
NAME_MAX, PATH_MAX = 255, 4096


def path_problem(text: str) -> str | None:
    """Why `text` cannot be used as a file name (not valid text, or longer than the file system
    takes, which makes every os call raise 'File name too long'); None if it can."""
    try:
        unicode_text(text, "path")
    except BadInput:
        return f"{text!a} is not valid text (it holds bytes that are not UTF-8)"
    encoded = os.fsencode(text)
    if len(encoded) >= PATH_MAX or any(len(part) > NAME_MAX for part in encoded.split(b"/")):
        return (
            f"{text[:40]!r}... is too long for a file name"
            f" ({NAME_MAX} bytes a name, {PATH_MAX} a path)"
        )
    return None


def _path(text: str) -> str:
    """A file or folder argument (--db, --policy, FILE, DEST, --out)."""
    problem = path_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return text


def _whole(text: str, what: str) -> int:
    """ASCII digits only: int() would also read '٣' and '1_0', and refuse '²' with a ValueError."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 100:
        raise argparse.ArgumentTypeError(f"{_text(text)!r} is not {what}")
    return int(digits)


def _case_id(text: str) -> int:
    """A case, event or child id: 1 up to SQLite's largest integer."""
    if text.strip().startswith("-") or text.strip() == "0":
        raise argparse.ArgumentTypeError(f"{_text(text)!r} is not a case id (a positive number)")
    value = _whole(text, "a case id (a number)")
    if not 1 <= value <= ID_MAX:
        raise argparse.ArgumentTypeError(f"{text!r} is not a case id (1 to {ID_MAX})")
    return value


def _age(text: str) -> int:
    return _whole(text, "an age (a whole number of years)")


def _count(text: str) -> int:
    value = _whole(text, "a number of cases")
    if value > DEMO_CASES_MAX:
        raise argparse.ArgumentTypeError(f"{value} is more than {DEMO_CASES_MAX} cases")
    return value


class Parser(argparse.ArgumentParser):
    """argparse with every untyped argument checked as text (subcommands inherit the class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("type", None, _text)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        """Errors quote what was typed ('unrecognized arguments: …'): made inert like every
        other string that leaves the program."""
        super().exit(status, clean_lines(message) if message else message)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction[Any]:
        action = super().add_subparsers(**kwargs)
        # The command's own parser checks the rest of the line and names the argument.
        action.type = str
        return action


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar."""
    parser = Parser(
        prog="caseboard",
        description="Live board of children missing from care, and its scriptable commands.",
    )
    parser.add_argument(
        "--db", type=_path, help="database file (default: $CASEBOARD_DB, else the user data dir)"
    )
    parser.add_argument(
        "--policy", type=_path, help="TOML policy file overriding the built-in federal profile"
    )
    parser.add_argument("--tz", help="IANA zone for display and typed times (default: system zone)")
    parser.add_argument("--readonly", action="store_true", help="no writes at all")
    parser.add_argument("--redact", action="store_true", help="initials only; hide addresses")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("board", help="the live board (default)")
    demo = commands.add_parser("demo", help="a fresh demo database, then the board")
    demo.add_argument("--cases", type=_count, default=0, help="generate synthetic cases up to N")
    commands.add_parser("init", help="create or migrate the database")

    operators = commands.add_parser("operators", help="manage operators (supervisor only)")
    op_commands = operators.add_subparsers(
        dest="operators_command", metavar="ACTION", required=True
    )
    op_list = op_commands.add_parser("list", help="list operators")
    op_list.add_argument("--json", action="store_true")
    op_add = op_commands.add_parser("add", help="add or re-enable an operator")
    op_add.add_argument("user")
    op_add.add_argument("--role", required=True, choices=ROLES)
    op_add.add_argument("--name")
    op_disable = op_commands.add_parser(
        "disable", help="disable an operator and remove their SSH keys"
    )
    op_disable.add_argument("user")
    op_disable.add_argument("--authorized-keys", metavar="PATH", help=KEYS_FILE_HELP)

    import_cmd = commands.add_parser("import", help="intake records from a JSON file")
    import_cmd.add_argument("file", type=_path)

    intake = commands.add_parser("intake", help="open a case; prints the new case id")
    intake.add_argument("--name", required=True)
    born = intake.add_mutually_exclusive_group(required=True)
    born.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    born.add_argument("--age", type=_age)
    intake.add_argument("--learned", required=True, help=f"when the agency learned: {TIME_HELP}")
    intake.add_argument("--last-seen", required=True, help=f"when last seen: {TIME_HELP}")
    intake.add_argument("--where", required=True, help="where last seen")
    intake.add_argument("--placement", required=True, choices=list(PLACEMENT_TYPES))
    intake.add_argument("--agency", required=True, help="agency with custody")
    intake.add_argument(
        "--risk",
        action="extend",
        nargs="+",
        metavar="FACTOR",
        choices=list(RISK_FACTORS),
        help="risk factor ids",
    )
    intake.add_argument(
        "--child",
        type=_case_id,
        metavar="CHILD_ID",
        help="link to an earlier child (repeat episode)",
    )
    for key in OPTIONAL_INTAKE_FIELDS:
        if key == "photo_on_file":
            intake.add_argument("--photo-on-file", dest=key, action="store_true", default=None)
        else:
            intake.add_argument(f"--{key.replace('_', '-')}", dest=key)

    cases = commands.add_parser("cases", help="open cases in board order")
    cases.add_argument("--all", action="store_true", help="include closed cases")
    cases.add_argument("--json", action="store_true")

    show = commands.add_parser("show", help="one case in full")
    show.add_argument("case", type=_case_id)
    show.add_argument("--json", action="store_true")
    add_action_commands(commands)
    add_handover_commands(commands)
    add_integrity_commands(commands)
    add_operations_commands(commands)
    add_access_commands(commands)
    add_paperwork_commands(commands)
    add_stats_command(commands)
    return parser


def add_paperwork_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`photo CASE FILE [--taken DATE]` and `packet CASE [--format] [--flyer] [--out]`."""
    photo = commands.add_parser(
        "photo", help="attach a JPEG/PNG photo (validated, metadata stripped)"
    )
    photo.add_argument("case", type=_case_id)
    photo.add_argument("file", type=_path, metavar="FILE")
    photo.add_argument(
        "--taken", metavar="DATE", help="when it was taken, YYYY-MM-DD (default: the camera's)"
    )

    packet = commands.add_parser(
        "packet", help="the report packet (or a one-page BOLO flyer) for police and NCMEC"
    )
    packet.add_argument("case", type=_case_id)
    packet.add_argument("--format", choices=("pdf", "md"), default="pdf")
    packet.add_argument("--flyer", action="store_true", help="a one-page BOLO flyer for patrol")
    packet.add_argument("--out", type=_path, metavar="FILE", help="default: case-N-packet.pdf here")


def add_stats_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`stats [--since] [--until] [--by] [--format] [--out]`."""
    stats = commands.add_parser(
        "stats",
        help="reporting compliance and shift statistics (default: the last 30 days)",
        description=(
            "Episodes count when the agency learned of them inside the window"
            " (since < learned_at <= until). Any operator may read them."
        ),
    )
    stats.add_argument(
        "--since", help=f"window start (default: 30 days before --until); {TIME_HELP}"
    )
    stats.add_argument("--until", help=f"window end (default now); {TIME_HELP}")
    stats.add_argument(
        "--by",
        choices=PERIODS,
        help="series step (default: day up to 31 days, week up to 184, else month)",
    )
    stats.add_argument("--format", choices=STATS_FORMATS, default="md")
    stats.add_argument(
        "--out", type=_path, metavar="FILE", help="write to FILE (atomically) not stdout"
    )


KEYS_FILE_HELP = "the authorized_keys file (default: ~/.ssh/authorized_keys of this account)"


def add_access_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`keys`, `ssh-shell` and `audit`: who may reach the board, and the record of access."""
    keys = commands.add_parser("keys", help="SSH keys bound to operators (supervisor)")
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    key_add = key_commands.add_parser("add", help="bind a public key to an operator")
    key_add.add_argument("operator", metavar="OPERATOR")
    key_add.add_argument("pubkey", metavar="PUBKEY_FILE", help="the person's .pub file")
    key_list = key_commands.add_parser("list", help="the keys and their operators")
    key_list.add_argument("--json", action="store_true")
    key_remove = key_commands.add_parser("remove", help="remove an operator's keys, or one key")
    key_remove.add_argument("target", metavar="OPERATOR|FINGERPRINT")
    for command in (key_add, key_list, key_remove):
        command.add_argument("--authorized-keys", metavar="PATH", help=KEYS_FILE_HELP)

    shell = commands.add_parser(
        "ssh-shell", help="run by an authorized_keys forced command, never by people"
    )
    shell.add_argument("operator", metavar="OPERATOR")

    audit = commands.add_parser("audit", help="the access log (supervisor)")
    audit.add_argument("--since", help=f"entries after this time; {TIME_HELP}")
    audit.add_argument("--until", help=f"entries up to this time; {TIME_HELP}")
    audit.add_argument("--operator", metavar="NAME")
    audit.add_argument("--case", type=_case_id, metavar="ID")
    audit.add_argument("--json", action="store_true")


def add_integrity_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`verify`, `backup` and `export`."""
    verify = commands.add_parser(
        "verify", help="integrity check, foreign keys and the audit chain; says what is wrong"
    )
    verify.add_argument("--json", action="store_true", help="the checks and problems as JSON")
    verify.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="ID:HASH",
        help="an audit head from a handover (repeatable): fail if the chain no longer passes it",
    )
    verify.add_argument(
        "--authorized-keys",
        type=_path,
        metavar="PATH",
        help="the key file to check against the key events (default: this account's)",
    )

    backup = commands.add_parser("backup", help="consistent online copy of the live database")
    backup.add_argument(
        "dest", type=_path, metavar="DEST", help="a new file (an existing one is refused)"
    )

    export = commands.add_parser("export", help="everything, for other systems")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument(
        "--out", type=_path, metavar="FILE", help="write to FILE (atomically) not stdout"
    )


def add_operations_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Running it 24/7: `replicate`, `restore` and `doctor`."""
    replicate = commands.add_parser(
        "replicate", help="stream every change to a replica with Litestream (foreground)"
    )
    replicate.add_argument(
        "--to", required=True, metavar="DIR_OR_URL", help="a folder, or s3://BUCKET/PATH"
    )
    replicate.add_argument(
        "--sync-interval",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="how often changes are sent (default 1)",
    )
    restore = commands.add_parser(
        "restore", help="a new database from a replica, verified before it is written"
    )
    restore.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="REPLICA",
        help="the replica's folder or URL (what replicate --to was given)",
    )
    restore.add_argument(
        "dest", type=_path, metavar="DEST", help="a new file (an existing one is refused)"
    )
    restore.add_argument("--at", metavar="TIME", help="as it was then: " + TIME_HELP)
    doctor = commands.add_parser(
        "doctor", help="check the deployment; says how to fix each problem"
    )
    doctor.add_argument("--json", action="store_true", help="the checks as JSON")
    doctor.add_argument(
        "--replica", metavar="DIR_OR_URL", help="check this replica's newest change too"
    )
    doctor.add_argument(
        "--backups",
        action="append",
        default=[],
        type=_path,
        metavar="DIR",
        help="a folder backups are written to (repeatable): leftovers are removed",
    )


def _seconds(text: str) -> float:
    """A number of seconds such as 1 or 0.5."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{_text(text)!r} is not a number of seconds")
    return value


def add_handover_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The shift handover: the report, sign-off, and a case's handover lines."""
    handover = commands.add_parser(
        "handover", help="the shift handover; default window: since the last sign-off"
    )
    handover.add_argument(
        "--since", help=f"window start (default: the last sign-off, else 12h ago); {TIME_HELP}"
    )
    handover.add_argument("--until", help=f"window end (default now); {TIME_HELP}")
    handover.add_argument("--format", choices=("md", "json"), default="md")
    handover.add_argument(
        "--out", type=_path, metavar="FILE", help="write to FILE (atomically) not stdout"
    )

    signoff = commands.add_parser("signoff", help="sign off the handover as the incoming operator")
    signoff.add_argument("--note")

    note = commands.add_parser(
        "handover-note", help="set a case's one-line handover summary and/or contingency"
    )
    note.add_argument("case", type=_case_id)
    note.add_argument("--summary", help="one line for the handover ('' clears it)")
    note.add_argument(
        "--contingency", help="e.g. 'if seen at the mall, call Det. Example' ('' clears it)"
    )


def add_action_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The per-case actions of docs/cli.md: each prints the new event id on stdout."""
    update = commands.add_parser(
        "update", help="add, change or clear packet fields after intake ('' clears one)"
    )
    update.add_argument("case", type=_case_id)
    for key in OPTIONAL_INTAKE_FIELDS:
        option = f"--{key.replace('_', '-')}"
        if key == "photo_on_file":
            update.add_argument(option, dest=key, action=argparse.BooleanOptionalAction)
        else:
            update.add_argument(option, dest=key)
    sighting = commands.add_parser("sighting", help="log a sighting")
    sighting.add_argument("case", type=_case_id)
    sighting.add_argument("--at", required=True, help=TIME_HELP)
    sighting.add_argument("--where", required=True)
    sighting.add_argument("--source")
    sighting.add_argument("--confirmed", action="store_true", help="verified: restarts no-news")
    sighting.add_argument("--police-told", action="store_true")
    sighting.add_argument("--note")

    contact = commands.add_parser("contact", help="log contact with the child")
    contact.add_argument("case", type=_case_id)
    contact.add_argument("--at", required=True, help=TIME_HELP)
    contact.add_argument("--how", required=True, help="phone, social media, in person ...")
    contact.add_argument("--note")

    recover = commands.add_parser("recover", help="record the recovery")
    recover.add_argument("case", type=_case_id)
    recover.add_argument("--at", required=True, help=TIME_HELP)
    recover.add_argument("--where", required=True)
    recover.add_argument("--by", required=True, help="who found or returned the child")
    recover.add_argument("--condition")
    recover.add_argument("--placed", help="where the child was placed")
    recover.add_argument("--note")

    confirm = commands.add_parser("confirm", help="confirm a report; stops that clock")
    confirm.add_argument("case", type=_case_id)
    confirm.add_argument("report", choices=REPORTS)
    confirm.add_argument("--ref", required=True, help="report number, NIC number or NCMEC case")
    confirm.add_argument("--at", help=f"default now; {TIME_HELP}")
    confirm.add_argument("--agency")
    confirm.add_argument("--officer")

    notify = commands.add_parser("notify", help="police / NCMEC were told of the recovery")
    notify.add_argument("case", type=_case_id)
    notify.add_argument("report", choices=NOTICE_REPORTS)
    notify.add_argument("--at", help=f"default now; {TIME_HELP}")

    interview = commands.add_parser("interview", help="record the return interview")
    interview.add_argument("case", type=_case_id)
    interview.add_argument("--at", required=True, help=TIME_HELP)
    interview.add_argument("--screen", required=True, choices=list(SCREEN_RESULTS))
    interview.add_argument(
        "--labor",
        dest="labor_screen",
        choices=list(SCREEN_RESULTS),
        help="the labor-trafficking screen result",
    )
    interview.add_argument("--police-told", action="store_true", help="police told of a concern")
    _interview_statute(interview)
    interview.add_argument("--note")

    note = commands.add_parser("note", help="add a note")
    note.add_argument("case", type=_case_id)
    note.add_argument("text")

    risk = commands.add_parser("risk", help="change risk factors; override the tier")
    risk.add_argument("case", type=_case_id)
    risk.add_argument("--add", action="extend", nargs="+", metavar="FACTOR", default=[])
    risk.add_argument("--remove", action="extend", nargs="+", metavar="FACTOR", default=[])
    risk.add_argument("--override", metavar="TIER", help="CRITICAL, HIGH, ELEVATED, STANDARD, none")
    risk.add_argument("--reason")

    correct = commands.add_parser("correct", help="supersede an earlier event; clocks recompute")
    correct.add_argument("event", type=_case_id, metavar="EVENT")
    correct.add_argument("--reason", required=True)
    correct.add_argument("--void", action="store_true", help="strike the event entirely")
    correct.add_argument("--at", help=TIME_HELP)
    for option in ("where", "source", "note", "how", "ref", "agency", "officer", "by",
                   "condition", "placed", "text", "name", "dob"):  # fmt: skip
        correct.add_argument(f"--{option}")
    correct.add_argument("--age", type=_age)
    correct.add_argument("--learned", dest="learned_at")
    correct.add_argument("--last-seen", dest="last_seen_at")
    correct.add_argument("--placement", dest="placement_type", choices=list(PLACEMENT_TYPES))
    correct.add_argument("--screen", choices=list(SCREEN_RESULTS))
    correct.add_argument("--labor", dest="labor_screen", choices=list(SCREEN_RESULTS))
    _interview_statute(correct)
    seen = correct.add_mutually_exclusive_group()
    seen.add_argument("--confirmed", dest="confirmed", action="store_true", default=None)
    seen.add_argument("--unconfirmed", dest="confirmed", action="store_false")
    told = correct.add_mutually_exclusive_group()
    told.add_argument("--police-told", dest="police_told", action="store_true", default=None)
    told.add_argument("--police-not-told", dest="police_told", action="store_false")

    close = commands.add_parser("close", help="close a case")
    close.add_argument("case", type=_case_id)
    close.add_argument("--reason", required=True)


def _interview_statute(command: argparse.ArgumentParser) -> None:
    """The return interview's factors, experiences, indicators and response (`interview`, and
    `correct` of an interview, where a list given replaces the one recorded)."""
    command.add_argument(
        "--factor",
        dest="factors",
        action="append",
        metavar="ID",
        help="a primary factor of the absence (repeat for several; ids in docs/cli.md)",
    )
    command.add_argument(
        "--other-factor", dest="other_factor", metavar="TEXT", help="what the 'other' factor was"
    )
    command.add_argument("--experiences", help="where the child stayed, with whom, harm suffered")
    command.add_argument(
        "--indicator",
        dest="indicators",
        action="append",
        metavar="ID",
        help="a trafficking indicator seen (repeat for several)",
    )
    command.add_argument("--response", help="the response planned for the factors")
