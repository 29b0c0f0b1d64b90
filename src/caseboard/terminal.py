"""Notice a terminal that went away (hung up, closed, EOF or EIO) even when no signal came."""

from __future__ import annotations

import os
import termios
import threading
from collections.abc import Callable, Iterable

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
