"""The fixed vocabulary: tiers, placement types, risk factors, reports, event types, roles.

Closed sets are typed (StrEnum or Literal) so mypy checks the fields that hold them; their
values are the strings stored, printed and typed (a member compares equal to its string). The
tuples and label tables are typed by str, so text an operator typed can be looked up in them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

Tier = Literal["CRITICAL", "HIGH", "ELEVATED", "STANDARD"]
TIERS: tuple[str, ...] = get_args(Tier)
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}

# A stored projection decodes straight into these Literals (msgspec checks them faster than a
# pattern or a plain str): a status or placement type outside the vocabulary fails there.
Placement = Literal["foster_home", "kin", "group_home", "residential", "shelter", "other"]
PLACEMENT_TYPES: dict[str, str] = {
    "foster_home": "foster home",
    "kin": "kinship care",
    "group_home": "group home",
    "residential": "residential treatment",
    "shelter": "shelter",
    "other": "other",
}

# Ticked by operators; ids are part of the CLI and import contract.
RISK_FACTORS = {
    "trafficking": "suspected or confirmed trafficking, or contact with a known exploiter",
    "suicidal": "recent suicidal ideation or self-harm",
    "life_medication": "depends on life-sustaining medication or serious withdrawal risk",
    "disability": "significant cognitive or developmental disability",
    "abduction": "signs of abduction or a dangerous companion",
    "severe_weather": "severe weather with no shelter",
    "medication": "other medication dependency",
    "pregnancy": "pregnancy",
    "online_enticement": "online enticement or unknown adult contact",
    "exploited_before": "found in an exploitative setting in an earlier episode",
    "substance_use": "substance use",
    "gang_weapon": "gang or weapon involvement",
    "out_of_state": "out-of-state travel indicated",
    "out_of_character": "out of character for this child",
}

# Labels of the derived reasons, for explanations.
DERIVED_LABELS = {
    "age_critical": "age {age}: {max} or under",
    "young_teen": "age {age}",
    "repeat_episodes": "episode {count} within {days} days",
    "congregate_care": "congregate-care placement",
    "time_missing": "missing over {span}",
}

Report = Literal["police", "ncic", "ncmec"]
REPORTS: tuple[str, ...] = get_args(Report)
REPORT_LABELS: dict[str, str] = {
    "police": "Police report",
    "ncic": "NCIC entry",
    "ncmec": "NCMEC report",
}
NoticeReport = Literal["police", "ncmec"]
NOTICE_REPORTS: tuple[str, ...] = get_args(NoticeReport)
SCREEN_RESULTS = {"none": "no concern", "possible": "possible concern", "clear": "clear concern"}

ClockName = Literal["police", "ncmec", "ncic", "no_news", "recovery_notice", "return_interview"]
CLOCKS: tuple[str, ...] = get_args(ClockName)
ClockState = Literal["done", "due", "due_soon", "overdue", "not_started"]
CLOCK_STATES: tuple[str, ...] = get_args(ClockState)
# Clock states that are running: started, not yet done.
RUNNING_STATES: tuple[str, ...] = ("due", "due_soon", "overdue")

Status = Literal["missing", "recovered", "closed"]
STATUSES: tuple[str, ...] = get_args(Status)


class EventType(StrEnum):
    """What an event records; the codec refuses a stored event of any other type."""

    INTAKE = "intake"
    SIGHTING = "sighting"
    CONTACT = "contact"
    CONFIRM = "confirm"
    RECOVERY = "recovery"
    NOTIFY = "notify"
    INTERVIEW = "interview"
    NOTE = "note"
    RISK = "risk"
    OVERRIDE = "override"
    CORRECTION = "correction"
    CLOSE = "close"
    SIGNOFF = "signoff"
    OPERATOR = "operator"
    HANDOVER_NOTE = "handover_note"
    KEY = "key"
    PACKET = "packet"
    PHOTO = "photo"


# Plain strings: these reach argparse choices and messages, where a member would print its repr.
EVENT_TYPES: tuple[str, ...] = tuple(kind.value for kind in EventType)


class Role(StrEnum):
    """An operator's role (issue 4's matrix in domain/roles.py says what each may do)."""

    SUPERVISOR = "supervisor"
    DISPATCHER = "dispatcher"
    LIAISON = "liaison"
    VIEWER = "viewer"


ROLES: tuple[str, ...] = tuple(role.value for role in Role)
