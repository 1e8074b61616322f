"""A married woman's card (档案卡) when the file begins: her children, her contraception history, a pregnancy
under way, an only-child certificate — and the method choices the simulation reuses after each birth.

Contraception follows what county cards of the time show: an IUD (上环) after the first child, removed some
months before a planned second; after the last child an IUD or, in the one-child years especially, female
sterilisation (女扎); implants, condoms and pills for a minority; a few husbands sterilised (男扎, recorded on the
wife's card). A woman without a method has a reason: planning a pregnancy, pregnant, postpartum, infertile,
menopause, divorced or widowed.
"""

from __future__ import annotations

import datetime as dt

from fpdesk.dates import add_years, age_on
from fpdesk.demo import calls
from fpdesk.demo.desk import BASELINE
from fpdesk.demo.model import Birth, Person, Pregnancy, World, days
from fpdesk.policy import TWO_CHILD_FROM

LONG_ACTING = ("700", "300", "810", "820")
_BETWEEN = (("700", 68), ("600", 20), ("100", 6), ("300", 6))
_AFTER_ONE = (("700", 62), ("600", 16), ("300", 6), ("100", 5), ("810", 6), ("820", 1), ("200", 2), ("910", 2))
_AFTER_TWO_OLD = (("810", 42), ("700", 38), ("300", 6), ("600", 8), ("820", 4), ("100", 2))
_AFTER_TWO_NEW = (("810", 22), ("700", 52), ("300", 7), ("600", 12), ("820", 3), ("100", 4))
_AFTER_MORE = (("810", 65), ("700", 20), ("820", 10), ("300", 5))


def _pick(world: World, table: tuple[tuple[str, int], ...]) -> str:
    return world.rng.choices([m for m, _ in table], [w for _, w in table])[0]


def between_method(world: World) -> str:
    """A method while another child is still planned."""
    return _pick(world, _BETWEEN)


def final_method(world: World, children: int, day: dt.date) -> str:
    """The method after what the couple means to be the last child."""
    if children <= 1:
        return _pick(world, _AFTER_ONE)
    if children == 2:
        return _pick(world, _AFTER_TWO_OLD if day < TWO_CHILD_FROM else _AFTER_TWO_NEW)
    return _pick(world, _AFTER_MORE)


def institution(world: World, method: str) -> str:
    """Where an operation was done; pills and condoms come from the village's own supply."""
    if method in LONG_ACTING:
        return world.rng.choice(world.institutions)
    return "村卫生室" if method in ("100", "600", "200") else ""


def draw_want(world: World, w: Person, day: dt.date) -> int:
    """How many children she means to have, seen from ``day`` (the three-child years: most stop at two)."""
    rng = world.rng
    n = len(w.births)
    age = age_on(w.birth, day)
    if n == 0:
        return rng.choices((1, 2, 3), (30, 62, 8))[0]
    if n == 1 and age < 37:
        return 2 if rng.random() < 0.22 else 1
    if n == 2 and age < 35:
        girls = all(b.sex == "2" for b in w.births)
        return 3 if rng.random() < (0.10 if girls else 0.04) else 2
    if n == 3 and age < 35 and rng.random() < 0.03:
        return 4          # a fourth child: out of policy even now
    return n


def open_card(world: World, w: Person, *, births: list[Birth], married: dt.date, want: int,
              coming: dt.date | None, ended: dt.date | None, one_child_cert: bool) -> None:
    """Write a woman's card as it stood when the file began: births, measures, pregnancy, certificate."""
    rng = world.rng
    start = world.start
    desk = world.desk
    w.births = births
    for b in births:
        desk.add(BASELINE, start, (w,), calls.birth(w, b))
        if b.child is not None:
            desk.add(BASELINE, start, (w, b.child), calls.correct(
                lambda b=b: b.id, "birth", "child_id", lambda c=b.child: c.id, "关联本户子女"))
    if one_child_cert:
        issued = min(births[0].date + days(rng.randint(300, 1000)), TWO_CHILD_FROM - days(30), start - days(30))
        desk.add(BASELINE, start, (w,), calls.certificate(w, "0108", issued, world.certificate_no(issued)))
        w.only_child_cert = True

    preg = None
    trying = False
    lmp = None
    if coming is not None:
        lmp = coming - days(rng.randint(262, 278))
        if lmp < start - days(10):
            preg = Pregnancy(lmp=lmp, registered=lmp + days(rng.randint(40, 80)), end=coming, outcome="1")
        else:
            trying = True
    hist: list[tuple[dt.date, str, str | None, str, str]] = []

    def add(day: dt.date, method: str, why: str | None, reason: str) -> None:
        if hist and day < hist[-1][0]:
            day = hist[-1][0]
        hist.append((day, method, why, reason, institution(world, method) if method != "000" else ""))

    if not births:
        if preg is not None or trying or (start - married).days < 1000:
            add(married + days(rng.randint(0, 60)), "000", "A10", "新婚待孕")
        else:
            add(married + days(730 + rng.randint(0, 200)), "000", "A93", "婚后两年未孕")
            w.fecund = 0.0
    for i, b in enumerate(births):
        pp = b.date + days(rng.randint(42, 120))
        if i + 1 < len(births):
            stop = births[i + 1].date - days(rng.randint(300, 420))
            if stop > pp + days(60):
                method = between_method(world)
                add(pp, method, None, "产后落实措施")
                add(stop, "000", "A10", "取环待孕" if method in LONG_ACTING else "停用待孕")
            continue
        if pp >= start:                      # still postpartum when the file begins
            add(b.date, "000", "A92", "产后")
            w.pp_due = pp
        elif preg is not None or trying:
            until = (lmp if preg is not None else start) - days(30)
            if until > pp + days(60):
                method = between_method(world)
                add(pp, method, None, "产后落实措施")
                add(world.random_day(pp + days(60), until), "000", "A10",
                    "取环待孕" if method in LONG_ACTING else "停用待孕")
            else:
                add(pp, "000", "A10", "待孕")
        else:
            add(pp, final_method(world, len(births), b.date), None, "产后落实措施")
    if preg is not None and preg.registered < start:
        desk.add(BASELINE, start, (w,), calls.pregnancy(w, preg, policy=None, registered=preg.registered))
        preg.registered_done = True
        add(preg.registered, "000", "A20", "现孕")
    if preg is not None:
        w.preg = preg
    if trying:
        w.trying_since = hist[-1][0] if hist[-1][2] == "A10" else None
    w.menopause = add_years(w.birth, 46) + days(rng.randint(0, 5 * 365))
    if w.menopause < start and preg is None and not trying and w.pp_due is None and w.menopause > hist[-1][0]:
        add(w.menopause, "000", "A30", "绝经")
        w.fecund = 0.0
    if ended is not None and hist[-1][1] in ("700", "600", "100", "300", "200", "910") and rng.random() < 0.5:
        add(max(ended, hist[-1][0]), "000", "A94", "离婚丧偶")
    for day, method, why, reason, inst in hist:
        desk.add(BASELINE, start, (w,), calls.measure(w, day, method, why_none=why, reason=reason, institution=inst))
    w.method, w.reason, w.method_since = hist[-1][1], hist[-1][2], hist[-1][0]
    w.want = want if coming is not None else draw_want(world, w, start)
    if rng.random() < 0.06:
        w.fecund = min(w.fecund, 0.25)
