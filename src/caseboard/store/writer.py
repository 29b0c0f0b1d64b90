"""The single write path: BEGIN IMMEDIATE, role check, event, projection and audit hash at once."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from caseboard.domain.audit import access_line, event_line
from caseboard.domain.errors import Damaged, NotAllowed
from caseboard.domain.model import CaseState, Event, apply, replay, start, state_to_dict
from caseboard.domain.roles import Action, refusal
from caseboard.domain.timefmt import from_iso, to_iso
from caseboard.domain.vocab import EventType, Role
from caseboard.store import queries
from caseboard.store.access_log import log_access
from caseboard.store.codec import DAMAGE, dumps, search_row
from caseboard.store.connection import translate_errors
from caseboard.store.rows import fetch_all
from caseboard.store.syslog_copy import AuditCopy

GENESIS_HASH = "0" * 64

EVENT_COLUMNS = (
    "id", "case_id", "type", "occurred_at", "recorded_at", "actor", "data", "supersedes",
    "prev_hash", "hash",
)  # fmt: skip
# The cases columns copied from the projection on every write (verify holds them to a replay).
PROJECTION_COLUMNS = (
    "child_id", "status", "learned_at", "last_seen_at", "last_seen_where", "placement_type",
    "agency", "version", "last_event_id",
)  # fmt: skip
CASE_COLUMNS = ("id", *PROJECTION_COLUMNS, "updated_at", "state")
CHILD_COLUMNS = ("id", "name", "dob", "age", "aliases", "created_at")
SEARCH_COLUMNS = ("rowid", "name", "aliases", "agency", "places")  # as codec.search_row gives


def _named_insert(table: str, columns: Sequence[str]) -> str:
    placeholders = ", ".join(f":{column}" for column in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"


EVENT_INSERT = _named_insert("events", EVENT_COLUMNS)
CASE_INSERT = _named_insert("cases", CASE_COLUMNS)
CASE_UPDATE = (
    "UPDATE cases SET status = :status, learned_at = :learned_at, last_seen_at = :last_seen_at,"
    " last_seen_where = :last_seen_where, placement_type = :placement_type, agency = :agency,"
    " version = :version, last_event_id = :last_event_id, updated_at = :updated_at,"
    " state = :state WHERE id = :id"
)


# Rows per INSERT statement of a batch. SQLite keeps a statement journal of the pages each
# statement changes (the append-only trigger may abort one halfway) and, at the default
# temp_store, writes it through a temporary file: 26,000 one-row event INSERTs took 0.7 s here
# (0.37 s with temp_store=MEMORY), the same rows 500 to a statement 0.22 s.
ROWS_PER_INSERT = 500


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows in the order given, a few hundred per multi-row INSERT statement."""
    width = len(columns)
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width
    per = max(1, min(ROWS_PER_INSERT, limit))
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    one = "(" + ", ".join("?" * width) + ")"
    for first in range(0, len(rows), per):
        chunk = rows[first : first + per]
        conn.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


def event_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """The audit chain link: SHA-256 over the previous hash and the event's canonical fields."""
    fields = {
        key: row[key]
        for key in ("id", "case_id", "type", "occurred_at", "recorded_at", "actor", "data")
    }
    fields["supersedes"] = row.get("supersedes")
    return hashlib.sha256((prev_hash + dumps(fields)).encode()).hexdigest()


# A new child for `WriteSession.add_children`: (id, name, dob, age, aliases).
ChildRow = tuple[int, str, str | None, int | None, str | None]


@dataclass(frozen=True)
class NewEvent:
    """One event to append (data as JSON-ready values)."""

    case_id: int | None
    kind: EventType
    occurred_at: datetime
    data: dict[str, Any]
    child_id: int | None = None  # the child an intake opens its case for


@dataclass
class Actor:
    """Who is acting (the OS account) and whether this process may write at all."""

    username: str
    readonly: bool = False
    # Where the person is: 'local', or 'ssh 192.0.2.7' for a key's forced command.
    source: str | None = None
    # Where a copy of each committed event and access-log entry goes ([audit] syslog in the
    # policy; the CLI sets it): the store never reads the policy itself.
    audit_copy: AuditCopy | None = field(default=None, compare=False, repr=False)


class WriteSession:
    """Operations allowed inside one write transaction; every change goes through here."""

    def __init__(self, db: Database, actor: Actor, now: datetime, role: str) -> None:
        self.db = db
        self.actor = actor
        self.now = now
        self.role = role
        self.recorded_at = to_iso(now)
        self._recorded = from_iso(self.recorded_at)
        self.appended: list[int] = []
        self.copies: list[str] = []  # syslog lines of the appended events, sent after commit
        # Inside one IMMEDIATE transaction nobody else writes, so what this session wrote can be
        # remembered instead of read back: bulk imports stay fast.
        self._last_event: tuple[int, str] | None = None
        self._states: dict[int, CaseState] = {}
        # Cases whose projection row (and search row) must be rewritten before commit. A case
        # with several events in one transaction (an imported history) is written once.
        self._unsaved: set[int] = set()
        self._unindexed: set[int] = set()  # cases made in this transaction: no search row yet
        self._next_case: int | None = None
        # Set when an append fails part-way: see _all_or_nothing.
        self._broken: BaseException | None = None

    @contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """Run one append; if it fails, this transaction can no longer be committed.

        An append that fails part-way may have moved the audit chain or a projection on in
        memory, or inserted some of a batch's rows; a caller that caught the error and wrote on
        would commit a broken chain. So later appends, and the commit, are refused: the whole
        write rolls back.
        """
        if self._broken is not None:
            raise RuntimeError("an earlier write in this transaction failed") from self._broken
        try:
            yield
        except BaseException as exc:
            self._broken = exc
            raise

    def case_state(self, case_id: int) -> CaseState | None:
        """The case's current projection, read inside the transaction (so it cannot race)."""
        if case_id in self._states:
            return self._states[case_id]
        rows = fetch_all(self.db, "SELECT child_id, state FROM cases WHERE id = ?", [case_id])
        if not rows:
            return None
        row = rows[0]
        try:
            return queries.stored_state(case_id, row[1])
        except DAMAGE:
            pass
        # Derived data is disposable: a projection that cannot be decoded is folded again from
        # the case's events, and the event this session appends writes the repaired row.
        try:
            state = queries.rebuild_state(self.db, case_id, row[0])
        except Damaged as exc:
            raise Damaged(
                f"case {case_id} cannot be read ({exc}); nothing was written: run caseboard verify"
            ) from None
        self._states[case_id] = state
        return state

    def add_child(self, name: str, dob: str | None, age: int | None, aliases: str | None) -> int:
        """A new child record; returns its id."""
        cursor = self.db.execute(
            "INSERT INTO children (name, dob, age, aliases, created_at) VALUES (?, ?, ?, ?, ?)",
            [name, dob, age, aliases, self.recorded_at],
        )
        return int(cursor.lastrowid or 0)

    def next_child_id(self) -> int:
        """The id SQLite would give the next child (MAX + 1), read inside the transaction."""
        row = self.db.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM children").fetchone()
        return int(row[0])

    def add_children(self, children: Sequence[ChildRow]) -> None:
        """New child records at once, as (id, name, dob, age, aliases) with ids from
        `next_child_id` onwards: the rows `add_child` would write one by one."""
        rows = [(*child, self.recorded_at) for child in children]
        with self._all_or_nothing():  # several statements: a failure may leave some rows in
            insert_rows(self.db.conn, "children", CHILD_COLUMNS, rows)

    def update_child(
        self, child_id: int, name: str, dob: str | None, age: int | None, aliases: str | None
    ) -> None:
        """Refresh a child's identity from its latest intake (children is a projection too)."""
        self.db.execute(
            "UPDATE children SET name = ?, dob = ?, age = ?, aliases = ? WHERE id = ?",
            [name, dob, age, aliases, child_id],
        )

    def next_case_id(self) -> int:
        """The id the next case will get; safe because BEGIN IMMEDIATE holds the write lock
        (read once per transaction, then counted: an import makes thousands)."""
        if self._next_case is None:
            row = self.db.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetchone()
            self._next_case = int(row[0])
        return self._next_case

    def append(
        self,
        case_id: int | None,
        kind: EventType,
        occurred_at: datetime,
        data: dict[str, Any],
        *,
        supersedes: int | None = None,
        child_id: int | None = None,
    ) -> int:
        """Append one event: a batch of one; a correction (the one event that supersedes
        another) is replayed with the case's stored log instead of folded."""
        if kind == EventType.CORRECTION:
            return self._append_correction(case_id, occurred_at, data, supersedes)
        if supersedes is not None:
            raise ValueError("only a correction supersedes an event")
        return self.append_batch([NewEvent(case_id, kind, occurred_at, data, child_id)])[0]

    def append_batch(self, batch: Sequence[NewEvent]) -> list[int]:
        """Append events in order: each linked into the audit chain and folded into its case's
        projection in memory; rows inserted together (an import writes thousands)."""
        with self._all_or_nothing():
            rows: list[dict[str, Any]] = []
            opened: dict[int, CaseState] = {}
            for new in batch:
                if new.kind == EventType.CORRECTION:
                    # A correction replays the case's stored log, which a batch has not written.
                    raise ValueError("corrections are appended one at a time")
                row = self._chain(new.case_id, new.kind, new.occurred_at, new.data, None)
                rows.append(row)
                if new.case_id is not None:
                    self._fold(new, self._event(row, new), opened)
            insert_rows(
                self.db.conn, "events", EVENT_COLUMNS, [_values(r, EVENT_COLUMNS) for r in rows]
            )
            self._insert_cases(list(opened.values()))
            return [int(row["id"]) for row in rows]

    def _append_correction(
        self,
        case_id: int | None,
        occurred_at: datetime,
        data: dict[str, Any],
        supersedes: int | None,
    ) -> int:
        """A correction: written first, then its case replayed from the stored log with it."""
        if case_id is None or supersedes is None:
            raise ValueError("a correction belongs to a case and supersedes one of its events")
        with self._all_or_nothing():
            current = self.case_state(case_id)
            if current is None:
                raise ValueError(f"no case {case_id}")
            row = self._chain(case_id, EventType.CORRECTION, occurred_at, data, supersedes)
            self.db.execute(EVENT_INSERT, row)
            try:
                state = replay(queries.case_events(self.db, case_id), current.child_id)
            except DAMAGE:
                raise Damaged(
                    f"case {case_id} cannot be replayed with this correction; nothing was"
                    " written: run caseboard verify"
                ) from None
            self._states[case_id] = state
            self._unsaved.add(case_id)
            return int(row["id"])

    def last_event(self) -> tuple[int, str]:
        """The newest event's (id, hash) inside this transaction, (0, GENESIS_HASH) before the
        first: the audit head a sign-off records (the write lock keeps it current)."""
        if self._last_event is None:
            rows = list(self.db.query("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1"))
            self._last_event = (rows[0]["id"], rows[0]["hash"]) if rows else (0, GENESIS_HASH)
        return self._last_event

    def _chain(
        self,
        case_id: int | None,
        kind: EventType,
        occurred_at: datetime,
        data: dict[str, Any],
        supersedes: int | None,
    ) -> dict[str, Any]:
        """The next events row, linked to the one before it by its hash (not yet inserted)."""
        # The id is chosen here because the hash covers it; the write lock makes MAX+1 safe.
        last_id, prev_hash = self.last_event()
        next_id = last_id + 1
        row: dict[str, Any] = {
            "id": next_id,
            "case_id": case_id,
            "type": kind,
            "occurred_at": to_iso(occurred_at),
            "recorded_at": self.recorded_at,
            "actor": self.actor.username,
            "data": dumps(data),
            "supersedes": supersedes,
        }
        row["prev_hash"] = prev_hash
        row["hash"] = event_hash(prev_hash, row)
        self.appended.append(next_id)
        if self.actor.audit_copy is not None:
            self.copies.append(event_line(next_id, row["hash"], kind, case_id, row["actor"]))
        self._last_event = (next_id, row["hash"])
        return row

    def _event(self, row: dict[str, Any], new: NewEvent) -> Event:
        """The Event `event_from_row(row)` would give, without parsing back what was just made:
        times as stored (UTC, whole seconds); the data as given, which is JSON already."""
        return Event(
            id=row["id"],
            case_id=new.case_id,
            type=new.kind,
            occurred_at=new.occurred_at.astimezone(UTC).replace(microsecond=0),
            recorded_at=self._recorded,
            actor=self.actor.username,
            data=new.data,
        )

    def _fold(self, new: NewEvent, event: Event, opened: dict[int, CaseState]) -> None:
        """Fold an appended event into its case's state in memory; the projection rows are
        written when the batch ends (a new case) or at flush (a case changed)."""
        assert new.case_id is not None
        if event.type == EventType.INTAKE:
            # Ids from next_case_id() on are free (the write lock holds), so no read is needed.
            if new.case_id < self.next_case_id() or new.child_id is None:
                raise ValueError("an intake opens a new case (see next_case_id) for its child")
            state = start(event, new.child_id)
            self._next_case = state.case_id + 1
            self._unindexed.add(state.case_id)
        elif (current := self.case_state(new.case_id)) is None:
            raise ValueError(f"no case {new.case_id}")
        else:
            state = apply(current, event)
            if state.case_id not in opened:
                self._unsaved.add(state.case_id)
        self._states[state.case_id] = state
        if state.case_id in opened or event.type == EventType.INTAKE:
            # A case opened in this batch is inserted once, with its state after the batch.
            opened[state.case_id] = state

    def _insert_cases(self, states: list[CaseState]) -> None:
        """Insert the projection rows of cases opened in a batch."""
        rows = [_values(self._row(state), CASE_COLUMNS) for state in states]
        insert_rows(self.db.conn, "cases", CASE_COLUMNS, rows)

    def flush(self) -> None:
        """Write the projections changed since the last flush; `write()` calls it before commit."""
        if self._broken is not None:
            raise RuntimeError("an earlier write in this transaction failed") from self._broken
        changed = sorted(self._unsaved)
        self.db.conn.executemany(CASE_UPDATE, [self._row(self._states[i]) for i in changed])
        # Search rows go in case order: FTS5 starts a new segment whenever a rowid goes back.
        indexed = sorted(self._unsaved | self._unindexed)
        replaced = [(case_id,) for case_id in indexed if case_id not in self._unindexed]
        self.db.conn.executemany("DELETE FROM case_search WHERE rowid = ?", replaced)
        rows = [search_row(self._states[case_id]) for case_id in indexed]
        insert_rows(self.db.conn, "case_search", SEARCH_COLUMNS, rows)
        self._unsaved.clear()
        self._unindexed.clear()

    def _row(self, state: CaseState) -> dict[str, Any]:
        projected = state_to_dict(state)
        row = {column: projected[column] for column in PROJECTION_COLUMNS}
        row.update(id=state.case_id, updated_at=self.recorded_at, state=dumps(projected))
        return row

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Other writes that belong to this transaction (operators, children)."""
        cursor: sqlite3.Cursor = self.db.execute(sql, params)
        return cursor


def _values(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    return [row[column] for column in columns]


def log_refusal(
    db: Database, actor: Actor, action: Action | str, reason: str, now: datetime
) -> None:
    """Keep a record of a refused action for supervisors (best effort, its own transaction)."""
    if actor.readonly:
        return  # a read-only connection cannot write, the access log included
    log_access(db, actor.username, action, reason, now, source=actor.source)
    copy_access(actor, action, "refused", None)


def copy_access(actor: Actor, action: str, outcome: str, case_id: int | None) -> None:
    """Send an access-log entry's copy to the actor's sink, if any (best effort)."""
    if actor.audit_copy is not None:
        _send(
            actor.audit_copy, [access_line(actor.username, action, outcome, case_id, actor.source)]
        )


def _send(copy: AuditCopy, lines: list[str]) -> None:
    """Best effort: the write has committed whatever happens to its copy."""
    for line in lines:
        try:
            copy(line)
        except Exception:
            return


@contextmanager
def write(
    db: Database,
    path: Path,
    actor: Actor,
    action: Action | str,
    now: datetime,
    *,
    bootstrap: bool = False,
) -> Iterator[WriteSession]:
    """The one way to change the database: everything inside commits together or not at all.

    Refused unless the actor's role may do `action` (domain/roles.py), read under the write
    lock; `bootstrap` lets the very first operator be created when no operator exists yet.
    """
    if actor.readonly:
        raise NotAllowed(f"read-only mode: {action} is not allowed; nothing was changed")
    with translate_errors(path):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            with db.atomic():
                role = queries.operator_role(db, actor.username)
                if role is None and bootstrap and queries.count(db, "operators") == 0:
                    role = Role.SUPERVISOR
                refused = refusal(actor.username, role, action)
                if refused is not None:
                    raise NotAllowed(refused)
                assert role is not None
                session = WriteSession(db, actor, now, role)
                yield session
                session.flush()
            db.conn.execute("COMMIT")
            if actor.audit_copy is not None:
                _send(actor.audit_copy, session.copies)
        except BaseException as exc:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if isinstance(exc, NotAllowed):
                log_refusal(db, actor, action, str(exc), now)
            raise
