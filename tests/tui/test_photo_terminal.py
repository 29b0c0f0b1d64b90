"""The board never asks the terminal about graphics: textual-image's start-up queries (written
to the terminal, answers read from stdin, where a key typed then can be lost) are off, and the
photo's renderer is chosen from the environment the terminal sets."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from caseboard.tui.photo import graphics

# The board's modules imported, then the first photo's widget chosen, on a real terminal.
CHILD = """
import caseboard.tui.app
print("IMPORTED", flush=True)
from caseboard.tui import photo
print("CHOSEN", photo.image_widget().__name__, flush=True)
"""
# What textual-image writes to ask: the Sixel check (DA1), the Kitty graphics query, and the
# cell size in pixels.
QUERIES = (b"\x1b[c", b"\x1b_G", b"\x1b[16t")


def on_a_terminal(tmp_path: Path, term: str) -> str:
    """Run CHILD with stdin, stdout and stderr on a new pseudo-terminal; all it wrote there."""
    leader, follower = pty.openpty()
    # 80x24 cells and no size in pixels (as over many SSH sessions): textual-image would then
    # ask the terminal for the cell size.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TERM": term}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    written = b""
    try:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child is gone and the terminal closed
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(leader)
        child.wait(timeout=60)
    assert child.returncode == 0, written.decode(errors="replace")
    for query in QUERIES:
        assert query not in written, (query, written)
    return written.decode(errors="replace")


def test_starting_the_board_and_drawing_a_photo_ask_the_terminal_nothing(
    tmp_path: Path,
) -> None:
    written = on_a_terminal(tmp_path, "xterm-256color")
    assert "IMPORTED" in written and "CHOSEN HalfcellImage" in written


def test_kitty_says_so_in_term(tmp_path: Path) -> None:
    assert "CHOSEN TGPImage" in on_a_terminal(tmp_path, "xterm-kitty")


@pytest.mark.parametrize(
    ("environ", "kind"),
    [
        ({"TERM": "xterm-256color"}, "halfcell"),
        ({"TERM": "screen", "TERM_PROGRAM": "tmux"}, "halfcell"),
        ({}, "halfcell"),
        ({"TERM": "xterm-kitty"}, "kitty"),
        ({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"}, "kitty"),
        ({"TERM": "foot"}, "sixel"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, "sixel"),
    ],
)
def test_the_renderer_follows_what_the_environment_says(environ: dict[str, str], kind: str) -> None:
    assert graphics(environ) == kind
