"""Ages and dates (年龄与日期): nothing in the future, nothing before birth or after death, marriage ages,
mothers' ages, and birth orders (孩次)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from operator import attrgetter, itemgetter

from fpdesk import codes
from fpdesk.checks.facts import EVER_MARRIED, facts, iso
from fpdesk.checks.finding import Finding, finding
from fpdesk.dates import add_years, age_on
from fpdesk.fields import field_label
from fpdesk.snapshot import Snapshot

OWN = "1"                        # 血缘关系 亲生
MARRIAGE_LAW_1981 = dt.date(1981, 1, 1)
TWINS_WITHIN = 180               # two births of one mother closer than this are impossible unless twins (same day)

# (snapshot attribute, table, dated columns, ledger) — every date a clerk enters; 预产期 may lie ahead.
_DATED = (
    ("persons", "person", ("birth_date", "first_marriage_date", "marital_change_date", "moved_in_date",
                           "moved_out_date", "death_date"), "population"),
    ("marriages", "marriage", ("start_date", "end_date"), "card"),
    ("births", "birth", ("birth_date",), "births"),
    ("measures", "measure", ("start_date", "end_date"), "measures"),
    ("pregnancies", "pregnancy", ("lmp_date", "registered_date", "end_date"), "pregnancies"),
    ("services", "service", ("service_date",), "services"),
    ("benefits", "benefit", ("paid_date",), "services"),
    ("migrations", "migration", ("start_date", "end_date"), "migrants"),
    ("certificates", "certificate", ("issued_date",), "population"),
)
# The columns each person's records are in order of in the snapshot's lookups (an unknown date first): the latest
# of such a column is the latest of each person's last records, a fraction of them to read (the services alone
# are a fifth of a village's dates).
_ORDERED_BY = {("services", "service_date"): "services_of", ("pregnancies", "lmp_date"): "pregnancies_of",
               ("measures", "start_date"): "measures_of", ("migrations", "start_date"): "migrations_of",
               ("certificates", "issued_date"): "certificates_of"}
_LAST = itemgetter(-1)


def check_no_future_dates(snap: Snapshot) -> list[Finding]:
    """日期不晚于今天: no date entered lies in the future (the expected date of delivery excepted)."""
    today = snap.as_of
    out = []
    for attr, table, columns, ledger in _DATED:
        records = getattr(snap, attr)
        for column in columns:
            get = attrgetter(column)
            owned = _ORDERED_BY.get((attr, column))
            latest = map(get, map(_LAST, getattr(snap, owned).values())) if owned else map(get, records)
            if max(filter(None, latest), default=today) <= today:
                continue
            label = field_label(table, column)
            for r in records:
                day = get(r)
                if day is not None and day > today:
                    out.append(finding("D001", r.ref, message=f"{label} {iso(day)} 晚于今天（{iso(today)}）。"
                                                              f"请更正为已发生的日期；尚未发生的变动不要提前登记。",
                                       field=column, ledger=ledger))
    return out


# Records a person owns, by owner and in date order (the snapshot's lookups), with the dated column: the
# earliest is first and the latest last, so a rule about "before birth" or "after death" reads only the ends.
_OWNED = (
    ("measures_of", "start_date", "measures"),
    ("pregnancies_of", "lmp_date", "pregnancies"),
    ("migrations_of", "start_date", "migrants"),
    ("services_of", "service_date", "services"),
    ("certificates_of", "issued_date", "population"),
)


def check_nothing_before_birth(snap: Snapshot) -> list[Finding]:
    """生前无记录: nothing of a person is dated before their own birth — no marital change, move out, death,
    contraception, pregnancy, migration, service or certificate."""
    out = []
    for p in snap.persons:
        born = p.birth_date
        if born is None or ((p.marital_change_date is None or p.marital_change_date >= born)
                            and (p.moved_out_date is None or p.moved_out_date >= born)
                            and (p.death_date is None or p.death_date >= born)):
            continue  # (nearly everyone: these dates are rare, and after the birth)
        for column in ("marital_change_date", "moved_out_date", "death_date"):
            day = getattr(p, column)
            if day is not None and day < born:
                label = field_label("person", column)
                out.append(finding("D002", p.ref, message=f"{label} {iso(day)} 早于出生日期 {iso(born)}。"
                                                          f"请核对并更正其中错误的日期。", field=column))
    by_id = snap.person_by_id
    for attr, column, ledger in _OWNED:
        get = attrgetter(column)
        for pid, records in getattr(snap, attr).items():
            person = by_id.get(pid)
            born = person.birth_date if person is not None else None
            if born is None:
                continue
            for r in records:  # in date order: stop at the first on or after the birth
                day = get(r)
                if day is None:
                    continue
                if day >= born:
                    break
                label = field_label(r.ref.table, column)
                out.append(finding("D002", r.ref, message=f"{label} {iso(day)} 早于本人出生日期 {iso(born)}。"
                                                          f"请核对并更正该日期或出生日期。", field=column, ledger=ledger))
    return out


def check_nothing_after_death(snap: Snapshot) -> list[Finding]:
    """身后无新记录: after a person's recorded death nothing new begins — no marriage, birth, contraception,
    pregnancy, migration, service or certificate dated later."""
    out = []

    def flag(record, column: str, day: dt.date, death: dt.date, ledger: str) -> None:
        label = field_label(record.ref.table, column)
        out.append(finding("D003", record.ref, message=f"{label} {iso(day)} 晚于死亡日期 {iso(death)}。"
                                                       f"请核对死亡日期，或更正该记录的日期。", field=column, ledger=ledger))

    for p in snap.persons:
        death = p.death_date
        if death is None:
            continue
        for m in snap.marriages_of.get(p.id, ()):
            if m.start_date is not None and m.start_date > death:
                flag(m, "start_date", m.start_date, death, "card")
        for b in snap.births_of.get(p.id, ()):
            if b.birth_date > death and b.blood_relation == OWN:
                flag(b, "birth_date", b.birth_date, death, "births")
        for attr, column, ledger in _OWNED:
            for r in reversed(getattr(snap, attr).get(p.id, ())):  # latest first: stop at the first before death
                day = getattr(r, column)
                if day is None or day <= death:
                    break
                flag(r, column, day, death, ledger)
    return out


def check_marriage_age_possible(snap: Snapshot) -> list[Finding]:
    """结婚年龄: nobody marries before 15, and nobody under 15 is recorded as married — such a date or status is
    a typing error."""
    out = []
    today = snap.as_of
    first_marriage = facts(snap).first_marriage
    by_id = snap.person_by_id
    for pid, (day, record, column) in first_marriage.items():
        p = by_id.get(pid)
        # (16 years apart or more is 15 full years at least: the age is worked out only near the limit)
        if p is not None and p.birth_date is not None and day.year - p.birth_date.year < 16 \
                and age_on(p.birth_date, day) < 15:
            out.append(finding("D004", record.ref, message=f"结婚日期 {iso(day)} 时本人未满15周岁（出生 {iso(p.birth_date)}）。"
                                                           f"请核对出生日期和结婚日期。", field=column,
                               ledger="population" if column == "first_marriage_date" else "card"))
    # Married status under 15 with no marriage date at all (a date at 15 or over for a child is in the future: D001).
    for p in snap.persons:
        if p.marital_status in EVER_MARRIED and p.birth_date is not None and p.id not in first_marriage \
                and age_on(p.birth_date, today) < 15:
            out.append(finding("D004", p.ref, message=f"未满15周岁却登记为“{codes.label('marital_status', p.marital_status)}”。"
                                                      f"请核对出生日期或婚姻状况。", field="marital_status"))
    return out


def legal_marriage_age(sex: str, day: dt.date) -> int:
    """法定婚龄 on a wedding day: 20 for women and 22 for men under the 1980 Marriage Law (from 1981), 18 / 20
    before it."""
    if day >= MARRIAGE_LAW_1981:
        return 20 if sex == codes.FEMALE else 22
    return 18 if sex == codes.FEMALE else 20


def check_legal_marriage_age(snap: Snapshot) -> list[Finding]:
    """法定婚龄: a first marriage is at or after the legal age of its day (women 20, men 22 since 1981). Below it
    (but 15 or over) is a warning: an early marriage to confirm, or a wrong date."""
    out = []
    by_id = snap.person_by_id
    for pid, (day, record, column) in facts(snap).first_marriage.items():
        p = by_id.get(pid)
        if p is None or p.birth_date is None:
            continue
        if day.year - p.birth_date.year > (20 if p.sex == codes.FEMALE else 22):
            continue  # the age is the years apart or one less: past the highest legal age of any day (most people)
        years = age_on(p.birth_date, day)
        legal = legal_marriage_age(p.sex, day)
        if 15 <= years < legal:
            out.append(finding("D005", record.ref,
                               message=f"初婚日期 {iso(day)} 时本人 {years} 周岁，未到法定婚龄（{legal}周岁）。"
                                       f"请核对出生日期和初婚日期；如确属早婚，请在备注中说明。", field=column,
                               ledger="population" if column == "first_marriage_date" else "card"))
    return out


def check_mother_at_least_15(snap: Snapshot) -> list[Finding]:
    """母亲年龄: a woman's own child (亲生) is born at least 15 years after her."""
    out = []
    by_id = snap.person_by_id
    for b in snap.births:
        mother = by_id.get(b.mother_id)
        if b.blood_relation != OWN or mother is None or mother.birth_date is None \
                or b.birth_date.year - mother.birth_date.year > 15:
            continue  # 16 years apart or more is 15 full years at least
        if age_on(mother.birth_date, b.birth_date) < 15:
            out.append(finding("D006", b.ref, message=f"子女{b.child_name}出生于 {iso(b.birth_date)}，母亲{mother.name}当时未满15周岁"
                                                      f"（出生 {iso(mother.birth_date)}）。请核对子女或母亲的出生日期，"
                                                      f"或血缘关系（收养/继子女）。", field="birth_date"))
    return out


def check_birth_after_first_marriage(snap: Snapshot) -> list[Finding]:
    """婚前生育: a woman's own child is born on or after her first marriage; a child born before it, or to a
    woman never married, is flagged as a non-marital birth to confirm (or a wrong date to correct)."""
    out = []
    by_id = snap.person_by_id
    first_marriage = facts(snap).first_marriage
    for b in snap.births:
        mother = by_id.get(b.mother_id)
        if b.blood_relation != OWN or mother is None:
            continue
        first = first_marriage.get(mother.id, (None,))[0]
        if first is not None and b.birth_date < first:
            out.append(finding("D007", b.ref, message=f"子女{b.child_name}出生于 {iso(b.birth_date)}，早于母亲初婚日期 {iso(first)}。"
                                                      f"如属非婚生育，请核对政策属性；否则请更正出生日期或初婚日期。",
                               field="birth_date"))
        elif first is None and mother.marital_status == "10":
            out.append(finding("D007", b.ref, message=f"母亲{mother.name}登记为未婚，却有亲生子女{b.child_name}。如属非婚生育，"
                                                      f"请核对政策属性；否则请补登母亲的婚姻状况和初婚日期。", field="birth_date"))
    return out


def check_birth_orders_consecutive(snap: Snapshot) -> list[Finding]:
    """孩次连续: a woman's children are numbered 1, 2, 3 … without a gap (no 3 without a 2)."""
    out = []
    for mother_id, births in snap.births_of.items():
        if len(births) == 1 and births[0].birth_order <= 1:
            continue  # an only child numbered 1 (the commonest card): nothing missing
        orders = {b.birth_order for b in births}
        missing = [n for n in range(1, max(orders) + 1) if n not in orders]
        if missing:
            b = next(b for b in births if b.birth_order > missing[0])
            gaps = "、".join(str(n) for n in missing)
            out.append(finding("D008", b.ref, message=f"孩次不连续：缺第{gaps}孩。请更正子女的孩次，或补登漏登的子女。",
                               field="birth_order"))
    return out


def check_birth_orders_unique(snap: Snapshot) -> list[Finding]:
    """孩次不重复: no two children of a woman carry the same birth order (twins are two orders with one date)."""
    out = []
    for mother_id, births in snap.births_of.items():
        if len(births) < 2 or len({b.birth_order for b in births}) == len(births):
            continue  # an only child, or no order twice (most cards)
        counts = Counter(b.birth_order for b in births)
        seen: set[int] = set()
        for b in births:
            if counts[b.birth_order] > 1:
                if b.birth_order in seen:
                    out.append(finding("D009", b.ref, message=f"孩次{b.birth_order}重复："
                                                              f"{b.child_name}与另一子女都登记为第{b.birth_order}孩。"
                                                              f"请更正孩次（双胞胎按出生先后分别为两个孩次）。", field="birth_order"))
                seen.add(b.birth_order)
    return out


def _own_births(snap: Snapshot, mother_id: int):
    return [b for b in snap.births_of.get(mother_id, ()) if b.blood_relation == OWN]


def check_twins_share_a_date(snap: Snapshot) -> list[Finding]:
    """双胞胎同日: two of a woman's own children are born the same day (twins) or at least six months apart;
    anything closer is a wrong date."""
    out = []
    for mother_id, births in snap.births_of.items():
        if len(births) < 2:
            continue
        own = sorted(_own_births(snap, mother_id), key=lambda b: (b.birth_date, b.id))
        for a, b in zip(own, own[1:]):
            gap = (b.birth_date - a.birth_date).days
            if 0 < gap < TWINS_WITHIN:
                out.append(finding("D010", b.ref, message=f"{b.child_name}（{iso(b.birth_date)}）与"
                                                          f"{a.child_name}（{iso(a.birth_date)}）"
                                                          f"只相隔{gap}天。双胞胎请登记同一出生日期，否则请更正出生日期。",
                                   field="birth_date", related=(a.ref,)))
    return out


def check_birth_orders_follow_dates(snap: Snapshot) -> list[Finding]:
    """孩次与出生先后: among a woman's own children the later born has the higher birth order."""
    out = []
    for mother_id, births in snap.births_of.items():
        if len(births) < 2:
            continue
        own = sorted(_own_births(snap, mother_id), key=lambda b: (b.birth_order, b.id))
        for a, b in zip(own, own[1:]):
            if b.birth_order > a.birth_order and b.birth_date < a.birth_date:
                out.append(finding("D011", b.ref, message=f"第{b.birth_order}孩{b.child_name}（{iso(b.birth_date)}）"
                                                          f"比第{a.birth_order}孩"
                                                          f"{a.child_name}（{iso(a.birth_date)}）出生早。请按出生先后更正孩次或出生日期。",
                                   field="birth_order", related=(a.ref,)))
    return out


def check_mother_under_50(snap: Snapshot) -> list[Finding]:
    """高龄生育: a woman's own child born when she was 50 or over is almost always a wrong birth date (hers or
    the child's); a warning to confirm."""
    out = []
    by_id = snap.person_by_id
    for b in snap.births:
        mother = by_id.get(b.mother_id)
        # (49 years apart or fewer is 49 full years at most: the age is worked out only near the limit)
        if b.blood_relation == OWN and mother is not None and mother.birth_date is not None \
                and b.birth_date.year - mother.birth_date.year >= 50 and age_on(mother.birth_date, b.birth_date) >= 50:
            years = age_on(mother.birth_date, b.birth_date)
            out.append(finding("D012", b.ref, message=f"子女{b.child_name}出生时母亲已 {years} 周岁。"
                                                      f"请核对母亲和子女的出生日期。", field="birth_date"))
    return out


def check_over_age_card(snap: Snapshot) -> list[Finding]:
    """超龄注销: a woman's card is cancelled at 50 (超龄); a pregnancy or a contraception measure begun after her
    50th birthday belongs to a card that should be closed — a wrong birth date or the wrong woman."""
    out = []
    by_id = snap.person_by_id
    for pid in snap.measures_of.keys() | snap.pregnancies_of.keys():
        woman = by_id.get(pid)
        if woman is None or woman.birth_date is None or woman.birth_date.year > snap.as_of.year - 50:
            continue  # not yet 50 (a date after today is D001's)
        over = add_years(woman.birth_date, 50)
        for records, column in ((snap.measures_of.get(woman.id, ()), "start_date"),
                                (snap.pregnancies_of.get(woman.id, ()), "lmp_date")):
            for r in reversed(records):  # latest first
                day = getattr(r, column)
                if day is None or day < over:
                    break
                if column == "start_date" and r.method == codes.NO_MEASURE:
                    continue
                label = field_label(r.ref.table, column)
                out.append(finding("D013", r.ref, message=f"{label} {iso(day)} 时本人已满50周岁，档案卡应已超龄注销（{iso(over)}）。"
                                                          f"请核对出生日期，或确认该记录是否登记错了人。", field=column,
                                   ledger="card"))
    return out
