"""Who is at the keyboard: the OS account of the process, never an environment variable."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from caseboard.store.files import stat_or_none

# Group- or other-writable: someone besides the owner could change the file.
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def service_account_owns(db_path: Path, uid: int | None = None) -> bool:
    """True when the account `uid` (default: this process's) owns the database file and nobody
    else can write it — service-account mode. A file not made yet is judged by its folder."""
    uid = os.getuid() if uid is None else uid
    info = stat_or_none(db_path) or stat_or_none(db_path.parent)
    return info is not None and info.st_uid == uid and not info.st_mode & _WRITABLE_BY_OTHERS


def _sudo_uid() -> int | None:
    """SUDO_UID when it names another account than this process's."""
    value = os.environ.get("SUDO_UID", "")
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    uid = int(value)
    return None if uid == os.getuid() else uid


def sudo_caller(db_path: Path | None) -> pwd.struct_passwd | None:
    """The person sudo ran this process for, in service-account mode; else None.

    Only sudo's rules let a person run as the service account that owns the database, so
    SUDO_UID can be believed then; anywhere else anyone can set it by hand.
    """
    uid = _sudo_uid()
    if uid is None or db_path is None or not service_account_owns(db_path):
        return None
    try:
        return pwd.getpwuid(uid)
    except KeyError:
        return None


def sudo_mismatch(db_path: Path) -> str | None:
    """Why acting through sudo is refused: sudo to an account other than root, for someone
    else, on a database that account does not own alone. Acting as the account itself then
    would let every sudo user pass for it."""
    uid = _sudo_uid()
    if uid is None or os.getuid() == 0 or service_account_owns(db_path):
        return None
    return (
        f"run through sudo as {_name(os.getuid())} for {_name(uid)}, but {db_path} is not"
        f" owned by {_name(os.getuid())} alone; sudo works only in service-account mode"
        " (the account owns the database and nobody else can write it)"
    )


def _name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def os_username(db_path: Path | None = None) -> str:
    """The operator's OS username.

    Normally the account that runs the process. When the service account that owns the database
    is reached through sudo (`sudo -u caseboard caseboard ...`), sudo's SUDO_UID names the person
    who ran it (see `sudo_caller`).
    """
    caller = sudo_caller(db_path)
    if caller is not None:
        return caller.pw_name
    return _name(os.getuid())
