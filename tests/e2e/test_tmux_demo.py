"""The installed `caseboard demo`, run as a person would: in tmux at 80x24, NO_COLOR, keys only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
CASEBOARD = Path(sys.executable).parent / "caseboard"


class Terminal:
    """A detached tmux session on its own server socket, read with capture-pane."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            [str(TMUX), "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "cb")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "cb", *keys)

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def alive(self) -> bool:
        result = subprocess.run(
            [str(TMUX), "-L", self.socket, "has-session", "-t", "cb"],
            capture_output=True,
            check=False,
        )
        return result.returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    socket = f"caseboard-test-{uuid.uuid4().hex[:8]}"
    term = Terminal(socket)
    env = {
        "NO_COLOR": "1",
        "TERM": "xterm-256color",
        "TMPDIR": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": os.environ.get("PATH", ""),
    }
    command = " ".join(
        [
            "env",
            *(f"{key}={value}" for key, value in env.items()),
            str(CASEBOARD),
            "--tz",
            "America/Chicago",
            "demo",
        ]
    )
    term.tmux("new-session", "-d", "-s", "cb", "-x", "80", "-y", "24", command)
    try:
        yield term
    finally:
        term.tmux("kill-server")


def test_demo_board_at_80x24_without_colour_or_mouse(terminal: Terminal) -> None:
    screen = terminal.wait_for(
        lambda s: "live" in s and any(line.startswith("▶ CRITICAL") for line in s.splitlines()),
        "the board with its first row selected",
    )
    lines = screen.splitlines()
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    header = "\n".join(lines[:3])
    assert "(supervisor)" in header
    assert "CRITICAL" in header and "OVERDUE" in header
    assert "CST" in header or "CDT" in header
    # Rows carry the tier as a word, not only a colour.
    assert any(line.lstrip("▶ ").startswith("CRITICAL") for line in lines[3:])
    # The footer shows the case actions at 80 columns (drawn a moment after the rows).
    footer = terminal.wait_for(lambda s: "n New case" in s, "the footer").splitlines()[-1]
    assert "n New case" in footer and "c Confirm" in footer

    terminal.keys("?")
    help_screen = terminal.wait_for(lambda s: "caseboard keys" in s, "the help screen")
    # Case actions come first in help.
    assert "New case" in help_screen and "Sighting" in help_screen
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "MISSING" in s and "caseboard keys" not in s, "the board again")

    terminal.keys("/")
    time.sleep(0.5)  # let the filter box open and take focus before typing into it
    terminal.keys("-l", "Destiny")
    filtered = terminal.wait_for(
        lambda s: "Destiny" in s and "Maya" not in s, "the filter to narrow the board"
    )
    assert "Destiny" in filtered
    terminal.keys("Enter")  # leaves the filter box for the board
    time.sleep(0.5)  # under load a second Enter sent at once still reaches the filter box
    terminal.keys("Enter")
    detail = terminal.wait_for(lambda s: "Case " in s and "Now" in s, "the case detail")
    assert "Destiny" in detail
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "MISSING" in s or "No cases" in s, "the board after detail")


def test_too_small_terminal_says_so_and_recovers(terminal: Terminal) -> None:
    # pytest exports COLUMNS=80 and LINES=24, which tmux passes on to the board: the board must
    # still follow the real terminal's size (as it must for a shell that exports them).
    terminal.wait_for(lambda s: "MISSING" in s, "the board")
    terminal.tmux("resize-window", "-t", "cb", "-x", "60", "-y", "20")
    small = terminal.wait_for(lambda s: "too small" in s, "the too-small message")
    assert "80" in small and "24" in small and "60" in small
    terminal.tmux("resize-window", "-t", "cb", "-x", "80", "-y", "24")
    terminal.wait_for(lambda s: "MISSING" in s, "the board after resizing back")


def test_q_quits_and_leaves_the_terminal(terminal: Terminal) -> None:
    terminal.wait_for(lambda s: "MISSING" in s, "the board")
    terminal.keys("q")
    deadline = time.monotonic() + 15
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "the board did not quit on q"
