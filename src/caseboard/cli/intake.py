"""Opening cases: `import` (a JSON file of intake records) and `intake` (one case)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from caseboard import services
from caseboard.cli.runner import Runner
from caseboard.domain.errors import BadInput
from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS

# An import file larger than this is refused before it is read: /dev/zero, or a mistaken
# file of gigabytes, would otherwise fill the memory. 100,000 demo-sized records take ~170 MB.
JSON_FILE_MAX = 256 * 1024 * 1024


def read_json_file(option: str) -> Any:
    """The JSON in file `option`; BadInput naming FILE if it cannot be read or parsed."""
    path = Path(option)
    try:
        with path.open("rb") as handle:
            data = handle.read(JSON_FILE_MAX + 1)
        if len(data) > JSON_FILE_MAX:
            raise BadInput("FILE", f"{path} is larger than {JSON_FILE_MAX // 2**20} MB")
        return json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise BadInput("FILE", f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput("FILE", f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BadInput("FILE", f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise BadInput("FILE", f"{path} nests lists or objects too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise BadInput("FILE", f"{path} is not valid JSON ({exc})") from None


def cmd_import(run: Runner) -> int:
    records = read_json_file(run.args.file)
    case_ids = services.import_records(run.session(), records)
    run.say(f"imported {len(case_ids)} case(s)")
    return 0


INTAKE_OPTIONS = {
    "learned_at": "--learned",
    "last_seen_at": "--last-seen",
    "last_seen_where": "--where",
    "placement_type": "--placement",
    "risk_factors": "--risk",
    "child_id": "--child",
}


def cmd_intake(run: Runner) -> int:
    args = run.args
    record: dict[str, Any] = {
        "name": args.name,
        "dob": args.dob,
        "age": args.age,
        "learned_at": args.learned,
        "last_seen_at": args.last_seen,
        "last_seen_where": args.where,
        "placement_type": args.placement,
        "agency": args.agency,
        "risk_factors": args.risk or [],
        "child_id": args.child,
    }
    for key in OPTIONAL_INTAKE_FIELDS:
        value = getattr(args, key, None)
        if value is not None:
            record[key] = value
    try:
        case_id = services.open_case(run.session(), record)
    except BadInput as exc:
        # Name the option the person typed, not the record field behind it.
        option = INTAKE_OPTIONS.get(exc.field, f"--{exc.field.replace('_', '-')}")
        raise BadInput(option, exc.message) from None
    run.out(str(case_id))
    run.say(f"case {case_id} opened")
    return 0
