"""The paperwork commands: `photo` (attach a photo) and `packet` (the report packet or flyer)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseboard.cli.runner import Runner


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
