"""The report packet and flyer: read back from the PDF, every filled field and the photo found."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from caseboard.domain.errors import BadInput
from caseboard.domain.paperwork import MISSING, flyer_paper, packet_paper
from caseboard.domain.photo import current_photo
from caseboard.domain.redaction import REDACTED
from caseboard.services import actions, show_case
from caseboard.services.paperwork import render_markdown, write_paper
from caseboard.services.photos import attach_photo
from support.images import jpeg_bytes, write

Board = Any  # tests/services/conftest.py's Board

PACKET = {
    "aliases": "Sammy",
    "sex": "M",
    "race": "White",
    "height": "5 ft 6",
    "weight": "130 lb",
    "hair": "Brown, short",
    "eyes": "Green",
    "marks": "Scar on left hand",
    "clothing": "Red hoodie, jeans",
    "county": "Sample County",
    "caseworker": "R. Democase",
    "caseworker_phone": "555-555-0199",
    "supervisor": "D. Leadwell",
    "last_seen_by": "Foster parent",
    "circumstances": "Left after an argument",
    "companions": "None known",
    "vehicle": "Blue bicycle",
    "phones_social": "555-555-0142",
    "destinations": "Example City bus depot",
}


# Typed values long enough to look for in a document (a one-letter sex would match anything).
TYPED = [value for value in PACKET.values() if len(value) > 2]


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> tuple[str, PdfReader]:
    reader = PdfReader(path)
    return words(" ".join(page.extract_text() for page in reader.pages)), reader


@pytest.fixture
def full_case(board: Board, tmp_path: Path) -> int:
    """The policed case with every packet field, NCIC and NCMEC numbers, a confirmed sighting
    and a photo."""
    session = board.session()
    case: int = board.cases.policed
    actions.update_packet(session, case, {**PACKET, "photo_date": "2026-09-01"})
    actions.confirm_report(session, case, "ncic", {"ref": "M260000321"})
    actions.confirm_report(session, case, "ncmec", {"ref": "1512345"})
    actions.log_sighting(
        session, case, {"at": "-30m", "where": "Sample Park gate", "confirmed": True}
    )
    photo = write(tmp_path, "child.jpg", jpeg_bytes(gps=True))
    attach_photo(session, case, str(photo), "2026-10-02")
    return case


def test_the_pdf_packet_holds_every_filled_field_and_the_photo(
    board: Board, full_case: int, tmp_path: Path
) -> None:
    session = board.session()
    out = tmp_path / "out" / "packet.pdf"
    out.parent.mkdir()
    written = write_paper(session, full_case, out=out)
    assert written.path == out and written.has_photo
    text, reader = pdf_text(out)
    detail = show_case(session, full_case)
    paper = packet_paper(
        detail.summary, detail.events, current_photo(detail.events), board.now, board.zone
    )
    for value in paper.filled_values():
        assert words(value) in text, value
    for typed in (*PACKET.values(), "Pat Policed", "26-000321", "M260000321", "1512345"):
        assert typed in text, typed
    assert "Sample Park gate" in text and "2026-10-02" in text
    # NCMEC's order: child, placement, episode, police.
    assert text.index("Full name") < text.index("Caseworker") < text.index("Circumstances")
    assert text.index("Circumstances") < text.index("NIC number")
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    with Image.open(io.BytesIO(images[0].data)) as embedded:
        assert embedded.size == (120, 160)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert os.listdir(out.parent) == ["packet.pdf"], "no temporary file is left behind"


def test_a_packet_without_a_photo_marks_what_is_missing(board: Board, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    written = write_paper(board.session(), board.cases.standard, out=out)
    assert not written.has_photo
    text, reader = pdf_text(out)
    assert "no photo attached in caseboard" in text and "Still missing:" in text
    assert text.count(MISSING) >= 10 and not any(page.images for page in reader.pages)
    markdown = tmp_path / "p.md"
    write_paper(board.session(), board.cases.standard, out=markdown, fmt="md")
    body = markdown.read_text()
    assert "**Still missing:**" in body and f"- Caseworker 24/7 phone: **{MISSING}**" in body


def test_the_flyer_is_one_page_with_photo_description_last_seen_and_contact(
    board: Board, full_case: int, tmp_path: Path
) -> None:
    out = tmp_path / "flyer.pdf"
    write_paper(board.session(), full_case, out=out, flyer=True)
    text, reader = pdf_text(out)
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1
    assert "BE ON THE LOOKOUT" in text and "Pat Policed, age 16" in text
    for key in ("sex", "height", "weight", "hair", "eyes", "marks", "clothing"):
        assert PACKET[key] in text, key
    # The confirmed sighting is newer than last seen: the flyer says where that was.
    assert "Last confirmed sighting" in text and "Sample Park gate" in text
    assert "555-555-0199" in text and "Fictional County DCFS" in text


def test_typed_text_beyond_latin_1_is_printed_with_the_bundled_font(
    board: Board, tmp_path: Path
) -> None:
    session = board.session()
    case = board.cases.standard
    actions.update_packet(session, case, {"aliases": "Nguyễn Ōtani", "marks": "Шрам"})
    out = tmp_path / "u.pdf"
    write_paper(session, case, out=out)
    text, reader = pdf_text(out)
    assert "Nguyễn Ōtani" in text and "Шрам" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]  # type: ignore[index]
    assert any("DejaVu" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


def test_markdown_is_inert_for_mail_clients(board: Board, tmp_path: Path) -> None:
    session = board.session()
    actions.update_packet(
        session, board.cases.standard, {"marks": "[click](http://x.test) <b>bold</b> *star*"}
    )
    out = tmp_path / "p.md"
    write_paper(session, board.cases.standard, out=out, fmt="md")
    body = out.read_text()
    assert r"\[click\](http://x.test) \<b\>bold\</b\> \*star\*" in body


def test_redaction_covers_packet_and_flyer_in_both_formats(
    board: Board, full_case: int, tmp_path: Path
) -> None:
    session = board.session()
    for flyer in (False, True):
        for fmt in ("pdf", "md"):
            out = tmp_path / f"{flyer}.{fmt}"
            written = write_paper(session, full_case, out=out, fmt=fmt, flyer=flyer, redact=True)
            assert not written.has_photo
            if fmt == "pdf":
                text, reader = pdf_text(out)
                assert not any(page.images for page in reader.pages)
            else:
                text = words(out.read_text()).replace("\\", "")
            assert "P.P." in text and "photo withheld" in text, (flyer, fmt)
            for typed in (*TYPED, "Pat Policed", "26-000321", "M260000321", "1512345"):
                assert typed not in text, (flyer, fmt, typed)
            assert "Sample Park gate" not in text and "Sample Foster Home" not in text
            assert REDACTED in text
            # What the allowlist keeps: the agency, the placement type, times.
            assert "Fictional County DCFS" in text


def test_the_redacted_paper_model_holds_no_typed_value(board: Board, full_case: int) -> None:
    detail = show_case(board.session(), full_case)
    photo = current_photo(detail.events)
    for build in (packet_paper, flyer_paper):
        paper = build(detail.summary, detail.events, photo, board.now, board.zone, redact=True)
        assert paper.photo is None
        shown = " ".join(paper.filled_values()) + paper.subtitle + render_markdown(paper)
        for typed in TYPED:
            assert typed not in shown


def test_bad_case_format_and_folder_write_nothing(board: Board, tmp_path: Path) -> None:
    session = board.session()
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(BadInput, match="no case 999"):
        write_paper(session, 999, out=tmp_path / "x.pdf")
    with pytest.raises(BadInput, match="--format"):
        write_paper(session, board.cases.standard, out=tmp_path / "x.txt", fmt="txt")
    with pytest.raises(BadInput, match="no such folder"):
        write_paper(session, board.cases.standard, out=tmp_path / "nope" / "x.pdf")
    with pytest.raises(BadInput, match="is a folder"):
        write_paper(session, board.cases.standard, out=tmp_path)
    assert os.listdir(tmp_path) == []


def test_the_default_name_is_in_the_given_folder_and_names_no_child(
    board: Board, tmp_path: Path
) -> None:
    case = board.cases.standard
    written = write_paper(board.session(), case, folder=tmp_path, flyer=True, redact=True)
    assert written.path == tmp_path / f"case-{case}-flyer-redacted.pdf"
    assert written.path.exists()


def test_writing_a_packet_is_in_the_access_log(board: Board, tmp_path: Path) -> None:
    session = board.session()
    write_paper(session, board.cases.standard, out=tmp_path / "p.pdf")
    rows = list(
        board.reader.db.query(
            "SELECT action, outcome, case_id FROM access_log WHERE action LIKE 'write%'"
        )
    )
    assert rows == [{"action": "write packet", "outcome": "ok", "case_id": board.cases.standard}]
