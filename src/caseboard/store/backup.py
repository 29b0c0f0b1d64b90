"""An online copy of the live database through SQLite's backup API, checked before it is kept."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from caseboard.store.connection import BUSY_TIMEOUT_S


class CopyFailed(Exception):
    """The copy could not be written (the destination's problem, not the live database's)."""


@dataclass(frozen=True)
class Copied:
    """What a finished copy holds and what SQLite's integrity check said of it."""

    events: int
    cases: int
    integrity: list[str]


def _remove(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def copy_to(db: Database, temporary: Path, mode: int) -> Copied:
    """Copy the database into `temporary` (a new file), check the copy, and close it.

    Raises OSError or CopyFailed for the destination's problems and sqlite3.Error for the live
    database's (locked, corrupt); the temporary file is removed on any failure.
    """
    # O_EXCL: never write into a file someone else made in the meantime.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    try:
        with closing(sqlite3.connect(str(temporary), timeout=BUSY_TIMEOUT_S)) as target:
            # All pages in one step (pages=-1): the copy is one read transaction on the source,
            # which under WAL never blocks writers. Copying in slices would restart every time
            # another operator commits and might never finish on a busy board.
            db.conn.backup(target, pages=-1)
            integrity = [str(row[0]) for row in target.execute("PRAGMA integrity_check")]
            events = int(target.execute("SELECT COUNT(*) FROM events").fetchone()[0])
            cases = int(target.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
        # Closing the last connection checkpoints the copy's WAL into the file and deletes it;
        # a WAL left behind would not travel with the rename and the copy would be incomplete.
        if temporary.with_name(temporary.name + "-wal").exists():
            raise OSError(f"the copy's write-ahead log {temporary.name}-wal was not checkpointed")
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
    except sqlite3.Error as exc:
        _remove(temporary)
        if _about_the_source(exc):
            raise
        raise CopyFailed(str(exc)) from exc
    except BaseException:
        _remove(temporary)
        raise
    return Copied(events, cases, [] if integrity == ["ok"] else integrity)


def _about_the_source(exc: sqlite3.Error) -> bool:
    # Locked, busy or corrupt are about the live database; disk full, read-only folder and the
    # like are about where the copy goes.
    message = str(exc).lower()
    return any(word in message for word in ("locked", "busy", "malformed", "not a database"))


def discard(temporary: Path) -> None:
    """Remove a temporary copy and its side files."""
    _remove(temporary)


def publish(temporary: Path, dest: Path) -> None:
    """Move a finished copy into place without ever replacing an existing file."""
    try:
        # link() fails if dest exists, unlike rename(): someone may have made DEST meanwhile.
        os.link(temporary, dest)
    except FileExistsError:
        _remove(temporary)
        raise
    except OSError:
        # Filesystems without hard links: rename after a last look (a small race, reported).
        if dest.exists():
            _remove(temporary)
            raise FileExistsError(dest) from None
        os.replace(temporary, dest)
    else:
        temporary.unlink()
    folder = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
