"""refresh_snapshot: after any service call, re-reading only what it changed gives exactly the snapshot a full load
gives — every record, every lookup, and the order of every lookup's keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sqlite3

import pytest

from fpdesk import services
from fpdesk.ops import Changes, RecordRef
from fpdesk.snapshot import Snapshot, load_snapshot, refresh_snapshot
from tests.conftest import TODAY
from tests.edits import clerk_people, demo_village
from tests.test_services import CASES, IDS, family  # noqa: F401  (the fixture the cases run on)


def assert_same(refreshed: Snapshot, loaded: Snapshot) -> None:
    """Field by field (for a readable failure), mappings with their key order too, then as a whole."""
    for f in dataclasses.fields(Snapshot):
        if not f.compare:
            continue  # the snapshot's own memo of derived lookups
        got, want = getattr(refreshed, f.name), getattr(loaded, f.name)
        if hasattr(want, "items"):
            assert list(got.items()) == list(want.items()), f.name
        else:
            assert got == want, f.name
    assert refreshed == loaded


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_refresh_after_each_service_equals_a_full_load(fresh_db, family, case, recorded) -> None:  # noqa: F811
    before = load_snapshot(fresh_db, as_of=TODAY)
    recorded.clear()
    returned = case.call(fresh_db, family)
    assert recorded and recorded[-1] == returned
    assert_same(refresh_snapshot(fresh_db, before, recorded), load_snapshot(fresh_db, as_of=TODAY))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_failed_call_changes_nothing_to_refresh(fresh_db, family, case, recorded) -> None:  # noqa: F811
    # the service refused: no Changes, the old snapshot still equals the file
    before = load_snapshot(fresh_db, as_of=TODAY)
    recorded.clear()
    with pytest.raises(Exception):
        case.bad(fresh_db, family)
    assert refresh_snapshot(fresh_db, before, recorded) == before
    assert_same(before, load_snapshot(fresh_db, as_of=TODAY))


def test_refresh_keeps_untouched_fields_as_the_same_objects(fresh_db, family) -> None:  # noqa: F811
    before = load_snapshot(fresh_db, as_of=TODAY)
    changes = services.record_service(fresh_db, person=family.wife, kind="查环", date="2026-11-10", today=TODAY)
    after = refresh_snapshot(fresh_db, before, changes)
    assert after.persons is before.persons and after.person_by_id is before.person_by_id
    assert after.births_of is before.births_of and after.members_of is before.members_of
    assert len(after.services) == len(before.services) + 1
    assert after.services_of[family.wife][-1].id == changes.record.id


def test_as_of_moves_with_the_clerks_day(fresh_db, family) -> None:  # noqa: F811
    before = load_snapshot(fresh_db, as_of=TODAY)
    changes = services.correct_field(fresh_db, table="person", record=family.wife, field="education", value="高中",
                                     today=TODAY)
    later = TODAY + dt.timedelta(days=1)
    assert_same(refresh_snapshot(fresh_db, before, changes, as_of=later), load_snapshot(fresh_db, as_of=later))
    assert refresh_snapshot(fresh_db, before, changes).as_of == TODAY


def test_a_table_it_does_not_know_falls_back_to_a_full_load(fresh_db, family) -> None:  # noqa: F811
    before = load_snapshot(fresh_db, as_of=TODAY)
    services.record_service(fresh_db, person=family.wife, kind="查环", date="2026-11-10", today=TODAY)
    strange = Changes(op_id=0, action="x", summary="", record=None, inserted=(RecordRef("some_new_table", 1),),
                      updated=(), events=(), periods=(), persons=())
    assert_same(refresh_snapshot(fresh_db, before, strange), load_snapshot(fresh_db, as_of=TODAY))


def test_many_rows_of_one_table_are_read_whole(fresh_db, family) -> None:  # noqa: F811
    # an import-sized change: every person and some that do not exist (ids of rows never written)
    before = load_snapshot(fresh_db, as_of=TODAY)
    services.correct_field(fresh_db, table="person", record=family.single, field="name", value="王芳芳", today=TODAY)
    ids = [p.id for p in before.persons] + list(range(10_000, 12_500))
    big = Changes(op_id=0, action="import", summary="", record=None, inserted=(),
                  updated=tuple(RecordRef("person", i) for i in ids), events=(), periods=(), persons=tuple(ids))
    assert_same(refresh_snapshot(fresh_db, before, big), load_snapshot(fresh_db, as_of=TODAY))


# Corrections that move a record to another owner: the grouped lookups must re-group both owners, and put a new
# owner where a full load would (owners are ordered by their lowest record id).
MOVES = [
    ("person", "household_id"),     # a person to another household (members_of)
    ("birth", "mother_id"),         # a child to another woman's card (births_of)
    ("measure", "person_id"),
    ("marriage", "person_id"),
    ("service", "person_id"),
    ("household", "group_id"),
]


demo_file, demo = demo_village(persons=400, seed=3)


def _other(rng: random.Random, conn: sqlite3.Connection, table: str, column: str, current) -> int:
    target = {"household_id": "household", "group_id": "village_group"}.get(column, "person")
    extra = " WHERE sex = '2'" if column in ("mother_id",) else ""
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {target}{extra}") if r[0] != current]
    return rng.choice(ids)


@pytest.mark.parametrize("table,column", MOVES, ids=[f"{t}.{c}" for t, c in MOVES])
def test_records_moved_to_another_owner(demo, table, column) -> None:
    rng = random.Random(f"{table}.{column}")
    snap = load_snapshot(demo, as_of=TODAY)
    rows = demo.execute(f"SELECT id, {column} FROM {table} ORDER BY id").fetchall()
    # the first rows (lowest ids: owners early in the order), the last ones and some in between
    picks = rows[:3] + rows[-3:] + rng.sample(rows, min(6, len(rows)))
    for record_id, current in picks:
        changes = services.correct_field(demo, table=table, record=record_id, field=column,
                                         value=_other(rng, demo, table, column, current), today=TODAY)
        snap = refresh_snapshot(demo, snap, changes)
        assert_same(snap, load_snapshot(demo, as_of=TODAY))


def test_a_day_of_clerk_work_on_the_demo_village(demo) -> None:
    """Many service calls of every kind in a row, the snapshot refreshed after each and compared with a load."""
    rng = random.Random(11)
    snap = load_snapshot(demo, as_of=TODAY)
    women, men, households = clerk_people(demo)
    day = "2026-11-20"
    calls = [
        lambda: services.record_service(demo, person=rng.choice(women), kind="查环", date=day, today=TODAY),
        lambda: services.pay_benefit(demo, person=rng.choice(women), kind="独生子女保健费", year=2026, amount="10",
                                     paid_date=day, today=TODAY),
        lambda: services.issue_certificate(demo, person=rng.choice(women), kind="0108", number="X", issued_date=day,
                                           today=TODAY),
        lambda: services.correct_field(demo, table="person", record=rng.choice(women + men), field="education",
                                       value=rng.choice(["初中", "高中", "大学本科"]), today=TODAY),
        lambda: services.add_person(demo, household=rng.choice(households), moved_in=day, today=TODAY,
                                    person={"name": "新人", "sex": "女", "birth_date": "1999-01-01", "relation": "其他"}),
        lambda: services.record_death(demo, person=rng.choice(men), date=day, today=TODAY),
        lambda: services.record_birth(demo, mother=rng.choice(women), child_name="新生", sex="男", birth_date=day,
                                      today=TODAY),
        lambda: services.start_measure(demo, person=rng.choice(women), method="女性绝育术", start_date=day,
                                       today=TODAY),
        lambda: services.record_outflow(demo, person=rng.choice(men), date=day, place="广东", today=TODAY),
        lambda: services.register_household(demo, number=f"X{rng.randrange(10**6)}", group="一组", moved_in=day,
                                            today=TODAY, members=[{"name": "迁入", "sex": "男",
                                                                   "birth_date": "1980-05-05", "relation": "户主"}]),
        lambda: services.set_setting(demo, key="timeliness_days", value=str(rng.randint(20, 40)), today=TODAY),
        lambda: services.submit_period(demo, period="2026-10", today=TODAY),
    ]
    done = 0
    for _ in range(60):
        try:
            changes = rng.choice(calls)()
        except Exception:  # noqa: BLE001 - a refused call (a man already dead, a month already submitted)
            continue
        snap = refresh_snapshot(demo, snap, changes)
        assert_same(snap, load_snapshot(demo, as_of=TODAY))
        done += 1
    assert done > 30
