"""Live reading for boards: a separate read connection that notices other commits cheaply."""

from __future__ import annotations

from dataclasses import dataclass

from caseboard.domain.board import CaseSummary, summarise
from caseboard.services import Session
from caseboard.store import queries
from caseboard.store.connection import open_existing, translate_errors


@dataclass(frozen=True)
class Changes:
    """Cases to add or replace on a board, and cases to drop (closed), since the last poll."""

    summaries: list[CaseSummary]
    removed: list[int]
    last_event_id: int


class LiveReader:
    """Polls `PRAGMA data_version` on its own connection, so it sees every commit, this
    operator's own included, and reads only the events newer than the last one seen."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.db = open_existing(session.path, readonly=True)
        self.version = queries.data_version(self.db)
        self.last_event_id = queries.max_event_id(self.db)

    def poll(self) -> Changes | None:
        """None when nothing was committed since the last poll, else what changed.

        Raises Unavailable when the database cannot be read (locked, replaced, disk error).
        """
        with translate_errors(self.session.path):
            return self._poll()

    def _poll(self) -> Changes | None:
        version = queries.data_version(self.db)
        if version == self.version:
            return None
        self.version = version
        newest = queries.max_event_id(self.db)
        changed = queries.cases_changed_after(self.db, self.last_event_id)
        self.last_event_id = newest
        now = self.session.now()
        summaries: list[CaseSummary] = []
        removed: list[int] = []
        for case_id in changed:
            record = queries.case_record(self.db, case_id)
            if record is None or record.state.status == "closed":
                removed.append(case_id)
                continue
            summaries.append(
                summarise(record.state, record.child, record.episodes, self.session.policy, now)
            )
        return Changes(summaries, removed, newest)

    def close(self) -> None:
        """Release the read connection."""
        self.db.conn.close()
