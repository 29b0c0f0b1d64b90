"""Policy profiles: the federal numbers, partial overrides, and every kind of bad file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from caseboard import paths
from caseboard.domain.errors import BadInput
from caseboard.domain.policy import Policy, PolicyError, load

FEDERAL = paths.builtin_policy_text("federal")
HOUR = timedelta(hours=1)


def test_federal_profile_has_the_domain_numbers(policy: Policy) -> None:
    assert policy.name == "federal"
    assert policy.police == 24 * HOUR
    assert policy.ncmec == 24 * HOUR
    assert policy.ncic == 2 * HOUR
    assert policy.recovery_notice == 24 * HOUR
    assert policy.return_interview == 72 * HOUR
    assert policy.due_soon_fraction == 0.25
    assert dict(policy.no_news) == {
        "CRITICAL": 4 * HOUR,
        "HIGH": 12 * HOUR,
        "ELEVATED": 24 * HOUR,
        "STANDARD": 72 * HOUR,
    }
    assert policy.high_at == 8
    assert policy.elevated_at == 4
    assert policy.critical_age_max == 12
    assert policy.critical_factors == {
        "trafficking",
        "suicidal",
        "life_medication",
        "disability",
        "abduction",
        "severe_weather",
    }
    assert policy.congregate_placements == {"group_home", "residential", "shelter"}
    assert (policy.young_teen_min_age, policy.young_teen_max_age) == (13, 14)
    assert policy.repeat_episodes == 3
    assert policy.repeat_window == timedelta(days=90)
    assert dict(policy.points) == {
        "medication": 3,
        "pregnancy": 3,
        "online_enticement": 3,
        "exploited_before": 3,
        "substance_use": 2,
        "gang_weapon": 2,
        "out_of_state": 2,
        "out_of_character": 2,
        "young_teen": 2,
        "repeat_episodes": 2,
        "congregate_care": 1,
    }
    assert policy.time_escalation == (
        (24 * HOUR, 1),
        (72 * HOUR, 2),
        (7 * 24 * HOUR, 3),
        (30 * 24 * HOUR, 4),
    )
    assert policy.max_future == timedelta(minutes=5)
    assert policy.due_next == 12 * HOUR


def test_builtin_profiles_are_listed() -> None:
    assert {"federal", "strict-2h"} <= set(paths.builtin_policy_names())


def test_strict_2h_changes_only_police_and_ncmec(policy: Policy) -> None:
    strict = load(FEDERAL, paths.builtin_policy_text("strict-2h"))
    assert strict.name == "strict-2h"
    assert strict.police == 2 * HOUR
    assert strict.ncmec == 2 * HOUR
    assert replace(strict, name="federal", police=24 * HOUR, ncmec=24 * HOUR) == policy


@pytest.mark.parametrize(
    ("override", "changes"),
    [
        ("[clocks]\npolice_hours = 12\n", {"police": 12 * HOUR}),
        ("[clocks]\nncic_hours = 0.5\n", {"ncic": timedelta(minutes=30)}),
        ("[risk]\nhigh_at = 10\n", {"high_at": 10}),
        ("[time]\nmax_future_minutes = 1\n", {"max_future": timedelta(minutes=1)}),
        ('name = "missouri"\n', {"name": "missouri"}),
        (
            '[risk]\ncongregate_placements = ["shelter"]\n',
            {"congregate_placements": frozenset({"shelter"})},
        ),
    ],
)
def test_partial_override_changes_just_those_keys(
    policy: Policy, override: str, changes: dict[str, object]
) -> None:
    assert load(FEDERAL, override) == replace(policy, **changes)  # type: ignore[arg-type]


def test_override_of_a_nested_table_keeps_its_other_keys(policy: Policy) -> None:
    loaded = load(FEDERAL, "[clocks.no_news_hours]\nHIGH = 6\n")
    assert dict(loaded.no_news) == {**policy.no_news, "HIGH": 6 * HOUR}
    loaded = load(FEDERAL, "[risk.points]\npregnancy = 5\n")
    assert dict(loaded.points) == {**policy.points, "pregnancy": 5}


def test_time_escalation_table_is_replaced_whole() -> None:
    loaded = load(FEDERAL, '[risk.time_escalation]\n48 = 1\n"12" = 0\n')
    assert loaded.time_escalation == ((12 * HOUR, 0), (48 * HOUR, 1))


def test_empty_override_is_the_federal_profile(policy: Policy) -> None:
    assert load(FEDERAL, "") == policy


@pytest.mark.parametrize(
    ("override", "field"),
    [
        # unknown keys
        ("colour = 1\n", "colour"),
        ("[clocks]\npolce_hours = 3\n", "clocks.polce_hours"),
        ("[risk.points]\nwings = 2\n", "risk.points.wings"),
        ("[clocks.no_news_hours]\nURGENT = 2\n", "clocks.no_news_hours.URGENT"),
        ("[display]\ncolour = 'red'\n", "display"),
        # wrong types
        ('[clocks]\npolice_hours = "24"\n', "clocks.police_hours"),
        ("[clocks]\npolice_hours = true\n", "clocks.police_hours"),
        ("[clocks]\nno_news_hours = 4\n", "clocks.no_news_hours"),
        ("clocks = 4\n", "clocks"),
        ("[risk]\nhigh_at = 8.5\n", "risk.high_at"),
        ('[risk.points]\npregnancy = "3"\n', "risk.points.pregnancy"),
        ('[risk]\ncritical_factors = "trafficking"\n', "risk.critical_factors"),
        ('[risk]\ncritical_factors = ["wings"]\n', "risk.critical_factors"),
        ('[risk]\ncongregate_placements = ["hotel"]\n', "risk.congregate_placements"),
        ("name = ''\n", "name"),
        ("[risk.time_escalation]\nsoon = 1\n", "risk.time_escalation.soon"),
        # negative or zero durations, out-of-range numbers
        ("[clocks]\npolice_hours = -1\n", "clocks.police_hours"),
        ("[clocks]\npolice_hours = 0\n", "clocks.police_hours"),
        ("[clocks]\nreturn_interview_hours = -72\n", "clocks.return_interview_hours"),
        ("[clocks.no_news_hours]\nCRITICAL = -4\n", "clocks.no_news_hours.CRITICAL"),
        ("[risk]\nrepeat_window_days = -90\n", "risk.repeat_window_days"),
        ("[time]\nmax_future_minutes = -5\n", "time.max_future_minutes"),
        ("[handover]\ndue_next_hours = 0\n", "handover.due_next_hours"),
        ("[risk.points]\npregnancy = -3\n", "risk.points.pregnancy"),
        ("[risk.time_escalation]\n24 = -1\n", "risk.time_escalation.24"),
        ("[clocks]\ndue_soon_fraction = 1\n", "clocks.due_soon_fraction"),
        ("[clocks]\ndue_soon_fraction = -0.1\n", "clocks.due_soon_fraction"),
        ("[risk]\nelevated_at = 9\n", "risk.elevated_at"),
        ("[risk]\nrepeat_episodes = 1\n", "risk.repeat_episodes"),
    ],
)
def test_bad_override_raises_policy_error_naming_the_key(override: str, field: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load(FEDERAL, override, source="my-policy.toml")
    assert isinstance(caught.value, BadInput)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("override", "field"),
    [
        # A negative escalation step (hours missing) is a negative duration too.
        ('[risk.time_escalation]\n"-24" = 1\n', "risk.time_escalation.-24"),
        # TOML allows nan and inf; they must be refused as values, not crash the loader.
        ("[clocks]\npolice_hours = nan\n", "clocks.police_hours"),
        ("[clocks]\nncmec_hours = inf\n", "clocks.ncmec_hours"),
        ("[risk]\nrepeat_window_days = inf\n", "risk.repeat_window_days"),
        ("[time]\nmax_future_minutes = nan\n", "time.max_future_minutes"),
        ('[risk.time_escalation]\n"nan" = 1\n', "risk.time_escalation.nan"),
    ],
    ids=[
        "negative-escalation-step",
        "police-nan",
        "ncmec-inf",
        "repeat-window-inf",
        "max-future-nan",
        "escalation-step-nan",
    ],
)
def test_non_finite_or_negative_durations_raise_policy_error(override: str, field: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load(FEDERAL, override, source="my-policy.toml")
    assert caught.value.field == field


@pytest.mark.parametrize("text", ["[clocks\npolice_hours = 2\n", "police_hours == 2\n", "a = "])
def test_invalid_toml_raises_policy_error_naming_the_source(text: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load(FEDERAL, text, source="my-policy.toml")
    assert caught.value.field == "my-policy.toml"
    assert "not valid TOML" in caught.value.message


def test_invalid_builtin_text_is_named() -> None:
    with pytest.raises(PolicyError) as caught:
        load("[[[")
    assert caught.value.field == "built-in policy"


def test_policy_error_maps_to_the_bad_input_exit_code() -> None:
    assert PolicyError("clocks.police_hours", "x").exit_code == 2
