"""`caseboard doctor`: is this deployment fit to run through the night? One Check per question,
each with what was found and, when it fails, what to do about it."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from caseboard.domain.errors import CaseboardError
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import span, to_iso
from caseboard.store import backup as store_backup
from caseboard.store import filesystem, health_queries, litestream
from caseboard.store.connection import raw_connection, translate_errors
from caseboard.store.filesystem import FileFacts

SERVICE = "service account"
SHARED = "shared group"
MB = 1024 * 1024


@dataclass(frozen=True)
class Check:
    """One question doctor asks: its name, whether it passed, what was found, how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def as_json(self) -> dict[str, object]:
        """{name, ok, detail, fix} as `doctor --json` prints it."""
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "fix": self.fix}


@dataclass(frozen=True)
class Setting:
    """What doctor is asked to look at besides the database itself."""

    policy: Policy
    clock: Callable[[], datetime]
    zone_name: str
    zone_problem: str | None = None
    replica: str | None = None
    backup_folders: tuple[Path, ...] = ()


def examine(path: Path, setting: Setting) -> list[Check]:
    """Every check, in the order they are printed."""
    database = Path(os.path.abspath(path))
    folder = database.parent
    checks = [*_permissions(database), _filesystem(folder), _free_space(folder, setting.policy)]
    checks += _contents(database, setting)
    checks.append(_zone(setting))
    checks.append(_leftovers((folder, *setting.backup_folders)))
    return checks


# --- files, modes and owners --------------------------------------------------------------------


def _permissions(database: Path) -> list[Check]:
    folder = filesystem.facts(database.parent)
    if folder is None:
        where = database.parent
        return [
            Check("mode", False, f"no folder {where}", f"install -d -m 0700 {where} (README)"),
            Check("database file", False, f"no database at {database}"),
            *(Check(f"{end} file", True, "not present") for end in ("-wal", "-shm")),
        ]
    mode = SHARED if folder.mode & (stat.S_ISGID | stat.S_IWGRP) else SERVICE
    checks = [_mode_check(folder, mode)]
    main = filesystem.facts(database)
    if main is None:
        init = f"caseboard --db {database} init"
        checks.append(
            Check("database file", False, f"no database at {database}", f"create it: {init}")
        )
    else:
        checks.append(_file_check("database file", main, folder, mode, required=True))
    for end in ("-wal", "-shm"):
        facts = filesystem.facts(Path(f"{database}{end}"))
        checks.append(_file_check(f"{end} file", facts, folder, mode, required=False))
    return checks


def _mode_check(folder: FileFacts, mode: str) -> Check:
    octal = f"{folder.mode:04o}"
    problems = []
    if folder.mode & stat.S_IWOTH:
        problems.append("anyone on the host can write it")
    if mode == SHARED:
        if not folder.mode & stat.S_ISGID:
            problems.append("it is group-writable but not setgid")
        if not folder.mode & stat.S_IWGRP:
            problems.append("it is setgid but its group cannot write it")
    detail = f"{mode} mode: folder {folder.path} is {octal}, {folder.owner}:{folder.group}"
    if not problems:
        return Check("mode", True, detail)
    fix = (
        f"chmod 2770 {folder.path}  (shared group {folder.group})"
        if mode == SHARED
        else f"chmod 0700 {folder.path}"
    )
    return Check("mode", False, f"{detail}; {'; '.join(problems)}", fix)


def _file_check(
    name: str, facts: FileFacts | None, folder: FileFacts, mode: str, *, required: bool
) -> Check:
    if facts is None:
        return Check(name, not required, "not present (no caseboard or Litestream has it open)")
    found = f"{facts.path} is {facts.mode:04o}, {facts.owner}:{facts.group}"
    if facts.is_link:
        return Check(name, False, f"{facts.path} is a symbolic link", "replace it with the file")
    problems = []
    if mode == SERVICE:
        if facts.uid != folder.uid:
            problems.append(f"owned by {facts.owner}, not the service account {folder.owner}")
        if facts.mode & 0o077:
            problems.append("others than the service account can " + _access(facts.mode))
        fix = f"chown {folder.owner}: {facts.path} && chmod 600 {facts.path}"
    else:
        if facts.gid != folder.gid:
            problems.append(f"its group is {facts.group}, not the folder's {folder.group}")
        if facts.mode & 0o060 != 0o060:
            problems.append("the group cannot read and write it")
        if facts.mode & 0o007:
            problems.append("accounts outside the group can " + _access(facts.mode & 0o007))
        fix = f"chgrp {folder.group} {facts.path} && chmod 660 {facts.path}"
    if not problems:
        return Check(name, True, found)
    return Check(name, False, f"{found}: {'; '.join(problems)}", fix)


def _access(bits: int) -> str:
    words = [word for mask, word in ((0o044, "read"), (0o022, "write")) if bits & mask]
    return " and ".join(words) or "open"


# --- the file system ----------------------------------------------------------------------------


def _filesystem(folder: Path) -> Check:
    try:
        magic = filesystem.filesystem_type(folder)
    except OSError as exc:
        return Check("file system", False, f"cannot read {folder}: {exc.strerror}", "")
    kind = filesystem.network_filesystem(magic)
    if kind is None:
        return Check("file system", True, f"{folder} is on a local file system (0x{magic:x})")
    return Check(
        "file system",
        False,
        f"{folder} is on {kind} (0x{magic:x}); WAL needs shared memory and locks on one host",
        "move the database to a local disk of the host everyone logs in to",
    )


def _free_space(folder: Path, policy: Policy) -> Check:
    wanted = policy.operations.free_space_min_mb
    try:
        free = filesystem.free_bytes(folder)
    except OSError as exc:
        return Check("free space", False, f"cannot read {folder}: {exc.strerror}", "")
    detail = f"{free / MB:,.0f} MB free (at least {wanted:,.0f} MB wanted)"
    if free >= wanted * MB:
        return Check("free space", True, detail)
    return Check(
        "free space",
        False,
        detail,
        f"free space on {folder}'s disk; a full disk stops every write",
    )


# --- what is in the database --------------------------------------------------------------------

CONTENT_CHECKS = ("journal mode", "quick check", "schema", "replica", "handover anchor")


def _contents(database: Path, setting: Setting) -> list[Check]:
    if not database.is_file():
        return [Check(name, False, "not checked: no database") for name in CONTENT_CHECKS]
    try:
        with translate_errors(database):
            db = raw_connection(database, readonly=True)
            try:
                return _read_contents(db, database, setting)
            finally:
                db.conn.close()
    except CaseboardError as exc:
        why = exc.shown()
        return [Check(name, False, f"not checked: {why}") for name in CONTENT_CHECKS]


def _read_contents(db: Database, database: Path, setting: Setting) -> list[Check]:
    init = f"caseboard --db {database} init"
    if "_sqlite_migrations" not in db.table_names():
        return [
            Check(name, False, f"{database} is not a caseboard database") for name in CONTENT_CHECKS
        ]
    journal = health_queries.journal_mode(db)
    checks = [
        Check("journal mode", True, "WAL")
        if journal == "wal"
        else Check("journal mode", False, f"{journal}, not WAL", f"run {init} (it sets WAL)")
    ]
    problems = health_queries.quick_check(db)
    checks.append(
        Check("quick check", True, "PRAGMA quick_check: ok")
        if not problems
        else Check(
            "quick check",
            False,
            f"PRAGMA quick_check: {len(problems)} problem(s), first: {problems[0]}",
            f"run caseboard --db {database} verify, then restore from the replica or a backup",
        )
    )
    pending = health_queries.pending_migrations(db)
    checks.append(
        Check("schema", True, "current")
        if not pending
        else Check("schema", False, f"{len(pending)} update(s) pending", f"run {init}")
    )
    now = setting.clock()
    newest = health_queries.newest_change(db)
    checks.append(_replica(setting, newest, now))
    checks.append(_anchor(db, setting.policy, now))
    return checks


def _replica(setting: Setting, newest: datetime | None, now: datetime) -> Check:
    if setting.replica is None:
        return Check("replica", True, "not checked: no replica given (doctor --replica)")
    executable = litestream.binary()
    if executable is None:
        return Check(
            "replica",
            False,
            f"cannot read {setting.replica}: Litestream is not installed",
            litestream.INSTALL_HINT,
        )
    restart = "check that `caseboard replicate` runs: systemctl status caseboard-replicate"
    try:
        state = litestream.replica_state(executable, setting.replica)
    except litestream.LitestreamFailed as exc:
        return Check("replica", False, f"cannot read {setting.replica}: {exc}", restart)
    if state.newest is None:
        return Check("replica", False, f"{setting.replica} holds no replicated change", restart)
    limit = setting.policy.operations.replica_max_lag
    detail = (
        f"newest replicated change {to_iso(state.newest)} ({_age(now - state.newest)} ago);"
        f" newest change in the database {to_iso(newest) if newest else 'none'}"
    )
    # Stale: the database holds changes the replica lacks, and has for longer than the limit
    # (while replication runs, the replica trails by the sync interval, a second or two).
    if newest is None or newest <= state.newest or now - state.newest <= limit:
        return Check("replica", True, detail)
    return Check(
        "replica",
        False,
        f"{detail}: changes since {to_iso(state.newest)} are not in the replica"
        f" {_age(now - state.newest)} later (at most {_age(limit)} allowed)",
        restart,
    )


def _anchor(db: Database, policy: Policy, now: datetime) -> Check:
    limit = policy.operations.signoff_max_age
    fix = (
        "read the handover and sign it off (caseboard handover, then caseboard signoff; or h"
        " and s on the board), and keep its audit head"
    )
    newest = health_queries.newest_signoff(db)
    if newest is None:
        first = health_queries.first_event(db)
        if first is None or now - first <= limit:
            return Check("handover anchor", True, "no handover signed off yet (a new database)")
        return Check("handover anchor", False, "no handover has ever been signed off", fix)
    event_id, when = newest
    detail = f"newest sign-off: event {event_id}, {to_iso(when)} ({_age(now - when)} ago)"
    if now - when <= limit:
        return Check("handover anchor", True, detail)
    return Check("handover anchor", False, f"{detail}; older than {_age(limit)}", fix)


# --- the rest -----------------------------------------------------------------------------------


def _age(delta: timedelta) -> str:
    """'12 s' under a minute (replication lags are seconds), else '5m', '3h20m', '2d4h'."""
    seconds = abs(delta.total_seconds())
    return f"{seconds:.0f} s" if seconds < 60 else span(delta)


def _zone(setting: Setting) -> Check:
    if setting.zone_problem is None:
        return Check("time zone", True, setting.zone_name)
    return Check(
        "time zone",
        False,
        f"{setting.zone_name}: {setting.zone_problem}",
        "set the host's zone (timedatectl set-timezone America/Chicago) or pass --tz ZONE",
    )


def _leftovers(folders: Iterable[Path]) -> Check:
    """Temporary copies left by a backup or restore that was killed: removed here."""
    removed: list[Path] = []
    kept: list[Path] = []
    seen: list[Path] = []
    for folder in folders:
        if folder not in seen:
            seen.append(folder)
            removed += store_backup.sweep(folder)
            kept += store_backup.leftovers(folder)
    where = ", ".join(str(folder) for folder in seen)
    if not removed and not kept:
        return Check("backup leftovers", True, f"none in {where}")
    if kept:
        paths = " ".join(str(path) for path in kept)
        return Check(
            "backup leftovers",
            False,
            f"cannot remove {len(kept)} copy(ies) left by a killed backup or restore: {paths}",
            f"remove them as their owner (each holds every record): rm -rf {paths}",
        )
    names = ", ".join(str(path) for path in removed)
    return Check(
        "backup leftovers",
        False,
        f"removed {len(removed)} copy(ies) left by a killed backup or restore: {names}",
        "nothing left to remove; check the job that runs backups (was it killed, out of time"
        " or space?) and that its last backup exists",
    )
