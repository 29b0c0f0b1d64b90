"""Run the CLI inside the test process (`caseboard.cli.main`) with a frozen clock, its output
captured through streams that encode as the real ones do: stdout strictly as UTF-8, stderr with
backslashes for what cannot be encoded. Much faster than a subprocess per call: the Hypothesis
suites use run_main, the CLI tests' `run_cli` fixture uses run_in_process (the real clock, and
the environment, argv, stdin and SQLite connections a child process would have had)."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, redirect_stderr, redirect_stdout, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import caseboard
from caseboard.cli import main
from caseboard.clock import frozen_clock, system_clock
from caseboard.crashlog import EXIT_INTERNAL

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CLOCK = frozen_clock(NOW)
DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"


@dataclass(frozen=True)
class Ran:
    """What one in-process run of the CLI did."""

    code: int
    out: str
    err: str


def _stream(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def run_main(db: Path | None, *argv: str, tz: str | None = "America/Chicago") -> Ran:
    """`caseboard [--db DB] [--tz TZ] ARGV...` in this process; argparse's exits become codes."""
    head = ["--db", str(db)] if db is not None else []
    if tz is not None:
        head += ["--tz", tz]
    out, err = _stream("strict"), _stream("backslashreplace")
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([*head, *argv], clock=CLOCK)
        except SystemExit as exc:  # argparse: 2 for a bad argument, 0 for --help
            code = exc.code if isinstance(exc.code, int) else 2
    ran = Ran(code, _text(out), _text(err))
    assert code != EXIT_INTERNAL, ran.err
    assert "Traceback" not in ran.err, ran.err
    return ran


def demo_database(path: Path) -> Path:
    """`init` and `import fixtures/demo.json` in process, on the frozen clock."""
    assert run_main(path, "init").code == 0
    ran = run_main(path, "import", str(DEMO))
    assert ran.code == 0, ran.err
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy (sqlite3's backup, so WAL content comes along)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def event_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


def open_case_ids(path: Path) -> list[int]:
    """Cases still missing (neither recovered nor closed), by id."""
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT id FROM cases WHERE status = 'missing' ORDER BY id")
        return [int(row[0]) for row in rows]


# --- the CLI in process, as a subprocess would have run it ----------------------------------------

# What `python -m caseboard` has in sys.argv[0] (cli.access.this_program reads it).
MAIN_PATH = str(Path(caseboard.__file__).resolve().parent / "__main__.py")
SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


@contextmanager
def process_state(env: Mapping[str, str] | None, argv: Sequence[str]) -> Iterator[None]:
    """What a child process would have had of its own, put back afterwards: the environment
    (`env` replaces it, as subprocess's env= does), sys.argv, the current folder, the signal
    handlers (`ssh-shell` sets some), tempfile's cached folder (TMPDIR is read once) and every
    SQLite connection opened meanwhile (closed: a connection left open in this process would
    keep -wal/-shm files around, and a later open/close of the file would drop its locks)."""
    saved_environ = dict(os.environ)
    saved_argv = sys.argv
    saved_cwd = os.getcwd()
    saved_tempdir = tempfile.tempdir
    saved_handlers = {number: signal.getsignal(number) for number in SIGNALS}
    real_connect = sqlite3.connect
    opened: list[sqlite3.Connection] = []

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        opened.append(conn)
        return conn

    if env is not None:
        os.environ.clear()
        os.environ.update(env)
        tempfile.tempdir = None
    sys.argv = [MAIN_PATH, *argv]
    sqlite3.connect = connect  # type: ignore[assignment]
    try:
        yield
    finally:
        sqlite3.connect = real_connect
        for conn in opened:
            with suppress(sqlite3.ProgrammingError):  # e.g. made in a thread now gone
                conn.close()
        for number, handler in saved_handlers.items():
            if handler is not None:
                signal.signal(number, handler)
        tempfile.tempdir = saved_tempdir
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        if dict(os.environ) != saved_environ:
            os.environ.clear()
            os.environ.update(saved_environ)


def run_in_process(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    clock: Callable[[], datetime] = system_clock,
) -> subprocess.CompletedProcess[str]:
    """`caseboard ARGV...` through `cli.main` in this process, with what a separate process
    would have had of its own (see process_state): stdin from `input` (empty by default, never
    a terminal), stdout and stderr captured as the real streams encode them. Its exit code is
    main's return value, or SystemExit's code as the interpreter would turn it into one; the
    output is read as subprocess.run(text=True) reads it."""
    out, err = _stream("strict"), _stream("backslashreplace")
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8")
    saved_stdin = sys.stdin
    sys.stdin = stdin
    try:
        with process_state(env, argv), redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(argv), clock=clock)
            except SystemExit as exc:
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:  # SystemExit("message"): printed on stderr, exit 1
                    sys.stderr.write(f"{exc.code}\n")
                    code = 1
    finally:
        sys.stdin = saved_stdin
    return subprocess.CompletedProcess(list(argv), code, _universal(out), _universal(err))


def _universal(stream: io.TextIOWrapper) -> str:
    """The text as subprocess.run(text=True) gives it: universal newlines (CRLF and a lone CR
    read as LF)."""
    return _text(stream).replace("\r\n", "\n").replace("\r", "\n")
