"""Who the CLI acts as: SUDO_UID counts only in service-account mode, whatever the uid."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from cli.conftest import RunCli, cli_env

ME = pwd.getpwuid(os.getuid()).pw_name


def _other_account() -> pwd.struct_passwd:
    for entry in pwd.getpwall():
        if entry.pw_uid != os.getuid():
            return entry
    pytest.skip("this machine has no second account to name in SUDO_UID")


def test_sudo_uid_on_a_shared_file_does_not_change_who_acts(
    fresh_db: Path, run_cli: RunCli
) -> None:
    # Before: any account below uid 1000 (root, daemon accounts) could name anyone in SUDO_UID.
    fresh_db.chmod(0o666)
    other = _other_account()
    result = run_cli(fresh_db, "cases", "--json", env=cli_env(SUDO_UID=str(other.pw_uid)))
    assert result.returncode == 0, result.stderr


def test_sudo_uid_names_the_person_when_the_service_account_owns_the_file(
    fresh_db: Path, run_cli: RunCli
) -> None:
    fresh_db.parent.chmod(0o700)
    fresh_db.chmod(0o600)
    other = _other_account()
    result = run_cli(fresh_db, "cases", env=cli_env(SUDO_UID=str(other.pw_uid)))
    # The person sudo names is not an operator of this database, so they are refused by name.
    assert result.returncode == 4, result.stderr
    assert f"caseboard operators add {other.pw_name}" in result.stderr
