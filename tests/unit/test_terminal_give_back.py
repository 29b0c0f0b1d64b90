"""Giving the terminal back when the board is ended by a signal: RESET is the last thing the
terminal gets, even while another thread (Textual's writer) is still drawing frames."""

from __future__ import annotations

import os
import pty
import threading
from contextlib import suppress

from caseboard.terminal import RESET, give_back, saved_modes

FRAME = b"[MISSING frame]"


class Drawing:
    """A thread writing frames to `fd` until stopped, as Textual's writer thread does."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.written = 0
        self.more = threading.Condition()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            with suppress(OSError):
                os.write(self.fd, FRAME)
            with self.more:
                self.written += 1
                self.more.notify_all()

    def wait_for_more(self, frames: int) -> None:
        """Until `frames` more writes have been made."""
        with self.more:
            target = self.written + frames
            assert self.more.wait_for(lambda: self.written >= target, timeout=30)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)


class Screen:
    """The other side of a pseudo-terminal, read by a thread until the terminal closes."""

    def __init__(self, leader: int) -> None:
        self.leader = leader
        self.seen = bytearray()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                chunk = os.read(self.leader, 65536)
            except OSError:  # EIO: every descriptor of the terminal's side is closed
                return
            if not chunk:
                return
            self.seen.extend(chunk)

    def everything(self) -> bytes:
        self.thread.join(timeout=30)
        os.close(self.leader)
        return bytes(self.seen)


def test_reset_is_the_last_thing_written_while_another_thread_draws() -> None:
    leader, follower = pty.openpty()
    screen = Screen(leader)
    drawing = Drawing(follower)  # the board's descriptor for the terminal (its stderr)
    drawing.wait_for_more(5)
    give_back(saved_modes([follower]), follower)
    # The writer goes on drawing after RESET was written, as Textual's thread may.
    drawing.wait_for_more(50)
    drawing.stop()
    os.close(follower)
    seen = screen.everything()
    assert seen.count(FRAME) >= 5
    assert seen.endswith(RESET), seen[-200:]
