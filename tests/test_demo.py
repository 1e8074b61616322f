"""The demo village: deterministic, complete, five years deep, with exactly the documented errors planted."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from fpdesk import cli
from fpdesk.codes import Change
from fpdesk.dates import add_years, period_of
from fpdesk.demo import DemoSummary, history_start, make_demo_village
from fpdesk.demo.desk import Desk
from fpdesk.idnumber import inspect_id
from tests.conftest import TODAY

LEDGER_TABLES = ("person", "household", "marriage", "birth", "measure", "pregnancy", "service", "benefit",
                 "migration", "certificate", "change_event")
PERSONS = 1000


def build(path: Path, *, persons: int = PERSONS, seed: int = 7, as_of: dt.date = TODAY) -> DemoSummary:
    return make_demo_village(path, persons=persons, seed=seed, as_of=as_of)


def rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY {'key' if table == 'setting' else 'id'}").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def village(tmp_path_factory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    return path, build(path)


@pytest.fixture(scope="module")
def db(village) -> sqlite3.Connection:
    conn = sqlite3.connect(village[0])
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


# -- determinism ---------------------------------------------------------------------------------------------------
def test_same_seed_gives_the_same_records_in_every_table(village, tmp_path) -> None:
    again = tmp_path / "again.sqlite"
    build(again)
    for table in LEDGER_TABLES + ("village", "village_group", "operation", "audit_log", "setting"):
        assert rows(village[0], table) == rows(again, table), table


def test_another_seed_gives_another_village(village, tmp_path) -> None:
    other = tmp_path / "other.sqlite"
    build(other, seed=8)
    assert rows(village[0], "person") != rows(other, "person")
    assert rows(village[0], "change_event") != rows(other, "change_event")


# -- contents ------------------------------------------------------------------------------------------------------
def test_every_ledger_table_has_records(db) -> None:
    for table in LEDGER_TABLES:
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table


def test_summary_counts_what_the_file_holds(village, db) -> None:
    _, s = village
    assert (s.persons, s.households, s.births, s.events) == tuple(
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("person", "household", "birth", "change_event"))
    assert PERSONS * 0.95 <= s.persons <= PERSONS * 1.1
    assert db.execute("SELECT name FROM village").fetchone()[0] == s.village
    assert len(db.execute("SELECT code FROM village").fetchone()[0]) == 12


def test_five_statistics_years_of_changes_before_as_of(db) -> None:
    start = history_start(TODAY)
    assert start <= add_years(TODAY, -5) and start.month == 10 and start.day == 1
    assert db.execute("SELECT value FROM setting WHERE key = 'baseline_date'").fetchone()[0] == start.isoformat()
    first, last = db.execute("SELECT min(occurred_date), max(occurred_date) FROM change_event").fetchone()
    assert first < (start + dt.timedelta(days=31)).isoformat() and last <= TODAY.isoformat()
    members = tuple(Change.MEMBER_CHANGES) + (Change.BIRTH,)
    marks = ",".join("?" * len(members))
    for year in range(start.year, TODAY.year):        # every statistics year has births and member changes
        lo, hi = f"{year}-10-01", f"{year + 1}-09-30"
        found = db.execute(f"SELECT count(DISTINCT change_type) FROM change_event WHERE change_type IN ({marks})"
                           " AND occurred_date BETWEEN ? AND ?", (*members, lo, hi)).fetchone()[0]
        assert found >= 5, year


def test_this_months_and_last_months_reports_are_not_empty(db) -> None:
    members = tuple(Change.MEMBER_CHANGES) + (Change.BIRTH,)
    this = period_of(TODAY)
    last = period_of(TODAY.replace(day=1) - dt.timedelta(days=1))
    for period in (this, last):
        n = db.execute(f"SELECT count(*) FROM change_event WHERE report_period = ? AND change_type IN"
                       f" ({','.join('?' * len(members))})", (period, *members)).fetchone()[0]
        assert n > 0, period


def test_most_changes_are_entered_within_ten_days_a_few_late_some_of_them_recently(db) -> None:
    delays = [r[0] for r in db.execute(
        "SELECT julianday(entered_date) - julianday(occurred_date) FROM change_event WHERE change_type IN"
        " ('01','02','03','04','05','06','07','08','09','10','11','12')")]
    assert sum(d <= 10 for d in delays) / len(delays) > 0.9
    late = db.execute("SELECT entered_date FROM change_event WHERE julianday(entered_date) -"
                      " julianday(occurred_date) >= 40").fetchall()
    assert 3 <= len(late) <= len(delays) * 0.05
    assert any(r[0] >= TODAY.replace(day=1).isoformat() for r in late)       # entered late this month
    assert db.execute("SELECT count(*) FROM change_event WHERE entered_date > ?", (TODAY.isoformat(),)).fetchone()[0] == 0


def test_village_life_is_all_there(db) -> None:
    count = lambda sql, *a: db.execute(sql, a).fetchone()[0]  # noqa: E731
    assert 5 <= count("SELECT count(*) FROM village_group") <= 10
    assert count("SELECT count(*) FROM village_group WHERE head_name = ''") == 0
    sizes = [r[0] for r in db.execute("SELECT count(*) FROM person WHERE moved_in_date IS NULL AND residence <> '3'"
                                      " GROUP BY household_id")]
    assert min(sizes) >= 1 and max(sizes) <= 7 and 2.5 <= sum(sizes) / len(sizes) <= 4.0
    assert count("SELECT count(*) FROM person WHERE ethnicity <> '01'") > 0
    assert count("SELECT count(*) FROM person WHERE ethnicity = '01'") > 0.9 * count("SELECT count(*) FROM person")
    assert count("SELECT count(*) FROM birth WHERE policy_status = '2'") > 0                   # out of policy
    assert count("SELECT count(*) FROM (SELECT mother_id, birth_date FROM birth GROUP BY 1, 2 HAVING count(*) = 2)") >= 1
    for outcome in ("1", "3", "4"):
        assert count("SELECT count(*) FROM pregnancy WHERE outcome = ?", outcome) > 0, outcome
    methods = dict(db.execute("SELECT method, count(*) FROM measure WHERE end_date IS NULL GROUP BY 1").fetchall())
    assert methods["700"] + methods["810"] > sum(v for k, v in methods.items() if k not in ("700", "810", "000"))
    for kind in ("01", "02", "03", "04", "05", "06"):
        assert count("SELECT count(*) FROM service WHERE kind = ?", kind) > 0, kind
    for kind in ("01", "02", "04"):
        assert count("SELECT count(*) FROM benefit WHERE kind = ?", kind) > 0, kind
    assert count("SELECT count(*) FROM benefit WHERE kind = '04' AND amount_fen <> 360000") == 0
    for kind in ("0101", "0102", "0108"):
        assert count("SELECT count(*) FROM certificate WHERE kind = ?", kind) > 0, kind
    for change in ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12"):
        assert count("SELECT count(*) FROM change_event WHERE change_type = ?", change) > 0, change
    assert count("SELECT count(*) FROM migration WHERE kind = '2' AND place LIKE '广东省%'") > 0
    assert count("SELECT count(*) FROM marriage WHERE spouse_id IS NULL AND spouse_name <> ''") > 0
    invalid = [r[0] for r in db.execute("SELECT id_number FROM person WHERE id_number IS NOT NULL AND id_number <> ''")
               if inspect_id(r[0]).problem]
    assert len(invalid) == 1                                                                   # E01 only


# -- planted errors ------------------------------------------------------------------------------------------------
def _people(db) -> dict[str, sqlite3.Row]:
    return {r["roster_no"]: r for r in db.execute("SELECT * FROM person")}


def _iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def violators(db) -> dict[str, set[str]]:
    """For each kind of error, the roster numbers of everyone whose records show it."""
    people = _people(db)
    by_id = {r["id"]: r for r in people.values()}
    out: dict[str, set[str]] = {f"E{i:02d}": set() for i in range(1, 16)}
    current = {r["person_id"]: r for r in db.execute("SELECT * FROM measure WHERE end_date IS NULL")}
    ongoing = {r["person_id"]: r for r in db.execute("SELECT * FROM pregnancy WHERE outcome IS NULL")}
    births: dict[int, list[sqlite3.Row]] = {}
    for b in db.execute("SELECT * FROM birth ORDER BY birth_order"):
        births.setdefault(b["mother_id"], []).append(b)
    holders: dict[str, list[str]] = {}
    for p in people.values():
        info = inspect_id(p["id_number"])
        born = _iso(p["birth_date"])
        if p["id_number"]:
            holders.setdefault(info.number, []).append(p["roster_no"])
        if info.well_formed and not info.check_ok:
            out["E01"].add(p["roster_no"])
        if info.well_formed and info.birth_date != born:
            out["E02"].add(p["roster_no"])
        open_marriage = db.execute("SELECT 1 FROM marriage WHERE person_id = ? AND end_date IS NULL",
                                   (p["id"],)).fetchone()
        if p["marital_status"] == "40" and open_marriage:
            out["E04"].add(p["roster_no"])
        if p["marital_status"] in ("21", "22", "23") and not p["first_marriage_date"] and p["residence"] != "3":
            out["E05"].add(p["roster_no"])
        first = _iso(p["first_marriage_date"])
        if first and first < add_years(born, 20 if p["sex"] == "2" else 22):
            out["E06"].add(p["roster_no"])
    for number, owners in holders.items():
        if len(owners) > 1:
            out["E03"].update(owners)
    for mother_id, own in births.items():
        mother = by_id[mother_id]
        if any(_iso(b["birth_date"]) < add_years(_iso(mother["birth_date"]), 15) for b in own):
            out["E07"].add(mother["roster_no"])
        if sorted(b["birth_order"] for b in own) != list(range(1, len(own) + 1)):
            out["E08"].add(mother["roster_no"])
    for pid, m in current.items():
        who = by_id[pid]
        if m["method"] == "810" and pid in ongoing:
            out["E09"].add(who["roster_no"])
        if m["method"] != "000" and m["start_date"] is None:
            out["E11"].add(who["roster_no"])
        if m["method"] == "000" and m["no_measure_reason"] is None:
            out["E15"].add(who["roster_no"])
        youngest = max((_iso(b["birth_date"]) for b in births.get(pid, ())), default=None)
        if youngest and youngest <= TODAY - dt.timedelta(days=183) and m["no_measure_reason"] == "A92":
            out["E12"].add(who["roster_no"])
    for preg in ongoing.values():
        if _iso(preg["expected_date"]) + dt.timedelta(days=14) < TODAY:
            out["E10"].add(by_id[preg["person_id"]]["roster_no"])
    for m in db.execute("SELECT * FROM measure WHERE method <> '000' AND start_date IS NOT NULL"):
        woman = by_id[m["person_id"]]
        if _iso(m["start_date"]) >= add_years(_iso(woman["birth_date"]), 50):
            out["E13"].add(woman["roster_no"])
    for s in db.execute("SELECT * FROM service WHERE service_date > ?", (TODAY.isoformat(),)):
        out["E14"].add(by_id[s["person_id"]]["roster_no"])
    return out


def test_fifteen_kinds_of_error_are_planted_each_on_its_own_person(village) -> None:
    planted = village[1].planted
    assert [e.code for e in planted] == [f"E{i:02d}" for i in range(1, 16)]
    assert len({e.roster_no for e in planted}) == 15
    assert all(e.title and e.rule and e.detail and e.name for e in planted)


def test_each_planted_error_is_in_the_data_and_only_there(village, db) -> None:
    found = violators(db)
    for e in village[1].planted:
        expected = {e.roster_no}
        if e.code == "E03":                       # the person and the second registration of them
            expected.add(e.detail.split("人员编号 ")[1][:7])
        assert found[e.code] == expected, (e.code, e.title, found[e.code])


def test_the_file_lists_its_planted_errors(village, db) -> None:
    stored = json.loads(db.execute("SELECT value FROM setting WHERE key = 'demo_planted_errors'").fetchone()[0])
    assert [(d["code"], d["roster_no"]) for d in stored] == [(e.code, e.roster_no) for e in village[1].planted]
    reasons = db.execute("SELECT count(*) FROM operation WHERE summary LIKE '%演示村预置错误%'").fetchone()[0]
    assert reasons >= 10                          # the corrections are audited with their reason


def test_the_checks_report_the_planted_errors_and_nothing_else(village) -> None:
    """Integration with fpdesk.checks: a finding is a planted error, a documented side effect of one, or a late
    entry. (Rule codes as named in each PlantedError.rule.)"""
    checks = pytest.importorskip("fpdesk.checks")
    from fpdesk.db import open_village_file
    from fpdesk.snapshot import load_snapshot

    conn = open_village_file(village[0])
    try:
        snap = load_snapshot(conn, as_of=TODAY)
    finally:
        conn.close()
    roster = {p.id: p.roster_no for p in snap.persons}
    rules: dict[str, set[str]] = {}
    for e in village[1].planted:
        codes = {c for c in e.rule.replace("（", "(").replace("）", ")").split("(")[1:] for c in [c[:4]]}
        codes |= {"M011"} if e.code == "E04" else {"U001"} if e.code == "E03" else set()
        codes |= {"X005"} if "X005" in e.detail else {"C009"} if "C009" in e.detail else set()
        rules.setdefault(e.roster_no, set()).update(codes)
        if e.code == "E03":
            rules.setdefault(e.detail.split("人员编号 ")[1][:7], set()).update(codes)
    reported = set()
    for f in checks.run_checks(snap):
        person = f.subject.person_id if f.subject.person_id is not None else \
            f.subject.id if f.subject.table == "person" else None
        if f.code.startswith("L"):                # entered late: planted on purpose, several
            continue
        assert f.code in rules.get(roster.get(person), ()), (f.code, roster.get(person), f.message)
        reported.add((roster.get(person), f.code))
    for e in village[1].planted:
        subjects = {e.roster_no} | ({e.detail.split("人员编号 ")[1][:7]} if e.code == "E03" else set())
        assert any(r in subjects for r, _ in reported), e.code


# -- the file ------------------------------------------------------------------------------------------------------
def test_an_existing_file_is_replaced_and_nothing_is_left_behind(tmp_path) -> None:
    target = tmp_path / "demo.sqlite"
    target.write_bytes(b"an old file that is not a village")
    progress: list[tuple[int, int]] = []
    make_demo_village(target, persons=500, seed=2, as_of=TODAY, progress=lambda d, t: progress.append((d, t)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM person").fetchone()[0] > 400
    conn.close()
    assert progress[-1][0] == progress[-1][1] and [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_a_failure_leaves_the_old_file_as_it_was(tmp_path, monkeypatch) -> None:
    target = tmp_path / "demo.sqlite"
    target.write_bytes(b"the clerk's old demo")

    def crash(self, conn, progress=None):
        raise RuntimeError("power cut")
    monkeypatch.setattr(Desk, "run", crash)
    with pytest.raises(RuntimeError):
        make_demo_village(target, persons=300, seed=2, as_of=TODAY)
    assert target.read_bytes() == b"the clerk's old demo"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]


def test_command_line_demo_then_info_shows_every_ledger(tmp_path, capsys) -> None:
    path = tmp_path / "cli.sqlite"
    assert cli.main(["demo", "--db", str(path), "--persons", "1000", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    for word in ("村名", "人数", "户数", "出生", "变动", "预置错误 15 条"):
        assert word in out, word
    assert cli.main(["info", "--db", str(path)]) == 0
    info = capsys.readouterr().out
    from fpdesk.commands.info import LEDGER_TABLES as SHOWN
    for _, label, _ in SHOWN:
        line = next(line for line in info.splitlines() if line.startswith(label))
        assert int(line.split()[1]) > 0, line


def test_command_line_refuses_a_tiny_village(tmp_path, capsys) -> None:
    assert cli.main(["demo", "--db", str(tmp_path / "x.sqlite"), "--persons", "20"]) == 2
    assert "200" in capsys.readouterr().err


# -- the two ops helpers the demo relies on --------------------------------------------------------------------------
def test_baseline_records_are_audited_but_report_no_change(fresh_db) -> None:
    from fpdesk import ops, services

    ch = services.register_household(fresh_db, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "1", "birth_date": "1970-03-02", "relation": "01"},
        {"name": "李娜", "sex": "2", "birth_date": "1972-05-03", "relation": "02"}])
    husband, wife = (r.id for r in ch.inserted if r.table == "person")
    with ops.baseline(fresh_db):
        married = services.record_marriage(fresh_db, person=wife, spouse=husband, date="1994-10-01", today=TODAY)
        born = services.record_birth(fresh_db, mother=wife, child_name="张强", sex="1", birth_date="1996-01-05",
                                     today=TODAY)
    assert married.events == () and born.events == ()
    assert fresh_db.execute("SELECT count(*) FROM change_event").fetchone()[0] == 0
    assert fresh_db.execute("SELECT count(*) FROM audit_log WHERE table_name IN ('marriage', 'birth')").fetchone()[0] > 0
    later = services.record_death(fresh_db, person=husband, date=TODAY, today=TODAY)   # outside: reported again
    assert len(later.events) == 2


def test_a_batch_without_savepoints_is_still_all_or_nothing(fresh_db) -> None:
    from fpdesk import ops, services
    from fpdesk.errors import InputError

    before = fresh_db.execute("SELECT count(*) FROM operation").fetchone()[0]
    with pytest.raises(InputError):
        with ops.batch(fresh_db, savepoints=False):
            services.add_group(fresh_db, name="三组", today=TODAY)
            services.add_group(fresh_db, name="三组", today=TODAY)        # refused: the whole batch goes
    assert fresh_db.execute("SELECT count(*) FROM operation").fetchone()[0] == before
    assert fresh_db.execute("SELECT count(*) FROM village_group WHERE name = '三组'").fetchone()[0] == 0
    with ops.batch(fresh_db, savepoints=False):
        services.add_group(fresh_db, name="三组", today=TODAY)
    services.add_group(fresh_db, name="四组", today=TODAY)                 # and afterwards its own transaction
    assert fresh_db.execute("SELECT count(*) FROM village_group").fetchone()[0] == 4
