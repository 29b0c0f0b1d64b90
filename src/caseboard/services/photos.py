"""Attaching a photo of the child: read, prove it is a JPEG or PNG, strip it, store it."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from caseboard.domain import validate as v
from caseboard.domain.errors import BadInput, Damaged
from caseboard.domain.photo import PhotoRef
from caseboard.domain.vocab import EventType
from caseboard.services.actions import Recorded, _case, _not_closed
from caseboard.services.session import Session
from caseboard.store import photos as photo_store
from caseboard.store.files import read_at_most

# Pillow's names for the formats accepted, and how they are stored.
FORMATS = {"JPEG": "jpeg", "PNG": "png"}
# Re-encoding a JPEG loses a little each time; 90 keeps a face recognisable on a flyer.
JPEG_QUALITY = 90
# EXIF tags that say when a picture was taken: DateTimeOriginal (in the Exif IFD), DateTime.
EXIF_IFD, DATE_TIME_ORIGINAL, DATE_TIME = 0x8769, 36867, 306


@dataclass(frozen=True)
class CleanPhoto:
    """An image decoded, re-encoded without its metadata, and hashed."""

    format: str
    data: bytes
    width: int
    height: int
    sha256: str
    exif_date: date | None


def read_photo_file(path: str, max_bytes: int) -> bytes:
    """The file's bytes; refused before reading when it is larger than the policy allows."""
    limit_mb = max_bytes / 2**20
    data = read_at_most(Path(path), max_bytes, "FILE")
    if len(data) > max_bytes:
        raise BadInput("FILE", f"{path} is larger than {limit_mb:g} MB (the policy's limit)")
    if not data:
        raise BadInput("FILE", f"{path} is empty")
    return data


def clean_photo(data: bytes, max_pixels: int, name: str = "FILE") -> CleanPhoto:
    """Decode the whole image (proving it is one) and re-encode it without EXIF (GPS
    included), comments or text chunks; the picture is turned upright first, since the
    orientation tag goes with the rest."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = FORMATS.get(str(image.format))
            if kind is None:
                raise BadInput(name, f"is a {image.format} image; expected a JPEG or PNG photo")
            if image.width * image.height > max_pixels:
                raise BadInput(
                    name,
                    f"is {image.width}x{image.height} pixels, more than the policy's"
                    f" {max_pixels / 1e6:g} million",
                )
            image.load()
            exif_date = _exif_date(image)
            upright = ImageOps.exif_transpose(image)
    except UnidentifiedImageError:
        raise BadInput(name, "is not a JPEG or PNG image") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadInput(name, f"holds more than {max_pixels / 1e6:g} million pixels") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadInput(
            name, f"is not a whole JPEG or PNG image (truncated or damaged: {exc})"
        ) from None
    return _encode(upright, kind, exif_date)


def _encode(image: Image.Image, kind: str, exif_date: date | None) -> CleanPhoto:
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif kind == "png" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    # Only what is passed to save() is written, except what Pillow carries over from info
    # (a JPEG comment, an ICC profile, PNG text): so nothing is left there.
    image.info.clear()
    out = io.BytesIO()
    if kind == "jpeg":
        image.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        image.save(out, "PNG")
    data = out.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    return CleanPhoto(kind, data, image.width, image.height, digest, exif_date)


def _exif_date(image: Image.Image) -> date | None:
    """When the camera says the picture was taken, if it does (a malformed tag: None)."""
    try:
        exif = image.getexif()
        text = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)
        if not isinstance(text, str):
            return None
        return datetime.strptime(text.strip()[:10], "%Y:%m:%d").date()  # noqa: DTZ007 (a day)
    except Exception:  # EXIF is the camera's say-so: anything unreadable is simply not used
        return None


def attach_photo(session: Session, case_id: int, path: str, taken: str | None = None) -> Recorded:
    """Attach a photo to a case: one photos row and one `photo` event, in one transaction.

    The date taken is `taken` (YYYY-MM-DD, or with slashes in the policy's order) if given,
    else the camera's EXIF date if it is not in the future, else not known.
    """
    v.identifier(case_id, "CASE", "case id")
    now = session.now()
    today = now.astimezone(session.zone).date()
    day = v.past_date(
        {"taken": taken}, "taken", "--taken", today, day_first=session.policy.day_first
    )
    policy = session.policy
    clean = clean_photo(read_photo_file(path, policy.photo_max_bytes), policy.photo_max_pixels)
    if day is None and clean.exif_date is not None and clean.exif_date <= today:
        day = clean.exif_date
    with session.writing("photo") as tx:
        _not_closed(session, _case(tx, case_id))
        size = (clean.width, clean.height)
        photo_id = photo_store.add_photo(tx, case_id, clean.sha256, clean.format, size, clean.data)
        ref = PhotoRef(0, photo_id, clean.sha256, clean.format, clean.width, clean.height, day)
        return Recorded(tx.append(case_id, EventType.PHOTO, now, ref.event_data()), case_id)


def photo_bytes(session: Session, ref: PhotoRef) -> bytes:
    """The stored bytes of a photo, checked against the SHA-256 its event recorded."""
    with session.reading():
        stored = photo_store.photo(session.db, ref.photo_id)
    if stored is None:
        raise Damaged(f"photo {ref.photo_id} of event {ref.event_id} is not in the database")
    if hashlib.sha256(stored.data).hexdigest() != ref.sha256:
        raise Damaged(f"photo {ref.photo_id} does not match the SHA-256 its event recorded")
    return stored.data
