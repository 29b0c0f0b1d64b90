"""Migrations, append-only triggers, connection settings and refusals to open the wrong file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from caseboard import paths, services
from caseboard.clock import frozen_clock
from caseboard.domain.errors import Unavailable
from caseboard.domain.policy import Policy
from caseboard.identity import os_username
from caseboard.store import queries, stats_queries
from caseboard.store.codec import decode_state, search_row
from caseboard.store.connection import create_or_migrate, open_existing
from caseboard.store.schema import migrations
from caseboard.store.writer import Actor


def _schema(path: Path) -> list[tuple[str, str, str, str | None]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


# --- migrations -------------------------------------------------------------------------------


def test_init_twice_applies_nothing_the_second_time(
    db_path: Path, policy: Policy, zone: ZoneInfo, now: datetime
) -> None:
    me = Actor(os_username())
    clock = frozen_clock(now)

    session, applied, made = services.init_database(db_path, me, policy, zone, clock)
    assert applied, "a fresh file must get the schema"
    assert applied == [migration.name for migration in migrations.applied(session.db)]
    assert made is True
    session.db.conn.close()
    schema = _schema(db_path)
    operators = _rows(db_path, "SELECT * FROM operators")
    events = _rows(db_path, "SELECT * FROM events ORDER BY id")
    assert [row[0] for row in operators] == [me.username]
    assert len(events) == 1, "making the first operator is one audited event"

    session, applied, made = services.init_database(db_path, me, policy, zone, clock)
    session.db.conn.close()
    assert applied == []
    assert made is False
    assert _schema(db_path) == schema
    assert _rows(db_path, "SELECT * FROM operators") == operators
    assert _rows(db_path, "SELECT * FROM events ORDER BY id") == events


def test_create_or_migrate_twice_applies_nothing_the_second_time(db_path: Path) -> None:
    db, applied = create_or_migrate(db_path)
    db.conn.close()
    schema = _schema(db_path)
    assert applied
    db, applied_again = create_or_migrate(db_path)
    db.conn.close()
    assert applied_again == []
    assert _schema(db_path) == schema
    assert _rows(db_path, "SELECT COUNT(*) FROM _sqlite_migrations") == [(len(applied),)]


def test_init_by_someone_else_later_does_not_make_them_an_operator(
    make_session: Callable[..., services.Session],
    db_path: Path,
    policy: Policy,
    zone: ZoneInfo,
    now: datetime,
) -> None:
    make_session()
    other = Actor("someone-else")
    session, applied, made = services.init_database(db_path, other, policy, zone, frozen_clock(now))
    session.db.conn.close()
    assert applied == []
    assert made is False
    assert _rows(db_path, "SELECT username, role FROM operators") == [(os_username(), "supervisor")]


# --- append-only events -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET actor = 'mallory'",
        "UPDATE events SET data = '{}' WHERE id = 1",
        "UPDATE events SET hash = prev_hash",
        "DELETE FROM events",
        "DELETE FROM events WHERE id = 1",
        # REPLACE deletes the row it collides with; that is a delete too.
        "INSERT OR REPLACE INTO events (id, case_id, type, occurred_at, recorded_at, actor, data,"
        " prev_hash, hash) VALUES (1, NULL, 'operator', '2026-01-01T00:00:00+00:00',"
        " '2026-01-01T00:00:00+00:00', 'mallory', '{}', 'x', 'y')",
        "REPLACE INTO events (id, case_id, type, occurred_at, recorded_at, actor, data,"
        " prev_hash, hash) VALUES (1, NULL, 'operator', '2026-01-01T00:00:00+00:00',"
        " '2026-01-01T00:00:00+00:00', 'mallory', '{}', 'x', 'y')",
    ],
    ids=[
        "update-all",
        "update-one",
        "update-hash",
        "delete-all",
        "delete-one",
        "insert-or-replace",
        "replace",
    ],
)
def test_events_are_append_only_even_through_raw_sqlite(
    make_session: Callable[..., services.Session], db_path: Path, sql: str
) -> None:
    make_session()
    before = _rows(db_path, "SELECT * FROM events ORDER BY id")
    assert before, "init writes the first operator's event"
    with closing(sqlite3.connect(db_path)) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
        conn.commit()
    assert _rows(db_path, "SELECT * FROM events ORDER BY id") == before


def test_events_are_append_only_through_the_session_connection(
    make_session: Callable[..., services.Session],
) -> None:
    session = make_session()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        session.db.execute("UPDATE events SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        session.db.execute("DELETE FROM events")


# --- connection settings ----------------------------------------------------------------------


@pytest.mark.parametrize("readonly", [False, True], ids=["writer", "readonly"])
def test_connection_settings(make_session: Callable[..., services.Session], readonly: bool) -> None:
    session = make_session(readonly=readonly)
    conn = session.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA query_only").fetchone()[0] == int(readonly)


def test_create_or_migrate_connection_settings(db_path: Path) -> None:
    db, _ = create_or_migrate(db_path)
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_foreign_keys_are_enforced(make_session: Callable[..., services.Session]) -> None:
    session = make_session()
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        session.db.execute(
            "INSERT INTO cases (id, child_id, status, learned_at, last_seen_at, last_seen_where,"
            " placement_type, agency, version, last_event_id, updated_at, state)"
            " VALUES (1, 999, 'missing', 'x', 'x', 'x', 'kin', 'x', 1, 1, 'x', '{}')"
        )


# --- refusing files that are not a usable caseboard database -----------------------------------


def _foreign_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO recipes (title) VALUES ('soup')")
        conn.commit()


def _other_sqlite_utils_app(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT,"
            " name TEXT, applied_at TEXT)"
        )
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('recipes', 'm001', '2026-01-01')"
        )
        conn.commit()


BAD_FILES: dict[str, tuple[Callable[[Path], object], str]] = {
    "text-file": (lambda p: p.write_text("name,age\nDemo,12\n"), "not an SQLite database"),
    "empty-file": (lambda p: p.write_bytes(b""), "not an SQLite database"),
    "corrupt": (
        lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16),
        "corrupt or not an SQLite database",
    ),
    "foreign-sqlite": (_foreign_sqlite, "not a caseboard database"),
    "other-sqlite-utils-app": (_other_sqlite_utils_app, "not a caseboard database"),
}


@pytest.mark.parametrize(
    "opener",
    [open_existing, create_or_migrate],
    ids=["open_existing", "create_or_migrate"],
)
def test_a_directory_instead_of_a_file_is_unavailable(
    tmp_path: Path, opener: Callable[[Path], object]
) -> None:
    folder = tmp_path / "caseboard.db"
    folder.mkdir()
    with pytest.raises(Unavailable) as caught:
        opener(folder)
    assert str(folder) in str(caught.value)


def test_open_existing_on_a_missing_file_says_to_run_init(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "caseboard.db"
    with pytest.raises(Unavailable) as caught:
        open_existing(path)
    message = str(caught.value)
    assert str(path) in message
    assert "init" in message
    assert not path.exists(), "opening must not create the file"
    assert caught.value.exit_code == 5


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("readonly", [False, True], ids=["writer", "readonly"])
def test_open_existing_refuses_files_that_are_not_caseboard_databases(
    tmp_path: Path, kind: str, readonly: bool
) -> None:
    path = tmp_path / "caseboard.db"
    make, expected = BAD_FILES[kind]
    make(path)
    with pytest.raises(Unavailable) as caught:
        open_existing(path, readonly=readonly)
    message = str(caught.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message, "one clear sentence"


@pytest.mark.parametrize("kind", ["text-file", "corrupt", "foreign-sqlite"])
def test_create_or_migrate_refuses_files_that_are_not_caseboard_databases(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "caseboard.db"
    BAD_FILES[kind][0](path)
    with pytest.raises(Unavailable) as caught:
        create_or_migrate(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "refuse",
    [create_or_migrate, open_existing],
    ids=["create_or_migrate", "open_existing"],
)
def test_a_refused_foreign_sqlite_file_is_left_byte_for_byte_untouched(
    tmp_path: Path, refuse: Callable[[Path], object]
) -> None:
    """'refusing to touch it' must hold: not even the journal mode may change."""
    path = tmp_path / "recipes.db"
    _foreign_sqlite(path)
    original = path.read_bytes()
    with pytest.raises(Unavailable):
        refuse(path)
    with closing(sqlite3.connect(path)) as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "delete", f"someone else's database was switched to journal_mode={mode}"
    assert path.read_bytes() == original


def test_a_new_migration_is_pending_until_init_applies_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = create_or_migrate(db_path)
    db.conn.close()
    # A newer caseboard with one more migration meets this file (restored after the test).
    monkeypatch.setattr(migrations, "_migrations", list(migrations._migrations))

    @migrations(name="m999_test_only")
    def m999_test_only(db: Database) -> None:
        db.execute("CREATE TABLE test_only (x INTEGER)")

    with pytest.raises(Unavailable, match="init"):
        open_existing(db_path)
    db, applied = create_or_migrate(db_path)
    db.conn.close()
    assert applied == ["m999_test_only"]
    db = open_existing(db_path)
    assert "test_only" in db.table_names()
    db.conn.close()


def test_m005_rebuilds_search_rows_that_m003_filled_from_columns_alone(
    make_session: Callable[..., services.Session], db_path: Path
) -> None:
    session = make_session()
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    expected = sorted(
        tuple(search_row(decode_state(state)))
        for (state,) in session.db.conn.execute("SELECT state FROM cases")
    )
    # The rows as m003 left them in a database made before m005.
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DELETE FROM case_search")
        conn.execute(
            "INSERT INTO case_search (rowid, name, aliases, agency, places)"
            " SELECT cases.id, children.name, COALESCE(children.aliases, ''), cases.agency,"
            " cases.last_seen_where FROM cases JOIN children ON children.id = cases.child_id"
        )
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = 'm005_case_search_from_projections'"
        )
        before = sorted(
            tuple(row)
            for row in conn.execute("SELECT rowid, name, aliases, agency, places FROM case_search")
        )
    db, applied = create_or_migrate(db_path)
    rows = sorted(
        tuple(row)
        for row in db.conn.execute("SELECT rowid, name, aliases, agency, places FROM case_search")
    )
    db.conn.close()
    assert applied == ["m005_case_search_from_projections"]
    assert rows == expected
    assert before != expected  # sighting and recovery places were missing before


def test_m006_reads_episode_times_from_a_covering_index(
    make_session: Callable[..., services.Session], db_path: Path
) -> None:
    session = make_session()
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    expected = queries.episodes_by_child(session.db)
    # A database made before m006: the old index on child_id alone.
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DROP INDEX cases_child_learned")
        conn.execute("CREATE INDEX cases_child ON cases(child_id)")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_episodes_index'")
    db, applied = create_or_migrate(db_path)
    plans = [
        db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()[0][3]
        for sql, params in (
            ("SELECT child_id, learned_at FROM cases", []),
            ("SELECT child_id, learned_at FROM cases WHERE child_id = ?", [1]),
        )
    ]
    names = {row[0] for row in db.conn.execute("SELECT name FROM sqlite_master")}
    assert applied == ["m006_episodes_index"]
    assert all("COVERING INDEX cases_child_learned" in plan for plan in plans), plans
    assert "cases_child" not in names
    assert queries.episodes_by_child(db) == expected
    assert len(expected) >= 30 and any(len(times) > 1 for times in expected.values())
    db.conn.close()


def test_m009_reads_the_statistics_window_from_one_index(
    make_session: Callable[..., services.Session], db_path: Path, now: datetime
) -> None:
    session = make_session()
    with paths.demo_fixture().open(encoding="utf-8") as handle:
        services.import_records(session, json.load(handle))
    since, until = now - timedelta(days=365), now
    expected = stats_queries.window_episodes(session.db, since, until)
    # A database made before m009: no index on the learned-of time.
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DROP INDEX cases_stats")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_stats_index'")
        before = conn.execute(f"EXPLAIN QUERY PLAN {stats_queries.FACTS}", ["", ""]).fetchall()
    db, applied = create_or_migrate(db_path)
    assert applied == ["m009_stats_index"]
    assert "cases_stats" not in str(before)
    facts, children = (
        str(db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", ["", ""]).fetchall())
        for sql in (stats_queries.FACTS, stats_queries.CHILD_TIMES)
    )
    # A range of the index, not a walk of every case; the children's times from it alone.
    assert "SEARCH cases USING INDEX cases_stats (learned_at>? AND learned_at<?)" in facts
    assert "COVERING INDEX cases_stats" in children
    episodes, unreadable = stats_queries.window_episodes(db, since, until)
    assert (episodes, unreadable) == expected and len(episodes) >= 30 and not unreadable
    # A projection that is not JSON can still be written (the index holds NULL for it, where
    # json_extract would refuse the write) and the statistics name it instead of failing.
    case_id = episodes[0].case_id
    db.conn.execute("UPDATE cases SET state = 'not json' WHERE id = ?", [case_id])
    db.conn.commit()
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again, _ = stats_queries.window_episodes(db, since, until)
    assert again == episodes  # rebuilt from its events, one by one
    db.conn.close()


def test_opening_a_second_connection_keeps_the_first_ones_locks(
    make_session: Callable[..., services.Session], db_path: Path
) -> None:
    # Closing any descriptor of the database file drops every POSIX lock the process holds on
    # it. If opening the board's second (live) connection did that, another process closing
    # its connection would believe it was the last one, checkpoint and delete the WAL, and
    # this process's next write would go to a deleted file.
    session = make_session()
    reader = open_existing(db_path, readonly=True)  # as the live reader does
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            " c.execute('SELECT COUNT(*) FROM events').fetchone(); c.close()",
            str(db_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    assert db_path.with_name(db_path.name + "-wal").exists(), "the WAL was reset under us"
    services.add_operator(session, "after", "viewer", "Written After")
    reader.conn.close()
    session.db.conn.close()
    with closing(sqlite3.connect(db_path)) as conn:
        names = {row[0] for row in conn.execute("SELECT username FROM operators")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "after" in names
