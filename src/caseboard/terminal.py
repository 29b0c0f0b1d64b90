"""Notice a terminal that went away (hung up, closed, EOF or EIO) even when no signal came."""

from __future__ import annotations

import fcntl
import os
import termios
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any

WATCH_S = 0.5


def terminal_fds(fds: Iterable[int] = (0, 1, 2)) -> list[int]:
    """The descriptors among `fds` that are terminals now (only those are watched: output
    redirected to a file is no terminal to lose)."""
    found = []
    for fd in fds:
        try:
            termios.tcgetattr(fd)
        except (termios.error, OSError):
            continue
        found.append(fd)
    return found


def gone(fds: Iterable[int]) -> str | None:
    """Why the terminal is unusable, or None. A hung-up or closed terminal answers every
    request with EIO (reads see end-of-file), whether or not a SIGHUP was delivered."""
    for fd in fds:
        try:
            termios.tcgetattr(fd)
        except (termios.error, OSError) as exc:
            code = exc.args[0] if exc.args else None
            reason = os.strerror(code) if isinstance(code, int) else str(exc)
            return f"the terminal went away ({reason})"
    return None


# Mouse reports, bracketed paste and the alternate screen off, the cursor back: what the board
# turned on, turned off the way its own teardown would.
RESET = b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[<u\x1b[?1049l\x1b[?25h"


def saved_modes(fds: Iterable[int]) -> dict[int, list[Any]]:
    """The terminal settings to give back if the board is ended before it can."""
    saved = {}
    for fd in fds:
        with suppress(termios.error, OSError):
            saved[fd] = termios.tcgetattr(fd)
    return saved


def give_back(saved: dict[int, list[Any]], out: int | None) -> None:
    """Restore the settings and write RESET to `out`, never waiting on the terminal: a
    terminal that is not reading (or gone) gets what fits, and nothing stops the exit."""
    for fd, modes in saved.items():
        with suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSANOW, modes)
    if out is None:
        return
    with suppress(OSError):
        flags = fcntl.fcntl(out, fcntl.F_GETFL)
        fcntl.fcntl(out, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        os.write(out, RESET)


class TerminalWatch:
    """A daemon thread that checks the terminal twice a second and calls `on_gone(reason)`
    once when it goes away. It does not depend on the board's event loop, which may be stuck
    writing to that very terminal (or spinning on its end-of-file) by then."""

    def __init__(self, fds: Iterable[int], on_gone: Callable[[str], object]) -> None:
        self.fds = list(fds)
        self.on_gone = on_gone
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="caseboard-tty-watch", daemon=True)

    def start(self) -> TerminalWatch:
        """Start watching (nothing to watch when no descriptor is a terminal)."""
        if self.fds:
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching (the board ended by itself)."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(WATCH_S):
            reason = gone(self.fds)
            if reason is not None and not self._stop.is_set():
                self.on_gone(reason)
                return
