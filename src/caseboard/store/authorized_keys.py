"""The service account's authorized_keys file: read it, check a key, rewrite it atomically."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from caseboard.domain.authorized_keys import PublicKey
from caseboard.domain.errors import BadInput


def default_path() -> Path:
    """~/.ssh/authorized_keys of the account running caseboard (the service account)."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir) / ".ssh" / "authorized_keys"


def read_lines(path: Path) -> list[str]:
    """The file's lines without their line ends; none when it does not exist yet."""
    try:
        return path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput("--authorized-keys", f"cannot read {path}: {exc}") from None


def write_lines(path: Path, lines: list[str]) -> None:
    """Replace the file in one rename (mode 0600), so sshd never reads half a file."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.caseboard-", delete=False
        ) as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write("".join(f"{line}\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.replace(handle.name, path)
        except OSError:
            os.unlink(handle.name)  # never leave a stray copy of the keys beside the file
            raise
    except OSError as exc:
        raise BadInput("--authorized-keys", f"cannot write {path}: {exc.strerror or exc}") from None


def keygen_fingerprint(key: PublicKey, field: str = "PUBKEY_FILE") -> str:
    """Ask OpenSSH's ssh-keygen whether the key is sound; returns its SHA256 fingerprint."""
    program = shutil.which("ssh-keygen")
    if program is None:
        raise BadInput(field, "ssh-keygen is not installed (on Debian: openssh-client)")
    with tempfile.TemporaryDirectory(prefix="caseboard-key-") as folder:
        candidate = Path(folder) / "key.pub"
        candidate.write_text(key.text() + "\n", "ascii")
        result = subprocess.run(
            [program, "-l", "-E", "sha256", "-f", str(candidate)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    fields = result.stdout.split()
    if result.returncode != 0 or len(fields) < 2 or not fields[1].startswith("SHA256:"):
        raise BadInput(field, "ssh-keygen does not accept this as a public key")
    return fields[1]
