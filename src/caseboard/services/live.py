"""Live reading for boards: a separate read connection that notices other commits cheaply."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from caseboard.domain.board import CaseSummary, UnreadableCase
from caseboard.domain.errors import Unavailable
from caseboard.services.cases import summarise_record
from caseboard.services.session import Session
from caseboard.store import files, queries
from caseboard.store.connection import open_existing, snapshot, translate_errors
from caseboard.store.feed import events_after

# A board must not freeze while another process holds a lock: a read waits this long, then the
# poll fails, the header says "stale since", and the next poll tries again.
READ_WAIT_MS = 200


@dataclass(frozen=True)
class Changes:
    """Cases to add or replace on a board, and cases to drop (closed), since the last poll."""

    summaries: list[CaseSummary]
    removed: list[int]
    last_event_id: int
    # Per case changed by events: the accounts that wrote them (re-read cases have none).
    actors: Mapping[int, frozenset[str]] = field(default_factory=dict)
    # The moment the summaries were computed at.
    as_of: datetime | None = None
    # Cases re-read that can no longer be read: shown as such, the rest of the board goes on.
    unreadable: list[UnreadableCase] = field(default_factory=list)


REPLACED = (
    "the database file {path} was replaced while caseboard had it open; close every"
    " caseboard using it, remove the old {path}-wal and -shm if they are still there, and"
    " start again (nothing more is written until then)"
)


class LiveReader:
    """Polls `PRAGMA data_version` on its own connection, so it sees every commit, this
    operator's own included, and reads only the events newer than the last one seen."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.path = session.path
        self.db, self.file_id = self._open()
        self.version = queries.data_version(self.db)
        self.last_event_id = queries.max_event_id(self.db)

    def _open(self) -> tuple[Database, files.FileId]:
        with translate_errors(self.path):
            file_id = files.file_id(self.path)
            db = open_existing(self.path, readonly=True, wait_ms=READ_WAIT_MS)
        return db, file_id

    def poll(self, now: datetime | None = None, refresh: Iterable[int] = ()) -> Changes | None:
        """None when nothing was committed since the last poll and nothing is to be re-read,
        else what changed, summarised at `now` (default: the session's clock).

        `refresh` names cases to re-read whatever happened (their escalation moment passed).
        Raises Unavailable when the database cannot be read (locked, moved away, replaced by
        something unreadable, disk error); a later poll recovers by itself.
        """
        now = self.session.now() if now is None else now
        refresh = set(refresh)
        with translate_errors(self.path):
            try:
                file_id = files.file_id(self.path)
            except FileNotFoundError:
                raise Unavailable(f"the database file {self.path} is missing") from None
            if file_id != self.file_id:
                # Not followed. The old file's -wal and -shm sit beside the new file under the
                # same names, and SQLite leaves them there even after the last connection to a
                # moved file closes; opening the new file with them could replay the old log
                # into it. Only a restart, with those files checked, is safe.
                raise Unavailable(REPLACED.format(path=self.path))
            version = queries.data_version(self.db)
            if version == self.version and not refresh:
                return None
            changes = self._read(now, refresh)
            self.version = version
            return changes

    def _read(self, now: datetime, refresh: set[int]) -> Changes:
        # One read transaction: the events and the cases they touched come from one snapshot.
        with snapshot(self.db):
            found = events_after(self.db, self.last_event_id)
            summaries: list[CaseSummary] = []
            removed: list[int] = []
            unreadable: list[UnreadableCase] = []
            for case_id in sorted(found.actors.keys() | refresh):
                record = queries.case_record(self.db, case_id)
                if record is None:
                    removed.append(case_id)
                    continue
                if isinstance(record, UnreadableCase):
                    unreadable.append(record)
                    continue
                if record.state.status == "closed":
                    removed.append(case_id)
                    continue
                got = summarise_record(self.session, self.db, record, now)
                if isinstance(got, UnreadableCase):
                    unreadable.append(got)
                else:
                    summaries.append(got)
        self.last_event_id = found.newest
        actors = {case_id: frozenset(names) for case_id, names in found.actors.items()}
        return Changes(summaries, removed, found.newest, actors, now, unreadable)

    def close(self) -> None:
        """Release the read connection."""
        self.db.conn.close()
