"""The deliberate ledger errors of the demo village: fifteen contradictions of fifteen kinds, each on a different
person, each one a rule of the checks should report. They are written through the services on the last day —
``correct_field`` (audited, with the reason "演示村预置错误 Enn") or a service call — except E12, which the
simulation leaves behind (a measure after a birth that is never recorded). The list is in
``docs/demo-village.md`` and in the package docstring; which person carries which error depends on the seed and
is returned in ``DemoSummary.planted`` and kept in the village file's setting ``demo_planted_errors``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

from fpdesk import codes
from fpdesk.dates import add_years
from fpdesk.demo import calls
from fpdesk.demo.desk import PLANT
from fpdesk.demo.fertility import pregnancy_policy
from fpdesk.demo.life import alive
from fpdesk.demo.model import FEMALE, MALE, Person, Pregnancy, World, days


@dataclass(frozen=True, slots=True)
class PlantedError:
    """One deliberate error.

    code: E01 … E15.
    title: what is wrong, in Chinese.
    rule: the rule that should report it (Chinese; the checks' code as of writing in brackets).
    roster_no: the person's 人员编号.
    name: the person's name.
    detail: the wrong value written, in Chinese.
    """

    code: str
    title: str
    rule: str
    roster_no: str
    name: str
    detail: str


def _why(code: str) -> str:
    return f"演示村预置错误 {code}"


class _Planter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.as_of = world.as_of
        self.taken: set[int] = set()
        self.out: list[PlantedError] = []
        if world.stale_postpartum is not None:
            self.taken.add(id(world.stale_postpartum))
        self.alive = [p for p in world.persons if alive(p) and not p.protected]
        self.cards = [p for p in self.alive if self.card(p)]

    def pick(self, test: Callable[[Person], bool], *, among: list[Person] | None = None) -> Person | None:
        """One person passing ``test``, at random, not used by another planted error."""
        pool = [p for p in (self.alive if among is None else among) if id(p) not in self.taken and test(p)]
        if not pool:
            return None
        p = self.rng.choice(pool)
        self.taken.add(id(p))
        return p

    def card(self, p: Person) -> bool:
        """A resident married woman of childbearing age, nothing pending on her card."""
        return (p.card(self.as_of) and alive(p) and p.residence == "1" and p.preg is None and p.pp_due is None
                and p.move_out_due is None and p.age(self.as_of) < 48)

    def fix(self, p: Person, code: str, table: str, field: str, value: object, record=None) -> None:
        self.world.desk.add(PLANT, self.as_of, (p,), calls.correct(record or (lambda: p.id), table, field, value,
                                                                   _why(code)))

    def note(self, code: str, title: str, rule: str, p: Person, detail: str) -> None:
        self.out.append(PlantedError(code, title, rule, p.roster_no, p.name, detail))


def plant_errors(world: World) -> tuple[PlantedError, ...]:
    """Choose the subjects from the village as it stands on ``as_of`` and write the errors."""
    t = _Planter(world)
    as_of = world.as_of
    rng = world.rng

    p = t.pick(lambda q: q.sex == MALE and alive(q) and q.residence == "1" and 30 <= q.age(as_of) <= 60)
    if p:
        right = p.id_number[17]
        wrong = rng.choice([c for c in "0123456789X" if c != right])
        t.fix(p, "E01", "person", "id_number", p.id_number[:17] + wrong)
        t.note("E01", "身份证号校验位错误", "身份证号校验位（I001）", p, f"身份证号末位由“{right}”改为“{wrong}”")

    p = t.pick(lambda q: alive(q) and q.residence == "1" and 60 <= q.age(as_of) <= 85 and not q.births)
    if p:
        wrong = p.birth - days(rng.randint(3, 25))
        t.fix(p, "E02", "person", "birth_date", wrong)
        t.note("E02", "出生日期与身份证号不符", "身份证号与出生日期（I003）", p,
               f"出生日期登记为 {wrong}，身份证号中为 {p.birth}")

    p = t.pick(lambda q: q.sex == MALE and alive(q) and q.residence == "1" and q.marital == "10"
               and 20 <= q.age(as_of) <= 40)
    if p:
        host = rng.choice([h for h in world.households if h is not p.household and any(alive(m) for m in h.members)])
        dup = dataclasses.replace(p, roster_no=f"P{len(world.persons) + 1:06d}", relation="99", household=host,
                                  id=None, protected=True)
        world.persons.append(dup)
        world.desk.add(PLANT, as_of, (p, dup, host), calls.add_person(host, dup))
        t.note("E03", "同一人重复登记（一号两人）", "一人一号（I005）", p,
               f"在户 {host.number} 又登记了一次（人员编号 {dup.roster_no}），身份证号相同")

    p = t.pick(lambda q: True, among=t.cards)
    if p:
        t.fix(p, "E04", "person", "marital_status", "40")
        t.note("E04", "离婚却仍有现任丈夫", "离婚丧偶无现任配偶（M001）", p, "婚姻状况改为“离婚”，婚姻记录未终止")

    p = t.pick(lambda q: True, among=t.cards)
    if p:
        t.fix(p, "E05", "person", "first_marriage_date", None)
        t.note("E05", "已婚无初婚日期", "初婚日期必填（M002）", p, f"初婚日期（{p.first_marriage}）被清空")

    first_wives = [q for q in t.cards if q.marital == "21" and q.first_marriage is not None
                   and q.first_marriage < world.start]
    p = t.pick(lambda q: q.outside is not None, among=first_wives) or t.pick(lambda q: True, among=first_wives)
    if p:
        early = add_years(p.birth, 18) + days(rng.randint(30, 300))
        t.fix(p, "E06", "person", "first_marriage_date", early)
        t.fix(p, "E06", "marriage", "start_date", early, record=lambda p=p: p.marriage_id)
        t.note("E06", "初婚未到法定婚龄", "法定婚龄（D005）", p, f"初婚日期改为 {early}（18周岁），婚姻记录同改")

    mothers = [q for q in t.alive if q.sex == FEMALE and q.births and q.is_married() and q.residence == "1"
               and q.preg is None and q.age(as_of) < 50]
    p = t.pick(lambda q: q.births[0].child is None, among=mothers) or t.pick(lambda q: True, among=mothers)
    if p:
        b = p.births[0]
        early = add_years(p.birth, 14) + days(rng.randint(60, 200))
        t.fix(p, "E07", "birth", "birth_date", early, record=lambda b=b: b.id)
        also = "；该子女在本村人口登记中，出生日期与出生登记不一致（X005）" if b.child is not None else ""
        t.note("E07", "母亲生育时不满15周岁", "母亲年龄（D006）；同时为婚前生育（D007）", p,
               f"第1孩{b.name}的出生日期由 {b.date} 改为 {early}{also}")

    p = t.pick(lambda q: len(q.births) == 2 and q.births[0].date != q.births[1].date, among=t.cards)
    if p:
        b = p.births[1]
        t.fix(p, "E08", "birth", "birth_order", 3, record=lambda b=b: b.id)
        t.note("E08", "孩次不连续", "孩次连续（D008）", p, f"第2孩{b.name}的孩次改为3（缺第2孩）")

    p = t.pick(lambda q: q.method == "810" and q.age(as_of) < 45, among=t.cards)
    if p:
        lmp = as_of - days(rng.randint(60, 80))
        preg = Pregnancy(lmp=lmp, registered=as_of - days(rng.randint(1, 5)), end=as_of, outcome="")
        world.desk.add(PLANT, as_of, (p,), calls.pregnancy(p, preg, policy=pregnancy_policy(p, lmp + days(280)),
                                                           registered=preg.registered))
        t.note("E09", "已绝育却登记在孕", "长效措施与孕情（C006）", p, f"当前措施女性绝育，登记孕情末次月经 {lmp}")

    lmp = as_of - days(rng.randint(325, 340))

    def quiet_since(q: Person) -> bool:     # nothing on her card since before that last period
        return (q.last_preg_end is None or q.last_preg_end < lmp) and q.method_since is not None \
            and q.method_since <= lmp and all(b.date < lmp - days(365) for b in q.births)
    p = t.pick(lambda q: not q.births and q.method == "000" and q.reason in ("A93", "A10")
               and quiet_since(q), among=t.cards) \
        or t.pick(lambda q: q.method in ("600", "100", "000") and q.reason in (None, "A10", "A93")
                  and quiet_since(q), among=t.cards)
    if p:
        preg = Pregnancy(lmp=lmp, registered=as_of, end=as_of, outcome="")
        world.desk.add(PLANT, as_of, (p,), calls.pregnancy(p, preg, policy=pregnancy_policy(p, lmp + days(280)),
                                                           registered=None))
        world.desk.add(PLANT, as_of, (p,), calls.measure(p, as_of, "000", why_none="A20", reason="现孕"))
        also = "；她有子女，末孩已满6个月而措施为“现孕”，也会被“措施落实及时（C009）”列出" if p.births else ""
        t.note("E10", "孕情逾期未登记结果", "孕情逾期未结（P001）", p,
               f"末次月经 {lmp}，预产期 {lmp + days(280)} 已过两周以上，无孕产结果{also}")

    p = t.pick(lambda q: q.method == "700" and q.method_since < world.start, among=t.cards)
    if p:
        t.fix(p, "E11", "measure", "start_date", None, record=lambda p=p: p.measure_id)
        t.note("E11", "节育措施无开始日期", "措施开始日期（C001）", p, f"当前措施宫内节育器的开始日期（{p.method_since}）被清空")

    w = world.stale_postpartum
    if w is not None and w.card(as_of) and alive(w):
        t.note("E12", "末孩满6个月未落实节育措施", "措施落实及时（C009）", w,
               f"末孩 {w.births[-1].date} 出生，此后节育措施仍为“未避孕·产后一月”")

    p = t.pick(lambda q: q.sex == FEMALE and q.is_married() and alive(q) and q.residence == "1"
               and 50 <= q.age(as_of) <= 53 and q.preg is None and q.last <= as_of - days(5)
               and add_years(q.birth, 50) <= as_of - days(5))
    if p:
        day = world.random_day(max(p.last, add_years(p.birth, 50), as_of - days(40)), as_of - days(5))
        world.desk.add(PLANT, as_of, (p,), calls.measure(p, day, "600", reason="发放避孕套", institution="村卫生室"))
        t.note("E13", "超龄仍在档案卡上落实措施", "超龄注销（D013）", p,
               f"{p.age(day)}周岁时（{day}）登记节育措施避孕套，档案卡应已超龄注销")

    p = t.pick(lambda q: q.serviced is not None and q.serviced >= as_of - days(300), among=t.cards)
    if p:
        future = p.serviced.replace(year=p.serviced.year + 1) if p.serviced.month != 2 or p.serviced.day != 29 \
            else dt.date(p.serviced.year + 1, 2, 28)
        t.fix(p, "E14", "service", "service_date", future, record=lambda p=p: p.service_id)
        t.note("E14", "服务日期晚于今天", "日期不晚于今天（D001）", p, f"最近一次服务的日期 {p.serviced} 误录为 {future}")

    p = t.pick(lambda q: q.method == "000" and q.reason == "A10", among=t.cards) \
        or t.pick(lambda q: q.card(as_of) and q.residence == "1" and q.method == "000"
                  and q.reason in ("A93", "A30"))
    if p:
        t.fix(p, "E15", "measure", "no_measure_reason", None, record=lambda p=p: p.measure_id)
        t.note("E15", "未避孕却无原因", "未避孕须有原因（C002）", p,
               f"当前“未避孕”记录的原因（{codes.label('no_measure_reason', p.reason)}）被清空")

    out = tuple(sorted(t.out, key=lambda e: e.code))
    text = json.dumps([{"code": e.code, "roster_no": e.roster_no, "title": e.title} for e in out], ensure_ascii=False)
    world.desk.add(PLANT, as_of, (), calls.setting("demo_planted_errors", text))
    return out
