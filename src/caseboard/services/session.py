"""One operator's session: the database, policy, zone and clock, and the write path's door."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sqlite_utils import Database

from caseboard.domain.errors import Unavailable
from caseboard.domain.policy import Policy
from caseboard.domain.roles import Action
from caseboard.domain.timeparse import parse_time
from caseboard.store.connection import translate_errors
from caseboard.store.files import FileId, file_identity
from caseboard.store.writer import Actor, WriteSession, write


@dataclass
class Session:
    """One operator's connection to one database, with the policy, zone and clock in force."""

    db: Database
    path: Path
    actor: Actor
    policy: Policy
    zone: tzinfo
    clock: Callable[[], datetime]
    role: str | None = None
    # Which file the connection has open (device, inode): a file restored over the path while
    # caseboard runs is another file, and writing to the old one would be lost.
    file_id: FileId | None = None

    def __post_init__(self) -> None:
        if self.file_id is None:
            self.file_id = file_identity(self.path)

    def now(self) -> datetime:
        """The injected clock's reading."""
        return self.clock()

    def typed_time(self, text: str, field: str) -> datetime:
        """A time as an operator typed it (display zone, the policy's date order), in UTC."""
        policy = self.policy
        return parse_time(
            text, self.now(), self.zone, field=field, max_future=policy.max_future,
            day_first=policy.day_first,
        )  # fmt: skip

    def reading(self) -> AbstractContextManager[None]:
        """Database errors during a read, as one clear Unavailable sentence."""
        return translate_errors(self.path)

    def writing(
        self, action: Action | str, *, bootstrap: bool = False
    ) -> AbstractContextManager[WriteSession]:
        """The write path for an action, refused to roles the action's rule leaves out."""
        if self.file_id is not None and file_identity(self.path) != self.file_id:
            raise Unavailable(
                f"the database file {self.path} was replaced while caseboard had it open;"
                " nothing was written: close every caseboard using it and start again"
            )
        return write(self.db, self.path, self.actor, action, self.now(), bootstrap=bootstrap)
