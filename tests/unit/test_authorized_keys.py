"""authorized_keys lines: one key bound to one operator by a forced command, read back exactly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from caseboard.domain.authorized_keys import (
    PublicKey,
    bound_key,
    check_operator_name,
    fingerprint,
    forced_command,
    key_line,
    parse_public_key,
)
from caseboard.domain.errors import BadInput

# A real ed25519 public key (made once with ssh-keygen; no private half exists anywhere).
ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuJ+7A2pLgCy/jf+EPUOscKivOmYBVaOaj4LBjMaoDw liz@laptop"
)
ED25519_FINGERPRINT = "SHA256:tdiZOOcQMAHTRRpyqIrM/ptuTkDlGmU79Twuovf4LfI"


def test_a_public_key_is_read_without_its_comment() -> None:
    key = parse_public_key(ED25519 + "\n")
    assert key.kind == "ssh-ed25519" and key.body.startswith("AAAAC3")
    assert fingerprint(key) == ED25519_FINGERPRINT


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
def test_the_fingerprint_is_what_ssh_keygen_prints(tmp_path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "k")], check=True
    )
    printed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(tmp_path / "k.pub")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert fingerprint(parse_public_key((tmp_path / "k.pub").read_text())) == printed


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "found no key"),
        (ED25519 + "\n" + ED25519, "found 2 lines"),
        ('command="sh" ' + ED25519, "not an SSH public key"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
            "private key",
        ),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
        ("ssh-ed25519 not*base64", "damaged"),
        ("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIIuJ+7A2pLgCy/jf+EPUOscKivOmYBVaOaj4LBjMaoDw", "body is"),
        ("ssh-dss AAAA", "not an SSH public key"),
    ],
)
def test_anything_but_one_public_key_is_refused(text: str, says: str) -> None:
    with pytest.raises(BadInput, match=says) as caught:
        parse_public_key(text)
    assert caught.value.field == "PUBKEY_FILE"


@pytest.mark.parametrize("name", ["", "a b", "x;id", "$(id)", "a\nb", "ü", "-rf", "a" * 65])
def test_operator_names_that_need_quoting_are_refused(name: str) -> None:
    with pytest.raises(BadInput):
        check_operator_name(name)


def test_a_line_binds_the_key_to_the_operator_and_reads_back() -> None:
    key = parse_public_key(ED25519)
    line = key_line("/opt/caseboard/bin/caseboard", "/srv/caseboard/cb.db", "liz", key)
    assert line.startswith('restrict,pty,command="/opt/caseboard/bin/caseboard --db ')
    assert line.endswith(" caseboard:liz")
    bound = bound_key(line)
    assert bound is not None and bound.operator == "liz" and bound.key == key


def test_quotes_and_spaces_in_paths_stay_inside_the_forced_command() -> None:
    key = parse_public_key(ED25519)
    program = '/opt/case "board"/bin/caseboard'
    line = key_line(program, "/srv/my data/cb.db", "liz", key)
    bound = bound_key(line)
    assert bound is not None and bound.operator == "liz"
    assert forced_command(program, "/srv/my data/cb.db", "liz").endswith(
        "--db '/srv/my data/cb.db' ssh-shell liz"
    )
    assert '\\"board\\"' in line


@pytest.mark.parametrize(
    "line",
    [
        ED25519,
        "# a comment",
        "",
        'command="/bin/sh" ' + ED25519,
        'restrict,pty,command="x" ssh-ed25519 AAAA caseboard:bad name',
        'restrict,pty,command="x" ssh-ed25519 AAAA someone-else',
    ],
)
def test_lines_caseboard_did_not_write_are_not_its(line: str) -> None:
    assert bound_key(line) is None


def test_public_key_text() -> None:
    assert PublicKey("ssh-ed25519", "AAAA").text() == "ssh-ed25519 AAAA"
