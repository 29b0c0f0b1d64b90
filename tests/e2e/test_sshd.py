"""The recommended deployment, for real: OpenSSH's sshd on 127.0.0.1 with a throwaway host key
and a throwaway service account; people reach caseboard with a key each, and nothing else."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.accounts import ThrowawayAccount, can_make_accounts, python_for

REPO = Path(__file__).resolve().parents[2]
SSHD = "/usr/sbin/sshd"
SNIPPET = REPO / "deploy" / "sshd_config.d" / "caseboard.conf"
TOOLS = {"sshd": SSHD, "ssh": shutil.which("ssh"), "ssh-keygen": shutil.which("ssh-keygen")}


def _why_not() -> str | None:
    missing = [name for name, path in TOOLS.items() if not path or not os.access(path, os.X_OK)]
    if missing:
        return f"{', '.join(missing)} not installed (.ci/run installs openssh-server)"
    return can_make_accounts()


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=str(_why_not()))


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Deployment:
    """A running sshd, its service account, the database and one liaison's key."""

    base: Path
    account: ThrowawayAccount
    db: Path
    port: int
    key: Path
    python: list[str]
    env: dict[str, str]

    def ssh_args(self, *extra: str) -> list[str]:
        """The client command line for the liaison's key."""
        return [
            str(TOOLS["ssh"]), "-F", "/dev/null", "-p", str(self.port), "-i", str(self.key),
            "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            *extra, f"{self.account.name}@127.0.0.1",
        ]  # fmt: skip

    def ssh(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run a command over SSH as the liaison (stdin closed)."""
        return subprocess.run(
            [*self.ssh_args(), *command],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )

    def as_service(
        self, *args: str, sudo_uid: int = 0, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """caseboard run by the service account as sudo would run it for `sudo_uid`."""
        result = subprocess.run(
            [*self.python, "-m", "caseboard", "--db", str(self.db), *args],
            capture_output=True,
            text=True,
            cwd=self.account.home,
            env={**self.env, "SUDO_UID": str(sudo_uid)},
            user=self.account.entry.pw_uid,
            group=self.account.entry.pw_gid,
            extra_groups=[],
            timeout=120,
            check=False,
        )
        if check:
            assert result.returncode == 0, (args, result.stderr)
        return result

    def access_log(self) -> list[tuple[str, str, str, str | None]]:
        with closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)) as conn:
            return conn.execute(
                "SELECT username, action, outcome, source FROM access_log ORDER BY id"
            ).fetchall()


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    base = Path(tempfile.mkdtemp(prefix="caseboard-sshd-"))
    base.chmod(0o755)  # the service account's home is inside
    account = ThrowawayAccount(base / "home")
    server: subprocess.Popen[bytes] | None = None
    try:
        found = python_for(account.entry, account.home)
        if isinstance(found, str):
            pytest.skip(found)
        python, env = found
        data = account.home / "data"
        data.mkdir(mode=0o700)
        os.chown(data, account.entry.pw_uid, account.entry.pw_gid)
        client = base / "client"
        client.mkdir(mode=0o755)
        key = client / "liz"
        keygen = str(TOOLS["ssh-keygen"])
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        host = base / "host"
        host.mkdir(mode=0o700)
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(host / "key")], check=True
        )
        deployment = Deployment(
            base, account, data / "caseboard.db", _free_port(), key, python, env
        )
        # The README's steps, as the service account through sudo by root (SUDO_UID=0).
        deployment.as_service("init")
        deployment.as_service("import", str(REPO / "fixtures" / "demo.json"))
        deployment.as_service("operators", "add", "liz", "--role", "liaison")
        deployment.as_service("keys", "add", "liz", f"{key}.pub")
        config = base / "sshd_config"
        config.write_text(
            f"Port {deployment.port}\nListenAddress 127.0.0.1\nHostKey {host / 'key'}\n"
            f"PidFile {base / 'sshd.pid'}\nUsePAM no\nLogLevel VERBOSE\n"
            + SNIPPET.read_text().replace("Match User caseboard", f"Match User {account.name}")
        )
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
        checked = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        log = (base / "sshd.log").open("wb")
        server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with closing(socket.socket()) as probe:
                if probe.connect_ex(("127.0.0.1", deployment.port)) == 0:
                    break
            time.sleep(0.1)
        yield deployment
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        subprocess.run(["pkill", "-KILL", "-u", account.name], check=False)
        account.remove()
        shutil.rmtree(base, ignore_errors=True)


def test_the_database_belongs_to_the_service_account_alone(deployment: Deployment) -> None:
    for path in (deployment.db.parent, deployment.db):
        info = path.stat()
        assert info.st_uid == deployment.account.entry.pw_uid
        assert info.st_mode & 0o077 == 0, oct(info.st_mode)
    nobody = subprocess.run(
        ["cat", str(deployment.db)], user="nobody", capture_output=True, check=False
    )
    assert nobody.returncode != 0 and b"Permission denied" in nobody.stderr


def test_a_liaison_lists_cases_over_ssh(deployment: Deployment) -> None:
    result = deployment.ssh("cases", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["tier"] == "CRITICAL"
    user, action, outcome, source = deployment.access_log()[-1]
    assert (user, action, outcome, source) == ("liz", "ssh: cases --json", "ok", "ssh 127.0.0.1")


def test_a_liaison_may_not_open_a_case(deployment: Deployment) -> None:
    result = deployment.ssh(
        "intake --name 'Nora Example' --age 13 --learned '1h ago' --last-seen '2h ago'"
        " --where 'Sample St' --placement kin --agency 'Fictional County DCFS'"
    )
    assert result.returncode == 4, result.stderr
    assert "liz is a liaison" in result.stderr


@pytest.mark.parametrize("command", ["sh", "cases; id", "bash -i", "init", "keys list"])
def test_shells_and_other_commands_get_nothing(deployment: Deployment, command: str) -> None:
    result = deployment.ssh(command)
    assert result.returncode == 4, (command, result.stdout, result.stderr)
    assert "uid=" not in result.stdout
    assert deployment.access_log()[-1][2].startswith("refused")


def test_forwarding_is_refused(deployment: Deployment) -> None:
    # -W asks the server to connect to a port for us (what -L does per connection).
    result = subprocess.run(
        [*deployment.ssh_args("-W", f"127.0.0.1:{deployment.port}")],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert b"SSH-2.0" not in result.stdout
    assert b"forwarding failed" in result.stderr or b"prohibited" in result.stderr
    # -L: a local port that should lead to the server's sshd; nothing comes through it.
    local = _free_port()
    tunnel = subprocess.Popen(
        deployment.ssh_args("-N", "-L", f"{local}:127.0.0.1:{deployment.port}"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        received = b"?"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with closing(socket.socket()) as probe:
                probe.settimeout(5)
                if probe.connect_ex(("127.0.0.1", local)) != 0:
                    time.sleep(0.2)
                    continue
                try:
                    received = probe.recv(64)
                except (TimeoutError, ConnectionResetError):
                    received = b""
                break
        assert not received.startswith(b"SSH-"), received
    finally:
        tunnel.kill()
        tunnel.wait(timeout=10)


def test_sftp_is_refused(deployment: Deployment) -> None:
    sftp = shutil.which("sftp")
    if sftp is None:
        pytest.skip("sftp client not installed")
    args = deployment.ssh_args()
    options = [a for a in args[1:-1] if a not in ("-p", str(deployment.port))]
    result = subprocess.run(
        [sftp, "-b", "-", "-P", str(deployment.port), *options, args[-1]],
        input="ls /\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "caseboard.db" not in result.stdout


def test_a_sudo_caller_is_limited_like_a_key(deployment: Deployment) -> None:
    other = subprocess.run(["id", "-u", "nobody"], capture_output=True, text=True, check=True)
    refused = deployment.as_service("init", sudo_uid=int(other.stdout), check=False)
    assert refused.returncode == 4 and "not available here" in refused.stderr
    unknown = deployment.as_service("cases", sudo_uid=int(other.stdout), check=False)
    assert unknown.returncode == 4 and "nobody is not an active caseboard operator" in (
        unknown.stderr
    )


TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_the_board_over_ssh_and_a_dropped_connection(deployment: Deployment) -> None:
    socket_name = f"caseboard-ssh-{uuid.uuid4().hex[:8]}"
    tmux = [str(TMUX), "-L", socket_name]
    command = " ".join(f"'{arg}'" for arg in deployment.ssh_args("-tt"))
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "cb", "-x", "80", "-y", "24",
         f"env TERM=xterm-256color NO_COLOR=1 {command}"],
        check=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        screen = ""
        while time.monotonic() < deadline and "liz (liaison)" not in screen:
            time.sleep(0.3)
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "cb"], capture_output=True, text=True
            ).stdout
        assert "liz (liaison)" in screen, screen
        assert ("liz", "log-on", "ok", "ssh 127.0.0.1") in deployment.access_log()
        # The connection drops with no goodbye: kill the client outright.
        pane_pid = subprocess.run(
            [*tmux, "display", "-p", "-t", "cb", "#{pane_pid}"], capture_output=True, text=True
        ).stdout.strip()
        os.kill(int(pane_pid), signal.SIGKILL)
        deadline = time.monotonic() + 10
        running = "?"
        while time.monotonic() < deadline:
            running = subprocess.run(
                ["pgrep", "-u", deployment.account.name, "-f", "ssh-shell"],
                capture_output=True,
                text=True,
            ).stdout.strip()
            if not running:
                break
            time.sleep(0.2)
        assert not running, "a caseboard board outlived its SSH connection by 10 s"
        assert ("liz", "log-off") in [entry[:2] for entry in deployment.access_log()]
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
