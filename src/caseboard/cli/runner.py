"""Global options and the session: what every command receives (`Runner`), and `say`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as dateutil_tz

from caseboard import paths, services
from caseboard.cli.parser import path_problem
from caseboard.domain import policy as policy_module
from caseboard.domain.errors import BadInput
from caseboard.domain.textsafe import clean_lines
from caseboard.identity import os_username
from caseboard.store.files import write_atomically
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

    def deliver(self, text: str, what: str, done: str = "") -> None:
        """A report to stdout, or with --out to that file, written whole (the same inert text)
        and said where: '{what} written to /path{done}'."""
        if not text.endswith("\n"):
            text += "\n"
        if not getattr(self.args, "out", None):
            self.out(text)
            return
        path = Path(self.args.out)
        write_atomically(path, clean_lines(text).encode("utf-8"))
        self.say(f"{what} written to {path.resolve()}{done}")


def say(text: str) -> None:
    """The one way out for messages on stderr: every stored string in them made inert."""
    sys.stderr.write(clean_lines(f"caseboard: {text}\n"))
