"""`[audit] syslog = "udp://HOST:PORT"`: real CLI commands send a line per committed event and
per access-log entry (a refusal included) to a real UDP listener, with no typed text in them;
a syslog nobody listens on never stops a write."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.conftest import RunCli, cli_env

SECRET = "Zanzibar-Quill"  # typed text that must never leave through syslog
CLIENT = "127.0.0.9 50022 127.0.0.1 22"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    yield sock
    sock.close()


def _policy(tmp_path: Path, target: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(f'[audit]\nsyslog = "{target}"\n', encoding="utf-8")
    return path


def _drain(sock: socket.socket) -> list[str]:
    """Every datagram already sent (the CLI sends before it exits)."""
    lines: list[str] = []
    sock.settimeout(0.5)
    while True:
        try:
            data = sock.recv(65536)
        except TimeoutError:
            return lines
        lines.append(data.decode("utf-8"))


def test_events_and_refusals_reach_syslog_without_typed_text(
    demo_db: Path, run_cli: RunCli, listener: socket.socket, tmp_path: Path
) -> None:
    port = listener.getsockname()[1]
    policy = _policy(tmp_path, f"udp://127.0.0.1:{port}")
    added = run_cli(demo_db, "--policy", str(policy), "operators", "add", "vic", "--role", "viewer")
    assert added.returncode == 0, added.stderr
    noted = run_cli(demo_db, "--policy", str(policy), "note", "8", f"seen with {SECRET} at 9pm")
    assert noted.returncode == 0, noted.stderr
    note_id = int(re.findall(r"event (\d+)", noted.stderr)[-1])
    refused = run_cli(
        demo_db,
        "--policy",
        str(policy),
        "ssh-shell",
        "vic",
        env=cli_env(SSH_CONNECTION=CLIENT, SSH_ORIGINAL_COMMAND=f"note 8 '{SECRET} again'"),
    )
    assert refused.returncode == 4, refused.stderr
    lines = _drain(listener)

    assert lines, "nothing reached the listener"
    assert all(SECRET not in line for line in lines), lines
    assert all(re.match(r"<\d+>caseboard\[\d+\]: ", line) for line in lines), lines
    # authpriv (10) at info (6): readable by root only on the usual syslog setups.
    assert all(line.startswith(f"<{10 * 8 + 6}>") for line in lines)
    bodies = [line.split(": ", 1)[1].rstrip("\x00") for line in lines]
    operator_event = [b for b in bodies if "type=operator" in b]
    assert len(operator_event) == 1 and operator_event[0].endswith("case=- actor=root")
    (note,) = [b for b in bodies if b.startswith(f"event={note_id} ")]
    assert re.fullmatch(rf"event={note_id} hash=[0-9a-f]{{16}} type=note case=8 actor=\S+", note)
    refusals = [b for b in bodies if "outcome=refused" in b or "outcome=exit:4" in b]
    assert len(refusals) == 2, bodies
    assert all("actor=vic" in b and "source=ssh:127.0.0.9" in b for b in refusals), refusals
    assert any("action=ssh:note " in b for b in refusals), refusals
    # The hash in the copy is the one stored: a later rewrite of the file cannot match it.
    shown = run_cli(demo_db, "verify", "--anchor", note.split()[0][6:] + ":" + note.split()[1][5:])
    assert shown.returncode == 0, shown.stdout


def test_a_syslog_nobody_listens_on_never_stops_a_write(
    demo_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    for target in ("udp://127.0.0.1:9", str(tmp_path / "no-such-socket")):
        policy = _policy(tmp_path, target)
        noted = run_cli(demo_db, "--policy", str(policy), "note", "8", "seen at 9pm")
        assert noted.returncode == 0, noted.stderr
        assert noted.stderr.count("\n") == 1, noted.stderr  # one line: what was recorded


def test_a_bad_syslog_target_names_the_key(fresh_db: Path, run_cli: RunCli, tmp_path: Path) -> None:
    policy = _policy(tmp_path, "tcp://127.0.0.1:514")
    result = run_cli(fresh_db, "--policy", str(policy), "verify")
    assert result.returncode == 2
    assert "audit.syslog" in result.stderr


def test_a_key_added_under_a_policy_carries_it_to_its_sessions(
    demo_db: Path, run_cli: RunCli, listener: socket.socket, tmp_path: Path
) -> None:
    port = listener.getsockname()[1]
    policy = _policy(tmp_path, f"udp://127.0.0.1:{port}")
    assert run_cli(demo_db, "operators", "add", "liz", "--role", "liaison").returncode == 0
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "liz")], check=True
    )
    keys = tmp_path / "authorized_keys"
    added = run_cli(
        demo_db, "--policy", str(policy), "keys", "add", "liz", str(tmp_path / "liz.pub"),
        "--authorized-keys", str(keys),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    _drain(listener)
    (line,) = keys.read_text().splitlines()
    forced = shlex.split(re.findall(r'command="([^"]*)"', line)[0])
    assert forced[forced.index("--policy") + 1] == str(policy.resolve())
    # What sshd runs for that key, with the client's command: its write reaches syslog too.
    env = cli_env(SSH_CONNECTION=CLIENT, SSH_ORIGINAL_COMMAND="note 8 'seen at 9pm'")
    ran = subprocess.run(forced, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert ran.returncode == 0, ran.stderr
    bodies = [line.split(": ", 1)[1].rstrip("\x00") for line in _drain(listener)]
    assert any(re.search(r"type=note case=8 actor=liz$", b) for b in bodies), bodies
    assert any("access actor=liz action=ssh:note outcome=ok" in b for b in bodies), bodies
