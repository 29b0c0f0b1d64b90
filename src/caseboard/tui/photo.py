"""The child's photo on the case detail, the form that attaches one, and the paperwork keys.

The photo is drawn by textual-image: Kitty graphics where the terminal says it is Kitty,
Sixel where it says it is one known to draw Sixel, Unicode half-blocks otherwise (they work
over plain SSH). The terminal says so in its environment (TERM, TERM_PROGRAM, KITTY_WINDOW_ID):
it is never asked. textual-image asks it by itself when first imported (two escape sequences,
0.1 s each, reading stdin for the answers, so a key typed then can be lost or read as an
answer); caseboard imports it only when a photo is first drawn, with its asking turned off.
It is decoded once per photo (by SHA-256) into a small thumbnail, so a repaint costs what a
text repaint does.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, NoReturn

from PIL import Image as PILImage
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from caseboard import services
from caseboard.domain.errors import CaseboardError
from caseboard.domain.photo import PhotoRef, current_photo, photo_line
from caseboard.services.paperwork import write_paper
from caseboard.services.photos import attach_photo, photo_bytes
from caseboard.tui.case_actions import CaseActionsScreen
from caseboard.tui.forms.base import FormScreen, Saved, saved
from caseboard.tui.forms.fields import DateField, Field, text_input
from caseboard.tui.keys import ACTION_KEYS, PAPER_KEYS

# Which textual-image widget draws photos: None chooses it from the environment when a photo
# is first drawn (image_widget()); tests pin one.
IMAGE_WIDGET: Callable[..., Widget] | None = None
# Terminals that draw Sixel and say who they are in TERM or TERM_PROGRAM (textual-image's notes:
# WezTerm and Konsole draw its Sixel, not its Kitty placements).
SIXEL_TERMS = frozenset({"foot", "foot-extra", "mlterm", "contour", "yaft-256color"})
SIXEL_PROGRAMS = frozenset({"WezTerm", "konsole", "mlterm", "contour"})
# Thumbnails are this many pixels on their longer side: enough for 24 cells of Sixel or Kitty
# graphics, and a half-block repaint scales no more than this.
THUMBNAIL_PIXELS = 320
PHOTO_CELLS = 24
_CACHE_SIZE = 8
_thumbnails: OrderedDict[str, PILImage.Image] = OrderedDict()


def thumbnail(sha256: str, data: bytes) -> PILImage.Image:
    """The photo decoded and shrunk once, kept by SHA-256 (the last few photos shown)."""
    found = _thumbnails.get(sha256)
    if found is not None:
        _thumbnails.move_to_end(sha256)
        return found
    with PILImage.open(io.BytesIO(data)) as opened:
        # A JPEG decodes straight at a fraction of its size: a 12-megapixel one several times
        # faster than in full.
        opened.draft("RGB", (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        image = opened.convert("RGB")
    image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
    _thumbnails[sha256] = image
    while len(_thumbnails) > _CACHE_SIZE:
        _thumbnails.popitem(last=False)
    return image


def graphics(environ: Mapping[str, str]) -> str:
    """'kitty', 'sixel' or 'halfcell': what the terminal's environment says it can draw."""
    term = environ.get("TERM", "")
    if term == "xterm-kitty" or "KITTY_WINDOW_ID" in environ:
        return "kitty"
    if term in SIXEL_TERMS or environ.get("TERM_PROGRAM", "") in SIXEL_PROGRAMS:
        return "sixel"
    return "halfcell"


def _not_asked(*_args: object, **_kwargs: object) -> NoReturn:
    from textual_image._terminal import TerminalError

    raise TerminalError("caseboard does not ask the terminal (see caseboard.tui.photo)")


@contextmanager
def _terminal_not_asked() -> Iterator[None]:
    """While textual-image is first imported, its one way of asking the terminal fails at
    once: its Sixel and Kitty checks then say no and its cell size comes from the ioctl (or
    its default), with nothing written to the terminal and nothing read from stdin. There is
    no public switch for it; its modules bind the function when imported, so it stays off."""
    if "textual_image.renderable" in sys.modules:
        yield  # imported already (by a test, with no terminal): there is nothing left to ask
        return
    import textual_image._terminal as terminal

    asking = terminal.capture_terminal_response
    terminal.capture_terminal_response = _not_asked
    try:
        yield
    finally:
        terminal.capture_terminal_response = asking


@functools.cache
def image_widget() -> Callable[..., Widget]:
    """The textual-image widget for this terminal, imported (without asking the terminal)
    when a photo is first drawn."""
    with _terminal_not_asked():
        # Here, not at the top: most boards never draw a photo, and importing it is not free.
        from textual_image import widget
    kinds: dict[str, Callable[..., Widget]] = {
        "kitty": widget.TGPImage,
        "sixel": widget.SixelImage,
        "halfcell": widget.HalfcellImage,
    }
    return kinds[graphics(os.environ)]


class PhotoPanel(Vertical):
    """The current photo and the line 'photo on file, taken 2026-10-02'; nothing at all when
    the case has no photo. Under --redact the photo is never drawn, only the line."""

    DEFAULT_CSS: ClassVar[str] = """
    PhotoPanel { dock: right; width: 26; height: auto; padding: 0 0 0 2; }
    PhotoPanel.-empty { display: none; }
    PhotoPanel > .photo-image { width: 24; height: auto; }
    """

    def __init__(self, session: services.Session, detail: services.CaseDetail, redact: bool):
        super().__init__(id="detail-photo")
        self.session = session
        self.redact = redact
        self.ref: PhotoRef | None = current_photo(detail.events)

    def compose(self) -> ComposeResult:
        """The image (when it can be drawn), then the line."""
        yield from self._parts()

    def _parts(self) -> Iterable[Widget]:
        self.set_class(self.ref is None, "-empty")
        if self.ref is None:
            return
        line = photo_line(self.ref)
        if not self.redact:
            try:
                image = thumbnail(self.ref.sha256, photo_bytes(self.session, self.ref))
            except (CaseboardError, OSError, ValueError) as exc:
                line += f" (cannot be drawn: {exc})"
            else:
                draw = IMAGE_WIDGET or image_widget()
                yield draw(image, classes="photo-image")
        else:
            line += " (not shown: --redact)"
        yield Static(Text(line), classes="photo-line", markup=False)

    def show_case(self, detail: services.CaseDetail) -> None:
        """Follow a change of the case: redrawn only when its current photo changed."""
        ref = current_photo(detail.events)
        if ref != self.ref:
            self.ref = ref
            self.call_later(self._redraw)

    async def _redraw(self) -> None:
        await self.remove_children()
        await self.mount_all(list(self._parts()))


class PhotoForm(FormScreen):
    """p: attach a photo of the child from a file (JPEG or PNG)."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("file",)
    FORM_TITLE: ClassVar[str] = "Attach a photo"
    ALIASES: ClassVar[dict[str, str]] = {"FILE": "file", "CASE": "file"}

    def fields(self) -> Iterable[Widget]:
        """The file's path and, optionally, when it was taken."""
        yield Field(
            "file",
            "File *",
            text_input(placeholder="path of a JPEG or PNG, e.g. ~/photos/child.jpg"),
            hint=f"at most {self.session.policy.photo_max_bytes / 2**20:g} MB;"
            " location and camera details are removed",
        )
        day_first = self.session.policy.day_first
        yield DateField("taken", "Taken", day_first=day_first, extra=" (default: the camera's)")

    def save(self) -> Saved:
        """services.photos.attach_photo."""
        path = str(Path(str(self.value("file")).strip()).expanduser())
        taken = str(self.value("taken") or "").strip() or None
        record = attach_photo(self.session, self.case_id, path, taken)
        return saved("photo attached", [record])


def write_paperwork(session: services.Session, case_id: int, *, flyer: bool, redact: bool) -> str:
    """Write the packet (or flyer) as a PDF in the current folder; what to tell the operator."""
    written = write_paper(session, case_id, flyer=flyer, redact=redact)
    what = "BOLO flyer" if flyer else "Report packet"
    return f"{what} for case {case_id} written to {written.path}"


class PaperworkScreen(CaseActionsScreen):
    """A case screen with the paperwork keys: attach a photo, write the packet or flyer."""

    BINDINGS: ClassVar[list[BindingType]] = list(PAPER_KEYS)
    CASE_ACTION_KEYS: ClassVar[tuple[Binding, ...]] = (*ACTION_KEYS, *PAPER_KEYS)

    def action_attach_photo(self) -> None:
        """Attach a photo of the child (a JPEG or PNG file)."""
        self.open_form(PhotoForm)  # refused with a reason before this (CASE_ACTION_KEYS)

    def action_write_packet(self) -> None:
        """Write the report packet as a PDF in the current folder and say where."""
        self._write(flyer=False)

    def action_write_flyer(self) -> None:
        """Write the one-page BOLO flyer as a PDF in the current folder and say where."""
        self._write(flyer=True)

    def _write(self, *, flyer: bool) -> None:
        case_id = self.current_case()
        if case_id is None:
            return
        context = self.context
        try:
            said = write_paperwork(context.session, case_id, flyer=flyer, redact=context.redact)
        except CaseboardError as exc:
            self.notify(
                exc.shown(context.redact), title="Not written", severity="error", markup=False
            )
            return
        self.notify(said, title="Written", markup=False, timeout=15)
