"""Who is at the keyboard: the OS account of the process, never an environment variable."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

# Group- or other-writable: someone besides the owner could change the file.
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def service_account_owns(db_path: Path, uid: int | None = None) -> bool:
    """True when the account `uid` (default: this process's) owns the database file and nobody
    else can write it — service-account mode. A file not made yet is judged by its folder."""
    uid = os.getuid() if uid is None else uid
    for candidate in (db_path, db_path.parent):
        try:
            info = os.stat(candidate)
        except OSError:
            continue
        return info.st_uid == uid and not info.st_mode & _WRITABLE_BY_OTHERS
    return False


def os_username(db_path: Path | None = None) -> str:
    """The operator's OS username.

    Normally the account that runs the process. When the service account that owns the database
    is reached through sudo (`sudo -u caseboard caseboard ...`), sudo's SUDO_UID names the person
    who ran it. It is honoured only in service-account mode (this account owns the database and
    nobody else can write it): only sudo's rules let a person run as that account, so setting
    SUDO_UID by hand anywhere else cannot impersonate anyone.
    """
    uid = os.getuid()
    sudo_uid = os.environ.get("SUDO_UID", "")
    if (
        db_path is not None
        and sudo_uid.isascii()
        and sudo_uid.isdigit()
        and int(sudo_uid) != uid
        and service_account_owns(db_path, uid)
    ):
        try:
            return pwd.getpwuid(int(sudo_uid)).pw_name
        except (KeyError, OverflowError):
            pass
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"
