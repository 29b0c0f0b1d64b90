"""The report packet and BOLO flyer as files: PDF (fpdf2) or Markdown, written atomically 0600."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from caseboard import services
from caseboard.domain.errors import BadInput, CaseboardError
from caseboard.domain.paperwork import MISSING, Paper, flyer_paper, packet_paper
from caseboard.domain.photo import current_photo
from caseboard.services.access import record_access
from caseboard.services.photos import photo_bytes
from caseboard.services.session import Session
from caseboard.store.files import write_atomically

FORMATS = ("pdf", "md")
FONTS = Path(__file__).resolve().parent.parent / "fonts"
# Typed text the PDF core fonts (Latin-1) cannot print switches the document to DejaVu Sans,
# shipped in caseboard/fonts; the core fonts are kept otherwise, as they cost nothing to embed.
CORE_FONT, UNICODE_FONT = "helvetica", "dejavu"
MISSING_RED = (176, 0, 32)


@dataclass(frozen=True)
class Written:
    """A packet or flyer written to a file."""

    path: Path
    case_id: int
    kind: str
    format: str
    has_photo: bool


def paper_for(session: Session, case_id: int, *, flyer: bool, redact: bool) -> tuple[Paper, bytes]:
    """The packet (or flyer) of a case as content, and the photo's bytes (b'' when none shown)."""
    detail = services.show_case(session, case_id)
    photo = current_photo(detail.events)
    build = flyer_paper if flyer else packet_paper
    paper = build(detail.summary, detail.events, photo, session.now(), session.zone, redact=redact)
    image = photo_bytes(session, paper.photo) if paper.photo is not None else b""
    return paper, image


# --- Markdown -----------------------------------------------------------------------------

# Characters that Markdown (or the HTML an e-mail client makes of it) would act on.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(paper: Paper) -> str:
    """The paper as Markdown for e-mail: missing fields marked in bold."""
    lines = [f"# {_md(paper.title)}", "", _md(paper.subtitle), ""]
    if paper.missing:
        lines += ["**Still missing:** " + _md(", ".join(paper.missing)), ""]
    lines += [f"**Photo:** {_md(paper.photo_note)}"]
    if paper.photo is not None:
        lines[-1] += f" (SHA-256 {paper.photo.sha256}; send the PDF for the picture)"
    for block in paper.blocks:
        lines += ["", f"## {_md(block.title)}", ""]
        for row in block.rows:
            value = _md(row.value) if row.value is not None else f"**{MISSING}**"
            lines.append(f"- {_md(row.label)}: {value}")
    lines += ["", f"_{_md(paper.footer)}_", ""]
    return "\n".join(lines)


# --- PDF ----------------------------------------------------------------------------------


def _paper_text(paper: Paper) -> str:
    parts = [paper.title, paper.subtitle, paper.photo_note, paper.footer, *paper.missing]
    for block in paper.blocks:
        parts.append(block.title)
        parts += [text for row in block.rows for text in (row.label, row.value or "")]
    return "".join(parts)


class _Pdf:
    """One document being laid out, with the font chosen for its text."""

    def __init__(self, paper: Paper) -> None:
        self.pdf = FPDF(format="letter", unit="mm")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_title(paper.title)
        self.pdf.set_creator("caseboard")
        try:
            _paper_text(paper).encode("latin-1")
            self.family = CORE_FONT
            self.glyphs: frozenset[int] | None = None
        except UnicodeEncodeError:
            self.pdf.add_font(UNICODE_FONT, "", str(FONTS / "DejaVuSans.ttf"))
            self.pdf.add_font(UNICODE_FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
            self.family = UNICODE_FONT
            self.glyphs = frozenset(getattr(self.pdf.fonts[UNICODE_FONT], "cmap", {}))
        self.pdf.add_page()

    def text(self, text: str) -> str:
        """Text the chosen font can draw: a character it has no glyph for shows as '?'."""
        if self.glyphs is None:
            return text
        glyphs = self.glyphs
        return "".join(ch if ord(ch) in glyphs or ch in "\n" else "?" for ch in text)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def line(self, text: str, size: float, *, bold: bool = False, height: float = 6) -> None:
        self.font(size, bold)
        self.rest(self.text(text), height)

    def rest(self, text: str, height: float) -> None:
        """Text from here to the right margin, then a new line; wrapped only when it must be
        (fpdf2's line breaking costs a millisecond a call, a plain cell a fraction of it)."""
        pdf = self.pdf
        room = pdf.w - pdf.r_margin - pdf.get_x()
        if "\n" not in text and pdf.get_string_width(text) < room - 2 * pdf.c_margin:
            pdf.cell(room, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(self, label: str, value: str | None, label_width: float, size: float) -> None:
        pdf = self.pdf
        self.font(size, bold=True)
        pdf.cell(label_width, 6, self.text(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
        if value is None:
            pdf.set_text_color(*MISSING_RED)
            self.font(size, bold=True)
            self.rest(MISSING, 6)
            pdf.set_text_color(0, 0, 0)
        else:
            self.font(size)
            self.rest(self.text(value), 6)


# The photo goes into a PDF at most this many pixels on its longer side: 80 mm at 300 dpi
# wants about 950. A larger photo (a 12-megapixel phone picture) or a PNG (which fpdf2
# recompresses pixel by pixel) is first shrunk to a JPEG: the stored original stays untouched.
PRINT_PIXELS = 1200


def print_copy(image: bytes) -> bytes:
    """The photo as the PDF embeds it: a JPEG of at most PRINT_PIXELS, or the bytes as they are
    when they already are one."""
    with Image.open(io.BytesIO(image)) as opened:
        if opened.format == "JPEG" and max(opened.size) <= PRINT_PIXELS:
            return image
        # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size (draft), several times faster
        # than in full; asking for half the print size leaves at most a small resize after.
        opened.draft("RGB", (PRINT_PIXELS // 2, PRINT_PIXELS // 2))
        picture = opened.convert("RGB")
    picture.thumbnail((PRINT_PIXELS, PRINT_PIXELS), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def render_pdf(paper: Paper, image: bytes) -> bytes:
    """The paper as a PDF: title, photo (when there is one), the blocks, what is missing."""
    doc = _Pdf(paper)
    pdf = doc.pdf
    flyer = paper.kind == "flyer"
    doc.line(paper.title, 20 if flyer else 15, bold=True, height=9)
    doc.line(paper.subtitle, 16 if flyer else 11, bold=flyer, height=8 if flyer else 6)
    pdf.ln(2)
    if image and paper.photo is not None:
        top = pdf.get_y()
        # Fitted into a box (mm) so that a tall photo still leaves the flyer one page.
        box_w, box_h = (80.0, 100.0) if flyer else (45.0, 60.0)
        scale = min(box_w / max(paper.photo.width, 1), box_h / max(paper.photo.height, 1))
        width, height = paper.photo.width * scale, paper.photo.height * scale
        pdf.image(io.BytesIO(print_copy(image)), x=pdf.l_margin, y=top, w=width, h=height)
        pdf.set_y(top + height + 2)
    doc.line(paper.photo_note, 9)
    if paper.missing and not flyer:
        pdf.ln(1)
        pdf.set_text_color(*MISSING_RED)
        doc.line("Still missing: " + ", ".join(paper.missing), 10, bold=True)
        pdf.set_text_color(0, 0, 0)
    for block in paper.blocks:
        pdf.ln(3)
        doc.line(block.title, 14 if flyer else 12, bold=True, height=7)
        for row in block.rows:
            doc.row(row.label, row.value, 55, 12 if flyer else 10)
    pdf.ln(4)
    doc.line(paper.footer, 8, height=4)
    return bytes(pdf.output())


# --- files --------------------------------------------------------------------------------


def default_name(case_id: int, *, flyer: bool, fmt: str, redact: bool) -> str:
    """'case-12-packet.pdf', 'case-12-flyer-redacted.md': no child's name in a file name."""
    kind = "flyer" if flyer else "packet"
    return f"case-{case_id}-{kind}{'-redacted' if redact else ''}.{fmt}"


def write_paper(
    session: Session,
    case_id: int,
    *,
    fmt: str = "pdf",
    flyer: bool = False,
    out: Path | None = None,
    redact: bool = False,
    folder: Path | None = None,
) -> Written:
    """Build and write a case's packet or flyer; `out` defaults to a name in `folder` (the
    current directory). Logged in the access log as a read of the case."""
    if fmt not in FORMATS:
        raise BadInput("--format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    kind = "flyer" if flyer else "packet"
    action = f"write {kind}"
    try:
        paper, image = paper_for(session, case_id, flyer=flyer, redact=redact)
        target = out or (folder or Path.cwd()) / default_name(
            case_id, flyer=flyer, fmt=fmt, redact=redact
        )
        data = render_pdf(paper, image) if fmt == "pdf" else render_markdown(paper).encode()
        write_atomically(target, data, mode=0o600)
    except CaseboardError as exc:
        logged = case_id if isinstance(case_id, int) and case_id > 0 else None
        record_access(session, action, f"failed: {exc.shown(redact=True)}", case_id=logged)
        raise
    record_access(session, action, "ok", case_id=case_id)
    return Written(target, case_id, kind, fmt, bool(image))
