"""A copy of the audit trail sent to syslog (best effort: never stops or slows a write)."""

from __future__ import annotations

import logging
import logging.handlers
import os
import socket
from collections.abc import Callable

# One line of the copy goes to whatever this is (a sink given to the write path through Actor).
AuditCopy = Callable[[str], None]


class _Quiet(logging.handlers.SysLogHandler):
    """A SysLogHandler that says nothing when it cannot send: the copy is best effort, and a
    traceback on stderr would land in the operator's terminal or a script's output."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


def syslog_copy(address: str | tuple[str, int]) -> AuditCopy:
    """A sink sending each line to syslog at `address` (a socket path or (host, port) over UDP),
    facility authpriv (readable by root only on the usual syslog setups). The socket is opened
    on the first line and never blocks: a line that cannot be sent at once is dropped."""
    handler: list[_Quiet] = []
    ident = f"caseboard[{os.getpid()}]: "

    def send(line: str) -> None:
        try:
            if not handler:
                made = _Quiet(address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
                made.ident = ident
                sock = getattr(made, "socket", None)  # not in typeshed's stubs
                if isinstance(sock, socket.socket):
                    sock.setblocking(False)
                handler.append(made)
            record = logging.makeLogRecord(
                {"msg": line, "levelno": logging.INFO, "levelname": "INFO"}
            )
            handler[0].emit(record)
        except (OSError, ValueError, socket.gaierror):
            return  # no syslog to reach: the write itself already committed

    return send
