"""Every CLI command with generated hostile values for each of its options (issue 11): the exit
code is 0, 2, 3 or 4, never 70 and never a traceback; on 2-4 no event was written and
`caseboard verify` still passes. The CLI runs in process on a copy of the demo database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from caseboard.domain.packet import OPTIONAL_INTAKE_FIELDS
from caseboard.domain.vocab import (
    NOTICE_REPORTS,
    PLACEMENT_TYPES,
    REPORTS,
    RISK_FACTORS,
    ROLES,
    SCREEN_RESULTS,
    TIERS,
)
from support.hostile import examples, hostile_text, hostile_time
from support.inprocess import copy_database, demo_database, event_count, run_main

Draw = Callable[[st.SearchStrategy[Any]], Any]


@dataclass(frozen=True)
class Ids:
    """Ids in the demo database, by what they are."""

    missing: list[str]
    recovered: list[str]
    closed: list[str]
    events: list[str]

    @property
    def cases(self) -> list[str]:
        return [*self.missing[:3], *self.recovered[:2], *self.closed[:1], "999999"]


@dataclass
class World:
    pristine: Path
    work: Path
    folder: Path
    ids: Ids
    events: int


def _ids(path: Path) -> Ids:
    with closing(sqlite3.connect(path)) as conn:

        def ids(sql: str) -> list[str]:
            return [str(row[0]) for row in conn.execute(sql)]

        return Ids(
            missing=ids("SELECT id FROM cases WHERE status = 'missing' ORDER BY id"),
            recovered=ids("SELECT id FROM cases WHERE status = 'recovered' ORDER BY id"),
            closed=ids("SELECT id FROM cases WHERE status = 'closed' ORDER BY id"),
            events=ids("SELECT MIN(id) FROM events GROUP BY type ORDER BY type"),
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("generated")
    pristine = demo_database(folder / "pristine.db")
    work = copy_database(pristine, folder / "work.db")
    return World(pristine, work, folder, _ids(pristine), event_count(pristine))


def one_of(
    valid: list[str], hostile: st.SearchStrategy[str] = hostile_text
) -> st.SearchStrategy[str]:
    """A valid value four times in five, so that an example with several options often gets
    past the first check to the later ones; else a hostile one."""
    return st.integers(0, 4).flatmap(lambda pick: hostile if pick == 4 else st.sampled_from(valid))


TEXT = one_of(["the mall", "Det. Example", "Zoë ✓", "ok"])
TIME = one_of(["now", "20m ago", "-1h", "21:30"], hostile_time)


def option(draw: Draw, name: str, values: st.SearchStrategy[str], *, required: bool) -> list[str]:
    """`--name=VALUE` (so values starting with '-' stay values), or nothing when optional."""
    if not required and not draw(st.booleans()):
        return []
    return [f"{name}={draw(values)}"]


def flag(draw: Draw, name: str) -> list[str]:
    return [name] if draw(st.booleans()) else []


def path_in(folder: Path) -> st.SearchStrategy[str]:
    """An output path inside the test's folder: a plain name, a hostile name, a folder."""
    names = hostile_text.map(lambda name: name.replace("/", "_").replace("\x00", ""))
    return st.one_of(
        st.just(str(folder / "out.txt")),
        st.just(str(folder)),
        st.just(str(folder / "missing" / "out.txt")),
        st.just(str(folder / ("x" * 300))),
        names.map(lambda name: str(folder / name)),
    )


def global_options(draw: Draw, folder: Path) -> list[str]:
    argv = ["--readonly"] if draw(st.integers(0, 5)) == 0 else []
    argv += flag(draw, "--redact")
    zones = ["America/Chicago", "UTC", "Pacific/Kiritimati", "America/Chicago"]
    argv += option(draw, "--tz", one_of(zones), required=True)
    if draw(st.integers(0, 3)) == 0:
        argv += option(
            draw, "--policy", one_of(["federal", "strict-2h", str(folder)]), required=True
        )
    return argv


def sighting(d: Draw, w: World) -> list[str]:
    return [
        "sighting", d(one_of(w.ids.cases)),
        *option(d, "--at", TIME, required=True), *option(d, "--where", TEXT, required=True),
        *option(d, "--source", TEXT, required=False), *flag(d, "--confirmed"),
        *flag(d, "--police-told"), *option(d, "--note", TEXT, required=False),
    ]  # fmt: skip


def contact(d: Draw, w: World) -> list[str]:
    return [
        "contact", d(one_of(w.ids.cases)), *option(d, "--at", TIME, required=True),
        *option(d, "--how", TEXT, required=True), *option(d, "--note", TEXT, required=False),
    ]  # fmt: skip


def recover(d: Draw, w: World) -> list[str]:
    return [
        "recover", d(one_of(w.ids.cases)),
        *option(d, "--at", TIME, required=True), *option(d, "--where", TEXT, required=True),
        *option(d, "--by", TEXT, required=True), *option(d, "--condition", TEXT, required=False),
        *option(d, "--placed", TEXT, required=False), *option(d, "--note", TEXT, required=False),
    ]  # fmt: skip


def confirm(d: Draw, w: World) -> list[str]:
    return [
        "confirm", d(one_of(w.ids.cases)), d(one_of(list(REPORTS))),
        *option(d, "--ref", one_of(["M123456789", "PD-1"]), required=True),
        *option(d, "--at", TIME, required=False), *option(d, "--agency", TEXT, required=False),
        *option(d, "--officer", TEXT, required=False),
    ]  # fmt: skip


def notify(d: Draw, w: World) -> list[str]:
    return [
        "notify", d(one_of(w.ids.cases)), d(one_of(list(NOTICE_REPORTS))),
        *option(d, "--at", TIME, required=False),
    ]  # fmt: skip


def interview(d: Draw, w: World) -> list[str]:
    return [
        "interview", d(one_of(w.ids.cases)), *option(d, "--at", TIME, required=True),
        *option(d, "--screen", one_of(list(SCREEN_RESULTS)), required=True),
        *flag(d, "--police-told"), *option(d, "--note", TEXT, required=False),
    ]  # fmt: skip


def note(d: Draw, w: World) -> list[str]:
    return ["note", d(one_of(w.ids.cases)), d(TEXT)]


def risk(d: Draw, w: World) -> list[str]:
    factors = one_of(list(RISK_FACTORS))
    return [
        "risk", d(one_of(w.ids.cases)),
        *option(d, "--add", factors, required=False),
        *option(d, "--remove", factors, required=False),
        *option(d, "--override", one_of([*TIERS, "none", "high"]), required=False),
        *option(d, "--reason", TEXT, required=False),
    ]  # fmt: skip


CORRECTABLE = ["at", "where", "source", "note", "how", "ref", "agency", "officer", "by",
               "condition", "placed", "text", "name", "dob", "age", "learned", "last-seen",
               "placement", "screen"]  # fmt: skip


def correct(d: Draw, w: World) -> list[str]:
    fields = d(st.lists(st.sampled_from(CORRECTABLE), max_size=3, unique=True))
    values = {"at": TIME, "learned": TIME, "last-seen": TIME, "dob": one_of(["2012-03-04"]),
              "age": one_of(["13"]), "placement": one_of(list(PLACEMENT_TYPES)),
              "screen": one_of(list(SCREEN_RESULTS))}  # fmt: skip
    argv = ["correct", d(one_of(w.ids.events)), *option(d, "--reason", TEXT, required=True)]
    for name in fields:
        argv += option(d, f"--{name}", values.get(name, TEXT), required=True)
    return argv + flag(d, "--void") + flag(d, "--confirmed")


def close(d: Draw, w: World) -> list[str]:
    return ["close", d(one_of(w.ids.cases)), *option(d, "--reason", TEXT, required=True)]


def handover_note(d: Draw, w: World) -> list[str]:
    return [
        "handover-note", d(one_of(w.ids.cases)),
        *option(d, "--summary", TEXT, required=False),
        *option(d, "--contingency", TEXT, required=False),
    ]  # fmt: skip


def signoff(d: Draw, w: World) -> list[str]:
    return ["signoff", *option(d, "--note", TEXT, required=False)]


def intake(d: Draw, w: World) -> list[str]:
    argv = [
        "intake", *option(d, "--name", one_of(["Test Child"]), required=True),
        *option(d, "--age", one_of(["14", "0", "20"]), required=True),
        *option(d, "--learned", TIME, required=True),
        *option(d, "--last-seen", one_of(["2h ago", "yesterday 10pm"]), required=True),
        *option(d, "--where", TEXT, required=True),
        *option(d, "--placement", one_of(list(PLACEMENT_TYPES)), required=True),
        *option(d, "--agency", TEXT, required=True),
        *option(d, "--risk", one_of(list(RISK_FACTORS)), required=False),
        *option(d, "--child", one_of(["1", "2"]), required=False),
    ]  # fmt: skip
    for key in d(st.lists(st.sampled_from(OPTIONAL_INTAKE_FIELDS), max_size=4, unique=True)):
        if key == "photo_on_file":
            argv.append("--photo-on-file")
        else:
            argv += option(d, f"--{key.replace('_', '-')}", TEXT, required=True)
    return argv


def cases(d: Draw, w: World) -> list[str]:
    return ["cases", *flag(d, "--all"), *flag(d, "--json")]


def show(d: Draw, w: World) -> list[str]:
    return ["show", d(one_of(w.ids.cases)), *flag(d, "--json")]


def handover(d: Draw, w: World) -> list[str]:
    return [
        "handover", *option(d, "--since", TIME, required=False),
        *option(d, "--until", TIME, required=False),
        *option(d, "--format", one_of(["md", "json"]), required=False),
        *option(d, "--out", path_in(w.folder), required=False),
    ]  # fmt: skip


def export(d: Draw, w: World) -> list[str]:
    return [
        "export", *option(d, "--format", one_of(["json", "csv"]), required=False),
        *option(d, "--out", path_in(w.folder), required=False),
    ]  # fmt: skip


def backup(d: Draw, w: World) -> list[str]:
    return ["backup", d(path_in(w.folder))]


def operators(d: Draw, w: World) -> list[str]:
    action = d(st.sampled_from(["list", "add", "disable"]))
    if action == "list":
        return ["operators", "list", *flag(d, "--json")]
    user = d(one_of(["dispatch1", "root", "nobody"]))
    if action == "disable":
        return ["operators", "disable", user]
    return [
        "operators", "add", user, *option(d, "--role", one_of(list(ROLES)), required=True),
        *option(d, "--name", TEXT, required=False),
    ]  # fmt: skip


def verify(d: Draw, w: World) -> list[str]:
    return ["verify", *flag(d, "--json")]


# A real public key (its private half exists nowhere) and a file that holds it.
PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuJ+7A2pLgCy/jf+EPUOscKivOmYBVaOaj4LBjMaoDw test\n"
)


def keys(d: Draw, w: World) -> list[str]:
    pub = w.folder / "key.pub"
    if not pub.exists():
        pub.write_text(PUBLIC_KEY)
    action = d(st.sampled_from(["add", "list", "remove"]))
    # Always a file of the test's own: the default is this account's real authorized_keys.
    target = option(d, "--authorized-keys", path_in(w.folder), required=True)
    if action == "list":
        return ["keys", "list", *flag(d, "--json"), *target]
    user = d(one_of(["dispatch1", "root", "nobody"]))
    if action == "remove":
        return ["keys", "remove", user, *target]
    return ["keys", "add", user, d(one_of([str(pub)], path_in(w.folder))), *target]


def audit(d: Draw, w: World) -> list[str]:
    return [
        "audit", *option(d, "--since", TIME, required=False),
        *option(d, "--until", TIME, required=False),
        *option(d, "--operator", TEXT, required=False),
        *option(d, "--case", one_of(w.ids.cases), required=False),
        *flag(d, "--json"),
    ]  # fmt: skip


COMMANDS = [sighting, contact, recover, confirm, notify, interview, note, risk, correct, close,
            handover_note, signoff, intake, cases, show, handover, export, backup, operators,
            verify, keys, audit]  # fmt: skip
# Commands whose success changes the database: the next example starts from a fresh copy.
WRITES = {"sighting", "contact", "recover", "confirm", "notify", "interview", "note", "risk",
          "correct", "close", "handover-note", "signoff", "intake", "operators",
          "keys"}  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.__name__)
@settings(max_examples=examples(15))
@given(data=st.data())
def test_hostile_values_get_a_contract_exit_code_and_write_nothing_when_refused(
    world: World, command: Callable[[Draw, World], list[str]], data: st.DataObject
) -> None:
    argv = [*global_options(data.draw, world.folder), *command(data.draw, world)]
    ran = run_main(world.work, *argv, tz=None)
    event(f"exit {ran.code}")
    assert ran.code in (0, 2, 3, 4), ran
    if ran.code == 0:
        if argv[argv.index(command.__name__.replace("_", "-")) :][0] in WRITES:
            copy_database(world.pristine, world.work)
        return
    assert event_count(world.work) == world.events, ran
    if "usage:" not in ran.err:  # argparse refuses before the database is opened
        checked = run_main(world.work, "verify", tz=None)
        assert checked.code == 0, checked
