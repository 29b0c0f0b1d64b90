"""The schema, as sqlite-utils migrations (applied in order, each exactly once)."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from caseboard.store.codec import DAMAGE, SEARCH_INSERT, decode_state, search_row

MIGRATION_SET = "caseboard"
migrations = Migrations(MIGRATION_SET)

_ROLES = "'supervisor', 'dispatcher', 'liaison', 'viewer'"

# The projection's times the statistics read (state_to_dict's keys), after its own case id
# and learned-of time (which must match the row's, or the projection is not what the writer
# left). m009 indexes STATS_TIMES exactly as written here, and store/stats_queries.py selects
# it exactly as written, so that SQLite reads it from the index instead of parsing every
# projection: changing either the paths or the text needs a new migration.
STATS_PATHS = (
    "$.case_id",
    "$.learned_at",
    "$.confirmations.police.at",
    "$.confirmations.ncic.at",
    "$.confirmations.ncmec.at",
    "$.recovery.at",
    "$.interview.at",
    "$.interview.details.screen",
    "$.closure.at",
    "$.interview.details.factors",
    "$.interview.details.indicators",
)
# NULL for a projection that is not JSON (a damaged row): json_extract would raise instead,
# and an index that raises would refuse the write, or the read, of that row.
STATS_TIMES = (
    "CASE WHEN json_valid(state) THEN json_array("
    + ", ".join(f"json_extract(state, '{path}')" for path in STATS_PATHS)
    + ") END"
)


@migrations()
def m001_initial(db: Database) -> None:
    """Operators, children, cases (the projection), append-only events, access log."""
    statements = [
        f"""CREATE TABLE operators (
            username TEXT PRIMARY KEY,
            name TEXT,
            role TEXT NOT NULL CHECK (role IN ({_ROLES})),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        )""",
        """CREATE TABLE children (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            dob TEXT,
            age INTEGER,
            aliases TEXT,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            child_id INTEGER NOT NULL REFERENCES children(id),
            status TEXT NOT NULL CHECK (status IN ('missing', 'recovered', 'closed')),
            learned_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            last_seen_where TEXT NOT NULL,
            placement_type TEXT NOT NULL,
            agency TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_event_id INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            state TEXT NOT NULL
        )""",
        "CREATE INDEX cases_status ON cases(status)",
        "CREATE INDEX cases_child ON cases(child_id)",
        # case_id is checked at commit so an intake can append its event before the case row
        # that the event's projection creates.
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id INTEGER REFERENCES cases(id) DEFERRABLE INITIALLY DEFERRED,
            type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            data TEXT NOT NULL,
            supersedes INTEGER REFERENCES events(id),
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        "CREATE INDEX events_case ON events(case_id, id)",
        "CREATE INDEX events_occurred ON events(occurred_at)",
        "CREATE INDEX events_recorded ON events(recorded_at)",
        "CREATE INDEX events_supersedes ON events(supersedes) WHERE supersedes IS NOT NULL",
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
           BEGIN SELECT RAISE(ABORT, 'events are append-only: record a correction instead'); END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
           BEGIN SELECT RAISE(ABORT, 'events are append-only: record a correction instead'); END""",
        """CREATE TABLE access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL,
            action TEXT NOT NULL,
            outcome TEXT NOT NULL
        )""",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m002_events_no_replace(db: Database) -> None:
    """REPLACE deletes without firing delete triggers: refuse any insert over an existing id."""
    db.execute(
        """CREATE TRIGGER events_no_replace BEFORE INSERT ON events
           WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
           BEGIN SELECT RAISE(ABORT, 'events are append-only: record a correction instead'); END"""
    )


@migrations()
def m003_case_search(db: Database) -> None:
    """Full-text search over each case's child name, aliases, agency and places (FTS5).

    The table is written by the write path with each projection (rowid = case id). sqlite-utils'
    enable_fts() is not used because it runs executescript(), which would commit the migration's
    transaction halfway.
    """
    db.execute(
        "CREATE VIRTUAL TABLE case_search USING fts5("
        "name, aliases, agency, places, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute(
        "INSERT INTO case_search (rowid, name, aliases, agency, places)"
        " SELECT cases.id, children.name, COALESCE(children.aliases, ''), cases.agency,"
        " cases.last_seen_where FROM cases JOIN children ON children.id = cases.child_id"
    )


@migrations()
def m004_handover(db: Database) -> None:
    """Handover support: when each operator last looked at the board, and fast window queries.

    `board_looks` is not part of the audit chain: it records what an operator has seen, not
    anything that happened to a case, and is overwritten on every look.
    """
    db.execute(
        """CREATE TABLE board_looks (
            username TEXT PRIMARY KEY,
            event_id INTEGER NOT NULL,
            looked_at TEXT NOT NULL
        )"""
    )
    # The last sign-off is found by walking this small index backwards, not the whole log.
    db.execute("CREATE INDEX events_signoff ON events(id) WHERE type = 'signoff'")
    # A case's events of one type by time: the no-news anchor and the tier history of a case
    # read a few index ranges instead of the case's whole log.
    db.execute("CREATE INDEX events_case_type ON events(case_id, type, occurred_at)")


@migrations()
def m005_case_search_from_projections(db: Database) -> None:
    """Rebuild the search rows from each case's projection, as the write path builds them.

    m003 filled them from the cases table alone, which lacks sighting and recovery places and
    reads aliases from the child rather than from the case's own packet.
    """
    db.execute("DELETE FROM case_search")
    for (state,) in db.conn.execute("SELECT state FROM cases").fetchall():
        try:
            decoded = decode_state(state)
        except DAMAGE:
            continue  # verify names the row; the next write to the case writes its search row
        db.execute(SEARCH_INSERT, search_row(decoded))


@migrations()
def m006_episodes_index(db: Database) -> None:
    """A covering index for every child's episode times (the repeat-episode risk factor).

    The board's load and the handover read (child_id, learned_at) of every case; without it
    SQLite walked the cases table, whose rows carry the whole projection (20 ms at 12,000
    cases, 2 ms with it). It also serves lookups by child, so the old index goes.
    """
    db.execute("CREATE INDEX cases_child_learned ON cases(child_id, learned_at)")
    db.execute("DROP INDEX IF EXISTS cases_child")


@migrations()
def m007_access_log_detail(db: Database) -> None:
    """The access log as an audit of access asks: which case and from where, append-only.

    Log-ons, case views, handover reads, exports and refusals are kept for supervisors and
    auditors; the app never changes or prunes them, and these triggers refuse it to others.
    """
    db.execute("ALTER TABLE access_log ADD COLUMN case_id INTEGER")
    db.execute("ALTER TABLE access_log ADD COLUMN source TEXT")
    db.execute("CREATE INDEX access_log_at ON access_log(at)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER access_log_no_{verb.lower()} BEFORE {verb} ON access_log
               BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"""
        )


@migrations()
def m008_photos(db: Database) -> None:
    """Photos of the child: the stripped image bytes with their SHA-256, one row per upload.

    A row is written with the `photo` event that links it to its case, and never changed or
    removed (the newest photo event is current, the earlier ones are the history).
    """
    db.execute(
        """CREATE TABLE photos (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            sha256 TEXT NOT NULL,
            format TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            data BLOB NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX photos_case ON photos(case_id, id)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER photos_no_{verb.lower()} BEFORE {verb} ON photos
               BEGIN SELECT RAISE(ABORT, 'photos are kept: attach a new one instead'); END"""
        )


@migrations()
def m009_stats_index(db: Database) -> None:
    """The statistics' window read from one index: cases by learned-of time, with the columns
    and the projection's times (STATS_TIMES) they need.

    Without it, a 12-month window over 100,000 cases walked every row and parsed some 44,000
    projections' JSON (about 275 ms); with it SQLite finds the window's range and reads the
    times already extracted (about 110 ms). It also covers every child's learned-of times in
    a window (repeat runners). The writer keeps it with each projection, at one parse a write.
    """
    db.execute(
        "CREATE INDEX cases_stats ON cases(learned_at, child_id, placement_type, status,"
        f" last_seen_at, ({STATS_TIMES}))"
    )
