"""An online copy of the live database through SQLite's backup API, checked before it is kept.

A copy is written to a temporary file (a restore: a temporary folder) next to its destination
and linked into place when it is complete. The temporary's name starts with PARTIAL_PREFIX and
its writer holds an flock on it while it exists, so a copy left by a writer that was killed is
recognised (by name) and known to be abandoned (the lock is free: the kernel drops it when a
process dies, SIGKILL included); `sweep` removes such leftovers, and the next `backup` and
`doctor` call it.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import sqlite3
import stat
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from caseboard.store.connection import BUSY_TIMEOUT_S

# Every temporary copy caseboard writes (backups and restores) starts with this.
PARTIAL_PREFIX = ".caseboard-partial-"
# Backups and restores hold every record of the database, whatever its own mode: owner only.
COPY_MODE = 0o600
SIDE_ENDINGS = ("-wal", "-shm", "-journal")

# The flock each temporary copy of this process holds, by path (released when it goes).
_held: dict[Path, int] = {}


class CopyFailed(Exception):
    """The copy could not be written (the destination's problem, not the live database's)."""


@dataclass(frozen=True)
class Copied:
    """What a finished copy holds and what SQLite's integrity check said of it."""

    events: int
    cases: int
    integrity: list[str]


def temporary_for(dest: Path) -> Path:
    """A new temporary name next to `dest`: the prefix, this process and a random part."""
    return dest.with_name(f"{PARTIAL_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{dest.name}")


def create_temporary(temporary: Path, mode: int = COPY_MODE) -> None:
    """Create `temporary` (a new file, never an existing one) and hold its lock until it is
    published or discarded."""
    # O_EXCL: never write into a file someone else made in the meantime.
    descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        os.fchmod(descriptor, mode)  # the umask may have taken bits away; never more than mode
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(descriptor)
        temporary.unlink(missing_ok=True)
        raise
    _held[temporary] = descriptor


def create_temporary_folder(folder: Path) -> None:
    """Create the private folder `folder` (0700) for a copy another program writes (a restore),
    and hold its lock until it is discarded."""
    os.mkdir(folder, 0o700)
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except BaseException:
        os.rmdir(folder)
        raise
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _held[folder] = descriptor


def _release(temporary: Path) -> None:
    descriptor = _held.pop(temporary, None)
    if descriptor is not None:
        os.close(descriptor)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
        _release(path)
        return
    for leftover in (path, *(path.with_name(path.name + end) for end in SIDE_ENDINGS)):
        leftover.unlink(missing_ok=True)
    _release(path)


def copy_to(db: Database, temporary: Path, mode: int = COPY_MODE) -> Copied:
    """Copy the database into `temporary` (a new file), check the copy, and close it.

    Raises OSError or CopyFailed for the destination's problems and sqlite3.Error for the live
    database's (locked, corrupt); the temporary file is removed on any failure.
    """
    create_temporary(temporary, mode & COPY_MODE)
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
    """Remove a temporary copy and its side files (or a temporary folder and all in it)."""
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
    _release(temporary)
    folder = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def leftovers(folder: Path) -> list[Path]:
    """Temporary copies in `folder` whose writer is gone (nobody holds their lock), and side
    files whose copy is already gone (a kill between two unlinks)."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in sorted(names):
        path = folder / name
        if not name.startswith(PARTIAL_PREFIX) or not _regular(path) or path in _held:
            continue
        if name.endswith(SIDE_ENDINGS):
            if name.rsplit("-", 1)[0] not in names:
                found.append(path)
        elif not _locked(path):
            found.append(path)
    return found


def _regular(path: Path) -> bool:
    # Only plain files and folders are ours; a link or a FIFO with the prefix is left alone.
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _locked(path: Path) -> bool:
    """True while some process holds the copy's lock (it is still being written)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return True  # cannot look: leave it (doctor reports the folder's permissions)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        # Closing drops the lock just taken; this process has no SQLite connection to it.
        os.close(descriptor)
    return False


def sweep(folder: Path) -> list[Path]:
    """Remove the abandoned temporary copies in `folder` (and their side files); returns them."""
    removed = []
    for path in leftovers(folder):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
            continue
        with suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
        if not path.name.endswith(SIDE_ENDINGS):
            for end in SIDE_ENDINGS:
                path.with_name(path.name + end).unlink(missing_ok=True)
    return removed
