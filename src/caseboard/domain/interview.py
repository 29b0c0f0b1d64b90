"""The return interview as 42 U.S.C. 671(a)(35)(B) reads: the primary factors of the absence,
the experiences while absent with trafficking indicators, both trafficking screens, and the
response planned. The factor and indicator vocabularies (ids and practitioner words) live in the
policy file; `BUILTIN` is the shipped one, used where no policy is at hand (a test keeps the two
the same; domain/interview_vocab.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseboard.domain import validate as v
from caseboard.domain.errors import BadInput
from caseboard.domain.interview_vocab import OTHER, InterviewVocabulary
from caseboard.domain.redaction import REDACTED
from caseboard.domain.textsafe import clean
from caseboard.domain.vocab import SCREEN_RESULTS

# Event-data keys the interview adds to the screen, note and police_told it always had.
STATUTE_KEYS = (
    "factors", "other_factor", "experiences", "indicators", "labor_screen", "response",
)  # fmt: skip
# Free text among them (hidden under --redact); the rest are vocabulary ids.
TEXT_KEYS = ("other_factor", "experiences", "response")


def interview_fields(
    raw: Mapping[str, Any], prefix: str, vocab: InterviewVocabulary
) -> dict[str, Any]:
    """The statute's part of an interview, validated: factors and indicators from the policy's
    vocabularies, the labour screen, and the typed text. Absent keys come back None."""
    f = f"{prefix}." if prefix else ""
    factors = v.names(raw, "factors", f"{f}factor", list(vocab.factors))
    other = v.text(raw, "other_factor", f"{f}other_factor", limit=v.SHORT_MAX)
    if other and OTHER not in factors:
        raise BadInput(f"{f}other_factor", f"only goes with the factor {OTHER!r}")
    if OTHER in factors and not other:
        raise BadInput(f"{f}other_factor", f"say what the {OTHER!r} factor was")
    labor = raw.get("labor_screen")
    return {
        "factors": factors or None,
        "other_factor": other,
        "experiences": v.text(raw, "experiences", f"{f}experiences", limit=v.LONG_MAX),
        "indicators": v.names(raw, "indicators", f"{f}indicator", list(vocab.indicators)) or None,
        "labor_screen": None
        if labor in (None, "")
        else v.choice(raw, "labor_screen", f"{f}labor", SCREEN_RESULTS),
        "response": v.text(raw, "response", f"{f}response", limit=v.LONG_MAX),
    }


def last_time(
    details: Mapping[str, Any],
    vocab: InterviewVocabulary,
    *,
    redact: bool,
    lead: str = "last time",
) -> str:
    """What the next placement should know from an earlier episode's interview: 'last time: to
    be with family; response: weekly supervised visits' ('' when nothing was recorded)."""
    other = str(details.get("other_factor") or "")
    ids = details.get("factors")
    factors = vocab.factor_words(
        ids if isinstance(ids, list) else (), REDACTED if redact and other else other
    )
    response = details.get("response")
    parts = []
    if factors:
        parts.append(f"{lead}: " + ", ".join(clean(words) for words in factors))
    if response:
        parts.append(
            ("response: " if parts else f"{lead}, response: ")
            + (REDACTED if redact else clean(str(response)))
        )
    return "; ".join(parts)
