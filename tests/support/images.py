"""Generated photos for the photo and packet tests: made with Pillow, never real people."""

from __future__ import annotations

import atexit
import functools
import io
import os
import tempfile
from pathlib import Path

from PIL import Image

# EXIF tags: the GPS IFD pointer, DateTime, and the Exif IFD's DateTimeOriginal.
GPS_IFD, DATE_TIME, EXIF_IFD, DATE_TIME_ORIGINAL = 0x8825, 306, 0x8769, 36867
# A place the GPS block names (Grace Hopper's birthplace, New York): its bytes are looked for.
GPS = {1: "N", 2: (40.0, 47.0, 0.0), 3: "W", 4: (73.0, 58.0, 0.0)}


def picture(size: tuple[int, int] = (120, 160)) -> Image.Image:
    """A small picture with some structure (a gradient and a block), not one flat colour."""
    width, height = size
    image = Image.new("RGB", size, (30, 60, 90))
    pixels = image.load()
    assert pixels is not None
    for y in range(height):
        for x in range(width):
            pixels[x, y] = (x * 255 // width, y * 255 // height, 120)
    for y in range(height // 4, height // 2):
        for x in range(width // 4, width * 3 // 4):
            pixels[x, y] = (250, 220, 40)
    return image


def jpeg_bytes(*, gps: bool = False, taken: str | None = None, comment: bytes = b"") -> bytes:
    """A JPEG, with GPS EXIF, an EXIF date ('2026:10:02 10:00:00') and a comment if asked."""
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = GPS
    if taken:
        exif[DATE_TIME] = taken
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 90}
    if len(exif):
        options["exif"] = exif.tobytes()
    if comment:
        options["comment"] = comment
    picture().save(out, "JPEG", **options)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (120, 160)) -> bytes:
    """A PNG with a text chunk (metadata that must not survive)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 12 Sample Street")
    out = io.BytesIO()
    picture(size).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write bytes to a file in folder; returns its path."""
    path = folder / name
    path.write_bytes(data)
    return path


def large_png(folder: Path, megabytes: int = 12) -> Path:
    """A real PNG of noise, stored uncompressed so that it is `megabytes` MB or more."""
    side = int((megabytes * 2**20 / 3) ** 0.5) + 8
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    path = folder / "large.png"
    noise.save(path, "PNG", compress_level=0)
    return path


@functools.cache
def photo_file() -> str:
    """A small PNG in a temporary folder of this process (removed at exit), for tests that
    need a photo's path but no tmp_path of their own (a table of actions)."""
    folder = Path(tempfile.mkdtemp(prefix="caseboard-test-photo-"))
    path = write(folder, "child.png", png_bytes())

    def remove() -> None:
        path.unlink(missing_ok=True)
        folder.rmdir()

    atexit.register(remove)
    return str(path)
