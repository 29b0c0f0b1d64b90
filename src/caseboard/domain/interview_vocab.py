"""The return interview's vocabularies: factor and indicator ids with the words a practitioner
reads. The policy file holds them (domain/policy.py reads them with `parse_vocabulary`);
`BUILTIN` is the shipped federal profile's, for where no policy is at hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from caseboard.domain.errors import BadInput

# The one factor that takes text: what the other factor was.
OTHER = "other"


@dataclass(frozen=True)
class InterviewVocabulary:
    """Factor and indicator ids, each with the words a practitioner reads."""

    factors: Mapping[str, str] = field(default_factory=dict)
    indicators: Mapping[str, str] = field(default_factory=dict)

    def factor_words(self, ids: Iterable[Any], other: str = "") -> list[str]:
        """Factor ids as words; 'other' reads as the text typed for it, when there is some."""
        return [other if str(i) == OTHER and other else _word(self.factors, i) for i in ids or ()]

    def indicator_words(self, ids: Iterable[Any]) -> list[str]:
        """Indicator ids as words."""
        return [_word(self.indicators, i) for i in ids or ()]


def _word(table: Mapping[str, str], key: Any) -> str:
    """The words for an id; an id the policy no longer lists reads with spaces, not '_'."""
    return table.get(str(key)) or str(key).replace("_", " ")


BUILTIN = InterviewVocabulary(
    factors={
        "placement_conflict": "conflict in the placement",
        "family": "to be with family",
        "friends_partner": "to be with friends or a partner",
        "substance_use": "substance use",
        "school": "trouble at school",
        "mental_health": "a mental-health crisis",
        "unsafe_placement": "felt unsafe in the placement",
        "adult_recruitment": "recruited or coerced by an adult",
        "other": "another reason",
    },
    indicators={
        "exchanged_sex": "exchanged sex for food, shelter, money or drugs",
        "exchanged_labor": "worked for food, shelter or money",
        "older_partner": "with a much older partner",
        "gifts_or_new_phone": "came back with gifts, money or a new phone",
        "hotel_or_party": "stayed in a hotel or went to parties with adults",
        "branded_tattoo": "a branding tattoo",
        "harmed": "harmed while absent",
    },
)


def parse_vocabulary(raw: Mapping[str, Any], path: str) -> Mapping[str, str]:
    """A policy table of ids to words: ids lowercase letters, digits and '_', words not empty."""
    table: dict[str, str] = {}
    for key, words in raw.items():
        if not key or not all(ch.islower() or ch.isdigit() or ch == "_" for ch in key):
            raise BadInput(f"{path}.{key}", "ids are lowercase letters, digits and '_'")
        if not isinstance(words, str) or not words.strip():
            raise BadInput(f"{path}.{key}", "expected the words a practitioner reads")
        table[key] = words.strip()
    if not table:
        raise BadInput(path, "expected at least one id")
    return table
