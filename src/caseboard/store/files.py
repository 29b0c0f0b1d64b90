"""Files on disk: what one is (identity, owner, mode, from one stat) and writing one whole."""

from __future__ import annotations

import os
from pathlib import Path

from caseboard.domain.errors import BadInput

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


def write_atomically(path: Path, data: bytes, *, mode: int = 0o666, option: str = "--out") -> None:
    """Write a whole file or nothing: a temporary file in the same folder, synced, then renamed
    over `path`. `mode` is before the umask (0666: the usual; 0600: its owner alone)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(option, f"no such folder: {folder}")
    if path.is_dir():
        raise BadInput(option, f"{path} is a folder")
    temporary = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except IsADirectoryError:
        raise BadInput(option, f"{path} is a folder") from None
    except OSError as exc:
        raise BadInput(option, f"cannot write {path}: {exc.strerror or exc}") from None


def read_at_most(path: Path, limit: int, field: str) -> bytes:
    """Up to `limit` + 1 bytes of the file (one more than allowed says it is too large, and a
    huge file or a device such as /dev/zero is never read whole); BadInput naming `field`."""
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise BadInput(field, f"no such file: {path}") from None
    except IsADirectoryError:
        raise BadInput(field, f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise BadInput(field, f"cannot read {path}: {exc.strerror or exc}") from None
