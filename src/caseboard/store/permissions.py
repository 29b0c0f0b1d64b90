"""File modes for the two deployments: service account (0700 folder, 0600 files) or shared group.

SQLite gives a new `-wal` and `-shm` the database file's own permission bits (and re-applies them
after the creating process's umask), so getting the database file's mode right at creation makes
all three files right for whoever opens them first, a viewer's read included.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from caseboard.store.files import stat_or_none

SERVICE_FILE_MODE = 0o600
GROUP_FILE_MODE = 0o660


def _folder_mode(folder: Path) -> int:
    """The folder's mode bits (0 when it cannot be looked at)."""
    info = stat_or_none(folder)
    return 0 if info is None else info.st_mode


def is_group_folder(folder: Path) -> bool:
    """A folder shared by a group of operators: setgid or group-writable."""
    return bool(_folder_mode(folder) & (stat.S_ISGID | stat.S_IWGRP))


def new_database_mode(folder: Path) -> int:
    """The mode a new database file gets in `folder`."""
    return GROUP_FILE_MODE if is_group_folder(folder) else SERVICE_FILE_MODE


def create_database_file(path: Path) -> bool:
    """Create an empty database file with the folder's mode whatever the umask; False when it
    already exists. Runs before any SQLite connection to the file exists in this process."""
    mode = new_database_mode(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(descriptor, mode)  # the umask may have taken bits away
    finally:
        os.close(descriptor)
    return True


def folder_warnings(folder: Path) -> list[str]:
    """What is wrong with a shared-group folder (nothing is said of a private one)."""
    if not is_group_folder(folder):
        return []
    mode = _folder_mode(folder)
    warnings = []
    if not mode & stat.S_ISGID:
        warnings.append(
            f"{folder} is group-writable but not setgid, so files made there get their maker's"
            f" own group and other operators cannot write them; fix: chmod g+s {folder}"
        )
    if not mode & stat.S_IWGRP:
        warnings.append(
            f"{folder} is setgid but its group cannot write it, so other operators cannot create"
            f" the -wal and -shm files; fix: chmod g+w {folder}"
        )
    return warnings
