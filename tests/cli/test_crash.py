"""The CLI's last line of defence: exit 70, one sentence, the details in the crash log."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseboard import cli
from caseboard.crashlog import crash_log_path

CHILD = "Ava Testwood"  # (a variable: the log shows source lines, and they are code)


def fail(_run: object) -> int:
    raise RuntimeError(f"could not list {CHILD!r}")


@pytest.mark.parametrize("redact", [False, True])
def test_an_internal_error_exits_70_naming_the_crash_log(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    redact: bool,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setitem(cli.COMMANDS, "cases", fail)
    flags = ["--redact"] if redact else []
    assert cli.main(["--db", str(tmp_path / "cb.db"), *flags, "cases"]) == 70
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and said.startswith("caseboard: internal error (RuntimeError")
    assert f"details in {crash_log_path()}" in said
    assert (CHILD in said) is not redact
    assert (CHILD in crash_log_path().read_text("utf-8")) is not redact
