"""The crash log: where it is, what it holds (never locals; under --redact no messages)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from caseboard.crashlog import crash_log_path, crash_sentence, format_crash, record_crash

# Typed text reaches exceptions as data (the log shows source lines, and they are code).
CHILD, PLACE = "Ava Testwood", "Demo Mall"


def chained() -> Exception:
    try:
        try:
            empty: dict[str, str] = {}
            empty[CHILD]
        except KeyError as exc:
            raise ValueError(f"bad age for {CHILD}") from exc
    except ValueError:
        try:
            raise RuntimeError(f"while saving {PLACE!r}")
        except RuntimeError as final:
            return final
    raise AssertionError("unreachable")


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def test_without_redact_the_whole_chain_is_written_with_messages() -> None:
    text = format_crash(chained(), redact=False)
    assert "KeyError: 'Ava Testwood'" in text
    assert "ValueError: bad age for Ava Testwood" in text
    assert "RuntimeError: while saving 'Demo Mall'" in text


def test_under_redact_only_types_and_frames_are_written() -> None:
    text = format_crash(chained(), redact=True)
    assert CHILD not in text and PLACE not in text
    for name in ("KeyError", "ValueError", "RuntimeError"):
        assert f"{name} (message withheld under --redact)" in text
    assert text.count("Traceback (most recent call last):") == 3
    assert "in chained" in text  # the frames


def test_record_appends_to_a_private_file_in_the_user_log_folder(state_home: Path) -> None:
    first = record_crash(RuntimeError("one"), redact=False, where="board")
    second = record_crash(RuntimeError("two"), redact=False)
    assert first == second == crash_log_path() == state_home / "caseboard" / "log" / "crash.log"
    text = first.read_text("utf-8")
    assert "(board)" in text and "RuntimeError: one" in text and "RuntimeError: two" in text
    assert os.stat(first).st_mode & 0o077 == 0


def test_a_log_that_cannot_be_written_is_not_named(state_home: Path) -> None:
    state_home.parent.mkdir(parents=True, exist_ok=True)
    state_home.write_text("a file where the folder should be")
    exc = RuntimeError("x")
    assert record_crash(exc, redact=False) is None
    assert crash_sentence(exc, None, redact=False, what="internal error") == (
        "caseboard: internal error (RuntimeError: x)"
    )


def test_the_sentence_is_one_clean_line_and_hides_the_message_under_redact() -> None:
    exc = RuntimeError("Eve\x1b]0;pwned\x07\nsecond line " + "x" * 500)
    log = Path("/tmp/crash.log")
    plain = crash_sentence(exc, log, redact=False, what="internal error")
    assert "\x1b" not in plain and "\n" not in plain and len(plain) < 300
    assert plain.startswith("caseboard: internal error (RuntimeError: Eve␛]0;pwned␇ second line x")
    assert plain.endswith(f"; details in {log}")
    redacted = crash_sentence(exc, log, redact=True, what="internal error")
    assert redacted == f"caseboard: internal error (RuntimeError); details in {log}"
