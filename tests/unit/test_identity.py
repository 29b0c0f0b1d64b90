"""Identity: SUDO_UID names the operator only in service-account mode, never by uid range."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from caseboard.identity import os_username, service_account_owns

ME = pwd.getpwuid(os.getuid()).pw_name


def _other_account() -> pwd.struct_passwd:
    for entry in pwd.getpwall():
        if entry.pw_uid != os.getuid():
            return entry
    pytest.skip("this machine has no second account to name in SUDO_UID")


@pytest.fixture
def private_db(tmp_path: Path) -> Path:
    """A database file owned by this account that nobody else can write (service-account mode)."""
    tmp_path.chmod(0o700)
    db = tmp_path / "caseboard.db"
    db.write_bytes(b"")
    db.chmod(0o600)
    return db


def test_sudo_uid_names_the_person_in_service_account_mode(
    private_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _other_account()
    monkeypatch.setenv("SUDO_UID", str(other.pw_uid))
    assert service_account_owns(private_db)
    assert os_username(private_db) == other.pw_name


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o660, 0o666])
def test_sudo_uid_is_ignored_when_others_can_write_the_file(
    private_db: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    private_db.chmod(mode)
    monkeypatch.setenv("SUDO_UID", str(_other_account().pw_uid))
    assert not service_account_owns(private_db)
    assert os_username(private_db) == ME


def test_sudo_uid_is_ignored_for_a_file_this_account_does_not_own(
    private_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _other_account()
    monkeypatch.setenv("SUDO_UID", str(other.pw_uid))
    # Judged as if another account ran the process: the file is not theirs.
    assert not service_account_owns(private_db, uid=other.pw_uid)
    if os.getuid() == 0:
        os.chown(private_db, other.pw_uid, -1)
        assert os_username(private_db) == ME


def test_a_new_file_is_judged_by_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _other_account()
    monkeypatch.setenv("SUDO_UID", str(other.pw_uid))
    tmp_path.chmod(0o700)
    assert os_username(tmp_path / "new.db") == other.pw_name
    tmp_path.chmod(0o2770)
    assert os_username(tmp_path / "new.db") == ME


@pytest.mark.parametrize("value", ["", "abc", "٣", "99999999999999999999999", "-1"])
def test_odd_sudo_uid_values_fall_back_to_the_process_account(
    private_db: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SUDO_UID", value)
    assert os_username(private_db) == ME


def test_without_a_database_path_sudo_uid_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUDO_UID", str(_other_account().pw_uid))
    assert os_username() == ME
