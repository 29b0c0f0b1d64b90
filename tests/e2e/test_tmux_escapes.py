"""A stored escape sequence quoted by a conflict reaches no terminal: in tmux, a second recovery
of a case whose recovery place holds an OSC title and a clear-screen sequence, from the CLI and
from the board's recovery form, leaves the pane title and the screen as they were."""

from __future__ import annotations

import os
import re
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
HOSTILE = "\x1b]2;PWNED\x07\x1b[2JBus depot"
SGR = re.compile(r"\x1b\[[0-9;:]*m")  # colours and attributes capture-pane -e adds itself


class Tmux:
    """One tmux server on its own socket; each pane a window of session 'cb'."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [str(TMUX), "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def start(self, name: str, *command: str) -> None:
        line = " ".join(["env", *(f"{k}={v}" for k, v in self.env.items()), *command])
        if not self.run("list-sessions"):
            self.run("new-session", "-d", "-s", "cb", "-n", name, "-x", "120", "-y", "32", line)
        else:
            self.run("new-window", "-d", "-t", "cb", "-n", name, line)

    def screen(self, name: str, *, escapes: bool = False) -> str:
        return self.run("capture-pane", "-p", *(["-e"] if escapes else []), "-t", f"cb:{name}")

    def title(self, name: str) -> str:
        return self.run("display-message", "-p", "-t", f"cb:{name}", "#{pane_title}")

    def keys(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", f"cb:{name}", *keys)

    def wait_for(
        self, name: str, predicate: Callable[[str], bool], what: str, timeout: float = 30
    ) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(name)
            if predicate(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def _cli(db: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(CASEBOARD), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Path]]:
    env = {
        "NO_COLOR": "1",
        "TERM": "xterm-256color",
        "TMPDIR": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": os.environ.get("PATH", ""),
        "TZ": "UTC",
    }
    db = tmp_path / "cb.db"
    _cli(db, env, "init")
    case = _cli(
        db, env, "intake", "--name", "Ava Testwood", "--age", "14", "--learned", "20m ago",
        "--last-seen", "1h ago", "--where", "Demo Mall", "--placement", "group_home",
        "--agency", "Fictional County DCFS",
    )  # fmt: skip
    _cli(db, env, "recover", case, "--at", "10m ago", "--where", HOSTILE, "--by", "PD")
    server = Tmux(f"caseboard-esc-{uuid.uuid4().hex[:8]}", env)
    try:
        yield server, db
    finally:
        server.run("kill-server")


def _inert(server: Tmux, name: str) -> None:
    raw = server.screen(name, escapes=True)
    assert "\x07" not in raw
    assert SGR.sub("", raw).count("\x1b") == 0, repr(raw)  # no ESC from data
    assert "PWNED" not in server.title(name)


def test_a_conflict_quoting_a_stored_escape_sequence_changes_no_pane(
    tmux: tuple[Tmux, Path],
) -> None:
    server, db = tmux
    # The CLI: a marker line, the refused second recovery, another marker line.
    script = (
        f"echo BEFORE-THE-CONFLICT; {CASEBOARD} --db {db} recover 1 --at now"
        " --where elsewhere --by someone; echo EXIT=$?; sleep 120"
    )
    server.start("cli", "sh", "-c", f"'{script}'")
    screen = server.wait_for("cli", lambda s: "EXIT=" in s, "the CLI's conflict")
    assert "EXIT=3" in screen and "already recovered" in screen
    assert "BEFORE-THE-CONFLICT" in screen  # the clear-screen sequence did not clear it
    assert "␛]2;PWNED␇␛[2JBus depot" in screen  # quoted, visible, inert
    _inert(server, "cli")

    # The board: open the recovery form on the (recovered) case and save a second recovery.
    server.start("board", str(CASEBOARD), "--db", str(db))
    server.wait_for("board", lambda s: "Ava Testw" in s and "live" in s, "the board")
    server.keys("board", "r")
    server.wait_for("board", lambda s: "Found where" in s, "the recovery form")
    for keys in (("-l", "now"), ("Tab",), ("-l", "elsewhere"), ("Tab",), ("-l", "someone")):
        server.keys("board", *keys)
        time.sleep(0.4)  # one field at a time: focus moves between keystrokes
    server.keys("board", "C-s")
    board = server.wait_for("board", lambda s: "already recovered" in s, "the conflict message")
    assert "␛]2;PWNED␇" in board
    assert "Recovery" in board and "Found where" in board  # the form is still drawn, not cleared
    time.sleep(0.5)  # let the toast draw too
    _inert(server, "board")
    _inert(server, "cli")
    server.keys("board", "Escape")
    server.keys("board", "q")
