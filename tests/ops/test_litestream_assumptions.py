"""What Litestream assumes of an application, kept true of caseboard's connections, and the
configuration `replicate` hands it; the README's and the systemd unit's commands parse."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from caseboard.cli.access import delegated_refusal
from caseboard.cli.parser import build_parser
from caseboard.store import litestream
from caseboard.store.connection import raw_connection
from ops.conftest import needs_litestream

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "src" / "caseboard").rglob("*.py"))
CB = "caseboard --db /srv/caseboard/data/caseboard.db"


def test_connections_are_wal_with_a_busy_timeout_litestream_can_live_with(
    initialised_db: Path,
) -> None:
    db = raw_connection(initialised_db, readonly=True)
    try:
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # Litestream takes short write locks to checkpoint; its docs ask for at least 5 s.
        assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        # SQLite's own automatic checkpoints stay on (PASSIVE: they cannot pass Litestream's
        # read lock); turned off, the WAL would grow whenever Litestream is not running.
        assert db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] > 0
    finally:
        db.conn.close()


def test_no_code_checkpoints_or_leaves_wal_mode() -> None:
    for path in SOURCES:
        text = path.read_text("utf-8").lower()
        assert "wal_checkpoint" not in text, path
        assert "wal_autocheckpoint" not in text, path
        for mode in re.findall(r"journal_mode\s*=\s*(\w+)", text):
            assert mode == "wal", (path, mode)


def test_the_generated_configuration() -> None:
    folder = json.loads(litestream.config_text(Path("cb.db"), "replica", 1.0))
    (database,) = folder["dbs"]
    assert Path(database["path"]).is_absolute() and database["path"].endswith("/cb.db")
    assert database["monitor-interval"] == "200ms"
    assert database["replica"]["type"] == "file"
    assert Path(database["replica"]["path"]).is_absolute()
    assert database["replica"]["sync-interval"] == "1000ms"
    bucket = json.loads(litestream.config_text(Path("/srv/cb.db"), "s3://b/cb", 0.25))
    assert bucket["dbs"][0]["replica"] == {"url": "s3://b/cb", "sync-interval": "250ms"}
    assert litestream.replica_url("/srv/replica") == "file:///srv/replica"


def test_the_wheel_ships_litestream_0_5() -> None:
    executable = needs_litestream()
    assert litestream.binary() == executable
    out = litestream._run(executable, ["version"])
    assert out.strip().lstrip("v").startswith("0.5."), out


def _readme_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Running it 24/7", 1)[1].split("\n## ", 1)[0]
    commands = []
    for line in section.splitlines():
        line = line.strip()
        if line.startswith("$CB "):
            command = line.split("  #", 1)[0].replace("$CB", CB, 1)
            commands.append(shlex.split(command)[1:])
    return commands


def test_the_readme_commands_and_the_unit_parse() -> None:
    commands = _readme_commands()
    parsed = [build_parser().parse_args(argv) for argv in commands]
    assert {args.command for args in parsed} == {"replicate", "restore", "doctor"}
    unit = (REPO / "deploy" / "systemd" / "caseboard-replicate.service").read_text("utf-8")
    (exec_start,) = re.findall(r"^ExecStart=(.+)$", unit, re.MULTILINE)
    args = build_parser().parse_args(shlex.split(exec_start)[1:])
    assert args.command == "replicate" and args.to == "/srv/caseboard-replica"
    assert ["replicate", "--to", "/srv/caseboard-replica"] in [argv[2:] for argv in commands]


@pytest.mark.parametrize(
    ("argv", "over_ssh", "refused"),
    [
        (["restore", "--from", "/srv/r", "/tmp/x.db"], False, True),
        (["replicate", "--to", "/srv/r"], False, True),
        (["doctor"], False, False),
        (["doctor", "--json"], True, True),
        (["restore", "--from", "/srv/r", "/tmp/x.db"], True, True),
    ],
)
def test_people_reaching_the_service_account_do_not_run_the_host_commands(
    argv: list[str], over_ssh: bool, refused: bool
) -> None:
    # Through sudo a person may ask doctor (read-only but for removing dead copies); over SSH,
    # where nobody has an account on the host, not even that.
    reason = delegated_refusal(build_parser().parse_args(argv), over_ssh=over_ssh)
    assert (reason is not None) == refused, reason
