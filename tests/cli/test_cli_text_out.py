"""One way out for text: stored escapes, controls, bidi and zero-width characters never reach a
terminal raw from the CLI (results, messages, conflicts, JSON, CSV, Markdown); JSON keeps them
exactly as \\uXXXX escapes."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

RunCli = Callable[..., Any]

OSC_TITLE = "\x1b]2;PWNED\x07"
CLEAR = "\x1b[2J"
HOSTILE_PLACE = f"{OSC_TITLE}{CLEAR}Bus depot"
# C1 controls (NEL, CSI, OSC, ST), bidi override and isolate, zero-width space and joiner, BOM.
C1_AND_BIDI = "Ava\x85\x9b2J\x9d2;T\x9c\u202eboowtseT\u2066x\u2069\u200b\u200d\ufeff"
# Anything a terminal would act on: C0 (but newline, tab, CR), DEL, C1, bidi, zero-width.
RAW = re.compile(
    r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def _intake(run_cli: RunCli, db: Path, name: str, where: str, *extra: str) -> int:
    result = run_cli(
        db, "intake", "--name", name, "--age", "14", "--learned", "20m ago",
        "--last-seen", "1h ago", "--where", where, "--placement", "group_home",
        "--agency", "Fictional County DCFS", *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def _raw(text: str) -> list[str]:
    return sorted({f"U+{ord(char):04X}" for char in RAW.findall(text)})


def test_conflict_message_quotes_a_stored_place_inertly(fresh_db: Path, run_cli: RunCli) -> None:
    case = _intake(run_cli, fresh_db, "Ava Testwood", "Demo Mall")
    recover = ["recover", str(case), "--at", "now", "--by", "Officer"]
    assert run_cli(fresh_db, *recover, "--where", HOSTILE_PLACE).returncode == 0
    second = run_cli(fresh_db, *recover, "--where", "Elsewhere")
    assert second.returncode == 3
    assert "already recovered" in second.stderr
    assert _raw(second.stderr) == [], second.stderr
    assert "␛]2;PWNED␇␛[2JBus depot" in second.stderr  # visible, so the operator can tell
    redacted = run_cli(fresh_db, "--redact", *recover, "--where", "Elsewhere")
    assert redacted.returncode == 3
    assert "already recovered" in redacted.stderr
    assert "PWNED" not in redacted.stderr and "Bus depot" not in redacted.stderr
    assert "[redacted]" in redacted.stderr


def test_closed_and_confirmed_conflicts_are_inert_and_redacted(
    fresh_db: Path, run_cli: RunCli
) -> None:
    case = _intake(run_cli, fresh_db, "Ava Testwood", "Demo Mall")
    confirm = ["confirm", str(case), "police", "--ref", f"PR{OSC_TITLE}1"]
    assert run_cli(fresh_db, *confirm).returncode == 0
    again = run_cli(fresh_db, *confirm)
    assert again.returncode == 3 and _raw(again.stderr) == [], again.stderr
    assert "PWNED" not in run_cli(fresh_db, "--redact", *confirm).stderr
    assert run_cli(fresh_db, "close", str(case), "--reason", f"{CLEAR}gone home").returncode == 0
    closed = run_cli(fresh_db, "note", str(case), "late note")
    assert closed.returncode == 3 and _raw(closed.stderr) == [], closed.stderr
    assert "␛[2Jgone home" in closed.stderr
    hidden = run_cli(fresh_db, "--redact", "note", str(case), "late note")
    assert hidden.returncode == 3 and "gone home" not in hidden.stderr


# A real child process (run_subprocess): what the real stdout/stderr streams carry. The writes
# that set the case up run in process; every output read is a real process's.
def test_text_outputs_carry_no_raw_controls(
    fresh_db: Path, run_cli: RunCli, run_subprocess: RunCli
) -> None:
    case = _intake(run_cli, fresh_db, C1_AND_BIDI, HOSTILE_PLACE)
    assert run_cli(fresh_db, "note", str(case), f"{HOSTILE_PLACE}\x1b[31m").returncode == 0
    for args in (
        ("cases",),
        ("show", str(case)),
        ("handover",),
        ("export", "--format", "csv"),
        ("operators", "list"),
    ):
        result = run_subprocess(fresh_db, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert _raw(result.stdout) == [], (args, result.stdout)
        assert _raw(result.stderr) == [], (args, result.stderr)
        if args[0] in ("show", "handover", "export"):
            assert "␛]2;PWNED␇" in result.stdout, args  # shown, inert


def test_json_outputs_escape_c1_bidi_and_zero_width_and_keep_values(
    fresh_db: Path, run_cli: RunCli
) -> None:
    case = _intake(run_cli, fresh_db, C1_AND_BIDI, HOSTILE_PLACE)
    assert run_cli(fresh_db, "note", str(case), C1_AND_BIDI).returncode == 0
    assert run_cli(fresh_db, "operators", "add", "zz", "--role", "viewer",
                   "--name", C1_AND_BIDI).returncode == 0  # fmt: skip
    outputs = {
        "cases --json": run_cli(fresh_db, "cases", "--json"),
        "show --json": run_cli(fresh_db, "show", str(case), "--json"),
        "handover json": run_cli(fresh_db, "handover", "--format", "json"),
        "export": run_cli(fresh_db, "export"),
        "operators list --json": run_cli(fresh_db, "operators", "list", "--json"),
    }
    for what, result in outputs.items():
        assert result.returncode == 0, (what, result.stderr)
        assert _raw(result.stdout) == [], (what, _raw(result.stdout))
        assert "\\u202e" in result.stdout, what  # escaped, not dropped
    # The stored text comes back exactly.
    listed = json.loads(outputs["cases --json"].stdout)
    assert listed[0]["child"]["name"] == C1_AND_BIDI
    assert listed[0]["last_seen_where"] == HOSTILE_PLACE
    shown = json.loads(outputs["show --json"].stdout)
    assert [e["data"]["text"] for e in shown["events"] if e["type"] == "note"] == [C1_AND_BIDI]
    operators = json.loads(outputs["operators list --json"].stdout)
    assert C1_AND_BIDI in [row["name"] for row in operators]


def test_files_written_with_out_are_inert_too(
    fresh_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    case = _intake(run_cli, fresh_db, "Ava Testwood", HOSTILE_PLACE)
    assert run_cli(fresh_db, "note", str(case), C1_AND_BIDI).returncode == 0
    for args in (
        ("handover", "--out", str(tmp_path / "h.md")),
        ("handover", "--format", "json", "--out", str(tmp_path / "h.json")),
        ("export", "--out", str(tmp_path / "e.json")),
        ("export", "--format", "csv", "--out", str(tmp_path / "e.csv")),
    ):
        assert run_cli(fresh_db, *args).returncode == 0, args
        text = Path(args[-1]).read_text("utf-8")
        assert _raw(text) == [], (args, _raw(text))
    exported = json.loads((tmp_path / "e.json").read_text("utf-8"))
    assert exported["cases"][0]["last_seen_where"] == HOSTILE_PLACE


def test_csv_neutralises_formulas_and_controls(fresh_db: Path, run_cli: RunCli) -> None:
    _intake(run_cli, fresh_db, "Ava Testwood", '=HYPERLINK("http://x","y")')
    _intake(run_cli, fresh_db, "Bo Testwood", f"@SUM(1){OSC_TITLE}", "--agency", "+Agency")
    result = run_cli(fresh_db, "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    places = {row["last_seen_where"] for row in rows}
    assert places == {'\'=HYPERLINK("http://x","y")', "'@SUM(1)␛]2;PWNED␇"}
    assert "'+Agency" in {row["agency"] for row in rows}
    for row in rows:
        assert not any(cell[:1] in "=+-@" for cell in row.values() if cell), row


def test_argument_errors_quote_what_was_typed_inertly(run_cli: RunCli, fresh_db: Path) -> None:
    result = run_cli(fresh_db, "cases", "\x1b]2;PWNED\x07", "\u202e")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "unrecognized arguments: ␛]2;PWNED␇ <U+202E>" in result.stderr
