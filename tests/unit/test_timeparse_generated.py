"""The time parser over generated text, clocks and zones: only BadInput ever escapes, and
whatever it returns is an aware UTC time from 1900 up to the allowed future (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

from dateutil import tz as dateutil_tz
from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain.errors import BadInput
from caseboard.domain.timeparse import EARLIEST, parse_time
from support.hostile import CHARACTERS, TIMES_OUT_OF_RANGE, hostile_text

# Pieces operators (and hostile ones) put together: numbers of every size, units, day words,
# clock times, ISO dates of any year and offsets of any size.
PIECES = st.one_of(
    st.sampled_from(
        [
            "ago",
            "now",
            "yesterday",
            "today",
            "at",
            "am",
            "pm",
            "h",
            "m",
            "d",
            "days",
            "hours",
            "mins",
            "T",
            "Z",
            ":",
            "-",
            "+",
            "/",
            ".",
            " ",
            "noon",
            "midnight",
            "jan",
            "dec",
        ]
    ),
    st.integers(min_value=0, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.builds(
        "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}{}{:02d}:{:02d}".format,
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.sampled_from("+-"),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    st.builds("{}/{}/{}".format, st.integers(0, 13), st.integers(0, 32), st.integers(0, 99999)),
)
TYPED = st.one_of(
    st.lists(PIECES, max_size=6).map(" ".join),
    st.lists(PIECES, max_size=6).map("".join),
    st.sampled_from(TIMES_OUT_OF_RANGE),
    hostile_text,
    st.text(CHARACTERS, max_size=120),
)
ZONES: st.SearchStrategy[tzinfo] = st.one_of(
    st.timezones(),
    st.integers(-1439, 1439).map(lambda minutes: timezone(timedelta(minutes=minutes))),
    st.sampled_from(["EST5EDT,M3.2.0,M11.1.0", "UTC+23", "GMT-14", "AAA-23BBB"]).map(
        lambda rule: dateutil_tz.tzstr(rule, posix_offset=True)
    ),
)
# Hypothesis takes naive bounds and attaches the generated zone.
NOWS = st.datetimes(
    min_value=datetime(1, 1, 2),  # noqa: DTZ001
    max_value=datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=ZONES,
)
SANE_NOWS = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _parse(text: str, now: datetime, zone: tzinfo, future: timedelta) -> datetime | None:
    try:
        return parse_time(text, now, zone, field="at", max_future=future)
    except BadInput as exc:
        assert exc.field == "at"
        assert str(exc).startswith("at: ")
        return None


@given(text=TYPED, now=SANE_NOWS, zone=ZONES)
def test_only_bad_input_escapes_and_results_are_in_range(
    text: str, now: datetime, zone: tzinfo
) -> None:
    future = timedelta(minutes=5)
    result = _parse(text, now, zone, future)
    if result is not None:
        assert result.tzinfo is UTC
        assert EARLIEST <= result <= now + future


@given(
    text=TYPED,
    now=NOWS,
    zone=ZONES,
    future=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=1)),
)
def test_only_bad_input_escapes_at_any_clock(
    text: str, now: datetime, zone: tzinfo, future: timedelta
) -> None:
    """Even at the ends of datetime's range, where every step of arithmetic can overflow."""
    result = _parse(text, now, zone, future)
    if result is not None:
        assert result.tzinfo is UTC


@given(now=SANE_NOWS, zone=st.timezones(), back=st.integers(0, 10**20), unit=st.sampled_from("dhm"))
def test_any_number_of_units_ago_is_read_or_out_of_range(
    now: datetime, zone: tzinfo, back: int, unit: str
) -> None:
    result = _parse(f"{back}{unit} ago", now, zone, timedelta(minutes=5))
    seconds = back * {"d": 86400, "h": 3600, "m": 60}[unit]
    if seconds <= (now - EARLIEST).total_seconds():
        assert result == now - timedelta(seconds=seconds)
    else:
        assert result is None
