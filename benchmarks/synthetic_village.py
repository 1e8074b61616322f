"""A large, clean village for timing the checks (and for showing they find nothing in it).

Written straight into a village file with SQL (seconds for 10,000 people), following the rules of
``resources/rules.toml``: families with a head, a wife two years younger married at a legal age, children
spaced more than two years apart with their births, pregnancies and measures recorded as the services record
them, elderly parents (some widowed), deaths and outflows, and change events for everything that happened after
live record keeping began (2021-01-01). Deterministic for a seed.

    python benchmarks/synthetic_village.py --db /tmp/v.sqlite --persons 10000 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
from pathlib import Path

from fpdesk.dates import add_years, period_of
from fpdesk.db import open_village_file
from fpdesk.idnumber import make_id_number

AS_OF = dt.date(2026, 11, 23)
LIVE_FROM = dt.date(2021, 1, 1)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国平刚桂兰玉梅红霞燕萍鹏辉飞宇浩然子涵欣怡雨轩梓睿"
DAY = dt.timedelta(days=1)


class _Writer:
    def __init__(self, conn: sqlite3.Connection, rng: random.Random) -> None:
        self.conn, self.rng = conn, rng
        self.ids: set[str] = set()
        self.next_id = {t: 1 for t in ("person", "household", "marriage", "birth", "measure", "pregnancy",
                                       "migration", "change_event")}
        self.rows: dict[str, list[tuple]] = {t: [] for t in self.next_id}
        self.current: dict[int, int] = {}  # woman -> index of her current measure row

    def new_id(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    def name(self, surname: str) -> str:
        return surname + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def id_number(self, born: dt.date, sex: str, pid: int) -> str:
        seq = pid
        while True:
            number = make_id_number(region=f"4201{(pid // 997) % 100:02d}", birth_date=born, sequence=seq, sex=sex)
            if number not in self.ids:
                self.ids.add(number)
                return number
            seq += 2

    def event(self, pid: int, change: str, day: dt.date, table: str, record: int) -> None:
        if day <= LIVE_FROM or day > AS_OF:
            return
        entered = min(AS_OF, day + DAY * self.rng.randint(0, 10))
        self.rows["change_event"].append((self.new_id("change_event"), pid, change, day.isoformat(),
                                          entered.isoformat(), period_of(day), table, record, 1))

    def person(self, *, hh: int, relation: str, name: str, sex: str, born: dt.date, status: str = "10",
               first: dt.date | None = None, change: dt.date | None = None, died: dt.date | None = None,
               residence: str = "1") -> int:
        pid = self.new_id("person")
        self.rows["person"].append((
            pid, f"R{pid:05d}", hh, relation, name, sex, born.isoformat(), self.id_number(born, sex, pid), "01",
            self.rng.choice(("60", "70", "80")), "1", "", status, first and first.isoformat(),
            change and change.isoformat(), residence, None, None, died and died.isoformat(), 0, ""))
        if died:
            self.event(pid, "09", died, "person", pid)
        return pid

    def marriage(self, a: int, b: int | None, start: dt.date, *, spouse_name: str = "", spouse_id_number: str = "",
                 end: dt.date | None = None, reason: str | None = None) -> int:
        mid = self.new_id("marriage")
        self.rows["marriage"].append((mid, a, b, spouse_name, spouse_id_number, "21", start.isoformat(),
                                      end and end.isoformat(), reason))
        self.event(a, "01", start, "marriage", mid)
        if end is not None and reason == "30" and b is not None:
            pass  # the partner's death is the change; the survivor's widowhood is written by the caller
        return mid

    def measure(self, woman: int, method: str, start: dt.date, reason: str | None = None) -> None:
        if start > AS_OF:
            return
        i = self.current.get(woman)
        if i is not None:
            r = self.rows["measure"][i]
            if r[3] > start.isoformat():
                return  # start_measure refuses a start before the current measure's
            self.rows["measure"][i] = (*r[:4], start.isoformat(), *r[5:])  # ended the day the new one begins
        mid = self.new_id("measure")
        self.current[woman] = len(self.rows["measure"])
        self.rows["measure"].append((mid, woman, method, start.isoformat(), None, "", "", reason))
        self.event(woman, "20", start, "measure", mid)

    def flush(self) -> None:
        sql = {
            "household": "INSERT INTO household(id, number, group_id, address) VALUES (?, ?, ?, ?)",
            "person": "INSERT INTO person(id, roster_no, household_id, relation, name, sex, birth_date, id_number,"
                      " ethnicity, education, hukou, occupation, marital_status, first_marriage_date,"
                      " marital_change_date, residence, moved_in_date, moved_out_date, death_date, only_child, note)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "marriage": "INSERT INTO marriage(id, person_id, spouse_id, spouse_name, spouse_id_number, kind,"
                        " start_date, end_date, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "birth": "INSERT INTO birth(id, mother_id, child_id, child_name, child_sex, birth_date, birth_order,"
                     " policy_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "measure": "INSERT INTO measure(id, person_id, method, start_date, end_date, institution, change_reason,"
                       " no_measure_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "pregnancy": "INSERT INTO pregnancy(id, person_id, lmp_date, registered_date, expected_date,"
                         " policy_status, outcome, end_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "migration": "INSERT INTO migration(id, person_id, kind, start_date) VALUES (?, ?, ?, ?)",
            "change_event": "INSERT INTO change_event(id, person_id, change_type, occurred_date, entered_date,"
                            " report_period, record_table, record_id, op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        }
        for table in ("household", "person", "marriage", "birth", "measure", "pregnancy", "migration",
                      "change_event"):
            self.conn.executemany(sql[table], self.rows[table])


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + DAY * rng.randint(0, max(0, (hi - lo).days))


def _family(w: _Writer, hh: int) -> None:
    rng = w.rng
    surname = rng.choice(SURNAMES)
    husband_born = _day(rng, dt.date(1952, 1, 1), dt.date(2000, 12, 31))
    wife_born = husband_born + DAY * rng.randint(300, 1100)
    wed = _day(rng, max(add_years(wife_born, 21), add_years(husband_born, 23)), add_years(wife_born, 27))
    if wed > AS_OF - DAY * 30:
        wed = None
    # the family's children: spaced 2.5–5 years from a year after the wedding, not after the wife is 40
    births: list[dt.date] = []
    if wed is not None:
        day = wed + DAY * rng.randint(300, 700)
        for _ in range(rng.choices((0, 1, 2, 3), (8, 38, 44, 10))[0]):
            if day > AS_OF or day > add_years(wife_born, 40):
                break
            births.append(day)
            day = day + DAY * rng.randint(920, 1800)
    ongoing = wed is not None and add_years(wife_born, 40) > AS_OF and rng.random() < 0.04 and \
        (not births or births[-1] < AS_OF - DAY * 700)

    husband_died = None
    if wed is not None and husband_born < dt.date(1965, 1, 1) and rng.random() < 0.08:
        husband_died = _day(rng, max(wed + DAY * 3650, dt.date(2015, 1, 1)), AS_OF - DAY)
    wife_status = "10" if wed is None else ("30" if husband_died else "21")
    head = w.person(hh=hh, relation="01", name=w.name(surname), sex="1", born=husband_born,
                    status="10" if wed is None else "21", first=wed, died=husband_died)
    if wed is None:
        return
    wife = w.person(hh=hh, relation="01" if husband_died else "02", name=w.name(rng.choice(SURNAMES)), sex="2", born=wife_born,
                    status=wife_status, first=wed, change=husband_died)
    w.marriage(head, wife, wed, end=husband_died, reason="30" if husband_died else None)
    w.marriage(wife, head, wed, end=husband_died, reason="30" if husband_died else None)
    if husband_died:
        w.event(wife, "04", husband_died, "marriage", w.next_id["marriage"] - 2)

    w.measure(wife, "000", wed, "A10")
    for order, born in enumerate(births, 1):
        lmp = born - DAY * 280
        if lmp > wed + DAY * 30:
            w.measure(wife, "000", lmp - DAY * 30, "A10")
        pid = w.new_id("pregnancy")
        registered = lmp + DAY * 50
        w.rows["pregnancy"].append((pid, wife, lmp.isoformat(), registered.isoformat(),
                                    (lmp + DAY * 280).isoformat(), "1", "1", born.isoformat()))
        w.event(wife, "21", registered, "pregnancy", pid)
        w.measure(wife, "000", registered + DAY, "A20")
        sex = rng.choice("12")
        child = w.person(hh=hh, relation="03" if sex == "1" else "04", name=w.name(surname), sex=sex, born=born)
        bid = w.new_id("birth")
        w.rows["birth"].append((bid, wife, child, w.rows["person"][-1][4], sex, born.isoformat(), order, "1"))
        w.event(child, "10", born, "birth", bid)
        w.measure(wife, "000", born, "A92")
        last = order == len(births)
        method = ("810" if order >= 2 and rng.random() < 0.5 else "700") if last else rng.choice(("700", "600", "100"))
        if last and wife_status == "30":
            method = "700"
        w.measure(wife, method, born + DAY * rng.randint(60, 120))
    if ongoing:
        lmp = AS_OF - DAY * rng.randint(60, 200)
        w.measure(wife, "000", lmp - DAY * 30, "A10")
        pid = w.new_id("pregnancy")
        registered = lmp + DAY * 45
        w.rows["pregnancy"].append((pid, wife, lmp.isoformat(), registered.isoformat(),
                                    (lmp + DAY * 280).isoformat(), "1", None, None))
        w.event(wife, "21", registered, "pregnancy", pid)
        w.measure(wife, "000", registered, "A20")
    if husband_died and w.rows["measure"] and w.rows["measure"][-1][1] == wife \
            and add_years(wife_born, 50) > AS_OF and w.rows["measure"][-1][2] == "000":
        w.measure(wife, "000", husband_died, "A94")
    # a grandparent (widowed) in some households
    if rng.random() < 0.25:
        gp_born = _day(rng, dt.date(1925, 1, 1), min(add_years(husband_born, -20), dt.date(1975, 1, 1)))
        w.person(hh=hh, relation="05", name=w.name(surname), sex=rng.choice("12"), born=gp_born, status="30",
                 first=add_years(gp_born, 22), change=min(add_years(gp_born, 60), LIVE_FROM))


def make_village(path: str | Path, *, persons: int = 10_000, seed: int = 1) -> Path:
    """Write a clean village of about ``persons`` people to ``path`` (replaced if present)."""
    path = Path(path)
    if path.exists():
        path.unlink()
    conn = open_village_file(path, create=True)
    rng = random.Random(seed)
    w = _Writer(conn, rng)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO village(id, code, name, township, county, clerk) VALUES"
                 " (1, '420102001001', '合成村', '城关镇', '江岸区', '李芳')")
    conn.execute("INSERT INTO operation(id, at, action, summary) VALUES (1, ?, 'synthetic', '合成数据')",
                 (AS_OF.isoformat() + "T09:00:00",))
    conn.executemany("INSERT INTO village_group(id, name, head_name) VALUES (?, ?, ?)",
                     [(g, f"{g}组", "") for g in range(1, 11)])
    hh = 0
    while w.next_id["person"] <= persons:
        hh += 1
        w.rows["household"].append((hh, f"{hh:04d}", 1 + hh % 10, ""))
        _family(w, hh)
    w.flush()
    conn.execute("COMMIT")
    conn.close()
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(make_village(args.db, persons=args.persons, seed=args.seed))
