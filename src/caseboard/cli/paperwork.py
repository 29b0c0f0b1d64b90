"""The paperwork commands: `photo` (attach a photo) and `packet` (the report packet or flyer)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseboard.cli.parser import _case_id, _path

if TYPE_CHECKING:
    from caseboard.cli import Runner


def add_paperwork_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """`photo CASE FILE [--taken DATE]` and `packet CASE [--format] [--flyer] [--out]`."""
    photo = commands.add_parser(
        "photo", help="attach a JPEG/PNG photo (validated, metadata stripped)"
    )
    photo.add_argument("case", type=_case_id)
    photo.add_argument("file", type=_path, metavar="FILE")
    photo.add_argument(
        "--taken", metavar="DATE", help="when it was taken, YYYY-MM-DD (default: the camera's)"
    )

    packet = commands.add_parser(
        "packet", help="the report packet (or a one-page BOLO flyer) for police and NCMEC"
    )
    packet.add_argument("case", type=_case_id)
    packet.add_argument("--format", choices=("pdf", "md"), default="pdf")
    packet.add_argument("--flyer", action="store_true", help="a one-page BOLO flyer for patrol")
    packet.add_argument("--out", type=_path, metavar="FILE", help="default: case-N-packet.pdf here")


def cmd_photo(run: Runner) -> int:
    """Attach a photo; prints the event id."""
    # Imported here: Pillow is loaded only by the commands that use it.
    from caseboard.services.photos import attach_photo

    a = run.args
    result = attach_photo(run.session(), a.case, a.file, a.taken)
    run.out(str(result.event_id))
    run.say(f"photo attached to case {result.case_id} (event {result.event_id})")
    return 0


def cmd_packet(run: Runner) -> int:
    """Write the packet or flyer; says where."""
    # Imported here: fpdf2 and Pillow are loaded only by the commands that use them.
    from caseboard.services.paperwork import write_paper

    a = run.args
    written = write_paper(
        run.session(),
        a.case,
        fmt=a.format,
        flyer=a.flyer,
        out=Path(a.out) if a.out else None,
        redact=run.redact,
    )
    photo = "with the photo" if written.has_photo else "no photo"
    if run.redact:
        photo = "photo withheld"
    run.out(str(written.path))
    run.say(f"{written.kind} for case {written.case_id} written to {written.path} ({photo})")
    return 0
