"""Open the database with the settings multi-operator use needs, or say clearly why not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from caseboard.domain.errors import Unavailable
from caseboard.store.permissions import create_database_file
from caseboard.store.schema import MIGRATION_SET, migrations

# How long a writer waits for another operator's transaction before giving up.
BUSY_TIMEOUT_S = 10.0


def _describe(exc: sqlite3.Error, path: Path) -> str:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return f"the database {path} stayed locked by another process for too long; try again"
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"{path} is corrupt or not an SQLite database ({exc})"
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return f"cannot open {path} for writing ({exc}); check the file and folder permissions"
    if "disk" in message or "i/o" in message:
        return f"disk error on {path} ({exc})"
    return f"database error on {path}: {exc}"


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn sqlite3 failures into one clear Unavailable sentence."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.Error as exc:
        raise Unavailable(_describe(exc, path)) from exc
    except IsADirectoryError:
        raise Unavailable(f"{path} is a folder, not a database file") from None
    except OSError as exc:
        raise Unavailable(f"cannot use {path}: {exc.strerror or exc}") from None


def raw_connection(path: Path, *, readonly: bool = False) -> Database:
    """A sqlite-utils Database on its own connection with WAL, FULL sync, FKs and a busy timeout.

    Python's sqlite3 is put in autocommit mode so the write path controls transactions itself.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    return Database(conn)


def create_or_migrate(path: Path) -> tuple[Database, list[str]]:
    """Create the file if needed and apply pending migrations; returns the names applied."""
    with translate_errors(path):
        if path.exists() and path.stat().st_size > 0:
            _check_header(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        create_database_file(path)
        db = raw_connection(path)
        tables = set(db.table_names())
        if tables and "_sqlite_migrations" not in tables:
            raise Unavailable(
                f"{path} is an SQLite database but not caseboard's; refusing to touch it"
            )
        # WAL is a property of the file, set once here (after the file is known to be ours), so
        # readers and writers in other processes never block each other.
        if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.conn.execute("PRAGMA journal_mode = WAL")
        # BEGIN IMMEDIATE makes concurrent `init` runs queue up instead of racing; sqlite-utils'
        # own transaction per migration nests inside as a savepoint.
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            pending = [migration.name for migration in migrations.pending(db)]
            migrations.apply(db)
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        return db, pending


def _check_header(path: Path) -> None:
    """Refuse a folder or an empty file; SQLite itself refuses other files on first read.

    The file is deliberately not opened here: closing any descriptor of a database file drops
    every POSIX lock this process holds on it, including those of its open SQLite connections
    (the board opens a second one for live reading), and another process could then reset the
    WAL underneath them.
    """
    if path.is_dir():
        raise Unavailable(f"{path} is a folder, not a database file")
    if path.stat().st_size == 0:
        raise Unavailable(f"{path} is empty: not an SQLite database")


def open_existing(path: Path, *, readonly: bool = False, wait_ms: int | None = None) -> Database:
    """Open a caseboard database that must already exist and be fully migrated; `wait_ms`
    bounds how long a read waits for a lock (default BUSY_TIMEOUT_S)."""
    if not path.exists():
        raise Unavailable(
            f"no caseboard database at {path}; create one with: caseboard --db {path} init"
        )
    with translate_errors(path):
        _check_header(path)
        db = raw_connection(path, readonly=readonly)
        if wait_ms is not None:
            db.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            _check_caseboard(db, path)
        except BaseException:
            db.conn.close()
            raise
        return db


def _check_caseboard(db: Database, path: Path) -> None:
    if "_sqlite_migrations" not in db.table_names():
        raise Unavailable(f"{path} is not a caseboard database (no caseboard schema)")
    applied = {migration.name for migration in migrations.applied(db)}
    if not applied:
        raise Unavailable(f"{path} is not a caseboard database (no {MIGRATION_SET} schema)")
    if migrations.pending(db):
        raise Unavailable(
            f"the database {path} needs a schema update; run: caseboard --db {path} init"
        )


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """One read transaction around several queries, so writers elsewhere cannot change the
    database between them (WAL keeps this reader's view fixed until it ends)."""
    db.conn.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")  # nothing was written: ending the read is all it does
