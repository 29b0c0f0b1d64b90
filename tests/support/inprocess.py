"""Run the CLI inside the test process (`caseboard.cli.main`) with a frozen clock, its output
captured through streams that encode as the real ones do: stdout strictly as UTF-8, stderr with
backslashes for what cannot be encoded. Much faster than a subprocess per call, for Hypothesis."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from caseboard.cli import EXIT_INTERNAL, main
from caseboard.clock import frozen_clock

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
