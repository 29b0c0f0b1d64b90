"""`keys add/list/remove` and `operators disable`: atomic edits of authorized_keys, as events."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from cli.conftest import RunCli

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed"
)

OTHER_LINES = [
    "# kept: a line caseboard did not write",
    'command="/usr/bin/backup-only" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuJ+7A2pLgCy/jf+EP'
    "UOscKivOmYBVaOaj4LBjMaoDw backup@host",
]


def _keygen(folder: Path, name: str) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)],
        check=True,
    )
    return folder / f"{name}.pub"


def _key_events(db: Path) -> list[dict[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT data FROM events WHERE type = 'key' ORDER BY id").fetchall()
    return [json.loads(data) for (data,) in rows]


@pytest.fixture
def keys_setup(demo_db: Path, tmp_path: Path, run_cli: RunCli) -> tuple[Path, Path]:
    """The demo database with liaison 'liz' and dispatcher 'dan', and an authorized_keys file
    that already holds other lines."""
    for user, role in (("liz", "liaison"), ("dan", "dispatcher")):
        assert run_cli(demo_db, "operators", "add", user, "--role", role).returncode == 0
    keys = tmp_path / "ssh" / "authorized_keys"
    keys.parent.mkdir()
    keys.write_text("\n".join(OTHER_LINES) + "\n")
    return demo_db, keys


# A real child process (run_subprocess): the key's forced command names this program
# from sys.argv[0] and PYTHONPATH, which only a process of its own has.
def test_add_list_remove(
    keys_setup: tuple[Path, Path], tmp_path: Path, run_subprocess: RunCli
) -> None:
    db, keys = keys_setup
    liz, dan = _keygen(tmp_path, "liz"), _keygen(tmp_path, "dan")
    for user, pub in (("liz", liz), ("dan", dan)):
        added = run_subprocess(db, "keys", "add", user, str(pub), "--authorized-keys", str(keys))
        assert added.returncode == 0, added.stderr
        assert added.stdout.strip().isdigit()
    lines = keys.read_text().splitlines()
    assert lines[:2] == OTHER_LINES, "lines caseboard did not write are kept as they were"
    assert len(lines) == 4
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert all(line.startswith('restrict,pty,command="') for line in lines[2:])
    assert f"--db {db.resolve()} ssh-shell liz" in lines[2]
    listed = run_subprocess(db, "keys", "list", "--json", "--authorized-keys", str(keys))
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["operator"], r["type"], r["active"]) for r in rows] == [
        ("liz", "ssh-ed25519", True),
        ("dan", "ssh-ed25519", True),
    ]
    printed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(dan)], capture_output=True, text=True
    ).stdout.split()[1]
    assert rows[1]["fingerprint"] == printed
    removed = run_subprocess(db, "keys", "remove", printed, "--authorized-keys", str(keys))
    assert removed.returncode == 0, removed.stderr
    assert len(keys.read_text().splitlines()) == 3
    assert [e["action"] for e in _key_events(db)] == ["add", "add", "remove"]
    assert run_subprocess(db, "verify").returncode == 0


def test_disabling_an_operator_removes_their_keys(
    keys_setup: tuple[Path, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    db, keys = keys_setup
    pub = _keygen(tmp_path, "liz")
    assert (
        run_cli(db, "keys", "add", "liz", str(pub), "--authorized-keys", str(keys)).returncode == 0
    )
    result = run_cli(db, "operators", "disable", "liz", "--authorized-keys", str(keys))
    assert result.returncode == 0, result.stderr
    assert "SSH key SHA256:" in result.stderr
    assert keys.read_text().splitlines() == OTHER_LINES
    assert _key_events(db)[-1]["operator"] == "liz"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("not a key\n", "not an SSH public key"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==\n", "ssh-keygen does not accept"),
        ("", "found no key"),
    ],
)
def test_a_bad_key_is_exit_2_and_nothing_changes(
    keys_setup: tuple[Path, Path], tmp_path: Path, run_cli: RunCli, content: str, says: str
) -> None:
    db, keys = keys_setup
    bad = tmp_path / "bad.pub"
    bad.write_text(content)
    before = keys.read_text()
    result = run_cli(db, "keys", "add", "liz", str(bad), "--authorized-keys", str(keys))
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "PUBKEY_FILE" in result.stderr
    assert keys.read_text() == before and _key_events(db) == []


def test_keys_need_a_supervisor_and_an_active_operator(
    keys_setup: tuple[Path, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    db, keys = keys_setup
    pub = _keygen(tmp_path, "x")
    unknown = run_cli(db, "keys", "add", "nosuch", str(pub), "--authorized-keys", str(keys))
    assert unknown.returncode == 2 and "not an active caseboard operator" in unknown.stderr
    me_as_dispatcher = run_cli(db, "operators", "add", "dan", "--role", "dispatcher")
    assert me_as_dispatcher.returncode == 0
    twice = _keygen(tmp_path, "y")
    assert (
        run_cli(db, "keys", "add", "dan", str(twice), "--authorized-keys", str(keys)).returncode
        == 0
    )
    again = run_cli(db, "keys", "add", "liz", str(twice), "--authorized-keys", str(keys))
    assert again.returncode == 2 and "already bound to dan" in again.stderr
    nothing = run_cli(db, "keys", "remove", "nobody-here", "--authorized-keys", str(keys))
    assert nothing.returncode == 2


def test_an_endless_key_file_is_refused_without_reading_it_whole(
    keys_setup: tuple[Path, Path], run_cli: RunCli
) -> None:
    # /dev/zero never ends: read whole (as before), `keys add` never returned.
    db, keys = keys_setup
    before = keys.read_text()
    result = run_cli(db, "keys", "add", "liz", "/dev/zero", "--authorized-keys", str(keys))
    assert result.returncode == 2, result.stderr
    assert "too large to be a public key" in result.stderr
    assert keys.read_text() == before and _key_events(db) == []
