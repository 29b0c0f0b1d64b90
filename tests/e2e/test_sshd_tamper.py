"""Tamper evidence in the recommended deployment (the real sshd and service account of
test_sshd.py): a forged edit made as root fails `verify --anchor` taken from the previous
handover; a role written straight into the operators table, or a key into authorized_keys,
fails `verify`."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from e2e.test_sshd import Deployment, deployment, pytestmark
from support.forge import forge_event

__all__ = ["deployment", "pytestmark"]  # the module-scoped sshd fixture and its skip reason


def _as_root(db: Path, *statements: str) -> None:
    """What root (or anyone who can write the file) does with sqlite3 directly."""
    with closing(sqlite3.connect(db)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    _give_back(db)


def _give_back(db: Path) -> None:
    """sqlite3 run as root may leave -wal/-shm files owned by root: hand them back so the
    service account can still open its database (the forger covers their tracks too)."""
    owner = db.stat()
    for end in ("-wal", "-shm"):
        side = Path(f"{db}{end}")
        if side.exists():
            os.chown(side, owner.st_uid, owner.st_gid)


def test_a_forged_edit_fails_the_anchor_of_the_previous_handover(deployment: Deployment) -> None:
    noted = deployment.ssh("note 8 'seen at the library at 9pm'")
    assert noted.returncode == 0, noted.stderr
    note_id = int(re.findall(r"event (\d+)", noted.stderr)[-1])
    handover = deployment.ssh("handover --format json")
    assert handover.returncode == 0, handover.stderr
    head = json.loads(handover.stdout)["audit_head"]
    anchor = f"{head['id']}:{head['hash']}"
    assert head["id"] >= note_id
    deployment.as_service("signoff", "--note", "read back")
    assert deployment.ssh(f"verify --anchor {anchor}").returncode == 0

    forge_event(deployment.db, note_id, text="nothing to report")  # as root, with sqlite3
    _give_back(deployment.db)
    plain = deployment.as_service("verify", check=False)
    assert plain.returncode == 0, plain.stdout  # the chain was recomputed: it checks out...
    anchored = deployment.ssh(f"verify --anchor {anchor}")
    assert anchored.returncode == 1, anchored.stdout  # ...but not through the printed head
    assert f"PROBLEM anchor {anchor}: event {head['id']}'s hash is now" in anchored.stdout


def test_a_role_written_into_the_table_fails_verify(deployment: Deployment) -> None:
    _as_root(deployment.db, "UPDATE operators SET role = 'supervisor' WHERE username = 'liz'")
    result = deployment.as_service("verify", check=False)
    assert result.returncode == 1
    assert (
        "PROBLEM operators row liz: role is 'supervisor' but its operator events say 'liaison'"
        in result.stdout
    )
    over_ssh = deployment.ssh("verify")
    assert over_ssh.returncode == 1
    assert "operators row liz: role is 'supervisor'" in over_ssh.stdout


def test_a_key_written_into_authorized_keys_by_hand_fails_verify(deployment: Deployment) -> None:
    keys = deployment.account.home / ".ssh" / "authorized_keys"
    (line,) = [text for text in keys.read_text().splitlines() if text.endswith("caseboard:liz")]
    spare = deployment.base / "spare"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(spare)], check=True)
    body = (deployment.base / "spare.pub").read_text().split()[1]
    with keys.open("a") as handle:  # as root: one more key that sshd will let in as liz
        handle.write(line.replace(line.split()[-2], body) + "\n")
    result = deployment.as_service("verify", check=False)
    assert result.returncode == 1
    assert "to liz but no key event added it" in result.stdout
