"""Who is at the keyboard: the OS account of the process, never an environment variable."""

from __future__ import annotations

import os
import pwd

# Accounts below this uid are system/service accounts; only they may act for a sudo caller.
_FIRST_LOGIN_UID = 1000


def os_username() -> str:
    """The operator's OS username.

    Normally the account that runs the process. When a service account is reached through sudo
    (`sudo -u caseboard caseboard ...`), sudo's SUDO_UID names the person who ran it; it is only
    honoured for root or a system account, which an ordinary user cannot become without sudo,
    so setting SUDO_UID by hand cannot impersonate anyone.
    """
    uid = os.getuid()
    sudo_uid = os.environ.get("SUDO_UID", "")
    if sudo_uid.isdigit() and int(sudo_uid) != uid and uid < _FIRST_LOGIN_UID:
        try:
            return pwd.getpwuid(int(sudo_uid)).pw_name
        except KeyError:
            pass
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"
