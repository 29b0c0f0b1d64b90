"""What screens and forms use of the running board, handed to them so none reaches for the App."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from textual.dom import DOMNode
from textual.signal import Signal

from caseboard import services
from caseboard.board.model import BoardModel
from caseboard.domain.handover import Signoff
from caseboard.services import handover as handover_service

T = TypeVar("T")


@dataclass(frozen=True)
class LiveState:
    """The live loop as the header shows it: stale since the last good read (None: live),
    paused, and how many cases have changes waiting while paused."""

    stale_since: datetime | None = None
    paused: bool = False
    waiting: int = 0


class Shared(Generic[T]):
    """A value the app owns and screens show: read when a screen mounts, then followed through
    a Signal as the app changes it."""

    def __init__(self, owner: DOMNode, name: str, value: T) -> None:
        self.value = value
        self.signal: Signal[T] = Signal(owner, name)

    def set(self, value: T) -> None:
        """Change the value; subscribers hear of it only when it really changed."""
        if value == self.value:
            return
        self.value = value
        self.signal.publish(value)

    def follow(self, node: DOMNode, callback: Callable[[T], object]) -> None:
        """Call `callback` with the value now and after every change (`node` must be mounted;
        the calls stop when it is removed)."""
        callback(self.value)
        self.signal.subscribe(node, callback)


@dataclass(frozen=True)
class Context:
    """What every screen and form may use: the session, the board's clock, whether output is
    redacted, the second tick, and a way to show committed changes at once (after a save)."""

    session: services.Session
    clock: Callable[[], datetime]
    redact: bool
    ticks: Signal[datetime]
    catch_up: Callable[[], None]


@dataclass(frozen=True)
class BoardContext(Context):
    """The board screen's view of the app: the model, what changed since the operator last
    looked, the live state and the last sign-off as they change, and pausing."""

    model: BoardModel
    since_look: handover_service.Changes
    changed: Signal[None]  # live changes were applied to the model
    live: Shared[LiveState]
    signoff: Shared[Signoff | None]
    toggle_pause: Callable[[], None]
