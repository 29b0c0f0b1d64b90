"""The handover carries what the next shift must know: overrides with the computed tier,
return interviews (a clear trafficking concern at the top), closures, notes, recovery notices."""

from __future__ import annotations

import json
from pathlib import Path

from cli.conftest import RunCli


def _open_ids(run_cli: RunCli, db: Path, status: str) -> list[int]:
    cases = json.loads(run_cli(db, "cases", "--json").stdout)
    return [case["id"] for case in cases if case["status"] == status]


def test_overrides_interviews_closures_and_notes_are_handed_over(
    demo_db: Path, run_cli: RunCli
) -> None:
    missing = _open_ids(run_cli, demo_db, "missing")
    recovered = _open_ids(run_cli, demo_db, "recovered")
    critical, closing, noted = missing[0], missing[-1], missing[1]
    steps = [
        ["risk", str(critical), "--override", "STANDARD", "--reason", "duplicate report"],
        ["interview", str(recovered[0]), "--at", "now", "--screen", "clear", "--police-told"],
        ["close", str(closing), "--reason", "entered in error"],
        ["note", str(noted), "caller rang back"],
    ]
    for step in steps:
        result = run_cli(demo_db, *step)
        assert result.returncode == 0, (step, result.stderr)
    report = json.loads(run_cli(demo_db, "handover", "--format", "json").stdout)
    assert {"overrides", "interviews", "closures", "notes"} <= set(report)
    override = next(i for i in report["overrides"] if i["case_id"] == critical)
    assert override["tier"] == "STANDARD"
    assert override["computed"] == "CRITICAL"
    assert [i["case_id"] for i in report["interviews"]] == [recovered[0]]
    assert any(i["case_id"] == closing for i in report["closures"])
    assert any(i.get("text") == "caller rang back" for i in report["notes"])
    opened = next(case for case in report["open_cases"] if case["id"] == critical)
    assert (opened["tier"], opened["computed_tier"]) == ("STANDARD", "CRITICAL")

    markdown = run_cli(demo_db, "handover").stdout
    top = markdown.split("## Counts")[0]
    assert "Clear trafficking concern at the return interview" in top
    assert "police told" in top
    assert ": STANDARD (override; computed CRITICAL) (" in markdown
    assert "Tier overridden to STANDARD: duplicate report (computed CRITICAL)" in markdown
    assert "Case closed: entered in error" in markdown
    assert "Note: caller rang back" in markdown

    redacted = run_cli(demo_db, "--redact", "handover").stdout
    for typed in ("duplicate report", "entered in error", "caller rang back"):
        assert typed not in redacted
    assert "(override; computed CRITICAL)" in redacted
