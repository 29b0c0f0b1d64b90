"""The access log records reads (CJIS audit events): case detail views, handover reads and
exports, with who, when, outcome, source and case; a --readonly session writes nothing."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from cli.conftest import RunCli


def _log(db: Path) -> list[tuple[str, str, int | None, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT action, outcome, case_id, source FROM access_log ORDER BY id"
        ).fetchall()


def test_views_handover_reads_and_exports_are_logged(demo_db: Path, run_cli: RunCli) -> None:
    before = len(_log(demo_db))
    assert run_cli(demo_db, "show", "3", "--json").returncode == 0
    assert run_cli(demo_db, "show", "999999").returncode == 2
    assert run_cli(demo_db, "handover", "--format", "json").returncode == 0
    assert run_cli(demo_db, "export", "--format", "csv").returncode == 0
    assert run_cli(demo_db, "--readonly", "show", "3").returncode == 0
    assert run_cli(demo_db, "cases").returncode == 0  # the list is not a detail view
    entries = _log(demo_db)[before:]
    assert [entry[0] for entry in entries] == ["view case", "view case", "handover", "export"]
    assert entries[0] == ("view case", "ok", 3, "local")
    assert entries[1][1].startswith("failed: CASE: there is no case 999999")
    assert entries[1][2] == 999999
    assert entries[2] == ("handover", "ok", None, "local")
    assert entries[3][1].startswith("ok: ") and "case(s)" in entries[3][1]
    audit = json.loads(run_cli(demo_db, "audit", "--json", "--case", "3").stdout)
    assert [(e["action"], e["case"], e["source"]) for e in audit] == [("view case", 3, "local")]
