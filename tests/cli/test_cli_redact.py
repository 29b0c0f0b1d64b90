"""--redact hides typed free text everywhere it is printed: names, places, notes, who found."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

RunCli = Callable[..., Any]

SECRETS = ("555-0199", "12 Elm St", "Aunt Rosalind", "Destiny Demoford", "Demoford")


def test_redacted_show_and_export_leave_no_typed_text(demo_db: Path, run_cli: RunCli) -> None:
    listed = json.loads(run_cli(demo_db, "cases", "--json").stdout)
    case = next(item for item in listed if item["child"]["name"] == "Destiny Demoford")["id"]
    note = "Aunt Rosalind called from 555-0199; may be at 12 Elm St"
    assert run_cli(demo_db, "note", str(case), note).returncode == 0
    sighting = ["sighting", str(case), "--at", "now", "--where", "12 Elm St"]
    assert run_cli(demo_db, *sighting, "--source", "Aunt Rosalind", "--note", note).returncode == 0
    outputs = {
        "show": run_cli(demo_db, "--redact", "show", str(case)).stdout,
        "show --json": run_cli(demo_db, "--redact", "show", str(case), "--json").stdout,
        "cases": run_cli(demo_db, "--redact", "cases").stdout,
        "export": run_cli(demo_db, "--redact", "export").stdout,
        "handover": run_cli(demo_db, "--redact", "handover").stdout,
    }
    for name, text in outputs.items():
        assert text, f"{name} printed nothing"
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, f"{name} shows {leaked}"
    # Without --redact the same commands show what was typed (the test can fail).
    assert "555-0199" in run_cli(demo_db, "show", str(case)).stdout
    shown = json.loads(outputs["show --json"])
    notes = [event for event in shown["events"] if event["type"] == "note"]
    assert notes and notes[-1]["data"]["text"] == "[redacted]"
