"""The installed board as people meet it: the privacy screen after a short lock (tmux), and no
orphan when its terminal goes away without a hangup signal (a pty whose master is closed)."""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import sqlite3
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from caseboard import paths
from support import databases

CASEBOARD = Path(sys.executable).parent / "caseboard"
TMUX = shutil.which("tmux")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "NO_COLOR": "1",
        "TERM": "xterm-256color",
        "TZ": "UTC",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`caseboard init` and `caseboard import` of the demo cases by the installed command, once
    for the module (closed: the file is the whole database)."""
    folder = tmp_path_factory.mktemp("idle")
    db = folder / "cb.db"
    for args in (["init"], ["import", str(paths.demo_fixture())]):
        done = subprocess.run(
            [str(CASEBOARD), "--db", str(db), *args],
            env=_env(folder),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def board_db(demo_file: Path, tmp_path: Path) -> Path:
    """This test's own copy of a database with the demo cases; the OS user is its supervisor."""
    return databases.copy_closed(demo_file, tmp_path / "cb.db")


def _access_log(db: Path) -> list[tuple[str, str, str | None]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT action, outcome, source FROM access_log ORDER BY id").fetchall()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_board_whose_terminal_vanishes_without_a_hangup_logs_off_and_exits(
    board_db: Path, tmp_path: Path
) -> None:
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    # A session of its own and no controlling terminal: closing the master sends it no SIGHUP,
    # as for a dropped connection whose hangup never arrives. Only its tty reads EOF / EIO.
    board = subprocess.Popen(
        [str(CASEBOARD), "--db", str(board_db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(tmp_path),
        start_new_session=True,
    )
    os.close(slave)
    try:
        seen = b""
        deadline = time.monotonic() + 30
        while b"handover" not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
        assert b"handover" in seen, f"the board never drew: {seen[-500:]!r}"
        time.sleep(0.5)
        cpu_before = _cpu_seconds(board.pid)
        os.close(master)
        closed = time.monotonic()
        status = None
        while status is None and time.monotonic() - closed < 10:
            pid, code, usage = os.wait4(board.pid, os.WNOHANG)
            if pid:
                status = code
                cpu_after = usage.ru_utime + usage.ru_stime
            else:
                time.sleep(0.05)
        took = time.monotonic() - closed
        assert status is not None, "the board outlived its terminal by 10 s"
        board.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if board.returncode is None:
            board.kill()
            board.wait()
    assert took < 5, f"the board took {took:.1f} s to leave"
    assert cpu_after - cpu_before < 0.6 * took + 0.5, "it spun on the dead terminal"
    entries = _access_log(board_db)
    assert ("log-on", "ok", "local") in entries
    action, outcome, source = entries[-1]
    assert action == "log-off" and source == "local"
    assert outcome.startswith("the terminal went away"), outcome


class Terminal:
    """A detached tmux session on its own server socket, read with capture-pane."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [str(TMUX), "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "cb")

    def wait_for(self, text: str | Callable[[str], bool], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text(screen) if callable(text) else text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {text!r}; the screen was:\n{screen}")

    def alive(self) -> bool:
        done = subprocess.run(
            [str(TMUX), "-L", self.socket, "has-session", "-t", "cb"],
            capture_output=True,
            check=False,
        )
        return done.returncode == 0


def _in_tmux(tmp_path: Path, argv: list[str], **extra: str) -> Iterator[Terminal]:
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    env = {**_env(tmp_path), **extra}
    words = ["env", *(f"{k}={v}" for k, v in env.items()), str(CASEBOARD), *argv]
    command = " ".join(shlex.quote(word) for word in words)
    term = Terminal(f"caseboard-test-{uuid.uuid4().hex[:8]}")
    term.tmux("new-session", "-d", "-s", "cb", "-x", "100", "-y", "30", command)
    try:
        yield term
    finally:
        term.tmux("kill-server")


@pytest.fixture
def locking_board(board_db: Path, tmp_path: Path) -> Iterator[Terminal]:
    """The board in tmux at 100x30 with a policy that locks after 2 seconds without a key (time
    enough to see the names drawn first)."""
    policy = tmp_path / "short-lock.toml"
    policy.write_text("[session]\nlock_minutes = 0.0333334\n", encoding="utf-8")
    yield from _in_tmux(tmp_path, ["--db", str(board_db), "--policy", str(policy)])


@pytest.fixture
def ssh_board(board_db: Path, tmp_path: Path) -> Iterator[Terminal]:
    """The board as an SSH key's forced command runs it: locked after 1 s without a key, ended
    after 2 s (the board checks once a second)."""
    board_db.chmod(0o600)  # service-account mode: nobody else may write it
    policy = tmp_path / "short-logout.toml"
    limits = "[session]\nlock_minutes = 0.0166667\nssh_logout_minutes = 0.0333334\n"
    policy.write_text(limits, "utf-8")
    argv = ["--db", str(board_db), "--policy", str(policy), "ssh-shell", os_user()]
    yield from _in_tmux(tmp_path, argv, SSH_CONNECTION="127.0.0.9 50022 127.0.0.1 22")


def os_user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def test_over_ssh_an_idle_board_logs_out(ssh_board: Terminal, board_db: Path) -> None:
    ssh_board.wait_for("caseboard is locked", timeout=15)  # the board started, then locked
    deadline = time.monotonic() + 20
    while ssh_board.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not ssh_board.alive(), "the idle SSH session did not end"
    entries = _access_log(board_db)
    assert entries[-2:] == [
        ("lock", "no key for 1 second", "ssh 127.0.0.9"),
        ("log-off", "idle logout: no key for 2 seconds", "ssh 127.0.0.9"),
    ]
    assert ("log-on", "ok", "ssh 127.0.0.9") in entries


def test_the_privacy_screen_shows_no_names_and_a_key_returns(
    locking_board: Terminal, board_db: Path
) -> None:
    names = {record["name"] for record in json.loads(paths.demo_fixture().read_text("utf-8"))}
    words = {word for name in names for word in name.split()}
    first_names = {name.split()[0] for name in names}

    def named(screen: str) -> bool:
        return any(f" {name} " in screen for name in first_names)

    locking_board.wait_for(named)
    locked = locking_board.wait_for("caseboard is locked", timeout=15)
    assert "CRITICAL" in locked and "press any key" in locked
    assert "no key for 2 seconds" in locked
    assert [word for word in words if word in locked] == [], locked
    locking_board.tmux("send-keys", "-t", "cb", "x")
    locking_board.wait_for(named, timeout=10)
    actions = [action for action, _, _ in _access_log(board_db)]
    assert actions[actions.index("lock") :][:2] == ["lock", "unlock"]


@pytest.fixture
def board_in_shell(board_db: Path, tmp_path: Path) -> Iterator[Terminal]:
    """The board started from a shell that, once the board has ended, prints the terminal's
    settings and stays."""
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    words = ["env", *(f"{k}={v}" for k, v in _env(tmp_path).items()), str(CASEBOARD)]
    board = " ".join(shlex.quote(word) for word in [*words, "--db", str(board_db)])
    script = f"{board}; echo ended $?; stty -a; sleep 60"
    term = Terminal(f"caseboard-test-{uuid.uuid4().hex[:8]}")
    term.tmux("new-session", "-d", "-s", "cb", "-x", "100", "-y", "30", "sh", "-c", script)
    try:
        yield term
    finally:
        term.tmux("kill-server")


def test_sigterm_logs_off_and_gives_the_terminal_back(
    board_in_shell: Terminal, board_db: Path
) -> None:
    board_in_shell.wait_for("MISSING")
    shell = int(board_in_shell.tmux("list-panes", "-t", "cb", "-F", "#{pane_pid}").strip())
    (child,) = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    os.kill(int(child), 15)
    # stty's settings come a moment after the exit status: wait for both (its icanon flag
    # shows either way, as "icanon" or "-icanon").
    after = board_in_shell.wait_for(lambda screen: "ended 143" in screen and "icanon" in screen)
    assert " icanon " in after and " echo " in after, after
    assert "MISSING" not in after, "still on the alternate screen"
    assert _access_log(board_db)[-1] == ("log-off", "SIGTERM: ended by a signal", "local")
