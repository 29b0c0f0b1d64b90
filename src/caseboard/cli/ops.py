"""Running it 24/7: `replicate` (Litestream in the foreground), `restore` and `doctor`."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

from caseboard.cli.runner import Runner, system_zone
from caseboard.domain.display import local
from caseboard.domain.textsafe import json_text
from caseboard.domain.timefmt import to_iso
from caseboard.domain.timeparse import parse_time
from caseboard.services import doctor as doctor_service
from caseboard.services import replica as replica_service

# docs/cli.md: `doctor` exits 1 when a check failed, as `verify` does for a problem.
EXIT_PROBLEM = 1
# TZ values that mean UTC on purpose (the C library's names for it).
UTC_NAMES = {"UTC", "UTC0", "GMT", "GMT0", "ZULU", "UNIVERSAL", "ETC/UTC", "ETC/GMT"}


def cmd_replicate(run: Runner) -> int:
    """Become Litestream, streaming the database to --to until stopped (systemd's job)."""
    args = run.args
    run.say(
        f"replicating {run.path} to {args.to} every {args.sync_interval:g} s with Litestream"
        " (stop with SIGTERM or Ctrl-C)"
    )
    replica_service.replicate(run.path, args.to, args.sync_interval)


def cmd_restore(run: Runner) -> int:
    """A new database DEST from the replica, verified before it is written."""
    args = run.args
    now = run.clock()
    at = None
    if args.at is not None:
        at = parse_time(
            args.at,
            now,
            run.zone,
            field="--at",
            max_future=run.policy.max_future,
            day_first=run.policy.day_first,
        )
    result = replica_service.restore(
        args.source, Path(args.dest), at, run.actor, run.policy, run.zone, run.clock
    )
    report = result.report
    when = f" as of {local(at, run.zone)}" if at is not None else ""
    if not result.written:
        run.out("\n".join(f"PROBLEM {problem.line()}" for problem in report.problems))
        run.say(
            f"the copy restored from {args.source}{when} failed verify with"
            f" {len(report.problems)} problem(s); {result.path} was not written"
        )
        return EXIT_PROBLEM
    head = report.head.line() if report.head is not None else "none (no events)"
    run.out(str(result.path))
    run.say(
        f"restored {args.source}{when} into {result.path} (0600); verify found no problems;"
        f" audit head: {head}"
    )
    return 0


def cmd_doctor(run: Runner) -> int:
    """Every deployment check; exit 1 if any failed, each failure with its fix."""
    args = run.args
    zone_name, zone_problem = zone_in_use(args.tz)
    setting = doctor_service.Setting(
        policy=run.policy,
        clock=run.clock,
        zone_name=f"{zone_name}: now {local(run.clock(), run.zone)}",
        zone_problem=zone_problem,
        replica=args.replica,
        backup_folders=tuple(Path(os.path.abspath(folder)) for folder in args.backups),
    )
    checks = doctor_service.examine(run.path, setting)
    failed = [check for check in checks if not check.ok]
    if args.json:
        payload = {
            "ok": not failed,
            "database": str(Path(os.path.abspath(run.path))),
            "checked_at": to_iso(run.clock()),
            "checks": [check.as_json() for check in checks],
        }
        run.out(json_text(payload))
    else:
        lines = []
        for check in checks:
            lines.append(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
            if not check.ok and check.fix:
                lines.append(f"     fix: {check.fix}")
        run.out("\n".join(lines))
    if failed:
        run.say(
            f"{len(failed)} of {len(checks)} checks failed: {', '.join(c.name for c in failed)}"
        )
        return EXIT_PROBLEM
    run.say(f"all {len(checks)} checks passed")
    return 0


def zone_in_use(
    option: str | None, localtime: Path = Path("/etc/localtime")
) -> tuple[str, str | None]:
    """The display zone and where it came from, and a problem when caseboard fell back to UTC
    without being asked to (TZ it cannot read, or no zone configured at all)."""
    if option is not None:
        return f"{option} (from --tz)", None
    name = os.environ.get("TZ", "").removeprefix(":")
    zone = system_zone(localtime)
    fell_back = isinstance(zone, ZoneInfo) and zone.key == "UTC"
    if name:
        if fell_back and name.upper() not in UTC_NAMES:
            return "UTC", f"TZ={name!r} is not a zone caseboard can read, so times show in UTC"
        return f"{name} (from TZ)", None
    if fell_back:
        return "UTC", f"no TZ and no readable {localtime}, so times show in UTC"
    target = os.path.realpath(localtime)
    shown = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else target
    return f"{shown} (from {localtime})", None
