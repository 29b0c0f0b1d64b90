"""The stored time form: UTC ISO-8601 to the second, whatever zone a time arrives in."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain.timefmt import to_iso


@given(
    moment=st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("America/Chicago")])),
    whole=st.booleans(),
)
def test_the_stored_form_is_utc_to_the_second(moment: datetime, whole: bool) -> None:
    # to_iso skips the conversion for times already in that form; the text must not change.
    if whole:
        moment = moment.replace(microsecond=0)
    assert to_iso(moment) == moment.astimezone(UTC).replace(microsecond=0).isoformat()
