"""--redact is an allowlist: every typed field and event field holds a unique marker, and no
output path under --redact shows one (the child's name only as initials)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., Any]

# Every optional intake field (docs/cli.md) with its own marker; agency is on the safe list.
PACKET_MARKERS = {
    "aliases": "MARKER01, MARKER02",
    "sex": "MARKER03",
    "race": "MARKER04",
    "height": "MARKER05",
    "weight": "MARKER06",
    "hair": "MARKER07",
    "eyes": "MARKER08",
    "marks": "MARKER09",
    "clothing": "MARKER10",
    "county": "MARKER11",
    "caseworker": "MARKER12",
    "caseworker_phone": "MARKER13",
    "supervisor": "MARKER14",
    "last_seen_by": "MARKER15",
    "circumstances": "MARKER16",
    "companions": "MARKER17",
    "vehicle": "MARKER18",
    "phones_social": "MARKER19",
    "destinations": "MARKER20",
}
NAME = "Zelda MARKERNAME"  # shown as Z.M.
PLACE = "MARKER21"


def _record(name: str, place: str) -> dict[str, Any]:
    return {
        "name": name,
        "age": 15,
        "learned_at": "-50m",
        "last_seen_at": "-2h",
        "last_seen_where": place,
        "placement_type": "group_home",
        "agency": "Fictional County DCFS",
        **PACKET_MARKERS,
    }


def _ok(result: Any) -> str:
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


@pytest.fixture
def marked_db(fresh_db: Path, run_cli: RunCli, tmp_path: Path) -> Path:
    """Two cases whose every typed field and event field holds a marker."""
    records = tmp_path / "records.json"
    records.write_text(json.dumps([_record(NAME, PLACE), _record("Yves MARKERTWO", "MARKER22")]))
    _ok(run_cli(fresh_db, "import", str(records)))
    ids = sorted(item["id"] for item in json.loads(_ok(run_cli(fresh_db, "cases", "--json"))))
    case, other = str(ids[0]), str(ids[1])
    sighting = _ok(
        run_cli(fresh_db, "sighting", case, "--at", "90m ago", "--where", "MARKER23",
                "--source", "MARKER24", "--confirmed", "--note", "MARKER25")
    ).strip()  # fmt: skip
    _ok(run_cli(fresh_db, "contact", case, "--at", "80m ago", "--how", "MARKER26",
                "--note", "MARKER27"))  # fmt: skip
    _ok(run_cli(fresh_db, "confirm", case, "police", "--ref", "MARKER45", "--agency", "City PD",
                "--officer", "MARKER28"))  # fmt: skip
    _ok(run_cli(fresh_db, "risk", case, "--add", "substance_use", "--override", "critical",
                "--reason", "MARKER29"))  # fmt: skip
    _ok(run_cli(fresh_db, "handover-note", case, "--summary", "MARKER30",
                "--contingency", "MARKER31"))  # fmt: skip
    _ok(run_cli(fresh_db, "note", case, "MARKER32"))
    _ok(run_cli(fresh_db, "correct", sighting, "--reason", "MARKER33", "--note", "MARKER34"))
    _ok(run_cli(fresh_db, "recover", case, "--at", "10m ago", "--where", "MARKER35",
                "--by", "MARKER36", "--condition", "MARKER37", "--placed", "MARKER38",
                "--note", "MARKER39"))  # fmt: skip
    _ok(run_cli(fresh_db, "interview", case, "--at", "5m ago", "--screen", "possible",
                "--note", "MARKER40"))  # fmt: skip
    _ok(run_cli(fresh_db, "close", other, "--reason", "MARKER41"))
    return fresh_db


MARKER = re.compile(r"MARKER\w*")


def test_every_output_path_under_redact_hides_every_marker(
    marked_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    listed = json.loads(_ok(run_cli(marked_db, "cases", "--all", "--json")))
    case = str(min(item["id"] for item in listed))
    paths = {
        "cases": ("cases", "--all"),
        "cases --json": ("cases", "--all", "--json"),
        "show": ("show", case),
        "show --json": ("show", case, "--json"),
        "export json": ("export",),
        "export csv": ("export", "--format", "csv"),
        "handover md": ("handover", "--since", "3h ago"),
        "handover json": ("handover", "--since", "3h ago", "--format", "json"),
    }
    outputs = {what: _ok(run_cli(marked_db, "--redact", *args)) for what, args in paths.items()}
    # A conflict: a second recovery quotes where the child was found.
    conflict = run_cli(marked_db, "--redact", "recover", case, "--at", "now",
                       "--where", "x", "--by", "y")  # fmt: skip
    assert conflict.returncode == 3
    outputs["conflict"] = conflict.stderr
    closed = run_cli(marked_db, "--redact", "note", str(max(i["id"] for i in listed)), "late")
    assert closed.returncode == 3
    outputs["closed conflict"] = closed.stderr
    leaks = {what: sorted(set(MARKER.findall(text))) for what, text in outputs.items()}
    assert {what: found for what, found in leaks.items() if found} == {}
    assert "Z.M." in outputs["cases"] and "Z.M." in outputs["show"]
    # The same paths without --redact show the markers (so the test can fail).
    plain = _ok(run_cli(marked_db, "show", case)) + _ok(run_cli(marked_db, "export"))
    for marker in ("MARKER09", "MARKER13", "MARKER28", "MARKER29", "MARKER40", "MARKER45"):
        assert marker in plain, marker
