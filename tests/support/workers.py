"""Start several writer processes on one database and release them at the same moment.

Each worker script gets its arguments, writes `ready-<tag>` into the barrier folder when it is
set up, waits for `go`, does its work and prints its report; this collects (returncode, stdout,
stderr) per worker, in the order given.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def run_together(
    script: str, folder: Path, args_by_tag: Mapping[str, Sequence[str]], *, timeout: float
) -> list[tuple[int, str, str]]:
    """Run `script` once per tag (`python -c script *args`), start them together, wait for all."""
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in args_by_tag.values()
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((folder / f"ready-{tag}").exists() for tag in args_by_tag):
            assert all(w.poll() is None for w in workers), "a worker died before the start"
            assert time.monotonic() < deadline, "workers never became ready"
            time.sleep(0.01)
        (folder / "go").touch()
        outputs = [worker.communicate(timeout=timeout) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    return [
        (worker.returncode, stdout, stderr)
        for worker, (stdout, stderr) in zip(workers, outputs, strict=True)
    ]
