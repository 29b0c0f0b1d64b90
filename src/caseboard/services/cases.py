"""Reading cases: the board's list, one case in full, search, and children to link to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from caseboard.domain import validate as v
from caseboard.domain.board import (
    CaseSummary,
    UnreadableCase,
    in_board_order,
    summarise,
    summary_key,
)
from caseboard.domain.errors import BadInput, Damaged
from caseboard.domain.interview_vocab import BUILTIN, InterviewVocabulary
from caseboard.domain.model import CaseState, Event
from caseboard.domain.search import REDACTED_SEARCH_COLUMNS, SEARCH_COLUMNS, fts_query
from caseboard.domain.timeparse import parse_date
from caseboard.heap import collector_paused
from caseboard.services.session import Session
from caseboard.store import queries
from caseboard.store.codec import DAMAGE


@dataclass(frozen=True)
class CaseList:
    """Cases summarised in board order, and those that cannot be read (by case id)."""

    summaries: list[CaseSummary]
    unreadable: list[UnreadableCase]


def read_cases(session: Session, *, include_closed: bool = False) -> CaseList:
    """Open cases (or all) summarised at the clock's now, in board order; a case whose stored
    rows cannot be read is listed apart instead of failing the whole read."""
    now = session.now()
    with session.reading(), collector_paused():
        found = queries.case_records(session.db, include_closed=include_closed)
        summaries, unusable = summarise_records(session, session.db, found.records, now)
    unreadable = sorted([*found.unreadable, *unusable], key=lambda case: case.case_id)
    return CaseList(summaries, unreadable)


def list_cases(session: Session, *, include_closed: bool = False) -> list[CaseSummary]:
    """Open cases (or all) summarised at the clock's now, in board order (readable ones)."""
    return read_cases(session, include_closed=include_closed).summaries


def summarise_records(
    session: Session, db: Database, records: list[queries.CaseRecord], now: datetime
) -> tuple[list[CaseSummary], list[UnreadableCase]]:
    """Summaries in board order, and the records that cannot be summarised: all at once, and
    only when that fails one by one (the common case pays nothing for the damaged one)."""
    policy = session.policy
    try:
        return in_board_order(
            [summarise(r.state, r.child, r.episodes, policy, now) for r in records]
        ), []
    except DAMAGE:
        pass
    summaries: list[CaseSummary] = []
    unreadable: list[UnreadableCase] = []
    for record in records:
        got = summarise_record(session, db, record, now)
        if isinstance(got, CaseSummary):
            summaries.append(got)
        else:
            unreadable.append(got)
    return in_board_order(summaries), unreadable


def summarise_record(
    session: Session, db: Database, record: queries.CaseRecord, now: datetime
) -> CaseSummary | UnreadableCase:
    """One record summarised at `now`. A projection that decodes but cannot be used (a time
    without offset, an unknown status) is rebuilt from the case's events, as one that does not
    decode is; when that fails too the case is unreadable."""
    state, child, policy = record.state, record.child, session.policy
    try:
        summary = summarise(state, child, record.episodes, policy, now)
        summary_key(summary)  # the board order must be computable too
        return summary
    except DAMAGE:
        pass
    try:
        rebuilt = queries.rebuild_state(db, state.case_id, child.id)
        summary = summarise(rebuilt, child, record.episodes, policy, now)
        summary_key(summary)
        return summary
    except Damaged as exc:
        return UnreadableCase(state.case_id, child.id, str(exc))
    except DAMAGE:
        return UnreadableCase(state.case_id, child.id, "its stored state cannot be used")


def search_case_ids(session: Session, text: str, *, redact: bool = False) -> set[int] | None:
    """Cases whose child name, aliases, agency or places (not when redacting) match what was
    typed, by word prefix; None when the text holds nothing to search for."""
    columns = REDACTED_SEARCH_COLUMNS if redact else SEARCH_COLUMNS
    match = fts_query(text, columns)
    if match is None:
        return None
    with session.reading():
        return queries.search_case_ids(session.db, match)


@dataclass(frozen=True)
class CaseDetail:
    """One case in full: summary, timeline (with supersessions) and the child's other episodes."""

    summary: CaseSummary
    events: list[Event]
    superseded_by: dict[int, int]
    other_episodes: list[CaseState]
    # The policy's return-interview words, for reading the interview's factors and indicators.
    vocabulary: InterviewVocabulary = BUILTIN


def show_case(session: Session, case_id: int) -> CaseDetail:
    """Everything about one case."""
    v.identifier(case_id, "CASE", "case id")
    with session.reading():
        return _case_detail(session, case_id)


def _case_detail(session: Session, case_id: int) -> CaseDetail:
    record = queries.case_record(session.db, case_id)
    if record is None:
        raise BadInput("CASE", f"there is no case {case_id}")
    if isinstance(record, UnreadableCase):
        raise Damaged(record.line())
    summary = summarise_record(session, session.db, record, session.now())
    if isinstance(summary, UnreadableCase):
        raise Damaged(summary.line())
    events = queries.case_events(session.db, case_id)
    superseded = {event.supersedes: event.id for event in events if event.supersedes is not None}
    others = [
        state
        for state in queries.child_cases(session.db, record.child.id)
        if state.case_id != case_id
    ]
    return CaseDetail(summary, events, superseded, others, session.policy.interview)


CHILD_MATCH_LIMIT = 6


ChildMatch = queries.ChildMatch


def find_children(session: Session, name: str, dob: str = "") -> list[ChildMatch]:
    """Children on file for intake to link a repeat episode to: name contains what was typed
    (three characters or more), same date of birth when one is typed. The date is read as
    intake reads it (2012-03-14 or 03/14/2012 in the policy's order); one not yet readable as
    a date (half-typed) does not narrow the match."""
    name = " ".join(name.split())
    if len(name) < 3 or not _valid_text(name) or not _valid_text(dob):
        return []  # half-typed, or text no stored name can hold
    try:
        born = parse_date(dob, day_first=session.policy.day_first).isoformat()
    except BadInput:
        born = None
    with session.reading():
        return queries.children_named(session.db, name, born, CHILD_MATCH_LIMIT)


def _valid_text(text: str) -> bool:
    try:
        v.unicode_text(text, "text")
    except BadInput:
        return False
    return True
