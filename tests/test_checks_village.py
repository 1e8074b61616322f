"""A village from a few readable lines, for the check tests (the Beancount ``@loader.load_doc`` way).

    snap = village('''
        person 李娜 女 1992-05-03 hh=001
        person 张伟 男 1990-03-02 hh=001
        marry  李娜 张伟 2015-05-01
        birth  李娜 张小明 男 2016-03-01
        measure 李娜 700 2016-06-01
    ''')

Lines (one per line, or separated by ``;``; ``#`` starts a comment; KEY=VALUE options after the positional
words; people are named by name, or by ``as=KEY``):

    today DATE                          the snapshot's day (default 2026-11-23)
    group NAME [head=NAME]
    household NUMBER [group=NAME]
    person NAME SEX BIRTH [hh= rel= id=auto|none|NUMBER status= first= change= res= in= out= died= eth= edu=
                          hukou= roster= as=KEY]
    marry PERSON SPOUSE DATE [kind=21 end=DATE reason=40|30 sid= sborn= oneway]   (SPOUSE not a person: from
                                        outside; oneway: only PERSON's side is recorded)
    birth MOTHER CHILD SEX DATE [order= policy= rel=1 child=yes|no|PERSON health= as=KEY]
    measure WOMAN METHOD START|none [end= reason= keep]    (a new measure ends the current one unless keep)
    preg WOMAN LMP [outcome= end= registered= expected= policy=]
    flow PERSON out|in DATE [end= as=KEY]
    service PERSON KIND DATE;  cert PERSON KIND DATE;  benefit PERSON KIND YEAR DATE
    event PERSON TYPE OCCURRED [entered= period= record=TABLE:KEY]   (an extra change event)
    setting KEY VALUE;  lock PERIOD SUBMITTED;  noevents (an imported village: no change events at all)

Every change (birth, marriage and its end, death, move, flow, measure, pregnancy registration and outcome) gets
its change event as the service functions would write it — entered the day it happened, or ``late=N`` days later
— unless the line says ``noevent`` or the village says ``noevents``. Unset fields get plausible values: a valid ID
number from birth date and sex, 汉族, 初中, 农业, household 001, the first person of a household its head, marital
status and marriage dates from the marriage lines.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass, field
from typing import Any

import pytest

from fpdesk import codes
from fpdesk.codes import Change
from fpdesk.dates import period_of
from fpdesk.db import open_village_file
from fpdesk.idnumber import make_id_number
from fpdesk.snapshot import Snapshot, load_snapshot

TODAY = dt.date(2026, 11, 23)
SEXES = {"男": "1", "女": "2", "1": "1", "2": "2"}
CHANGE_TYPES = {name: code for name, code in vars(Change).items() if isinstance(code, str) and name.isupper()}


def _date(text: str | None) -> dt.date | None:
    return None if text in (None, "", "none") else dt.date.fromisoformat(text)


def _code(table: str, value: str | None) -> str | None:
    if value in (None, "", "none"):
        return None
    return codes.lookup(table, value) or value  # an unknown value is kept as written (for code checks)


@dataclass
class _Village:
    today: dt.date = TODAY
    events_on: bool = True
    groups: dict[str, dict] = field(default_factory=dict)
    households: dict[str, dict] = field(default_factory=dict)
    persons: dict[str, dict] = field(default_factory=dict)
    explicit: dict[str, set] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=lambda: {
        t: [] for t in ("marriage", "birth", "measure", "pregnancy", "service", "benefit", "migration",
                        "certificate")})
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    locks: list[tuple[str, str]] = field(default_factory=list)

    # -- helpers -------------------------------------------------------------------------------------------
    def pid(self, key: str) -> int:
        return self.persons[key]["id"]

    def add(self, table: str, row: dict, key: str | None = None) -> dict:
        row["id"] = len(self.tables[table]) + 1
        self.tables[table].append(row)
        if key:
            self.keys[key] = (table, row["id"])
        return row

    def event(self, person: int, change: str, day: dt.date | None, record: tuple[str, int] | None,
              opts: dict[str, str], *, force: bool = False) -> None:
        if day is None or "noevent" in opts or not (self.events_on or force):
            return
        entered = _date(opts.get("entered")) or day + dt.timedelta(days=int(opts.get("late", 0)))
        self.events.append({
            "person_id": person, "change_type": change, "occurred_date": day, "entered_date": entered,
            "report_period": opts.get("period") or period_of(day), "record_table": record[0] if record else None,
            "record_id": record[1] if record else None,
        })

    def household(self, number: str, group: str | None = None) -> dict:
        if number not in self.households:
            group = group or "一组"
            if group not in self.groups:
                self.groups[group] = {"id": len(self.groups) + 1, "name": group, "head_name": ""}
            self.households[number] = {"id": len(self.households) + 1, "number": number,
                                       "group_id": self.groups[group]["id"] if group != "none" else None}
        return self.households[number]

    # -- lines ---------------------------------------------------------------------------------------------
    def line(self, words: list[str], opts: dict[str, str]) -> None:
        verb, args = words[0], words[1:]
        getattr(self, "do_" + verb)(args, opts)

    def do_today(self, args, opts):
        self.today = _date(args[0])

    def do_noevents(self, args, opts):
        self.events_on = False

    def do_setting(self, args, opts):
        self.settings[args[0]] = args[1]

    def do_lock(self, args, opts):
        self.locks.append((args[0], args[1]))

    def do_group(self, args, opts):
        self.groups[args[0]] = {"id": len(self.groups) + 1, "name": args[0], "head_name": opts.get("head", "")}

    def do_household(self, args, opts):
        self.household(args[0], opts.get("group"))

    def do_person(self, args, opts, *, relation: str | None = None, household: str | None = None) -> dict:
        name, sex, born = args[0], SEXES[args[1]], _date(args[2])
        key = opts.get("as", name)
        hh_number = opts.get("hh", household or "001")
        hh = None if hh_number == "none" else self.household(hh_number)
        if hh is not None and relation is None and "rel" not in opts:
            relation = "01" if not any(p["household_id"] == hh["id"] for p in self.persons.values()) else "99"
        pid = len(self.persons) + 1
        id_opt = opts.get("id", "auto")
        id_number = (make_id_number(region="420102", birth_date=born, sequence=pid, sex=sex)
                     if id_opt == "auto" and born else None if id_opt in ("auto", "none") else id_opt)
        row = {
            "id": pid, "roster_no": opts.get("roster"), "household_id": hh["id"] if hh else None,
            "relation": _code("relation", opts.get("rel")) if "rel" in opts else relation, "name": name,
            "sex": sex, "birth_date": born, "id_number": id_number,
            "ethnicity": _code("ethnicity", opts.get("eth", "汉族")), "education": _code("education", opts.get("edu", "初中")),
            "hukou": _code("hukou", opts.get("hukou", "农业")), "marital_status": _code("marital_status", opts.get("status")),
            "first_marriage_date": _date(opts.get("first")), "marital_change_date": _date(opts.get("change")),
            "residence": _code("residence", opts.get("res", "常住")), "moved_in_date": _date(opts.get("in")),
            "moved_out_date": _date(opts.get("out")), "death_date": _date(opts.get("died")), "only_child": 0,
            "note": "",
        }
        self.persons[key] = row
        self.explicit[key] = {k for k in ("status", "first", "change") if k in opts}
        self.keys[key] = ("person", pid)
        self.event(pid, Change.MOVE_IN, row["moved_in_date"], ("person", pid), opts)
        self.event(pid, Change.MOVE_OUT, row["moved_out_date"], ("person", pid), opts)
        self.event(pid, Change.DEATH, row["death_date"], ("person", pid), opts)
        return row

    def do_marry(self, args, opts):
        me, other, day = args[0], args[1], _date(args[2])
        kind = _code("marital_status", opts.get("kind", "21"))
        end, reason = _date(opts.get("end")), _code("marital_status", opts.get("reason")) if "reason" in opts else None
        if end is not None and reason is None:
            reason = "40"
        sides = [(me, other)] + ([(other, me)] if other in self.persons and "oneway" not in opts else [])
        for who, spouse in sides:
            s = self.persons.get(spouse)
            row = self.add("marriage", {
                "person_id": self.pid(who), "spouse_id": s["id"] if s else None,
                "spouse_name": s["name"] if s else spouse,
                "spouse_id_number": (s["id_number"] or "") if s else opts.get("sid", ""),
                "spouse_birth_date": s["birth_date"] if s else _date(opts.get("sborn")),
                "kind": kind, "start_date": day, "end_date": end, "end_reason": reason,
            })
            change = {"21": Change.FIRST_MARRIAGE, "22": Change.REMARRIAGE}.get(kind, Change.REMARRIED_FORMER)
            self.event(self.pid(who), change, day, ("marriage", row["id"]), opts)
            if end is not None:
                dead = self.persons[who]["death_date"] == end
                if not dead:
                    self.event(self.pid(who), Change.DIVORCE if reason == "40" else Change.WIDOWED, end,
                               ("marriage", row["id"]), opts)

    def do_birth(self, args, opts):
        mother, name, sex, day = args[0], args[1], SEXES[args[2]], _date(args[3])
        mom = self.persons[mother]
        own = [b for b in self.tables["birth"] if b["mother_id"] == mom["id"]]
        order = int(opts.get("order", max((b["birth_order"] for b in own), default=0) + 1))
        child_id = None
        if opts.get("child") in self.persons:
            child_id = self.persons[opts["child"]]["id"]
        elif opts.get("child", "yes") != "no":
            hh = next((n for n, h in self.households.items() if h["id"] == mom["household_id"]), "none")
            child = self.do_person([name, args[2], args[3]], {"as": opts.get("as", name), "hh": hh,
                                                               "status": "未婚", "id": opts.get("id", "auto")},
                                   relation="03" if sex == "1" else "04")
            child_id = child["id"]
        row = self.add("birth", {
            "mother_id": mom["id"], "child_id": child_id, "child_name": name, "child_sex": sex, "birth_date": day,
            "birth_order": order, "policy_status": _code("policy_status", opts.get("policy", "1")),
            "birth_cert_no": "", "blood_relation": _code("blood_relation", opts.get("rel", "1")),
            "health": _code("health", opts.get("health", "1")),
        }, key="birth:" + opts.get("as", name))
        self.event(child_id or mom["id"], Change.BIRTH, day, ("birth", row["id"]), opts)

    def do_measure(self, args, opts):
        who, method, start = self.pid(args[0]), _code("method", args[1]), _date(args[2])
        if "keep" not in opts and start is not None:
            for m in self.tables["measure"]:
                if m["person_id"] == who and m["end_date"] is None and m["start_date"] is not None:
                    m["end_date"] = start
        row = self.add("measure", {
            "person_id": who, "method": method, "start_date": start, "end_date": _date(opts.get("end")),
            "institution": "", "change_reason": "", "no_measure_reason": _code("no_measure_reason", opts.get("reason")),
        }, key=opts.get("as"))
        self.event(who, Change.MEASURE, start, ("measure", row["id"]), opts)

    def do_preg(self, args, opts):
        who, lmp = self.pid(args[0]), _date(args[1])
        registered = _date(opts.get("registered")) if "registered" in opts else lmp + dt.timedelta(days=50)
        outcome = _code("pregnancy_outcome", opts.get("outcome"))
        row = self.add("pregnancy", {
            "person_id": who, "lmp_date": lmp, "registered_date": registered,
            "expected_date": _date(opts["expected"]) if "expected" in opts else lmp + dt.timedelta(days=280),
            "policy_status": _code("policy_status", opts.get("policy", "1")), "outcome": outcome,
            "end_date": _date(opts.get("end")), "end_place": "",
        }, key=opts.get("as"))
        self.event(who, Change.PREGNANCY_REGISTERED, registered, ("pregnancy", row["id"]), opts)
        if outcome not in (None, "1"):
            self.event(who, Change.PREGNANCY_ENDED, row["end_date"], ("pregnancy", row["id"]), opts)

    def do_flow(self, args, opts):
        who, kind, day = self.pid(args[0]), {"out": "2", "in": "1"}[args[1]], _date(args[2])
        row = self.add("migration", {"person_id": who, "kind": kind, "start_date": day, "place": "",
                                     "end_date": _date(opts.get("end")), "certificate_no": ""}, key=opts.get("as"))
        self.event(who, Change.OUTFLOW if kind == "2" else Change.INFLOW, day, ("migration", row["id"]), opts)
        self.event(who, Change.RETURN, row["end_date"], ("migration", row["id"]), opts)

    def do_service(self, args, opts):
        self.add("service", {"person_id": self.pid(args[0]), "kind": _code("service_kind", args[1]),
                             "service_date": _date(args[2]), "result": "", "institution": "", "item": "",
                             "quantity": None})

    def do_cert(self, args, opts):
        self.add("certificate", {"person_id": self.pid(args[0]), "kind": _code("certificate", args[1]),
                                 "number": "", "issued_date": _date(args[2])})

    def do_benefit(self, args, opts):
        self.add("benefit", {"person_id": self.pid(args[0]), "kind": _code("benefit_kind", args[1]),
                             "year": int(args[2]), "amount_fen": 100, "paid_date": _date(args[3])})

    def do_event(self, args, opts):
        change = CHANGE_TYPES.get(args[1], args[1])
        record = None
        if "record" in opts:
            record = self.keys[opts["record"]] if opts["record"] in self.keys else tuple(opts["record"].split(":"))
            record = (record[0], int(record[1]))
        self.event(self.pid(args[0]), change, _date(args[2]), record, opts, force=True)

    # -- derived defaults and the file ----------------------------------------------------------------------
    def settle(self) -> None:
        for key, p in self.persons.items():
            marriages = [m for m in self.tables["marriage"] if m["person_id"] == p["id"]]
            given = self.explicit[key]
            if not marriages:
                if "status" not in given and p["marital_status"] is None:
                    p["marital_status"] = "10"
                continue
            current = [m for m in marriages if m["end_date"] is None]
            ended = sorted((m for m in marriages if m["end_date"] is not None), key=lambda m: m["end_date"])
            if "status" not in given:
                p["marital_status"] = current[-1]["kind"] if current else ended[-1]["end_reason"]
            starts = [m["start_date"] for m in marriages if m["start_date"]]
            if "first" not in given and starts:
                p["first_marriage_date"] = min(starts)
            if "change" not in given:
                if current and current[-1]["kind"] != "21":
                    p["marital_change_date"] = current[-1]["start_date"]
                elif not current and ended:
                    p["marital_change_date"] = ended[-1]["end_date"]

    def snapshot(self) -> Snapshot:
        self.settle()
        conn = open_village_file(":memory:", create=True)
        try:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO village(id, code, name, clerk) VALUES (1, '420102001001', '双河村', '李芳')")
            conn.execute("INSERT INTO operation(id, at, action) VALUES (1, '2000-01-01T09:00:00', 'test')")
            self._insert(conn, "village_group", list(self.groups.values()))
            self._insert(conn, "household", list(self.households.values()))
            self._insert(conn, "person", list(self.persons.values()))
            for table, rows in self.tables.items():
                self._insert(conn, table, rows)
            self._insert(conn, "change_event", [{**e, "op_id": 1} for e in self.events])
            for key, value in self.settings.items():
                conn.execute("INSERT OR REPLACE INTO setting(key, value) VALUES (?, ?)", (key, value))
            for period, submitted in self.locks:
                conn.execute("INSERT INTO period_lock(period, submitted_at) VALUES (?, ?)", (period, submitted))
            conn.execute("COMMIT")
            return load_snapshot(conn, as_of=self.today)
        finally:
            conn.close()

    @staticmethod
    def _insert(conn, table: str, rows: list[dict]) -> None:
        for row in rows:
            values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
            cols = ", ".join(values)
            conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in values)})",
                         tuple(values.values()))


def parse_line(text: str) -> tuple[list[str], dict[str, str]]:
    words, opts = [], {}
    for token in shlex.split(text):
        if "=" in token:
            key, value = token.split("=", 1)
            opts[key] = value
        elif token in ("keep", "noevent", "oneway"):
            opts[token] = "1"
        else:
            words.append(token)
    return words, opts


def village(*texts: str) -> Snapshot:
    """The snapshot of the village the lines describe (several texts are read in order)."""
    v = _Village()
    for text in texts:
        for raw in text.replace(";", "\n").splitlines():
            line = raw.split("#", 1)[0].strip()
            if line:
                words, opts = parse_line(line)
                v.line(words, opts)
    return v.snapshot()


# A small village that breaks no rule: the near-miss base of the rule tests. Two households, an in-village couple
# with two children and an IUD after the second, a couple with the husband from outside, a widow, a young
# unmarried woman, a death, a move, an outflow and an ongoing pregnancy.
CLEAN = """
    group 一组 head=王五
    group 二组 head=赵六
    household 001 group=一组
    household 002 group=二组
    household 003 group=二组
    person 张伟 男 1988-03-02 hh=001
    person 李娜 女 1990-05-03 hh=001 rel=配偶
    marry  李娜 张伟 2012-10-01
    birth  李娜 张小明 男 2014-03-01
    measure 李娜 600 2014-09-01
    measure 李娜 000 2017-01-10 reason=待孕
    preg   李娜 2017-02-01 outcome=活产 end=2017-11-08
    birth  李娜 张小红 女 2017-11-08
    measure 李娜 700 2018-02-01
    service 李娜 查环 2026-05-10
    person 王芳 女 1994-07-01 hh=002
    marry  王芳 刘强 2019-10-01 sid=420102199001010110 sborn=1990-01-01
    measure 王芳 000 2019-10-01 reason=待孕
    measure 王芳 000 2026-10-01 reason=现孕
    preg   王芳 2026-08-20
    person 赵兰 女 1980-02-14 hh=003
    person 孙强 男 1978-06-30 hh=003 rel=配偶
    marry  赵兰 孙强 2001-12-01
    person 孙小 男 2003-01-01 hh=003 rel=子
    birth  赵兰 孙小 男 2003-01-01 child=孙小
    person 孙丽 女 2006-04-05 hh=003 rel=女
    birth  赵兰 孙丽 女 2006-04-05 child=孙丽
    measure 赵兰 810 2006-10-01
    person 陈老汉 男 1940-01-01 hh=003 rel=父母 died=2026-10-15 status=丧偶 first=1962-01-01 change=1990-01-01
    person 周梅 女 1985-01-01 hh=002 rel=兄弟姐妹 out=2026-10-20
    person 王磊 男 1996-02-11 hh=002 rel=兄弟姐妹
    flow   王磊 out 2025-03-01
"""


def codes_of(findings) -> set[str]:
    return {f.code for f in findings}


# -- the builder itself -------------------------------------------------------------------------------------


def test_builder_makes_the_records_the_lines_say() -> None:
    snap = village(CLEAN)
    names = {p.name for p in snap.persons}
    assert {"张伟", "李娜", "张小明", "张小红", "王芳", "赵兰"} <= names
    li = next(p for p in snap.persons if p.name == "李娜")
    assert li.marital_status == "21" and li.first_marriage_date == dt.date(2012, 10, 1)
    assert snap.current_measure(li).method == "700"
    assert [b.birth_order for b in snap.births_of[li.id]] == [1, 2]
    assert any(e.change_type == Change.BIRTH for e in snap.events)


@pytest.mark.parametrize("line, expected", [
    ("person 甲 女 1990-01-01 id=none", None),                 # an explicit blank ID number
    ("person 甲 女 1990-01-01 id=123", "123"),                 # an ID number as written
])
def test_builder_id_option(line: str, expected: Any) -> None:
    snap = village(line)
    assert snap.persons[0].id_number == expected


# -- the rule tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One row of a rule table: the rule it is about, the lines added to the clean village, the codes expected
    from the full check (an empty set for a near miss that must pass)."""

    rule: str
    note: str
    lines: str
    expected: frozenset[str]

    @property
    def id(self) -> str:
        return f"{self.rule}-{'catch' if self.rule in self.expected else 'pass'}-{self.note}"


def case(rule: str, note: str, lines: str, *expected: str) -> Case:
    return Case(rule, note, lines, frozenset(expected))


def run_case(c: Case, *, base: str = CLEAN):
    from fpdesk.checks import run_checks
    return run_checks(village(base, c.lines))
