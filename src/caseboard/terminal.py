"""Notice a terminal that went away (hung up, closed, EOF or EIO) even when no signal came."""

from __future__ import annotations

import os
import termios
import threading
import time
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


# How long RESET may wait for a write of the board's already under way to the terminal.
GIVE_BACK_S = 0.5


def give_back(saved: dict[int, list[Any]], out: int | None) -> None:
    """Restore the settings and write RESET to `out`, last and never waiting long on the
    terminal: a terminal that is not reading (or gone) gets what fits, and nothing stops the
    exit.

    The board's own writer (Textual draws from a thread of its own) may still be writing a
    frame when this runs, from a signal handler; a frame drawn after RESET would land on the
    normal screen. So first every terminal descriptor of this process but stdin is pointed at
    /dev/null (a frame written from then on goes nowhere), then RESET is written through a
    descriptor of its own: the terminal lets one write in at a time, so a frame already being
    written finishes first (RESET waits for it, at most GIVE_BACK_S) and RESET comes last.
    """
    for fd, modes in saved.items():
        with suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSANOW, modes)
    if out is None:
        return
    try:
        # A new open of the terminal, so O_NONBLOCK is this descriptor's alone (set on `out`
        # it would be the shell's too, which shares that open file).
        terminal = os.open(os.ttyname(out), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return  # no terminal left to give back
    try:
        for fd in {out, *saved} - {0}:
            _silence(fd)
        _write_within(terminal, RESET, GIVE_BACK_S)
    finally:
        os.close(terminal)


def _silence(fd: int) -> None:
    """From now on what this process writes to `fd` goes to /dev/null."""
    with suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)


def _write_within(fd: int, data: bytes, limit_s: float) -> None:
    """Write `data` to the non-blocking `fd`, trying again while the terminal is busy (a write
    under way, or its buffer full) until `limit_s` has passed; other errors end it."""
    deadline = time.monotonic() + limit_s
    while data:
        try:
            data = data[os.write(fd, data) :]
        except BlockingIOError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.005)
        except OSError:
            return


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
