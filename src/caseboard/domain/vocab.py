"""The fixed vocabulary: tiers, placement types, risk factors, reports, event types."""

from __future__ import annotations

TIERS = ("CRITICAL", "HIGH", "ELEVATED", "STANDARD")
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}

PLACEMENT_TYPES = {
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

REPORTS = ("police", "ncic", "ncmec")
REPORT_LABELS = {"police": "Police report", "ncic": "NCIC entry", "ncmec": "NCMEC report"}
NOTICE_REPORTS = ("police", "ncmec")
SCREEN_RESULTS = {"none": "no concern", "possible": "possible concern", "clear": "clear concern"}

CLOCKS = ("police", "ncmec", "ncic", "no_news", "recovery_notice", "return_interview")
CLOCK_STATES = ("done", "due", "due_soon", "overdue", "not_started")

STATUSES = ("missing", "recovered", "closed")

EVENT_TYPES = (
    "intake",
    "sighting",
    "contact",
    "confirm",
    "recovery",
    "notify",
    "interview",
    "note",
    "risk",
    "override",
    "correction",
    "close",
    "signoff",
    "operator",
    "handover_note",
    "key",
    "packet",
    "photo",
)

ROLES = ("supervisor", "dispatcher", "liaison", "viewer")
