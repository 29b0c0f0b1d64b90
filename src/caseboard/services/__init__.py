"""Use cases: check the role, validate, call the domain, write in one transaction."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from caseboard.domain import validate as v
from caseboard.domain.board import (
    CaseSummary,
    UnreadableCase,
    in_board_order,
    summarise,
    summary_key,
)
from caseboard.domain.errors import BadInput, Damaged, NotAllowed, Unavailable
from caseboard.domain.intake import Intake, parse_intake
from caseboard.domain.model import CaseState, Event
from caseboard.domain.policy import Policy
from caseboard.domain.search import REDACTED_SEARCH_COLUMNS, SEARCH_COLUMNS, fts_query
from caseboard.domain.vocab import ROLES
from caseboard.heap import collector_paused
from caseboard.services.key_lines import remove_keys_in
from caseboard.store import authorized_keys as key_file
from caseboard.store import queries
from caseboard.store.codec import DAMAGE
from caseboard.store.connection import create_or_migrate, open_existing, translate_errors
from caseboard.store.writer import (
    Actor,
    ChildRow,
    NewEvent,
    WriteSession,
    log_refusal,
    write,
)

# Who may do what (issue 4's matrix); enforced here, inside the write transaction.
EVERYONE_WHO_WRITES = ("supervisor", "dispatcher", "liaison")
DISPATCH = ("supervisor", "dispatcher")
SUPERVISOR = ("supervisor",)
ROLES_FOR = {
    "intake": DISPATCH,
    "packet": DISPATCH,
    "photo": DISPATCH,
    "import": DISPATCH,
    "sighting": EVERYONE_WHO_WRITES,
    "contact": EVERYONE_WHO_WRITES,
    "recovery": EVERYONE_WHO_WRITES,
    "note": EVERYONE_WHO_WRITES,
    "handover note": EVERYONE_WHO_WRITES,
    "confirm police": EVERYONE_WHO_WRITES,
    "confirm ncic": EVERYONE_WHO_WRITES,
    "confirm ncmec": DISPATCH,
    "notify": DISPATCH,
    "interview": DISPATCH,
    "risk": DISPATCH,
    "correct": DISPATCH,
    "close": DISPATCH,
    "signoff": DISPATCH,
    "override": SUPERVISOR,
    "operators": SUPERVISOR,
    "export": DISPATCH,
    "verify": ROLES,
    "backup": ROLES,
}


@dataclass
class Session:
    """One operator's connection to one database, with the policy, zone and clock in force."""

    db: Database
    path: Path
    actor: Actor
    policy: Policy
    zone: tzinfo
    clock: Callable[[], datetime]
    role: str | None = None
    # Which file the connection has open (device, inode): a file restored over the path while
    # caseboard runs is another file, and writing to the old one would be lost.
    file_id: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.file_id is None:
            self.file_id = file_identity(self.path)

    def now(self) -> datetime:
        """The injected clock's reading."""
        return self.clock()

    def reading(self) -> AbstractContextManager[None]:
        """Database errors during a read, as one clear Unavailable sentence."""
        return translate_errors(self.path)

    def writing(
        self, action: str, *, bootstrap: bool = False
    ) -> AbstractContextManager[WriteSession]:
        """The write path for an action, with that action's roles."""
        if self.file_id is not None and file_identity(self.path) != self.file_id:
            raise Unavailable(
                f"the database file {self.path} was replaced while caseboard had it open;"
                " nothing was written: close every caseboard using it and start again"
            )
        roles = ROLES_FOR.get(action, SUPERVISOR)
        return write(self.db, self.path, self.actor, roles, action, self.now(), bootstrap=bootstrap)


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, or None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def open_session(
    path: Path, actor: Actor, policy: Policy, zone: tzinfo, clock: Callable[[], datetime]
) -> Session:
    """Open an existing, migrated database for one active operator (any role may read)."""
    db = open_existing(path, readonly=actor.readonly)
    role = queries.operator_role(db, actor.username)
    if role is None:
        refusal = (
            f"{actor.username} is not an active caseboard operator; a supervisor can add you"
            f" with: caseboard operators add {actor.username} --role viewer"
        )
        log_refusal(db, actor, "open the database", refusal, clock())
        raise NotAllowed(refusal)
    return Session(db, path, actor, policy, zone, clock, role)


def init_database(
    path: Path, actor: Actor, policy: Policy, zone: tzinfo, clock: Callable[[], datetime]
) -> tuple[Session, list[str], bool]:
    """Create or migrate the database; the first operator is the OS user, as supervisor.

    Returns the session, the migrations applied, and whether this user was made supervisor.
    """
    if actor.readonly:
        raise NotAllowed("read-only mode: init would change the database; nothing was changed")
    db, applied = create_or_migrate(path)
    session = Session(db, path, actor, policy, zone, clock)
    made_supervisor = False
    if queries.count(db, "operators") == 0:
        with session.writing("operators", bootstrap=True) as tx:
            _add_operator(tx, actor.username, "supervisor", None)
        made_supervisor = True
    session.role = queries.operator_role(db, actor.username)
    return session, applied, made_supervisor


# --- operators --------------------------------------------------------------------------------


def _add_operator(tx: WriteSession, username: str, role: str, name: str | None) -> None:
    existing = list(tx.db.query("SELECT active FROM operators WHERE username = ?", [username]))
    if existing:
        tx.execute(
            "UPDATE operators SET role = ?, name = COALESCE(?, name), active = 1"
            " WHERE username = ?",
            [role, name, username],
        )
    else:
        tx.execute(
            "INSERT INTO operators (username, name, role, active, added_at, added_by)"
            " VALUES (?, ?, ?, 1, ?, ?)",
            [username, name, role, tx.recorded_at, tx.actor.username],
        )
    tx.append(
        None, "operator", tx.now, {"username": username, "role": role, "name": name, "active": True}
    )


def list_operators(session: Session) -> list[dict[str, Any]]:
    """Every operator; supervisors only, since it names every account."""
    role = queries.operator_role(session.db, session.actor.username)
    if role != "supervisor":
        who = f"a {role}" if role else "not an active caseboard operator"
        raise NotAllowed(f"{session.actor.username} is {who}; listing operators needs a supervisor")
    return queries.operators(session.db)


def add_operator(session: Session, username: str, role: str, name: str | None) -> None:
    """Add an operator, or re-enable one with a new role."""
    username = (username or "").strip()
    if not username or any(ch.isspace() for ch in username) or len(username) > 64:
        raise BadInput("USER", "expected an OS account name (no spaces, at most 64 characters)")
    if role not in ROLES:
        raise BadInput("--role", f"{role!r} is not one of {', '.join(ROLES)}")
    v.unicode_text(username, "USER")
    if name is not None and len(name) > 120:
        raise BadInput("--name", "is longer than 120 characters")
    if name is not None:
        v.unicode_text(name, "--name")
    with session.writing("operators") as tx:
        if role != "supervisor" and username == tx.actor.username:
            _keep_a_supervisor(tx, username)
        _add_operator(tx, username, role, name)


def disable_operator(
    session: Session, username: str, authorized_keys: Path | None = None
) -> list[str]:
    """Disable an operator and remove their SSH keys from `authorized_keys` (default: this
    account's); the last active supervisor cannot be disabled. Returns the keys removed."""
    v.unicode_text(username, "USER")
    with session.writing("operators") as tx:
        rows = list(
            tx.db.query("SELECT role, active FROM operators WHERE username = ?", [username])
        )
        if not rows:
            raise BadInput("USER", f"{username!r} is not an operator")
        if not rows[0]["active"]:
            raise BadInput("USER", f"{username!r} is already disabled")
        if rows[0]["role"] == "supervisor":
            _keep_a_supervisor(tx, username)
        tx.execute("UPDATE operators SET active = 0 WHERE username = ?", [username])
        tx.append(None, "operator", tx.now, {"username": username, "active": False})
        keys_file = authorized_keys or key_file.default_path()
        return [fingerprint for _, fingerprint in remove_keys_in(tx, username, keys_file)]


def _keep_a_supervisor(tx: WriteSession, leaving: str) -> None:
    others = list(
        tx.db.query(
            "SELECT COUNT(*) AS n FROM operators WHERE role = 'supervisor' AND active = 1"
            " AND username != ?",
            [leaving],
        )
    )
    if others[0]["n"] == 0:
        raise BadInput("USER", f"{leaving} is the last active supervisor; add another first")


# --- intake -----------------------------------------------------------------------------------


def open_case(session: Session, record: dict[str, Any]) -> int:
    """Open one case from an intake record (CLI `intake`, the board's intake form)."""
    now = session.now()
    intake = parse_intake(record, now, session.zone, session.policy)
    with session.writing("intake") as tx:
        return _write_intake(tx, intake, {})


def import_records(session: Session, records: Any) -> list[int]:
    """Import intake records, all or nothing: every record is checked before anything is written."""
    # Validating and folding 10,000 records builds a few hundred thousand small acyclic
    # objects; the cyclic collector would walk them again and again (see heap.py).
    with collector_paused():
        intakes = _parse_records(session, records)
        with session.writing("import") as tx:
            return _write_intakes(tx, intakes)


def import_records_per_event(session: Session, records: Any) -> list[int]:
    """The same import written one event at a time through `WriteSession.append`: the reference
    that tests and benchmarks/seed.py hold the batched import against."""
    intakes = _parse_records(session, records)
    with session.writing("import") as tx:
        children_by_key: dict[str, int] = {}
        return [_write_intake(tx, intake, children_by_key) for intake in intakes]


def _parse_records(session: Session, records: Any) -> list[Intake]:
    """Every record validated (the first problem names its record and field) before any write."""
    if not isinstance(records, list):
        raise BadInput("file", "expected a JSON list of intake records")
    now = session.now()
    return [
        parse_intake(
            record,
            now,
            session.zone,
            session.policy,
            prefix=f"records[{index}].",
            allow_history=True,
        )
        for index, record in enumerate(records)
    ]


def _write_intake(tx: WriteSession, intake: Intake, children_by_key: dict[str, int]) -> int:
    data = intake.event_data()
    aliases = intake.packet.get("aliases")
    dob = data["dob"]
    child_id = intake.child_id
    if child_id is None and intake.child_key is not None:
        child_id = children_by_key.get(intake.child_key)
    if child_id is not None:
        if queries.child(tx.db, child_id) is None:
            raise BadInput("child_id", f"there is no child {child_id}")
        tx.update_child(child_id, intake.name, dob, intake.age, aliases)
    else:
        child_id = tx.add_child(intake.name, dob, intake.age, aliases)
    if intake.child_key is not None:
        children_by_key[intake.child_key] = child_id
    case_id = tx.next_case_id()
    tx.append(case_id, "intake", intake.learned_at, data, child_id=child_id)
    for event in intake.history:
        tx.append(case_id, event.type, event.at, event.data)
    return case_id


def _write_intakes(tx: WriteSession, intakes: list[Intake]) -> list[int]:
    """Open a case per intake in one batch: what `_write_intake` does for each, in order."""
    child_ids = _children_for(tx, intakes)
    first = tx.next_case_id()
    case_ids = list(range(first, first + len(intakes)))
    batch: list[NewEvent] = []
    for case_id, child_id, intake in zip(case_ids, child_ids, intakes, strict=True):
        batch.append(NewEvent(case_id, "intake", intake.learned_at, intake.event_data(), child_id))
        batch.extend(NewEvent(case_id, e.type, e.at, e.data) for e in intake.history)
    tx.append_batch(batch)
    return case_ids


def _children_for(tx: WriteSession, intakes: list[Intake]) -> list[int]:
    """Each intake's child: linked by id or by a key seen earlier in the batch, or new; new
    children are inserted together and links refresh the child's identity, in record order."""
    next_id = tx.next_child_id()
    new: list[ChildRow] = []
    made: set[int] = set()
    links: list[ChildRow] = []
    by_key: dict[str, int] = {}
    child_ids: list[int] = []
    for intake in intakes:
        identity = (intake.name, _dob(intake), intake.age, intake.packet.get("aliases"))
        child_id = intake.child_id
        if child_id is None and intake.child_key is not None:
            child_id = by_key.get(intake.child_key)
        if child_id is None:
            child_id, next_id = next_id, next_id + 1
            made.add(child_id)
            new.append((child_id, *identity))
        elif child_id in made or queries.child(tx.db, child_id) is not None:
            links.append((child_id, *identity))
        else:
            raise BadInput("child_id", f"there is no child {child_id}")
        if intake.child_key is not None:
            by_key[intake.child_key] = child_id
        child_ids.append(child_id)
    tx.add_children(new)
    for link in links:
        tx.update_child(*link)
    return child_ids


def _dob(intake: Intake) -> str | None:
    return intake.dob.isoformat() if intake.dob else None


# --- reading ----------------------------------------------------------------------------------


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
    return CaseDetail(summary, events, superseded, others)


CHILD_MATCH_LIMIT = 6


ChildMatch = queries.ChildMatch


def find_children(session: Session, name: str, dob: str = "") -> list[ChildMatch]:
    """Children on file for intake to link a repeat episode to: name contains what was typed
    (three characters or more), same date of birth when one is typed."""
    name = " ".join(name.split())
    if len(name) < 3 or not _valid_text(name) or not _valid_text(dob):
        return []  # half-typed, or text no stored name can hold
    with session.reading():
        return queries.children_named(session.db, name, dob.strip() or None, CHILD_MATCH_LIMIT)


def _valid_text(text: str) -> bool:
    try:
        v.unicode_text(text, "text")
    except BadInput:
        return False
    return True
