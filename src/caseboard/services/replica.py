"""Continuous replication with Litestream (`replicate`) and getting a database back from its
replica (`restore`): checked before Litestream starts, verified before a restore is kept."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import NoReturn

from caseboard.domain.errors import BadInput, NotAllowed, Unavailable
from caseboard.domain.policy import Policy
from caseboard.domain.timefmt import to_iso
from caseboard.services import open_session
from caseboard.services.verify import Report, verify
from caseboard.store import backup as store_backup
from caseboard.store import filesystem, health_queries, litestream
from caseboard.store.connection import open_existing, translate_errors
from caseboard.store.writer import Actor

# Litestream's own default, and the default here: a committed change reaches the replica within
# about this long (plus Litestream's one-second look at the WAL). Larger values cost fewer
# uploads to an object store.
SYNC_INTERVAL_S = 1.0
SYNC_INTERVAL_MAX_S = 3600.0


def litestream_binary() -> Path:
    """The Litestream the `replica` extra installs; BadInput (exit 2) saying how to get it."""
    found = litestream.binary()
    if found is None:
        raise BadInput("replica", f"Litestream is not installed; {litestream.INSTALL_HINT}")
    return found


def check_target(target: str, *, field: str) -> None:
    """A replica is a URL Litestream reads (s3://…) or a folder path; refuse the empty one."""
    if not target.strip():
        raise BadInput(field, "give a folder or a URL such as s3://bucket/caseboard")


def replicate(path: Path, target: str, sync_interval_s: float) -> NoReturn:
    """Check the database and the replica, then become Litestream replicating it to `target`."""
    executable = litestream_binary()
    check_target(target, field="--to")
    if not SYNC_INTERVAL_S / 100 <= sync_interval_s <= SYNC_INTERVAL_MAX_S:
        raise BadInput("--sync-interval", f"must be from 0.01 to {SYNC_INTERVAL_MAX_S:.0f} seconds")
    database = Path(os.path.abspath(path))
    _check_replicable(database)
    if not litestream.is_url(target):
        folder = Path(os.path.abspath(target))
        if folder == database.parent or folder in database.parents:
            raise BadInput("--to", f"{folder} holds the database itself; choose another folder")
        try:
            # The replica holds every record: a new folder is the owner's alone.
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInput("--to", f"cannot make {folder}: {exc.strerror or exc}") from None
    config = litestream.config_text(database, target, sync_interval_s)
    litestream.exec_replicate(executable, config)


def _check_replicable(database: Path) -> None:
    """The file is a current caseboard database in WAL mode on a local file system."""
    db = open_existing(database, readonly=True)
    try:
        with translate_errors(database):
            mode = health_queries.journal_mode(db)
    finally:
        db.conn.close()
    if mode != "wal":
        raise Unavailable(
            f"{database} is in {mode} journal mode; Litestream needs WAL: run caseboard init"
        )
    try:
        kind = filesystem.network_filesystem(filesystem.filesystem_type(database.parent))
    except OSError:
        kind = None
    if kind is not None:
        raise Unavailable(
            f"{database} is on {kind}, a network file system; WAL (and Litestream) need the"
            " database on a local disk of one host"
        )


@dataclass(frozen=True)
class Restored:
    """Where the restore was to go, whether it was written (only when verify passed), and
    what verify said of it."""

    path: Path
    written: bool
    report: Report


def restore(
    source: str,
    dest: Path,
    at: datetime | None,
    actor: Actor,
    policy: Policy,
    zone: tzinfo,
    clock: Callable[[], datetime],
) -> Restored:
    """Restore the replica `source` (to the moment `at`, UTC, when given) into the new file
    DEST, 0600; verify it first and write nothing to DEST unless verify passes."""
    executable = litestream_binary()
    check_target(source, field="--from")
    target = Path(os.path.abspath(dest))
    _refuse_dest(target)
    store_backup.sweep(target.parent)
    workspace = store_backup.temporary_for(target)
    try:
        store_backup.create_temporary_folder(workspace)
    except OSError as exc:
        raise BadInput("DEST", f"cannot write in {target.parent}: {exc.strerror or exc}") from None
    try:
        restored = workspace / target.name
        try:
            litestream.restore(executable, source, restored, at)
        except litestream.LitestreamFailed as exc:
            when = f" as of {to_iso(at)}" if at is not None else ""
            raise BadInput(
                "--from", f"Litestream could not restore {source}{when}: {exc}"
            ) from None
        if not restored.is_file():
            raise BadInput("--from", f"Litestream restored nothing from {source}")
        os.chmod(restored, store_backup.COPY_MODE)
        report = _verify(restored, actor, policy, zone, clock)
        if not report.ok:
            return Restored(target, False, report)
        wal = Path(f"{restored}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            # Only the file is linked into place: a WAL left beside it would stay behind.
            raise Unavailable(f"the restored copy's {wal.name} was not checkpointed; run again")
        try:
            store_backup.publish(restored, target)
        except FileExistsError:
            raise BadInput(
                "DEST", f"{target} appeared while restoring; nothing was replaced"
            ) from None
        return Restored(target, True, report)
    finally:
        store_backup.discard(workspace)


def _refuse_dest(target: Path) -> None:
    if not target.parent.is_dir():
        raise BadInput("DEST", f"no such folder: {target.parent}")
    for existing in (target, *(Path(f"{target}{end}") for end in store_backup.SIDE_ENDINGS)):
        if existing.exists() or existing.is_symlink():
            raise BadInput(
                "DEST", f"{existing} exists already; nothing was restored (choose a new name)"
            )


def _verify(
    path: Path, actor: Actor, policy: Policy, zone: tzinfo, clock: Callable[[], datetime]
) -> Report:
    """`verify` on the restored copy, read-only (nothing, not even an access-log line, is
    written to it), as the person restoring when they are one of its operators."""
    reader = Actor(actor.username, readonly=True, source=actor.source)
    try:
        session = open_session(path, reader, policy, zone, clock)
    except NotAllowed:
        raise NotAllowed(
            f"{actor.username} is not an active operator of the restored database, so it could"
            " not be verified and nothing was written; run restore as one of its operators"
            " (the account that ran init, or root through sudo as the service account)"
        ) from None
    try:
        return verify(session)
    finally:
        session.db.conn.close()
