"""Throwaway Unix accounts for tests that need another user (root only), and a Python they
can run caseboard with."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import caseboard

IMPORT_PROBE = "import caseboard.cli, sqlite_utils, dateutil, platformdirs, msgspec"


def python_for(
    account: pwd.struct_passwd, folder: Path, base: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]] | str:
    """(command, env) of a Python that `account` can run this checkout's caseboard with, or a
    sentence saying why there is none.

    A virtualenv under a private home (such as /root, mode 0700) is out of another account's
    reach, so the system's Python of the same version is tried too, with this checkout's
    sources and the installed dependencies on its path. `base` is the environment to start from
    (default: a minimal one with the account's home).
    """
    src = str(Path(caseboard.__file__).resolve().parent.parent)
    site = sysconfig.get_paths()["purelib"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if base is None:
        base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": account.pw_dir, "LANG": "C.UTF-8"}
    candidates: list[tuple[list[str], dict[str, str]]] = [([sys.executable], base)]
    for folder_name in ("/usr/bin", "/usr/local/bin"):
        system_python = shutil.which(version, path=folder_name)
        if system_python:
            candidates.append(([system_python], {**base, "PYTHONPATH": f"{src}:{site}"}))
    problems = []
    for command, env in candidates:
        try:
            probe = subprocess.run(
                [*command, "-c", IMPORT_PROBE],
                capture_output=True,
                text=True,
                cwd=folder,
                env=env,
                user=account.pw_uid,
                group=account.pw_gid,
                extra_groups=[],
                check=False,
            )
        except OSError as exc:
            problems.append(f"{command[0]}: {exc.strerror}")
            continue
        if probe.returncode == 0:
            return command, env
        problems.append(f"{command[0]}: {probe.stderr.strip().splitlines()[-1:]}")
    return f"no Python that {account.pw_name} can run caseboard with: {problems}"


class ThrowawayAccount:
    """A system account made with useradd and removed with userdel (root only)."""

    def __init__(self, home: Path, prefix: str = "cbsvc") -> None:
        self.name = f"{prefix}{uuid.uuid4().hex[:8]}"
        self.home = home
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", str(home),
             "--shell", "/bin/sh", "--user-group", self.name],
            check=True, capture_output=True,
        )  # fmt: skip
        # '*' is "no password" without being "locked" ('!'), which sshd refuses without PAM.
        subprocess.run(["usermod", "-p", "*", self.name], check=True, capture_output=True)
        self.entry = pwd.getpwnam(self.name)
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chown(home, self.entry.pw_uid, self.entry.pw_gid)

    def remove(self) -> None:
        """Delete the account and its group (its files go with the test's folder)."""
        subprocess.run(["userdel", self.name], check=False, capture_output=True)
        subprocess.run(["groupdel", self.name], check=False, capture_output=True)


def can_make_accounts() -> str | None:
    """None when this process can create accounts; else why not."""
    if os.getuid() != 0:
        return "needs root to create a throwaway Unix account"
    missing = [tool for tool in ("useradd", "usermod", "userdel") if shutil.which(tool) is None]
    return f"missing {', '.join(missing)}" if missing else None
