"""`caseboard photo` and `caseboard packet`: ids, files and exit codes; nothing half-written."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.conftest import RunCli
from support.images import jpeg_bytes, large_png, png_bytes, write

Counts = Callable[[Path], dict[str, int]]


def open_case(run_cli: RunCli, db: Path) -> int:
    """The first open case of the demo data."""
    result = run_cli(db, "cases", "--json")
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)[0]["id"])


def test_photo_attaches_and_prints_the_event_id(
    run_cli: RunCli, demo_db: Path, tmp_path: Path
) -> None:
    case = open_case(run_cli, demo_db)
    photo = write(tmp_path, "child.png", png_bytes())
    result = run_cli(demo_db, "photo", str(case), str(photo), "--taken", "2026-10-02")
    assert result.returncode == 0, result.stderr
    event_id = int(result.stdout.strip())
    shown = run_cli(demo_db, "show", str(case), "--json")
    events = json.loads(shown.stdout)["events"]
    [event] = [e for e in events if e["id"] == event_id]
    assert event["type"] == "photo" and event["data"]["taken"] == "2026-10-02"
    text = run_cli(demo_db, "show", str(case)).stdout
    assert "Photo added, taken 2 Oct 2026" in text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["abc"], "not a case id"),
        (["0"], "not a case id"),
        (["999999"], "no case 999999"),
    ],
)
def test_a_bad_case_id_exits_2_and_writes_nothing(
    run_cli: RunCli, demo_db: Path, tmp_path: Path, counts: Counts, args: list[str], said: str
) -> None:
    photo = write(tmp_path, "child.png", png_bytes())
    before = counts(demo_db)
    result = run_cli(demo_db, "photo", *args, str(photo))
    assert result.returncode == 2 and said in result.stderr, result.stderr
    packet = run_cli(demo_db, "packet", *args, "--out", str(tmp_path / "p.pdf"))
    assert packet.returncode == 2 and said in packet.stderr, packet.stderr
    assert not (tmp_path / "p.pdf").exists()
    assert {k: v for k, v in counts(demo_db).items() if k != "access_log"} == {
        k: v for k, v in before.items() if k != "access_log"
    }


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("missing.jpg", None, "FILE: no such file"),
        ("truncated.jpg", lambda: jpeg_bytes()[:-400], "truncated or damaged"),
        ("notes.jpg", lambda: b"just some text\n", "not a JPEG or PNG image"),
    ],
)
def test_a_missing_or_bad_file_exits_2_and_writes_nothing(
    run_cli: RunCli,
    demo_db: Path,
    tmp_path: Path,
    counts: Counts,
    name: str,
    make: Callable[[], bytes] | None,
    said: str,
) -> None:
    case = open_case(run_cli, demo_db)
    path = tmp_path / name if make is None else write(tmp_path, name, make())
    before = counts(demo_db)
    result = run_cli(demo_db, "photo", str(case), str(path))
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and result.stdout == ""
    assert counts(demo_db)["events"] == before["events"]


def test_a_12_mb_photo_exits_2(run_cli: RunCli, demo_db: Path, tmp_path: Path) -> None:
    case = open_case(run_cli, demo_db)
    result = run_cli(demo_db, "photo", str(case), str(large_png(tmp_path)))
    assert result.returncode == 2 and "larger than 10 MB" in result.stderr


def test_packet_default_file_is_in_the_current_folder_and_printed(
    run_cli: RunCli, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case(run_cli, demo_db)
    run_cli(demo_db, "photo", str(case), str(write(tmp_path, "c.jpg", jpeg_bytes())))
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run_cli(demo_db, "packet", str(case))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == here / f"case-{case}-packet.pdf" and path.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "with the photo" in result.stderr
    flyer = run_cli(demo_db, "--redact", "packet", str(case), "--flyer", "--format", "md")
    assert flyer.returncode == 0, flyer.stderr
    assert Path(flyer.stdout.strip()) == here / f"case-{case}-flyer-redacted.md"
    assert "photo withheld" in flyer.stderr
    assert sorted(os.listdir(here)) == sorted([path.name, f"case-{case}-flyer-redacted.md"])


def test_packet_to_a_missing_folder_exits_2(run_cli: RunCli, demo_db: Path, tmp_path: Path) -> None:
    case = open_case(run_cli, demo_db)
    result = run_cli(demo_db, "packet", str(case), "--out", str(tmp_path / "no" / "p.pdf"))
    assert result.returncode == 2 and "--out: no such folder" in result.stderr
    bad = run_cli(demo_db, "packet", str(case), "--format", "docx")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_readonly_refuses_a_photo_with_exit_4_but_writes_a_packet(
    run_cli: RunCli, demo_db: Path, tmp_path: Path, counts: Counts
) -> None:
    case = open_case(run_cli, demo_db)
    photo = write(tmp_path, "c.png", png_bytes())
    before = counts(demo_db)
    refused = run_cli(demo_db, "--readonly", "photo", str(case), str(photo))
    assert refused.returncode == 4 and "read-only" in refused.stderr
    assert counts(demo_db) == before
    out = tmp_path / "p.md"
    result = run_cli(
        demo_db, "--readonly", "packet", str(case), "--format", "md", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "# Missing from care: report packet" in out.read_text()
