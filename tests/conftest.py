"""Shared fixtures: the built-in policy, a fixed 'now', a display zone, a fresh database."""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings

from caseboard import cli, paths, services
from caseboard.cli import parser as cli_parser
from caseboard.clock import frozen_clock
from caseboard.domain import policy as policy_module
from caseboard.identity import os_username
from caseboard.store.connection import open_existing
from caseboard.store.writer import Actor
from support import databases

# Hypothesis: CI runs a fixed-seed profile (the same examples every run, so a red build is
# reproducible); HYPOTHESIS_PROFILE=long tries many more examples for a local hunt.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
FROZEN = frozen_clock(NOW)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` starts two workers per core. A board test spends about half its time asleep in
    Textual's idle check (Pilot waits for the app to go quiet in 20 ms steps), so a second
    worker on each core runs while the first sleeps. On two cores: one worker per core 121 s,
    two 94 s, three 104 s (by then every core is busy and each worker only adds its start-up)."""
    return 2 * len(os.sched_getaffinity(0))


@pytest.fixture(scope="session", autouse=True)
def one_parser_per_process() -> Iterator[argparse.ArgumentParser]:
    """`cli.main` builds its argparse grammar on every call, as a new process does once: about
    40 ms of argparse and gettext. Tests call main thousands of times in one process, so it is
    built once here and reused (parse_args leaves a parser as it found it); the grammar is the
    same, and nothing a test checks depends on building it again."""
    cached = functools.cache(cli_parser.build_parser)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli_parser, "build_parser", cached)
        patch.setattr(cli, "build_parser", cached)
        yield cached()


@pytest.fixture
def policy() -> policy_module.Policy:
    """The built-in federal profile."""
    return policy_module.load(paths.builtin_policy_text("federal"))


@pytest.fixture
def now() -> datetime:
    """A fixed moment: 2026-11-28 04:00 UTC (22:00 the evening before in Chicago)."""
    return NOW


@pytest.fixture
def zone() -> ZoneInfo:
    """The display zone used by tests."""
    return ZONE


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh database file."""
    return tmp_path / "caseboard.db"


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database made by `init_database` per test process; make_session copies it (a copy
    is the same file at a fraction of the migrations' cost)."""
    return databases.initialise(tmp_path_factory.mktemp("template") / "caseboard.db")


@pytest.fixture
def make_session(
    db_path: Path, policy: policy_module.Policy, initialised_template: Path
) -> Callable[..., services.Session]:
    """Create (init) the database as the OS user and return a session factory.

    `make_session(username=..., readonly=..., clock=..., unchecked=...)` opens further sessions on
    the same file. A fresh path gets a copy of the initialised template; a file already there
    (a test's copy of a prepared board) is opened through init_database, which leaves it as it is.
    """
    if db_path.exists():
        databases.initialise(db_path)
    else:
        databases.copy_closed(initialised_template, db_path)

    def factory(
        username: str | None = None,
        *,
        readonly: bool = False,
        clock: Callable[[], datetime] = FROZEN,
        unchecked: bool = False,
    ) -> services.Session:
        actor = Actor(username or os_username(), readonly=readonly)
        if unchecked:
            # Skip open_session's operator check, to prove the write path checks on its own
            # (an operator may be disabled while their board is open).
            return services.Session(open_existing(db_path), db_path, actor, policy, ZONE, clock)
        return services.open_session(db_path, actor, policy, ZONE, clock)

    return factory
