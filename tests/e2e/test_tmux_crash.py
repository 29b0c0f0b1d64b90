"""A board that fails in a real terminal: the terminal comes back, one sentence says where the
crash log is, the exit status is 70, and under --redact nothing of the packet is printed."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
CASEBOARD = Path(sys.executable).parent / "caseboard"
DEMO = Path(__file__).parents[2] / "fixtures" / "demo.json"

# The board as installed, with one service made to fail: opening a case raises an error whose
# message and local variables hold the packet (as a real bug's traceback would).
CRASHING_BOARD = """
import sys

from caseboard import services
from caseboard.cli import main

real_show_case = services.show_case


def show_case(session, case_id):
    detail = real_show_case(session, case_id)
    raise RuntimeError(f"cannot show {detail.summary.child.name}, {detail.summary.state!r}")


services.show_case = show_case
sys.exit(main(sys.argv[1:]))
"""


def tmux(socket: str, *args: str) -> str:
    result = subprocess.run(
        [str(TMUX), "-L", socket, *args], capture_output=True, text=True, check=False
    )
    return result.stdout


@pytest.fixture
def socket() -> Iterator[str]:
    name = f"caseboard-crash-{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        tmux(name, "kill-server")


def packet_texts() -> set[str]:
    """Names, aliases, places and other typed text of every demo child (none may be printed)."""
    records = json.loads(DEMO.read_text("utf-8"))
    texts = set()
    for record in records:
        for key in ("name", "last_seen_where", "marks", "clothing", "circumstances"):
            if isinstance(record.get(key), str):
                texts.add(record[key][:20])
    return texts


def wait_for(socket: str, predicate: str, timeout: float = 40) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        # -J joins wrapped lines; -S - takes the scrollback too: everything ever printed.
        screen = tmux(socket, "capture-pane", "-p", "-J", "-S", "-", "-t", "cb")
        if predicate in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {predicate!r}; the screen was:\n{screen}")


@pytest.mark.parametrize("redact", [True, False], ids=["redact", "plain"])
def test_a_crashing_board_exits_70_and_says_where_the_crash_log_is(
    tmp_path: Path, socket: str, redact: bool
) -> None:
    env = {
        "NO_COLOR": "1",
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": os.environ.get("PATH", ""),
    }
    db = tmp_path / "cb.db"
    for args in (["init"], ["import", str(DEMO)]):
        made = subprocess.run(
            [str(CASEBOARD), "--db", str(db), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert made.returncode == 0, made.stderr
    script = tmp_path / "crashing_board.py"
    script.write_text(CRASHING_BOARD, "utf-8")
    board = [sys.executable, str(script), "--db", str(db), "--tz", "America/Chicago"]
    board += ["--redact"] if redact else []
    command = " ".join(
        [
            "env",
            *(shlex.quote(f"{key}={value}") for key, value in env.items()),
            *map(shlex.quote, [*board, "board"]),
            '; echo "exit=$?"; sleep 600',
        ]
    )
    tmux(socket, "new-session", "-d", "-s", "cb", "-x", "100", "-y", "30", "sh", "-c", command)
    wait_for(socket, "live")
    tmux(socket, "send-keys", "-t", "cb", "Enter")  # open the case under the cursor: it fails
    screen = wait_for(socket, "exit=")

    assert "exit=70" in screen
    log = tmp_path / "state" / "caseboard" / "log" / "crash.log"
    lines = [line for line in screen.splitlines() if line.strip()]
    said = [line for line in lines if line.startswith("caseboard:")]
    assert len(said) == 1 and f"details in {log}" in said[0], screen
    assert "the board stopped on an internal error (RuntimeError" in said[0]
    assert "Traceback" not in screen and "show_case" not in screen  # no traceback printed
    logged = log.read_text("utf-8")
    assert "RuntimeError" in logged and "show_case" in logged
    if redact:
        leaked = [text for text in packet_texts() if text in screen or text in logged]
        assert not leaked, f"--redact printed or logged packet text: {leaked}"
        assert "withheld" in logged
    else:
        assert "cannot show" in said[0] and "cannot show" in logged
