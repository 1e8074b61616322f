"""Figures carried from one snapshot to the next (``indicators.carry``): after any edit, every indicator and every
score sheet of the refreshed snapshot equal those of the village loaded afresh with nothing carried — the records
behind each figure included."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest

from fpdesk import services
from fpdesk.checks import run_checks
from fpdesk.errors import InputError
from fpdesk.fields import FIELDS
from fpdesk.indicators import INDICATORS, SPAN_KINDS, Calculator, span_for
from fpdesk.indicators.carry import carried, fresh, interned, per_owner
from fpdesk.ledgers.population import card_holders, married_women, population_on
from fpdesk.score import builtin_schemes, score, village_score
from fpdesk.snapshot import Snapshot, load_snapshot, refresh_snapshot
from tests.conftest import TODAY
from tests.edits import clerk_people, clerk_value, demo_village, random_correction

PERIODS = ("2026-11", "2026-10", "2026-03")


demo_file, demo = demo_village(persons=400, seed=9)


def _figures(snap: Snapshot, findings: tuple) -> list:
    calc = Calculator(snap, findings)
    out: list = [calc.value(i.key, span_for(p, kind)) for p in PERIODS for kind in SPAN_KINDS for i in INDICATORS]
    out += [score(snap, s, period=p, findings=findings) for s in builtin_schemes() for p in PERIODS]
    out.append(village_score(snap, findings=findings))
    return out


def assert_as_loaded(conn: sqlite3.Connection, snap: Snapshot) -> None:
    loaded = load_snapshot(conn, as_of=snap.as_of)
    findings = tuple(run_checks(loaded))
    got = _figures(snap, findings)         # carried over from the snapshots before wherever they allow
    with fresh():
        want = _figures(loaded, findings)
    for g, w in zip(got, want):
        assert g == w                      # the records behind each figure too (dataclass equality)
    # the population, card holders and married women of a day, patched from the previous snapshot's, as a full
    # walk gives them
    for day in (snap.as_of, dt.date(2025, 9, 30), dt.date(2026, 10, 31)):
        assert population_on(snap, day) == population_on(loaded, day)
        assert card_holders(snap, day) == card_holders(loaded, day)
        assert married_women(snap, day) == married_women(loaded, day)


def _value(rng: random.Random, conn: sqlite3.Connection, table: str, column: str):
    """A value a clerk might type, often one that moves a figure."""
    return clerk_value(rng, conn, table, column, around=(dt.date(1980, 1, 1), dt.date(2000, 6, 1),
                                                         dt.date(2025, 10, 1), TODAY), days=(-400, 60),
                       reuse_text=False)


EDITED = ("person", "person", "person", "marriage", "birth", "measure", "measure", "pregnancy", "migration",
          "service", "benefit", "certificate", "change_event")


@pytest.mark.parametrize("seed", range(3))
def test_random_corrections_score_as_a_fresh_load(demo, seed) -> None:
    rng = random.Random(seed)
    snap = load_snapshot(demo, as_of=TODAY)
    assert_as_loaded(demo, snap)
    done = 0
    for _ in range(40):
        changes = random_correction(rng, demo, [t for t in EDITED if t in FIELDS], _value)
        if changes is None:
            continue
        snap = refresh_snapshot(demo, snap, changes)
        assert_as_loaded(demo, snap)
        done += 1
    assert done > 15


def test_a_day_of_clerk_work_scores_as_a_fresh_load(demo) -> None:
    rng = random.Random(5)
    women, men, households = clerk_people(demo)
    day = "2026-11-20"
    calls = [
        lambda: services.record_service(demo, person=rng.choice(women), kind=rng.choice(["查环", "透环", "查孕"]),
                                        date=day, today=TODAY),
        lambda: services.record_service(demo, person=rng.choice(women), kind="药具发放", date="2026-06-01",
                                        today=TODAY),
        lambda: services.correct_field(demo, table="person", record=rng.choice(women + men), field="education",
                                       value=rng.choice(["初中", "高中", "大学本科"]), today=TODAY),
        lambda: services.correct_field(demo, table="person", record=rng.choice(women), field="marital_status",
                                       value=rng.choice(["10", "21", "40"]), today=TODAY),
        lambda: services.add_person(demo, household=rng.choice(households), moved_in=day, today=TODAY,
                                    person={"name": "新人", "sex": "女", "birth_date": "1999-01-01", "relation": "其他",
                                            "marital_status": "21", "first_marriage_date": "2020-01-01"}),
        lambda: services.record_death(demo, person=rng.choice(men + women), date=day, today=TODAY),
        lambda: services.record_birth(demo, mother=rng.choice(women), child_name="新生", sex="男", birth_date=day,
                                      today=TODAY),
        lambda: services.start_measure(demo, person=rng.choice(women), method=rng.choice(["女性绝育术", "避孕套"]),
                                       start_date=day, today=TODAY),
        lambda: services.register_pregnancy(demo, person=rng.choice(women), lmp_date="2026-09-01", today=TODAY),
        lambda: services.pay_benefit(demo, person=rng.choice(women), kind="04", year=2026, amount=3600,
                                     paid_date=day, today=TODAY),
        lambda: services.record_outflow(demo, person=rng.choice(men + women), date=day, place="广东", today=TODAY),
        lambda: services.set_setting(demo, key="long_acting_years", value=str(rng.randint(1, 4)), today=TODAY),
    ]
    snap = load_snapshot(demo, as_of=TODAY)
    assert_as_loaded(demo, snap)
    done = 0
    for _ in range(40):
        try:
            changes = rng.choice(calls)()
        except InputError:
            continue  # a refused call (a man already dead, a woman already pregnant)
        snap = refresh_snapshot(demo, snap, changes)
        assert_as_loaded(demo, snap)
        done += 1
    assert done > 20


def test_a_result_is_carried_while_its_sources_are_the_same_objects() -> None:
    made = []
    table, same_content = (1, 2), tuple([1, 2])
    for source in (table, table, same_content, table):
        carried(("test", "sum"), (source,), lambda s=source: made.append(s) or sum(s))
    assert made == [table, same_content, table]   # an equal tuple read again is not the same object
    ids = interned(("test", "ids"), (3, 4))
    assert interned(("test", "ids"), tuple([3, 4])) is ids


def test_per_owner_works_out_only_the_owners_whose_records_changed() -> None:
    asked = []

    def count(records: tuple) -> int:
        asked.append(records)
        return len(records)

    a, b = ("a1",), ("b1", "b2")
    owners = (1, 2, 3)
    assert per_owner(("test", "count"), owners, {1: a, 2: b}, count) == (1, 2, 0)
    assert len(asked) == 3
    b2 = ("b1",)
    assert per_owner(("test", "count"), owners, {1: a, 2: b2}, count) == (1, 1, 0)
    assert asked[3:] == [b2]                      # only owner 2's records changed
    assert per_owner(("test", "count"), (2, 4), {1: a, 2: b2, 4: a}, count) == (1, 1)
    assert asked[4:] == [a]                       # a new owner
