"""Photos of the child as events tell of them: which one is current, and how to say it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseboard.domain.model import Event, effective

PHOTO_FORMATS = ("jpeg", "png")


@dataclass(frozen=True)
class PhotoRef:
    """A stored photo as its `photo` event names it (the bytes live in the photos table)."""

    event_id: int
    photo_id: int
    sha256: str
    format: str
    width: int
    height: int
    taken: date | None

    def event_data(self) -> dict[str, Any]:
        """The `photo` event's data (JSON-ready)."""
        return {
            "photo_id": self.photo_id,
            "sha256": self.sha256,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "taken": self.taken.isoformat() if self.taken else None,
        }


def _taken(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def ref_from_event(event_id: int, data: Mapping[str, Any]) -> PhotoRef | None:
    """The photo a `photo` event names; None when its data is not a photo's."""
    photo_id, sha = data.get("photo_id"), data.get("sha256")
    width, height = data.get("width"), data.get("height")
    if not (isinstance(photo_id, int) and isinstance(sha, str)):
        return None
    return PhotoRef(
        event_id=event_id,
        photo_id=photo_id,
        sha256=sha,
        format=str(data.get("format") or ""),
        width=width if isinstance(width, int) else 0,
        height=height if isinstance(height, int) else 0,
        taken=_taken(data.get("taken")),
    )


def current_photo(events: Iterable[Event]) -> PhotoRef | None:
    """The newest photo of a case's events, after corrections (a struck photo is no longer
    current; the one before it is again)."""
    photos = [event for event in effective(events) if event.type == "photo"]
    for event in reversed(photos):
        ref = ref_from_event(event.id, event.data)
        if ref is not None:
            return ref
    return None


def day_words(day: date) -> str:
    """'2 Oct 2026'."""
    return f"{day.day} {day:%b %Y}"


def photo_line(ref: PhotoRef) -> str:
    """What the detail says where it cannot draw the photo: 'photo on file, taken 2026-10-02'."""
    if ref.taken is None:
        return "photo on file, date taken not known"
    return f"photo on file, taken {ref.taken.isoformat()}"


def photo_sentence(data: Mapping[str, Any]) -> str:
    """A `photo` event for the timeline: 'Photo added, taken 2 Oct 2026'."""
    taken = _taken(data.get("taken"))
    return "Photo added, " + (f"taken {day_words(taken)}" if taken else "date taken not known")
