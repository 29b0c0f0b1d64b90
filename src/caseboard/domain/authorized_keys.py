"""OpenSSH authorized_keys lines that bind one public key to one caseboard operator.

Each line caseboard writes forces one command and allows nothing else, the way gitolite does:

    restrict,pty,command="PROGRAM --db DB ssh-shell alice" ssh-ed25519 AAAA... caseboard:alice

`restrict` turns off forwarding of ports, agents and X11 and the user's rc file; `pty` gives back
the terminal the board needs. The comment tags the line with its operator; lines without such a
tag are someone else's and are kept exactly as they were.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import shlex
import struct
from dataclasses import dataclass

from caseboard.domain.errors import BadInput

TAG = "caseboard:"
KEY_TYPES = frozenset(
    {
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)  # fmt: skip
# Operator names that need no quoting anywhere: they go into a forced command line.
OPERATOR_NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,63}", re.IGNORECASE)


@dataclass(frozen=True)
class PublicKey:
    """An SSH public key: its type and base64 body (options and comment are not kept)."""

    kind: str
    body: str

    def text(self) -> str:
        """'ssh-ed25519 AAAA...'."""
        return f"{self.kind} {self.body}"


@dataclass(frozen=True)
class BoundKey:
    """A line of ours: the operator, the key, and the fingerprint caseboard recorded."""

    operator: str
    key: PublicKey
    line: str


def check_operator_name(operator: str, field: str = "OPERATOR") -> str:
    """An operator name safe to put in a forced command."""
    if not OPERATOR_NAME.fullmatch(operator):
        raise BadInput(
            field,
            f"{operator!r} cannot be bound to a key: use letters, digits, '.', '_' or '-'"
            " (an OS account name)",
        )
    return operator


def parse_public_key(text: str, field: str = "PUBKEY_FILE") -> PublicKey:
    """The one public key in a .pub file's text; options in front of it are refused."""
    if "PRIVATE KEY" in text:
        raise BadInput(field, "this is a private key; give the .pub file")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    if len(lines) != 1:
        found = "no key" if not lines else f"{len(lines)} lines"
        raise BadInput(field, f"expected exactly one SSH public key line, found {found}")
    parts = lines[0].split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        raise BadInput(field, "not an SSH public key ('ssh-ed25519 AAAA... comment')")
    kind, body = parts[0], parts[1]
    try:
        blob = base64.b64decode(body, validate=True)
        (length,) = struct.unpack(">I", blob[:4])
        embedded = blob[4 : 4 + length].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError):
        raise BadInput(field, "the key's base64 body is damaged") from None
    if embedded != kind:
        raise BadInput(field, f"the key says it is {kind} but its body is {embedded!r}")
    return PublicKey(kind, body)


def forced_command(program: str, database: str, operator: str) -> str:
    """The command sshd runs for this operator's key, whatever the client asked for."""
    return f"{program} --db {shlex.quote(database)} ssh-shell {shlex.quote(operator)}"


def key_line(program: str, database: str, operator: str, key: PublicKey) -> str:
    """One authorized_keys line binding `key` to `operator`."""
    command = forced_command(program, database, operator)
    # Inside the quoted option only a double quote and a backslash need escaping.
    quoted = command.replace("\\", "\\\\").replace('"', '\\"')
    return f'restrict,pty,command="{quoted}" {key.text()} {TAG}{operator}'


def bound_key(line: str) -> BoundKey | None:
    """The operator and key of a line caseboard wrote; None for any other line."""
    stripped = line.strip()
    if not stripped.startswith("restrict,pty,command=") or TAG not in stripped:
        return None
    # The options end at the first space outside double quotes.
    inside = False
    escaped = False
    for index, char in enumerate(stripped):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
        elif char == " " and not inside:
            rest = stripped[index + 1 :].split()
            break
    else:
        return None
    if len(rest) != 3 or rest[0] not in KEY_TYPES or not rest[2].startswith(TAG):
        return None
    operator = rest[2][len(TAG) :]
    if not OPERATOR_NAME.fullmatch(operator):
        return None
    return BoundKey(operator, PublicKey(rest[0], rest[1]), line)


def fingerprint(key: PublicKey) -> str:
    """'SHA256:…' as `ssh-keygen -l` prints it: unpadded base64 of the key blob's SHA-256."""
    digest = hashlib.sha256(base64.b64decode(key.body)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")
