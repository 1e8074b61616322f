"""recheck: after any edit, checking again only the people it touches gives exactly the findings of a full check.

The clerk's score panel relies on this after every field she corrects; a finding kept that the edit fixed, or a
new one missed, would show a wrong score. So the village is edited at random — every writable field of every
table, values that make contradictions, links to other people — and after each edit the incremental findings are
compared with a full check of the same snapshot."""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3

import pytest

from fpdesk import services
from fpdesk.checks import CODE_OF, run_checks
from fpdesk.checks.incremental import GLOBAL, LOCAL, PARTICULARS, CheckResult, check_village, recheck
from fpdesk.errors import InputError
from fpdesk.snapshot import load_snapshot, refresh_snapshot
from tests.conftest import TODAY
from tests.edits import clerk_people, clerk_value, demo_village, random_correction
from tests.test_services import CASES, IDS, family  # noqa: F401  (the fixture the cases run on)


def assert_same(got: CheckResult, snap) -> None:
    want = check_village(snap)
    missing = [f"{f.code} {f.subject} {f.field}: {f.message}" for f in want.findings if f not in got.findings]
    extra = [f"{f.code} {f.subject} {f.field}: {f.message}" for f in got.findings if f not in want.findings]
    assert not missing and not extra, f"missed by recheck: {missing}\nkept or made wrongly: {extra}"
    assert got.findings == want.findings  # the order too
    assert got.findings == run_checks(snap)
    assert got.totals == want.totals  # the running sums the global rules are gated by: always exact
    assert got.kin == want.kin
    assert got.baseline == want.baseline


def step(conn, result: CheckResult, changes) -> CheckResult:
    """The session's round after an edit — refresh the snapshot, check again — compared with a full check."""
    snap = refresh_snapshot(conn, result.snapshot, changes)
    result = recheck(result, snap, changes)
    assert_same(result, snap)
    return result


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_recheck_after_each_service_equals_a_full_check(fresh_db, family, case, recorded) -> None:  # noqa: F811
    before = check_village(load_snapshot(fresh_db, as_of=TODAY))
    recorded.clear()
    case.call(fresh_db, family)
    snap = refresh_snapshot(fresh_db, before.snapshot, recorded)
    assert_same(recheck(before, snap, recorded), snap)


demo_file, demo = demo_village(persons=400, seed=5)


def test_every_rule_is_local_or_global() -> None:
    assert set(LOCAL) | GLOBAL == set(CODE_OF) and not set(LOCAL) & GLOBAL


def test_local_findings_each_belong_to_a_person_or_household(demo) -> None:
    # recheck replaces a local rule's findings owner by owner: one without an owner could never be replaced
    result = check_village(load_snapshot(demo, as_of=TODAY))
    for check in LOCAL:
        for f in result.by_rule[check]:
            assert f.subject.person_id is not None or f.subject.table == "household", (CODE_OF[check], f)
    assert len(result.findings) > 10  # the demo village has mistakes to find


def _value(rng: random.Random, conn: sqlite3.Connection, table: str, column: str):
    """A value a clerk might type: often a contradiction, often another record's value (duplicates, links)."""
    return clerk_value(rng, conn, table, column, around=(dt.date(1960, 1, 1), dt.date(1990, 6, 1),
                                                         dt.date(2015, 1, 1), TODAY), days=(-4000, 400),
                       reuse_text=True)


EDITED = ("person", "person", "person", "marriage", "birth", "measure", "pregnancy", "migration", "household",
          "certificate")


# FPDESK_RECHECK_SEEDS=200 for a long search (a few minutes)
@pytest.mark.parametrize("seed", range(int(os.environ.get("FPDESK_RECHECK_SEEDS", "4"))))
def test_random_corrections_recheck_as_a_full_check(demo, seed) -> None:
    rng = random.Random(seed)
    result = check_village(load_snapshot(demo, as_of=TODAY))
    done = 0
    for _ in range(90):
        changes = random_correction(rng, demo, EDITED, _value)
        if changes is None:
            continue
        result = step(demo, result, changes)
        done += 1
    assert done > 40


@pytest.mark.parametrize("baseline_setting", [True, False], ids=["baseline-set", "baseline-from-events"])
def test_a_day_of_clerk_work_rechecks_as_a_full_check(demo, baseline_setting) -> None:
    if not baseline_setting:  # as a village imported from its roster: the earliest change entered starts it
        with demo:
            demo.execute("DELETE FROM setting WHERE key = 'baseline_date'")
    rng = random.Random(11)
    result = check_village(load_snapshot(demo, as_of=TODAY))
    women, men, households = clerk_people(demo)
    day = "2026-11-20"
    calls = [
        lambda: services.record_service(demo, person=rng.choice(women), kind="查环", date=day, today=TODAY),
        lambda: services.correct_field(demo, table="person", record=rng.choice(women + men), field="education",
                                       value=rng.choice(["初中", "高中", "大学本科"]), today=TODAY),
        lambda: services.add_person(demo, household=rng.choice(households), moved_in=day, today=TODAY,
                                    person={"name": "新人", "sex": "女", "birth_date": "1999-01-01", "relation": "其他"}),
        lambda: services.record_death(demo, person=rng.choice(men + women), date=day, today=TODAY),
        lambda: services.record_birth(demo, mother=rng.choice(women), child_name="新生", sex="男", birth_date=day,
                                      today=TODAY),
        lambda: services.start_measure(demo, person=rng.choice(women), method="女性绝育术", start_date=day,
                                       today=TODAY),
        lambda: services.record_outflow(demo, person=rng.choice(men + women), date=day, place="广东", today=TODAY),
        lambda: services.register_household(demo, number=f"X{rng.randrange(10**6)}", group="一组", moved_in=day,
                                            today=TODAY, members=[{"name": "迁入", "sex": "男",
                                                                   "birth_date": "1980-05-05", "relation": "户主"}]),
        lambda: services.set_setting(demo, key="timeliness_days", value=str(rng.randint(20, 40)), today=TODAY),
        lambda: services.submit_period(demo, period="2026-10", today=TODAY),
    ]
    done = 0
    for _ in range(50):
        try:
            changes = rng.choice(calls)()
        except Exception:  # noqa: BLE001 - a refused call (a man already dead, a month already submitted)
            continue
        result = step(demo, result, changes)
        done += 1
    assert done > 25


def test_another_day_is_checked_in_full(demo) -> None:
    result = check_village(load_snapshot(demo, as_of=TODAY))
    changes = services.record_service(demo, person=result.snapshot.persons[0].id, kind="查环", date="2026-11-20",
                                      today=TODAY)
    later = TODAY + dt.timedelta(days=40)
    snap = refresh_snapshot(demo, result.snapshot, changes, as_of=later)
    assert_same(recheck(result, snap, changes), snap)


def test_global_rules_are_the_whole_village_comparisons() -> None:
    # the month's totals and the board against the registers: no one person's finding
    assert {CODE_OF[c] for c in GLOBAL} == {"X006", "T002", "T004", "T005", "T006"}


@pytest.mark.parametrize("column", sorted(PARTICULARS))
def test_particulars_leave_the_global_rules_as_they_were(demo, column) -> None:
    # recheck keeps the global rules' findings after an edit of these alone: a full check must agree
    rng = random.Random(column)
    result = check_village(load_snapshot(demo, as_of=TODAY))
    people = [p.id for p in result.snapshot.persons]
    done = 0
    for pid in rng.sample(people, 40):
        try:
            changes = services.correct_field(demo, table="person", record=pid, field=column,
                                             value=_value(rng, demo, "person", column), today=TODAY)
        except InputError:
            continue
        result = step(demo, result, changes)
        done += 1
    assert done > 15


def test_namesakes_and_shared_id_numbers_follow_each_other(demo) -> None:
    # U001 (same name, sex and birth date) and I005 (one ID number, two people) link people who are no family:
    # making one person the other's double, then changing the other, must find and then drop the finding
    rng = random.Random(7)
    result = check_village(load_snapshot(demo, as_of=TODAY))
    people = [p for p in result.snapshot.persons if p.birth_date is not None]

    def correct(pid: int, field: str, value) -> None:
        nonlocal result
        try:
            changes = services.correct_field(demo, table="person", record=pid, field=field, value=value, today=TODAY)
        except InputError:
            return
        result = step(demo, result, changes)

    codes_found = set()
    for _ in range(8):
        a, b = rng.sample(people, 2)
        for field in ("name", "sex", "birth_date"):
            correct(b.id, field, getattr(a, field).isoformat() if field == "birth_date" else getattr(a, field))
        correct(b.id, "id_number", "")
        codes_found |= {f.code for f in result.findings if f.subject.person_id == b.id}
        correct(b.id, "id_number", a.id_number or "")
        codes_found |= {f.code for f in result.findings if f.subject.person_id == b.id}
        correct(a.id, "name", a.name + "甲")       # the double's finding goes with it
        correct(a.id, "id_number", "")
    assert {"U001", "I005"} <= codes_found


def _present(snap) -> list[int]:
    return [p.id for p in snap.persons if p.death_date is None and p.moved_out_date is None and p.residence != "3"
            and p.moved_in_date is None]


def test_the_months_balance_is_found_and_lost_as_a_full_check_finds_it(demo) -> None:
    # a death typed into the register instead of recorded as a death: this month no longer balances (T004)
    result = check_village(load_snapshot(demo, as_of=TODAY))
    assert not any(f.code == "T004" for f in result.findings)
    pid = _present(result.snapshot)[5]

    def correct(value: str) -> None:
        nonlocal result
        changes = services.correct_field(demo, table="person", record=pid, field="death_date", value=value,
                                         today=TODAY)
        result = step(demo, result, changes)

    correct("2026-11-10")
    assert [f.period for f in result.findings if f.code == "T004"] == ["2026-11"]
    assert result.totals[("T004", "2026-11")] == -1
    correct("")
    assert not any(f.code == "T004" for f in result.findings)


def test_a_change_entered_after_the_month_was_submitted_is_found(demo) -> None:
    # October submitted, then a death in October entered: this month starts where October did not end (T006)
    result = check_village(load_snapshot(demo, as_of=TODAY))
    for call in (lambda: services.submit_period(demo, period="2026-10", today=dt.date(2026, 11, 3)),
                 lambda: services.record_death(demo, person=_present(result.snapshot)[9], date="2026-10-20",
                                               today=TODAY)):
        changes = call()
        result = step(demo, result, changes)
    assert [f.period for f in result.findings if f.code == "T006"] == ["2026-11"]


def test_the_first_change_entered_starts_live_record_keeping(fresh_db) -> None:
    # a village registered without change events has no baseline; its first change entered is the baseline
    services.register_household(fresh_db, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    result = check_village(load_snapshot(fresh_db, as_of=TODAY))
    assert result.baseline is None
    wife = fresh_db.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0]
    result = step(fresh_db, result, services.record_death(fresh_db, person=wife, date="2026-11-20", today=TODAY))
    assert result.baseline == TODAY
