"""Synthetic, obviously fictional intake records for demos and benchmarks (deterministic)."""

from __future__ import annotations

import random
from typing import Any

from caseboard.domain.vocab import PLACEMENT_TYPES, RISK_FACTORS

_FIRST = (
    "Avery",
    "Blake",
    "Casey",
    "Dakota",
    "Emery",
    "Finley",
    "Gray",
    "Harley",
    "Indigo",
    "Jules",
    "Kai",
    "Logan",
    "Morgan",
    "Nico",
    "Oakley",
    "Parker",
    "Quinn",
    "Riley",
    "Sage",
    "Tatum",
    "Umber",
    "Vesper",
    "Wren",
    "Xen",
    "Yael",
    "Zion",
)
_LAST = (
    "Testwood",
    "Sampleton",
    "Demoford",
    "Fakeley",
    "Mockridge",
    "Placeholt",
    "Fixturewell",
    "Stubbington",
    "Dummyfield",
    "Examplar",
    "Trialsby",
    "Mockwell",
    "Fauxley",
    "Specimen",
)
_PLACES = (
    "Demo Mall food court, 100 Example Ave",
    "Sample Street bus station",
    "Fictional Park skate area",
    "Example City library",
    "Mockingbird Lane gas station",
    "Testville transit centre",
    "Placeholder Plaza",
    "Dummy Creek trailhead",
)
_AGENCIES = ("Fictional County DCFS", "Example County Children's Services", "Demo Region CPS")


def synthetic_records(count: int, seed: int = 2014) -> list[dict[str, Any]]:
    """`count` intake records with relative times, varied tiers, placements and clocks."""
    rng = random.Random(seed)
    factors = list(RISK_FACTORS)
    placements = list(PLACEMENT_TYPES)
    records: list[dict[str, Any]] = []
    for index in range(count):
        missing_minutes = rng.choice((30, 90, 300, 900, 1500, 3000, 6000, 12000, 50000))
        learned_minutes = max(5, missing_minutes - rng.randint(0, min(missing_minutes, 600)))
        record: dict[str, Any] = {
            "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}-{index + 1}",
            "age": rng.randint(9, 17),
            "learned_at": f"-{learned_minutes}m",
            "last_seen_at": f"-{missing_minutes}m",
            "last_seen_where": rng.choice(_PLACES),
            "placement_type": rng.choice(placements),
            "agency": rng.choice(_AGENCIES),
            "risk_factors": rng.sample(factors, rng.choice((0, 0, 1, 1, 2, 3))),
            "sex": rng.choice(("F", "M", "X")),
        }
        events: list[dict[str, Any]] = []
        if learned_minutes > 60 and rng.random() < 0.7:
            at = rng.randint(5, learned_minutes - 1)
            events.append(
                {
                    "type": "confirm",
                    "report": "police",
                    "at": f"-{at}m",
                    "ref": f"SYN-{index + 1:06d}",
                    "agency": "Example City PD",
                }
            )
            if rng.random() < 0.6:
                events.append(
                    {
                        "type": "confirm",
                        "report": "ncic",
                        "at": f"-{max(1, at - 30)}m",
                        "ref": f"M{rng.randint(0, 999_999_999):09d}",
                    }
                )
        if learned_minutes > 60 and rng.random() < 0.5:
            events.append(
                {
                    "type": "confirm",
                    "report": "ncmec",
                    "at": f"-{learned_minutes - 30}m",
                    "ref": f"{1_500_000 + index}",
                }
            )
        if missing_minutes > 120 and rng.random() < 0.4:
            events.append(
                {
                    "type": "sighting",
                    "at": f"-{rng.randint(1, missing_minutes - 1)}m",
                    "where": rng.choice(_PLACES),
                    "source": "caller",
                    "confirmed": rng.random() < 0.5,
                }
            )
        events.sort(key=lambda event: -int(event["at"][1:-1]))
        if events:
            record["events"] = events
        records.append(record)
    return records
