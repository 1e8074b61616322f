"""One month of a married woman's card: a pregnancy registered and ended, a child born, a measure taken after
it, an IUD removed to plan the next child, menopause.

The card stays consistent the way a careful clerk keeps it: a pregnancy is registered with her measure changed to
未避孕 · 现孕; a birth sets 产后一月, and one to two months later the measure she takes; an abortion is followed
by a measure and a follow-up visit. (The one card left stale on purpose is planted error E12.)
"""

from __future__ import annotations

import datetime as dt

from fpdesk.dates import add_years
from fpdesk.demo import calls
from fpdesk.demo.cards import LONG_ACTING, between_method, final_method, institution
from fpdesk.demo.desk import CARD, CHANGE, PAY
from fpdesk.demo.model import FEMALE, MALE, Birth, Person, Pregnancy, World, days
from fpdesk.policy import suggest_policy_status

SUBSIDY_FROM = dt.date(2025, 1, 1)   # 育儿补贴: children born from 2025, 3,600 yuan a year until 3


def set_measure(world: World, w: Person, day: dt.date, method: str, why: str | None, reason: str) -> None:
    world.desk.add(CARD, day, (w,), calls.measure(w, day, method, why_none=why, reason=reason,
                                                  institution=institution(world, method) if method != "000" else ""))
    w.method, w.reason, w.method_since = method, why, day
    w.last = max(w.last, day)
    if method in LONG_ACTING:
        w.followup = day + days(world.rng.randint(7, 30))


def pregnancy_policy(w: Person, due: dt.date) -> str:
    return suggest_policy_status(birth_date=due, birth_order=len(w.births) + 1, rural=w.hukou != "2",
                                 first_child_sex=w.births[0].sex if w.births else None)


def month(world: World, w: Person, m0: dt.date, m1: dt.date) -> None:
    """What happens on her card this month (at most one step of the cycle)."""
    rng = world.rng
    if w.protected:
        return
    if w.preg is not None:
        _pregnant(world, w, m0, m1)
        return
    if w.pp_due is not None:
        if w.pp_due <= m1:
            _postpartum(world, w, m1)
        return
    start_of_month = max(m0, w.last)
    if start_of_month > m1:
        return
    if w.menopause is not None and w.menopause <= m1 and w.reason != "A30" \
            and w.menopause < add_years(w.birth, 50):
        set_measure(world, w, world.random_day(max(w.menopause, start_of_month), m1), "000", "A30", "绝经")
        w.fecund = 0.0
        return
    if w.method == "000" and w.reason == "A10":
        if rng.random() < 0.17 * w.fecund:
            _conceive(world, w, start_of_month, m1, planned=True)
        elif not w.births and w.trying_since and (m1 - w.trying_since).days > 900:
            set_measure(world, w, world.random_day(start_of_month, m1), "000", "A93", "婚后两年以上未孕")
            w.fecund = 0.0
        return
    if w.method in ("600", "100", "200", "910") and rng.random() < 0.002 * w.fecund:
        _conceive(world, w, start_of_month, m1, planned=False)
        return
    if w.method not in ("810", "820", "000", None) and len(w.births) < w.want and w.fecund > 0 \
            and w.age(m1) < 42 and (not w.births or (m1 - w.births[-1].date).days > 700) and rng.random() < 0.07:
        reason = "取环待孕" if w.method in LONG_ACTING else "停用待孕"
        set_measure(world, w, world.random_day(start_of_month, m1), "000", "A10", reason)
        w.trying_since = w.method_since
        return
    if w.method in ("600", "100") and rng.random() < 0.004:
        set_measure(world, w, world.random_day(start_of_month, m1), "700", None, "改用长效措施")


def _conceive(world: World, w: Person, lo: dt.date, hi: dt.date, *, planned: bool) -> None:
    rng = world.rng
    lmp = world.random_day(lo, hi)
    roll = rng.random()
    outcome = ("1" if roll < 0.9 else "3" if roll < 0.97 else "4") if planned else \
        ("4" if roll < 0.55 else "1" if roll < 0.93 else "3")
    if outcome == "1":
        end = lmp + days(rng.randint(259, 279))
        registered = lmp + days(rng.randint(42, 84))
    elif outcome == "4":
        end = lmp + days(rng.randint(45, 80))
        registered = lmp + days(rng.randint(35, (end - lmp).days - 3))
    else:
        end = lmp + days(rng.randint(56, 110))
        registered = lmp + days(rng.randint(35, 50))
    twins = outcome == "1" and not world.twins_done and lmp >= world.twins_due
    world.twins_done = world.twins_done or twins
    w.preg = Pregnancy(lmp=lmp, registered=registered, end=end, outcome=outcome, twins=twins)


def _pregnant(world: World, w: Person, m0: dt.date, m1: dt.date) -> None:
    rng = world.rng
    desk = world.desk
    pr = w.preg
    assert pr is not None
    if not pr.registered_done and pr.registered <= m1:
        day = max(pr.registered, w.last)
        if day < pr.end and day <= m1:
            desk.add(CARD, day, (w,), calls.pregnancy(w, pr, policy=pregnancy_policy(w, pr.lmp + days(280)),
                                                      registered=day))
            pr.registered_done = True
            set_measure(world, w, day, "000", "A20", "现孕")
            order = len(w.births) + 1
            if order <= 2:
                desk.add(PAY, day, (w,), calls.certificate(w, "0101" if order == 1 else "0102", day,
                                                           world.certificate_no(day)))
    if pr.end > m1:
        return
    day = max(pr.end, w.last)
    if day > m1:
        return
    w.preg = None
    w.last_preg_end = day
    if pr.outcome == "1":
        _birth(world, w, day, twins=pr.twins)
        return
    if not pr.registered_done:
        return                      # lost before anyone knew: nothing on the card
    place = rng.choice(world.institutions[:2])
    desk.add(CARD, day, (w,), calls.outcome(pr, pr.outcome, day, place))
    w.last = day
    if pr.outcome == "4":
        method = rng.choices(("700", "600", "100"), (55, 30, 15))[0]
        set_measure(world, w, day, method, None, "人工流产后落实措施")
        w.followup = day + days(rng.randint(7, 20))
    elif len(w.births) < w.want:
        set_measure(world, w, day, "000", "A10", "自然流产后待孕")
    else:
        set_measure(world, w, day, "600", None, "自然流产后落实措施")


def child_relation(mother: Person, sex: str) -> str:
    """As ``record_birth`` works it out from the mother's relation to the head."""
    if mother.relation in ("01", "02"):
        return "03" if sex == MALE else "04"
    return "06" if mother.relation in ("03", "04") else "99"


def _birth(world: World, w: Person, day: dt.date, *, twins: bool) -> None:
    rng = world.rng
    desk = world.desk
    father = w.spouse.name[0] if w.spouse else w.outside.name[0] if w.outside else w.name[0]
    surname = father if rng.random() < 0.95 else w.name[0]
    cert_letter = rng.choice("NOPQR")
    for _ in range(2 if twins else 1):
        sex = MALE if rng.random() < 0.515 else FEMALE
        child = world.new_person(sex=sex, birth=day, surname=surname, ethnicity=w.ethnicity, hukou=w.hukou,
                                 relation=child_relation(w, sex), household=w.household, since=day)
        b = Birth(date=day, sex=sex, name=child.name, child=child)
        w.births.append(b)
        cert_no = f"{cert_letter}{rng.randint(420000000, 429999999)}"
        desk.add(CHANGE, day, (w, child), calls.birth(w, b, cert_no=cert_no))
        desk.add(CARD, day, (w, child), calls.correct(lambda c=child: c.id, "person", "roster_no", child.roster_no,
                                                      "新生儿编入花名册"))
        if day >= SUBSIDY_FROM:
            w.subsidies.append([day, day + days(rng.randint(45, 100))])
            if w not in world.subsidized:
                world.subsidized.append(w)
    set_measure(world, w, day, "000", "A92", "产后")
    w.followup = None
    w.pp_due = day + days(rng.randint(30, 75))


def _postpartum(world: World, w: Person, m1: dt.date) -> None:
    assert w.pp_due is not None
    last_birth = w.births[-1].date
    if world.stale_postpartum is None and w.residence == "1" and 200 <= (world.as_of - last_birth).days <= 700 \
            and world.as_of < add_years(w.birth, 49):
        world.stale_postpartum = w      # planted error E12: the measure after this birth is never recorded
        w.protected = True
        w.pp_due = None
        return
    day = max(w.pp_due, w.last)
    if day > m1:
        return
    n = len(w.births)
    method = between_method(world) if n < w.want else final_method(world, n, day)
    set_measure(world, w, day, method, None, "产后落实措施")
    w.pp_due = None
