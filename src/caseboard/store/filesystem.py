"""What the file system under the database is: its type (from statfs), free space, and the
owner and mode of each file; facts only, judged by services/doctor.py."""

from __future__ import annotations

import ctypes
import ctypes.util
import grp
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

# statfs(2) f_type values (linux/magic.h and the file systems' own headers) of file systems
# whose files live on another host or in a user-space daemon: SQLite's WAL needs shared memory
# and POSIX locks that work between the processes of one host, which none of these promise.
NETWORK_FILESYSTEMS = {
    0x6969: "NFS",
    0x517B: "SMB",
    0xFF534D42: "CIFS",
    0xFE534D42: "SMB2",
    0x65735546: "FUSE",
    0x01021997: "9P (v9fs)",
    0x00C36400: "Ceph",
    0x73757245: "Coda",
    0x5346414F: "AFS",
    0x6B414653: "AFS (kAFS)",
    0x0BD00BD0: "Lustre",
    0x47504653: "GPFS",
    0x01161970: "GFS2",
    0x7461636F: "OCFS2",
    0x564C: "NCP",
    0x013111A8: "IBRIX",
    0x19830326: "FhGFS/BeeGFS",
    0x6E667364: "nfsd",
}

# struct statfs starts with f_type, a __fsword_t (a C long) on every Linux architecture; the
# rest of the struct is under 128 bytes everywhere, so a larger buffer always holds it.
_STATFS_SIZE = 256


def filesystem_type(path: Path) -> int:
    """statfs(2)'s f_type for the file system holding `path`. Raises OSError."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    buffer = ctypes.create_string_buffer(_STATFS_SIZE)
    if libc.statfs(os.fsencode(path), buffer) != 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number), str(path))
    return ctypes.c_long.from_buffer(buffer).value & 0xFFFFFFFF


def network_filesystem(magic: int) -> str | None:
    """The name of a network or user-space file system with this f_type, else None."""
    return NETWORK_FILESYSTEMS.get(magic)


def free_bytes(path: Path) -> int:
    """Bytes an unprivileged process may still write on the file system of `path`."""
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


@dataclass(frozen=True)
class FileFacts:
    """Owner, group and permission bits of one file or folder."""

    path: Path
    uid: int
    gid: int
    mode: int  # the permission bits, setgid included (stat.S_IMODE)
    is_link: bool = False

    @property
    def owner(self) -> str:
        """The owner's account name (uid1234 when it has none)."""
        return account_name(self.uid)

    @property
    def group(self) -> str:
        """The group's name (gid1234 when it has none)."""
        return group_name(self.gid)


def facts(path: Path) -> FileFacts | None:
    """The file's owner, group and mode, or None when there is no such file (links not
    followed: a link where the database should be is reported as what it is)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return FileFacts(
        path, info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode), stat.S_ISLNK(info.st_mode)
    )


def account_name(uid: int) -> str:
    """The account's name, or uid1234."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def group_name(gid: int) -> str:
    """The group's name, or gid1234."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid{gid}"
