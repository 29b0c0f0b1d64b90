"""Integrity use cases: `verify` (SQLite's checks, the audit chain, projections) and `backup`."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
from sqlite_utils import Database

from caseboard.domain.audit import (
    AuditHead,
    BadOperatorEvent,
    OperatorEvent,
    fold_keys,
    fold_operators,
    forced_database,
    operator_differences,
    parse_anchor,
)
from caseboard.domain.authorized_keys import bound_key, fingerprint
from caseboard.domain.errors import BadInput, Damaged, Unavailable
from caseboard.domain.model import replay, state_to_dict
from caseboard.domain.photo import ref_from_event
from caseboard.domain.roles import Action
from caseboard.domain.timefmt import from_iso
from caseboard.domain.vocab import EventType
from caseboard.services.access import require_role
from caseboard.services.session import Session
from caseboard.store import authorized_keys as key_file
from caseboard.store import backup as store_backup
from caseboard.store import queries
from caseboard.store import verify_queries as vq
from caseboard.store.codec import DAMAGE, decode_state, event_problems, loads
from caseboard.store.connection import snapshot
from caseboard.store.files import file_identity
from caseboard.store.writer import GENESIS_HASH, PROJECTION_COLUMNS, event_hash

# The cases columns copied from the projection on every write, so they must agree (not
# child_id: the replay is given the row's own).
INDEXED_COLUMNS = tuple(column for column in PROJECTION_COLUMNS if column != "child_id")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: which check found it, where (event / case / table row) and what."""

    check: str
    where: str
    what: str

    def line(self) -> str:
        """The one line `verify` prints for it."""
        return f"{self.where}: {self.what}"


@dataclass
class Report:
    """What `verify` checked (one line each) and the problems it found."""

    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The newest event when verify read the chain (None for an empty one): what a handover or
    # a note taken now would anchor to.
    head: AuditHead | None = None

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def add(self, check: str, where: str, what: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(check, where, what))


def verify(
    session: Session, anchors: list[str] | None = None, authorized_keys: Path | None = None
) -> Report:
    """Check the file, the foreign keys, the append-only triggers, the audit chain, that the
    chain still passes through each anchor (`ID:HASH`, from a handover or an earlier verify),
    that operators, children and every case projection equal a replay of the events, and that
    every key line for this database in `authorized_keys` (default: this account's) was added by
    a key event; read-only, in one snapshot."""
    points = [parse_anchor(text) for text in anchors or ()]  # bad input before any read
    require_role(session, Action.VERIFY)
    report = Report()
    db = session.db
    with session.reading(), snapshot(db):
        integrity = vq.integrity_problems(db)
        for line in integrity:
            report.add("integrity", "database file", line)
        report.checked.append(
            "SQLite integrity_check: " + ("ok" if not integrity else f"{len(integrity)} problem(s)")
        )
        foreign = vq.foreign_key_problems(db)
        for row in foreign:
            report.add(
                "foreign keys",
                f"{row['table']} row {row['rowid']}",
                f"refers to a {row['parent']} row that does not exist",
            )
        report.checked.append(
            "foreign keys: " + ("ok" if not foreign else f"{len(foreign)} broken reference(s)")
        )
        missing = vq.missing_triggers(db)
        for name in missing:
            report.add(
                "triggers", "events table", f"trigger {name} is missing: events can be altered"
            )
        report.checked.append(
            f"append-only triggers: {len(vq.APPEND_ONLY_TRIGGERS) - len(missing)}"
            f" of {len(vq.APPEND_ONLY_TRIGGERS)} present"
        )
        garbled = vq.invalid_text(db)
        for table, row_id, column in garbled:
            report.add("text", f"{table} row {row_id}", f"{column} is not valid UTF-8 text")
        report.checked.append(
            "stored text is UTF-8: " + ("ok" if not garbled else f"{len(garbled)} bad value(s)")
        )
        hashes: dict[int, str] = {point.event_id: "" for point in points}
        report.checked.append(_check_chain(db, report, hashes))
        if points:
            report.checked.append(_check_anchors(points, hashes, report))
        report.checked.append(_check_operators(db, report))
        keys_path = authorized_keys or key_file.default_path()
        report.checked.append(_check_keys(db, report, keys_path, session.path))
        children_line, damaged = _check_children(db, report)
        report.checked.append(children_line)
        packets: dict[Any, list[dict[str, Any]]] = {}
        report.checked.append(_check_projections(db, report, packets))
        _check_child_identities(db, report, packets, damaged)
        report.checked.append(_check_photos(db, report))
    return report


def _check_photos(db: Database, report: Report) -> str:
    """Every photo event names a stored photo of its own case whose bytes still hash to the
    SHA-256 the event recorded, and every stored photo has its event."""
    named: dict[int, tuple[int, Any, str]] = {}  # photo id -> (event id, case id, sha256)
    for event_id, case_id, text in vq.photo_events(db):
        try:
            data = loads(text)
        except DAMAGE:
            continue  # already said: the event's data is not valid JSON
        ref = ref_from_event(event_id, data) if isinstance(data, dict) else None
        if ref is None:
            report.add("photos", f"event {event_id}", "a photo event that names no photo")
            continue
        named[ref.photo_id] = (event_id, case_id, ref.sha256)
    stored = 0
    for photo_id, case_id, sha, data in vq.photo_rows(db):
        stored += 1
        where = f"photos row {photo_id}"
        link = named.pop(photo_id, None)
        if link is None:
            report.add("photos", where, "no photo event refers to it (written outside caseboard)")
            continue
        event_id, event_case, event_sha = link
        if case_id != event_case:
            report.add("photos", where, f"belongs to case {case_id}, its event {event_id} to"
                       f" case {event_case}")  # fmt: skip
        if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != event_sha:
            report.add("photos", where, f"its bytes are not the photo event {event_id} recorded"
                       " (SHA-256 differs): the image was changed")  # fmt: skip
        elif sha != event_sha:
            report.add("photos", where, f"its recorded SHA-256 differs from event {event_id}'s")
    for photo_id, (event_id, _case, _sha) in sorted(named.items()):
        report.add("photos", f"event {event_id}", f"names photo {photo_id}, which is not stored")
    return f"photos: {stored} stored, each checked against its event's SHA-256"


def _event_where(row: dict[str, Any]) -> str:
    case = row.get("case_id")
    return f"event {row['id']}" + (f" (case {case})" if case is not None else "")


def _check_chain(db: Database, report: Report, hashes: dict[int, str]) -> str:
    """Ids without gaps, each prev_hash the previous hash, each hash its contents' hash; and
    every row readable (JSON data object, times with offsets, a known type). Fills in the
    hashes of the events asked for in `hashes` and sets the report's head."""
    count, first_id, previous_id, previous_hash = 0, 0, 0, GENESIS_HASH
    for row in vq.event_chain(db):
        count += 1
        if row["id"] in hashes and isinstance(row["hash"], str):
            hashes[row["id"]] = row["hash"]
        if type(row["id"]) is int and isinstance(row["hash"], str):
            report.head = AuditHead.of(row["id"], row["hash"])
        first_id = first_id or _int(row["id"])
        where = _event_where(row)
        _check_event_row(row, where, report)
        if row["id"] != previous_id + 1:
            gap = (
                f"event {previous_id + 1}"
                if row["id"] == previous_id + 2
                else f"events {previous_id + 1}..{_int(row['id']) - 1}"
            )
            report.add(
                "audit chain", where, f"ids jump from {previous_id} to {row['id']}: {gap} missing"
            )
        if row["prev_hash"] != previous_hash:
            before = f"event {previous_id}'s hash" if previous_id else "the chain's start"
            report.add("audit chain", where, f"prev_hash does not match {before}")
        try:
            recomputed = event_hash(str(row["prev_hash"]), row)
        except (TypeError, ValueError) as exc:
            recomputed = f"unhashable ({exc})"
        if recomputed != row["hash"]:
            report.add(
                "audit chain",
                where,
                "hash does not match the event's contents (changed after it was written)",
            )
        previous_id, previous_hash = _int(row["id"]), row["hash"]
    span = f", ids {first_id}..{previous_id}" if count else ""
    return f"audit chain: {count} event(s){span}"


def _check_anchors(points: list[AuditHead], hashes: dict[int, str], report: Report) -> str:
    """Each anchor's event still there with a hash that starts with the anchor's digits."""
    for point in points:
        where = f"anchor {point.anchor()}"
        found = hashes.get(point.event_id, "")
        if not found:
            report.add(
                "anchors",
                where,
                f"event {point.event_id} is no longer in the audit chain: the history this"
                " anchor committed to was cut or rewritten",
            )
        elif not found.lower().startswith(point.hash):
            report.add(
                "anchors",
                where,
                f"event {point.event_id}'s hash is now {found[: len(point.hash)]}: the history"
                " up to this anchor was rewritten after it was taken",
            )
    failed = sum(1 for problem in report.problems if problem.check == "anchors")
    return f"anchors: {len(points) - failed} of {len(points)} still in the audit chain"


def _check_operators(db: Database, report: Report) -> str:
    """The operators table equals the fold of its operator events (roles, names, active)."""
    events: list[OperatorEvent] = []
    for row in vq.operator_events(db):
        try:
            data = loads(row["data"])
        except DAMAGE:
            continue  # already said: the event's data is not valid JSON
        events.append(OperatorEvent(row["id"], str(row["recorded_at"]), str(row["actor"]), data))
    try:
        expected = fold_operators(events)
    except BadOperatorEvent as exc:
        report.add("operators", "operator events", f"cannot be replayed ({exc})")
        return "operators: the operator events cannot be replayed"
    stored = vq.operator_rows(db)
    for username, what in operator_differences(expected, stored):
        report.add("operators", f"operators row {username}", what)
    return f"operators: {len(stored)} row(s) replayed from {len(events)} operator event(s)"


def _check_keys(db: Database, report: Report, path: Path, database: Path) -> str:
    """Key lines of ours that run this database must each have been added by a key event (and
    not removed since): a key written into authorized_keys by hand is reported."""
    try:
        lines = key_file.read_lines(path)
    except BadInput:
        return f"authorized_keys: {path} cannot be read; not checked"
    events: list[Any] = []
    for text in vq.key_events(db):
        try:
            events.append(loads(text))
        except DAMAGE:
            continue  # already said: the event's data is not valid JSON
    expected = fold_keys(events)
    ours = os.path.abspath(database)
    count = 0
    for number, line in enumerate(lines, start=1):
        bound = bound_key(line)
        named = forced_database(line) if bound is not None else None
        if bound is None or named is None or os.path.abspath(named) != ours:
            continue
        count += 1
        marked = fingerprint(bound.key)
        if (bound.operator, marked) not in expected:
            report.add(
                "keys",
                f"{path} line {number}",
                f"binds key {marked} to {bound.operator} but no key event added it (or it was"
                " removed): it was written into the file by hand",
            )
    return f"authorized_keys: {count} key line(s) for this database in {path}"


def _int(value: Any) -> int:
    """An id column as a number for the chain's arithmetic (a damaged one counts as 0)."""
    return value if type(value) is int else 0


def _check_event_row(row: dict[str, Any], where: str, report: Report) -> None:
    """Each column of an events row readable: `events row 7 (case 3): data is not valid JSON`."""
    place = "events row" + where.removeprefix("event")
    for what in event_problems(row):
        report.add("events", place, what)
    if row["type"] == EventType.CORRECTION:
        if row["supersedes"] is None:
            report.add("events", place, "a correction that supersedes no event")
        for what in _correction_problems(row["data"]):
            report.add("events", place, what)


# Corrected fields that are times (effective() parses them when it applies the correction).
_CORRECTED_TIMES = ("at", "learned_at")


def _correction_problems(text: Any) -> list[str]:
    """What stops a correction being applied: its changes not an object, a time not a time."""
    try:
        data = loads(text)
    except DAMAGE:
        return []  # already said: data is not valid JSON
    if not isinstance(data, dict):
        return []
    changes = data.get("changes")
    if changes is None:
        return []
    if not isinstance(changes, dict):
        return ["a correction whose changes are not a JSON object"]
    problems = []
    for key in _CORRECTED_TIMES:
        if key in changes:
            try:
                from_iso(changes[key])
            except DAMAGE:
                problems.append(f"a correction whose changes.{key} is not a time with an offset")
    return problems


def _check_children(db: Database, report: Report) -> tuple[str, set[tuple[int, str]]]:
    """Each children row: a name that is text, a date of birth that is a date, a whole age.
    Returns the line for `checked` and the (id, column) pairs already found damaged."""
    rows = vq.children_identity(db)
    damaged: set[tuple[int, str]] = set()
    for row in rows.values():
        where = f"children row {row['id']}"
        if not isinstance(row["name"], str):
            report.add("children", where, "name is not text")
            damaged.add((row["id"], "name"))
        dob = row["dob"]
        if dob is not None:
            try:
                date.fromisoformat(dob)
            except (TypeError, ValueError):
                report.add("children", where, "dob is not a date (YYYY-MM-DD)")
                damaged.add((row["id"], "dob"))
        if row["age"] is not None and type(row["age"]) is not int:
            report.add("children", where, "age is not a whole number")
            damaged.add((row["id"], "age"))
    return f"children: {len(rows)} row(s), identity replayed from intake events", damaged


def _check_child_identities(
    db: Database,
    report: Report,
    packets: dict[Any, list[dict[str, Any]]],
    damaged: set[tuple[int, str]],
) -> None:
    """Each child's name, dob, age and aliases are what the events gave it: its latest intake
    (services/intake.py), or the packet of one of its cases as replayed (a correction of an
    intake refreshes the child from the corrected case). A value written into the table that
    none of them holds is reported, column by column."""
    expected = _children_by_intake(db)
    for child_id, row in vq.children_identity(db).items():
        sources = [
            *([expected[child_id]] if child_id in expected else []),
            *packets.get(child_id, []),
        ]
        if not sources:
            continue  # a child with no case left: the projections check names the case
        columns = [
            column
            for column in CHILD_IDENTITY
            if (child_id, column) not in damaged
            and all(row[column] != source.get(column) for source in sources)
        ]
        if columns:
            report.add(
                "children",
                f"children row {child_id}",
                f"{', '.join(columns)} differ(s) from what the child's intake events give it",
            )


# A child's identity columns, as the latest intake event's data gives them.
CHILD_IDENTITY = ("name", "dob", "age", "aliases")


def _children_by_intake(db: Database) -> dict[int, dict[str, Any]]:
    """Each child's identity from its latest intake event (a child's cases link the two)."""
    expected: dict[int, dict[str, Any]] = {}
    for row in vq.intake_links(db):
        try:
            data = loads(row["data"])
        except DAMAGE:
            continue  # already said: the event's data is not valid JSON
        if isinstance(data, dict):
            expected[row["child_id"]] = {column: data.get(column) for column in CHILD_IDENTITY}
    return expected


def _why(exc: BaseException) -> str:
    """What went wrong, without quoting stored text (a message may carry any of it)."""
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        return f"a field {exc.args[0]!r} is missing"
    if isinstance(exc, Damaged | msgspec.ValidationError):
        return str(exc)
    return type(exc).__name__


def _check_projections(
    db: Database, report: Report, packets: dict[Any, list[dict[str, Any]]]
) -> str:
    """Each case's child row exists, its events replay, and its stored state (and indexed
    columns) equal that replay. Any shape of damage is reported, case by case."""
    count = 0
    children = vq.child_ids(db)
    for row in vq.projections(db):
        count += 1
        try:
            _check_projection(db, row, children, report, packets)
        except Exception as exc:  # damage of any shape is a finding, never a crash
            report.add("projections", f"case {row['id']}", f"cannot be checked ({_why(exc)})")
    for orphan in queries.orphaned_cases(db):
        report.add(
            "projections",
            f"case {orphan.case_id}",
            f"{orphan.why}: the case shows as unreadable until its cases row is restored",
        )
    return f"case projections: {count} case(s) replayed from their events"


def _check_projection(
    db: Database,
    row: dict[str, Any],
    children: set[int],
    report: Report,
    packets: dict[Any, list[dict[str, Any]]],
) -> None:
    where = f"case {row['id']}"
    if row["child_id"] not in children:
        report.add(
            "projections",
            where,
            f"its child record {row['child_id']} is missing (children table): the case shows"
            " as unreadable until it is restored",
        )
    try:
        replayed = state_to_dict(replay(queries.case_events(db, row["id"]), row["child_id"]))
        packets.setdefault(row["child_id"], []).append(replayed["packet"])
    # Tampered rows can break decoding or the fold in any of these ways; report, not crash.
    except (Damaged, *DAMAGE) as exc:
        report.add("projections", where, f"its events cannot be replayed ({_why(exc)})")
        replayed = None
    try:
        stored = json.loads(row["state"])
    except (TypeError, ValueError, RecursionError):
        report.add("projections", where, "its stored state (cases.state) is not valid JSON")
        return
    if not isinstance(stored, dict):
        report.add("projections", where, "its stored state (cases.state) is JSON but not an object")
        return
    try:
        decode_state(row["state"])
    except DAMAGE as exc:
        report.add(
            "projections",
            where,
            f"its stored state (cases.state) is not the shape of a case ({_why(exc)})",
        )
    if replayed is None:
        return
    if stored != replayed:
        keys = sorted(
            str(key) for key in set(stored) | set(replayed) if stored.get(key) != replayed.get(key)
        )
        report.add(
            "projections",
            where,
            f"stored state differs from a replay of its events ({', '.join(keys)})",
        )
    columns = [name for name in INDEXED_COLUMNS if row[name] != replayed.get(name)]
    if columns:
        report.add(
            "projections",
            where,
            f"cases columns differ from a replay of its events ({', '.join(columns)})",
        )


# --- backup -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    """Where a backup was written and what it holds."""

    path: Path
    events: int
    cases: int


def backup(session: Session, dest: Path) -> Backup:
    """A consistent online copy of the live database at DEST (a new file), checked by SQLite."""
    require_role(session, Action.BACKUP)
    target = Path(os.path.abspath(dest))
    _refuse_bad_dest(session, target)
    if file_identity(session.path) != session.file_id:
        raise Unavailable(
            f"the database file {session.path} was replaced while caseboard had it open;"
            " nothing was copied: run the backup again"
        )
    # Copies left by a backup that was killed go first; this one is written 0600 (COPY_MODE).
    store_backup.sweep(target.parent)
    temporary = store_backup.temporary_for(target)
    with session.reading():
        try:
            copied = store_backup.copy_to(session.db, temporary)
        except (OSError, store_backup.CopyFailed) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise BadInput(
                "DEST", f"cannot write {target}: {reason}; nothing was written"
            ) from None
    if copied.integrity:
        store_backup.discard(temporary)
        raise Unavailable(
            f"the copy failed SQLite's integrity check ({copied.integrity[0]}); {target} was not"
            " written: run caseboard verify on the database"
        )
    try:
        store_backup.publish(temporary, target)
    except FileExistsError:
        raise BadInput("DEST", f"{target} appeared while copying; nothing was replaced") from None
    except OSError as exc:
        store_backup.discard(temporary)
        raise BadInput("DEST", f"cannot write {target}: {exc.strerror or exc}") from None
    return Backup(target, copied.events, copied.cases)


def _refuse_bad_dest(session: Session, target: Path) -> None:
    if not target.parent.is_dir():
        raise BadInput("DEST", f"no such folder: {target.parent}")
    database = Path(os.path.abspath(session.path))
    side_files = {f"{database.name}{end}" for end in ("-wal", "-shm", "-journal")}
    same = target == database or (target.parent == database.parent and target.name in side_files)
    if same or (target.exists() and os.path.samefile(target, database)):
        raise BadInput("DEST", f"{target} is the database itself; choose another file")
    if target.exists() or target.is_symlink():
        raise BadInput("DEST", f"{target} exists already; nothing was written (choose a new name)")
