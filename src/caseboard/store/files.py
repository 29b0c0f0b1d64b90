"""What a file on disk is: its identity (device, inode), owner and mode, each from one stat."""

from __future__ import annotations

import os

FileId = tuple[int, int]  # (device, inode): a file restored over a path is another file


def stat_or_none(path: os.PathLike[str] | str) -> os.stat_result | None:
    """The file's stat, or None when there is none (or it cannot be looked at)."""
    try:
        return os.stat(path)
    except OSError:
        return None


def file_id(path: os.PathLike[str] | str) -> FileId:
    """(device, inode) of the file at `path`; raises OSError when there is none."""
    info = os.stat(path)
    return (info.st_dev, info.st_ino)


def file_identity(path: os.PathLike[str] | str) -> FileId | None:
    """(device, inode) of the file at `path`, or None when there is none."""
    info = stat_or_none(path)
    return None if info is None else (info.st_dev, info.st_ino)
