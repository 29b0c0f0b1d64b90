"""File modes: a private folder gets 0600 files; a setgid group folder gets 0660 database,
-wal and -shm whatever the umask of whoever opens it first; init warns about a half-set folder."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli.conftest import RunCli, cli_env


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run_with_umask(db: Path, umask: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process whose umask is `umask` (set before Python starts)."""
    code = f"import os, sys, runpy; os.umask({umask:#o}); sys.argv = sys.argv[1:]; " + (
        "runpy.run_module('caseboard', run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "caseboard", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=60,
        check=False,
    )


def test_init_in_a_private_folder_makes_a_private_file(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    result = run_cli(folder / "cb.db", "init")
    assert result.returncode == 0, result.stderr
    assert _mode(folder / "cb.db") == 0o600
    assert "warning" not in result.stderr


def test_a_group_folder_gets_group_files_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o2770)
    db = folder / "cb.db"
    made = _run_with_umask(db, 0o077, "init")
    assert made.returncode == 0, made.stderr
    assert _mode(db) == 0o660
    # SQLite removes -wal and -shm when the last connection closes: the next reader makes them.
    for side in ("-wal", "-shm"):
        assert not Path(f"{db}{side}").exists()
    # A viewer with the strictest umask reads first and holds the file open while we look.
    code = (
        "import os, sqlite3, sys; os.umask(0o077); conn = sqlite3.connect(sys.argv[1]);"
        " conn.execute('SELECT COUNT(*) FROM events').fetchone(); print('open', flush=True);"
        " sys.stdin.readline()"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", code, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
        for side in ("-wal", "-shm"):
            assert _mode(Path(f"{db}{side}")) == 0o660, side
    finally:
        assert reader.stdin is not None
        reader.stdin.close()
        reader.wait(timeout=30)
    listed = _run_with_umask(db, 0o077, "cases")
    assert listed.returncode == 0, listed.stderr


@pytest.mark.parametrize(
    ("mode", "says"),
    [(0o770, "not setgid"), (0o2750, "its group cannot write")],
)
def test_init_warns_about_a_half_set_group_folder(
    tmp_path: Path, run_cli: RunCli, mode: int, says: str
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    result = run_cli(folder / "cb.db", "init")
    assert result.returncode == 0, result.stderr
    assert says in result.stderr
    assert _mode(folder / "cb.db") == 0o660
