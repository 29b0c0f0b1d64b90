"""Policy: every weight, threshold and duration, read from a TOML profile and validated."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from caseboard.domain.errors import BadInput
from caseboard.domain.interview_vocab import BUILTIN, OTHER, InterviewVocabulary, parse_vocabulary
from caseboard.domain.vocab import PLACEMENT_TYPES, RISK_FACTORS, TIERS

# Points that come from derived facts rather than ticked factors.
DERIVED_POINTS = ("young_teen", "repeat_episodes", "congregate_care")


class PolicyError(BadInput):
    """A policy file that is not valid TOML or has a bad key or value."""


@dataclass(frozen=True)
class Policy:
    """The numbers that turn case facts into tiers and clocks."""

    name: str
    police: timedelta
    ncmec: timedelta
    ncic: timedelta
    recovery_notice: timedelta
    return_interview: timedelta
    due_soon_fraction: float
    no_news: Mapping[str, timedelta]
    high_at: int
    elevated_at: int
    critical_age_max: int
    critical_factors: frozenset[str]
    congregate_placements: frozenset[str]
    young_teen_min_age: int
    young_teen_max_age: int
    repeat_episodes: int
    repeat_window: timedelta
    points: Mapping[str, int]
    time_escalation: tuple[tuple[timedelta, int], ...]
    max_future: timedelta
    due_next: timedelta
    # A board preference rather than a rule, kept here so one TOML file holds every setting.
    bell: bool = True
    # Idle protection ([session]): the privacy screen, and the end of an SSH session.
    lock_after: timedelta = timedelta(minutes=15)
    ssh_logout_after: timedelta = timedelta(minutes=30)
    # Where a copy of every event and access-log entry goes ([audit] syslog): a local socket
    # path such as "/dev/log", or (host, port) for "udp://HOST:PORT"; None (the default): off.
    audit_syslog: str | tuple[str, int] | None = None
    # Photos ([photos]): the largest file accepted, and the most pixels decoded.
    photo_max_bytes: int = 10 * 2**20
    photo_max_pixels: int = 40_000_000
    # What `caseboard doctor` calls healthy ([operations]): free space, replica lag, sign-offs.
    operations: Operations = field(default_factory=lambda: Operations())
    # How typed dates with slashes read ([input] day_first): 03/14/2012 month first (False),
    # or 14/03/2012 day first (True). ISO dates read the same either way.
    day_first: bool = False
    # The return interview's factor and indicator vocabularies ([interview]).
    interview: InterviewVocabulary = BUILTIN


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, turning syntax errors into a PolicyError naming the source."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, f"not valid TOML ({exc})") from exc


def merge(base: Mapping[str, Any], override: Mapping[str, Any], path: str = "") -> dict[str, Any]:
    """Overlay `override` on `base`; a key that `base` lacks is refused by its dotted name."""
    merged = dict(base)
    for key, value in override.items():
        dotted = f"{path}{key}"
        if key not in base and dotted not in OPTIONAL_KEYS:
            raise PolicyError(dotted, "unknown policy key")
        if isinstance(base.get(key), dict) or (key not in base and isinstance(value, dict)):
            if not isinstance(value, dict):
                raise PolicyError(dotted, "expected a table")
            # These tables replace the whole table: their keys are the data.
            if dotted in WHOLE_TABLES:
                merged[key] = dict(value)
            else:
                merged[key] = merge(base.get(key, {}), value, f"{dotted}.")
        else:
            merged[key] = value
    return merged


# Tables whose keys are data: a profile that gives one replaces it whole.
WHOLE_TABLES = frozenset({"risk.time_escalation", "interview.factors", "interview.indicators"})

# Keys a profile may leave out (the built-in ones document them commented out).
OPTIONAL_KEYS = frozenset({"audit", "audit.syslog"})


def syslog_target(value: object) -> str | tuple[str, int] | None:
    """`[audit] syslog`: "" or absent is off; "/dev/log" (an absolute socket path) or
    "udp://HOST:PORT" (IPv6 hosts in brackets)."""
    key = "audit.syslog"
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PolicyError(key, 'expected text such as "/dev/log" or "udp://HOST:PORT"')
    if value.startswith("/"):
        if "\x00" in value or len(value) > 107:  # the limit of a Unix socket's path
            raise PolicyError(key, "expected the path of a local syslog socket")
        return value
    if not value.startswith("udp://"):
        raise PolicyError(key, 'expected "/dev/log" (a socket path) or "udp://HOST:PORT"')
    host, colon, port_text = value.removeprefix("udp://").rpartition(":")
    host = host.removeprefix("[").removesuffix("]") if host.startswith("[") else host
    if not colon or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise PolicyError(key, "expected udp://HOST:PORT with a port from 1 to 65535")
    if any(ch.isspace() or ch in "/@?#" for ch in host):
        raise PolicyError(key, "expected udp://HOST:PORT (a host name or address)")
    return host, int(port_text)


# Upper bounds, far beyond any sensible setting, that keep every sum of times and points inside
# what datetime and the board can hold: no clock runs longer than ten years.
MAX_HOURS = 24 * 366 * 10
MAX_DAYS = 366 * 10
MAX_MINUTES = 24 * 60
MAX_WHOLE = 10_000


def _number(
    raw: Mapping[str, Any], key: str, path: str, *, minimum: float = 0, maximum: float
) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolicyError(f"{path}{key}", "expected a number")
    if not math.isfinite(value):
        raise PolicyError(f"{path}{key}", "must be a finite number")
    if value < minimum:
        raise PolicyError(f"{path}{key}", f"must be at least {minimum}")
    if value > maximum:
        raise PolicyError(f"{path}{key}", f"must be at most {maximum}")
    return float(value)


def _integer(
    raw: Mapping[str, Any], key: str, path: str, *, minimum: int = 0, maximum: int = MAX_WHOLE
) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(f"{path}{key}", "expected a whole number")
    if value < minimum:
        raise PolicyError(f"{path}{key}", f"must be at least {minimum}")
    if value > maximum:
        raise PolicyError(f"{path}{key}", f"must be at most {maximum}")
    return value


def _hours(raw: Mapping[str, Any], key: str, path: str) -> timedelta:
    hours = _number(raw, key, path, maximum=MAX_HOURS)
    if hours <= 0:
        raise PolicyError(f"{path}{key}", "must be more than 0 hours")
    return timedelta(hours=hours)


def _names(
    raw: Mapping[str, Any], key: str, path: str, allowed: Mapping[str, Any]
) -> frozenset[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyError(f"{path}{key}", "expected a list of names")
    for item in value:
        if item not in allowed:
            raise PolicyError(f"{path}{key}", f"unknown name {item!r}")
    return frozenset(value)


def _table(raw: Mapping[str, Any], key: str, path: str = "") -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise PolicyError(f"{path}{key}", "expected a table")
    return value


def build(raw: Mapping[str, Any]) -> Policy:
    """Validate a complete policy mapping (built-in profile plus overrides) into a Policy."""
    clocks = _table(raw, "clocks")
    risk = _table(raw, "risk")
    no_news_raw = _table(clocks, "no_news_hours", "clocks.")
    points_raw = _table(risk, "points", "risk.")
    escalation_raw = _table(risk, "time_escalation", "risk.")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise PolicyError("name", "expected the profile's name")

    no_news = {tier: _hours(no_news_raw, tier, "clocks.no_news_hours.") for tier in TIERS}
    for tier in no_news_raw:
        if tier not in TIERS:
            raise PolicyError(f"clocks.no_news_hours.{tier}", "unknown tier")
    points: dict[str, int] = {}
    for key in points_raw:
        if key not in RISK_FACTORS and key not in DERIVED_POINTS:
            raise PolicyError(f"risk.points.{key}", "unknown risk factor")
        points[key] = _integer(points_raw, key, "risk.points.")
    steps: list[tuple[timedelta, int]] = []
    for hours_text, _value in escalation_raw.items():
        try:
            hours = float(hours_text)
        except ValueError:
            hours = math.nan
        if not math.isfinite(hours) or hours < 0:
            raise PolicyError(
                f"risk.time_escalation.{hours_text}", "key must be a number of hours, 0 or more"
            )
        if hours > MAX_HOURS:
            raise PolicyError(
                f"risk.time_escalation.{hours_text}", f"key must be at most {MAX_HOURS} hours"
            )
        steps.append(
            (timedelta(hours=hours), _integer(escalation_raw, hours_text, "risk.time_escalation."))
        )
    due_soon = _number(clocks, "due_soon_fraction", "clocks.", maximum=math.inf)
    if not 0 <= due_soon < 1:
        raise PolicyError("clocks.due_soon_fraction", "must be between 0 and 1")
    high_at = _integer(risk, "high_at", "risk.")
    elevated_at = _integer(risk, "elevated_at", "risk.")
    if elevated_at > high_at:
        raise PolicyError("risk.elevated_at", "must not exceed risk.high_at")
    time_raw = _table(raw, "time")
    handover_raw = _table(raw, "handover")
    board_raw = _table(raw, "board") if "board" in raw else {"bell": True}
    bell = board_raw.get("bell", True)
    if not isinstance(bell, bool):
        raise PolicyError("board.bell", "expected true or false")
    lock_after, ssh_logout_after = session_limits(raw)
    input_raw = _table(raw, "input") if "input" in raw else {"day_first": False}
    day_first = input_raw.get("day_first", False)
    if not isinstance(day_first, bool):
        raise PolicyError("input.day_first", "expected true or false")
    audit_raw = _table(raw, "audit") if "audit" in raw else {}
    for key in audit_raw:
        if key != "syslog":
            raise PolicyError(f"audit.{key}", "unknown policy key")
    photo_max_bytes, photo_max_pixels = photo_limits(raw)
    return Policy(
        name=name,
        police=_hours(clocks, "police_hours", "clocks."),
        ncmec=_hours(clocks, "ncmec_hours", "clocks."),
        ncic=_hours(clocks, "ncic_hours", "clocks."),
        recovery_notice=_hours(clocks, "recovery_notice_hours", "clocks."),
        return_interview=_hours(clocks, "return_interview_hours", "clocks."),
        due_soon_fraction=due_soon,
        no_news=no_news,
        high_at=high_at,
        elevated_at=elevated_at,
        critical_age_max=_integer(risk, "critical_age_max", "risk."),
        critical_factors=_names(risk, "critical_factors", "risk.", RISK_FACTORS),
        congregate_placements=_names(risk, "congregate_placements", "risk.", PLACEMENT_TYPES),
        young_teen_min_age=_integer(risk, "young_teen_min_age", "risk."),
        young_teen_max_age=_integer(risk, "young_teen_max_age", "risk."),
        repeat_episodes=_integer(risk, "repeat_episodes", "risk.", minimum=2),
        repeat_window=timedelta(
            days=_number(risk, "repeat_window_days", "risk.", maximum=MAX_DAYS)
        ),
        points=points,
        time_escalation=tuple(sorted(steps)),
        max_future=timedelta(
            minutes=_number(time_raw, "max_future_minutes", "time.", maximum=MAX_MINUTES)
        ),
        due_next=_hours(handover_raw, "due_next_hours", "handover."),
        bell=bell,
        lock_after=lock_after,
        ssh_logout_after=ssh_logout_after,
        audit_syslog=syslog_target(audit_raw.get("syslog")),
        photo_max_bytes=photo_max_bytes,
        photo_max_pixels=photo_max_pixels,
        operations=operations_limits(raw),
        day_first=day_first,
        interview=interview_vocabulary(raw),
    )


def interview_vocabulary(raw: Mapping[str, Any]) -> InterviewVocabulary:
    """[interview.factors] and [interview.indicators]: ids and their words; the factors keep
    "other" (the statute's list is never closed)."""
    if "interview" not in raw:
        return BUILTIN
    table = _table(raw, "interview")
    for key in table:
        if key not in ("factors", "indicators"):
            raise PolicyError(f"interview.{key}", "unknown policy key")
    try:
        factors = parse_vocabulary(_table(table, "factors", "interview."), "interview.factors")
        indicators = parse_vocabulary(
            _table(table, "indicators", "interview."), "interview.indicators"
        )
    except BadInput as exc:
        raise PolicyError(exc.field, exc.message) from None
    if OTHER not in factors:
        raise PolicyError("interview.factors", f"must keep {OTHER!r} (a factor not listed)")
    return InterviewVocabulary(factors, indicators)


def photo_limits(raw: Mapping[str, Any]) -> tuple[int, int]:
    """[photos] max_mb and max_megapixels, as bytes and pixels."""
    if "photos" not in raw:
        return 10 * 2**20, 40_000_000
    table = _table(raw, "photos")
    megabytes = _number(table, "max_mb", "photos.", maximum=100)
    megapixels = _number(table, "max_megapixels", "photos.", maximum=200)
    if megabytes <= 0 or megapixels <= 0:
        key = "max_mb" if megabytes <= 0 else "max_megapixels"
        raise PolicyError(f"photos.{key}", "must be more than 0")
    return int(megabytes * 2**20), int(megapixels * 1_000_000)


# The CJIS Security Policy asks for a session lock after at most 30 minutes without input.
LOCK_MAX_MINUTES = 30
SSH_LOGOUT_MAX_MINUTES = 24 * 60


def session_limits(raw: Mapping[str, Any]) -> tuple[timedelta, timedelta]:
    """[session] lock_minutes and ssh_logout_minutes (fractions allowed, e.g. 0.05 for 3 s)."""
    if "session" not in raw:
        return timedelta(minutes=15), timedelta(minutes=30)
    table = _table(raw, "session")
    limits = []
    for key, maximum in (
        ("lock_minutes", LOCK_MAX_MINUTES),
        ("ssh_logout_minutes", SSH_LOGOUT_MAX_MINUTES),
    ):
        minutes = _number(table, key, "session.", maximum=maximum)
        if minutes <= 0:
            raise PolicyError(f"session.{key}", "must be more than 0 minutes")
        limits.append(timedelta(minutes=minutes))
    return limits[0], limits[1]


@dataclass(frozen=True)
class Operations:
    """[operations]: the limits `caseboard doctor` checks the deployment against."""

    free_space_min_mb: float = 1024
    replica_max_lag: timedelta = timedelta(minutes=5)
    signoff_max_age: timedelta = timedelta(hours=24)


def operations_limits(raw: Mapping[str, Any]) -> Operations:
    """[operations] free_space_min_mb, replica_max_lag_minutes, signoff_max_age_hours."""
    if "operations" not in raw:
        return Operations()
    table = _table(raw, "operations")
    for key in table:
        if key not in ("free_space_min_mb", "replica_max_lag_minutes", "signoff_max_age_hours"):
            raise PolicyError(f"operations.{key}", "unknown policy key")
    lag = _number(table, "replica_max_lag_minutes", "operations.", maximum=MAX_MINUTES)
    if lag <= 0:
        raise PolicyError("operations.replica_max_lag_minutes", "must be more than 0 minutes")
    return Operations(
        free_space_min_mb=_number(table, "free_space_min_mb", "operations.", maximum=2**40),
        replica_max_lag=timedelta(minutes=lag),
        signoff_max_age=_hours(table, "signoff_max_age_hours", "operations."),
    )


def load(builtin_text: str, override_text: str | None = None, source: str = "policy") -> Policy:
    """Build the policy from the built-in profile, overlaid with a partial profile if given."""
    raw = parse_toml(builtin_text, "built-in policy")
    if override_text is not None:
        raw = merge(raw, parse_toml(override_text, source))
    return build(raw)
