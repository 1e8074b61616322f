"""Contraception (节育措施): what a card's measure must say, and measures that contradict births and pregnancies."""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

from fpdesk import codes
from fpdesk.checks.facts import facts, iso
from fpdesk.checks.finding import Finding, finding
from fpdesk.dates import age_on
from fpdesk.ledgers.population import current_children
from fpdesk.snapshot import Snapshot

PREGNANT, POSTPARTUM = "A20", "A92"      # 未避孕原因 现孕, 产后一月
OWN = "1"
LATEST_CONCEPTION = dt.timedelta(days=182)  # a child is conceived at least 26 weeks before birth
_BIRTH_DATE = attrgetter("birth_date")


def _method(code: str) -> str:
    return codes.label("method", code)


def check_measure_has_start_date(snap: Snapshot) -> list[Finding]:
    """措施开始日期: a current contraception measure (other than 未避孕) of a woman of the village has the date it
    began."""
    return [finding("C001", m.ref, message=f"当前节育措施“{_method(m.method)}”没有开始日期。请填写落实措施的日期。", field="start_date")
            for m in facts(snap).current_measures if m.method != codes.NO_MEASURE and m.start_date is None]


def check_no_measure_has_reason(snap: Snapshot) -> list[Finding]:
    """未避孕须有原因: a current “未避孕” record of a woman of the village says why (待孕, 现孕, 绝经, 不孕症 …)."""
    return [finding("C002", m.ref, message="当前节育措施为“未避孕”，但未填写未避孕原因。请选择原因（待孕、现孕、绝经、不孕症等）。",
                    field="no_measure_reason")
            for m in facts(snap).current_measures if m.method == codes.NO_MEASURE and not m.no_measure_reason]


def check_reason_only_without_measure(snap: Snapshot) -> list[Finding]:
    """原因与措施: a reason for no contraception goes only with “未避孕”; a measure taken carries no such reason."""
    return [finding("C003", m.ref, message=f"节育措施为“{_method(m.method)}”，却填有未避孕原因"
                                           f"“{codes.label('no_measure_reason', m.no_measure_reason)}”。"
                                           f"请删去未避孕原因，或把措施改为“未避孕”。", field="no_measure_reason")
            for m in snap.measures if m.method != codes.NO_MEASURE and m.no_measure_reason]


def check_measures_do_not_overlap(snap: Snapshot) -> list[Finding]:
    """措施不重叠: a woman's measures follow one another — each ends on or before the day the next begins, and
    only one is current."""
    out = []
    for pid, measures in snap.measures_of.items():
        if len(measures) < 2:
            continue  # one measure overlaps nothing
        dated = [m for m in measures if m.start_date is not None]
        for a, b in zip(dated, dated[1:]):
            if a.end_date is None or a.end_date > b.start_date:
                ends = "未终止" if a.end_date is None else f"至 {iso(a.end_date)} 才终止"
                out.append(finding("C004", a.ref, message=f"“{_method(a.method)}”（{iso(a.start_date)} 起）{ends}，"
                                                          f"而“{_method(b.method)}”已于 {iso(b.start_date)} 开始。"
                                                          f"请把前一措施的终止日期填为后一措施的开始日期或更早。",
                                   field="end_date", related=(b.ref,)))
        undated = [m for m in measures if m.start_date is None and m.end_date is None]
        if undated and len([m for m in measures if m.end_date is None]) > 1:
            for m in undated:
                out.append(finding("C004", m.ref, message=f"“{_method(m.method)}”没有起止日期，与其他当前措施并存。"
                                                          f"请填写其起止日期，或删去重复的记录。", field="end_date"))
    return out


def check_measure_dates_in_order(snap: Snapshot) -> list[Finding]:
    """措施起止: a measure ends on or after the day it began."""
    return [finding("C005", m.ref, message=f"“{_method(m.method)}”的终止日期 {iso(m.end_date)} 早于开始日期 {iso(m.start_date)}。"
                                           f"请更正其中错误的日期。", field="end_date")
            for m in snap.measures if m.start_date and m.end_date and m.end_date < m.start_date]


def check_pregnant_with_long_acting(snap: Snapshot) -> list[Finding]:
    """长效措施与孕情: a woman with a current IUD, implant or sterilisation who is pregnant is a contraceptive
    failure not yet recorded — the measure must be ended (取环, 复通, 失败) when the pregnancy is registered."""
    out = []
    for pid, preg in facts(snap).ongoing_pregnancy.items():
        woman = snap.person_by_id.get(pid)
        m = facts(snap).current_measure.get(woman.id) if woman else None
        if m is not None and m.method in codes.LONG_ACTING_METHODS:
            out.append(finding("C006", m.ref, message=f"当前措施为“{_method(m.method)}”，同时登记有孕情（末次月经 {iso(preg.lmp_date)}）。"
                                                      f"属措施失败未登记：请终止该措施（如取环、节育失败），改为“未避孕·现孕”。",
                               field="end_date", related=(preg.ref,)))
    return out


def check_pregnant_with_measure(snap: Snapshot) -> list[Finding]:
    """孕期措施: a pregnant woman's current record is “未避孕 · 现孕”, not a short-acting method (pill, injection,
    condom …) still marked as in use."""
    out = []
    for pid, preg in facts(snap).ongoing_pregnancy.items():
        woman = snap.person_by_id.get(pid)
        m = facts(snap).current_measure.get(woman.id) if woman else None
        if m is not None and m.method != codes.NO_MEASURE and m.method not in codes.LONG_ACTING_METHODS:
            out.append(finding("C007", m.ref, message=f"登记有孕情（末次月经 {iso(preg.lmp_date)}），当前措施仍为“{_method(m.method)}”。"
                                                      f"请把措施改为“未避孕”，原因“现孕”。", field="method", related=(preg.ref,)))
    return out


def check_pregnant_reason_has_pregnancy(snap: Snapshot) -> list[Finding]:
    """现孕须有孕情: a current “未避孕 · 现孕” goes with a pregnancy registered and not yet ended."""
    ongoing = facts(snap).ongoing_pregnancy
    return [finding("C008", m.ref, message="未避孕原因为“现孕”，但没有未结束的孕情。请登记孕情；如孕情已结束，请更新节育措施。",
                    field="no_measure_reason")
            for m in facts(snap).current_measures
            if m.method == codes.NO_MEASURE and m.no_measure_reason == PREGNANT and m.person_id not in ongoing]


def _half_year_before(day: dt.date) -> dt.date:
    month = day.month - 6
    year = day.year + (month <= 0) * -1
    month = month + 12 if month <= 0 else month
    try:
        return day.replace(year=year, month=month)
    except ValueError:
        return dt.date(year, month, 28)


def check_measure_after_birth(snap: Snapshot) -> list[Finding]:
    """措施落实及时: six months after a married woman's last child is born her card shows what she does since —
    a measure, or a reason for none — recorded on or after the birth. A record older than the birth (or still
    “现孕” / “产后一月”) means the measure was not taken, or not recorded, in time. (A woman pregnant again is
    left to the pregnancy rules.)"""
    out = []
    today = snap.as_of
    six_months_ago = _half_year_before(today)
    f = facts(snap)
    pregnant = f.ongoing_pregnancy
    for woman in f.card_women:
        births = snap.births_of.get(woman.id)
        if not births or woman.id in pregnant:
            continue  # no child at all; or pregnant again: her measure is C006 / C007's concern
        m = f.current_measure.get(woman.id)
        if m is None:
            continue  # no record at all: C010
        awaiting = m.method == codes.NO_MEASURE and m.no_measure_reason in (PREGNANT, POSTPARTUM)
        if not awaiting and (m.start_date is None or m.start_date >= max(map(_BIRTH_DATE, births))):
            continue  # (most cards) her measure began after every child of hers was born
        children = [b for b in current_children(snap, woman, today) if b.blood_relation == OWN]
        if not children:
            continue
        youngest = max(children, key=lambda b: (b.birth_date, b.id))
        if youngest.birth_date > six_months_ago:
            continue
        stale = (m.start_date is not None and m.start_date < youngest.birth_date) or awaiting
        if stale:
            out.append(finding("C009", m.ref, message=f"最小的孩子{youngest.child_name}已于 {iso(youngest.birth_date)} "
                                                      f"出生超过6个月，"
                                                      f"当前措施仍是 {iso(m.start_date)} 的“{_method(m.method)}”。"
                                                      f"请登记产后落实的节育措施，或未避孕的原因。", field="start_date",
                               related=(youngest.ref,)))
    return out


def check_card_has_measure(snap: Snapshot) -> list[Finding]:
    """档案卡措施情况: every married woman of childbearing age has a current contraception record — a method, or
    “未避孕” with its reason."""
    f = facts(snap)
    return [finding("C010", w.ref, message="档案卡上没有当前的节育措施记录。请登记所落实的节育措施，或“未避孕”及原因。",
                    field="", ledger="card")
            for w in f.card_women if w.id not in f.current_measure]


def check_no_birth_during_long_acting(snap: Snapshot) -> list[Finding]:
    """长效措施期间生育: a woman's own child was not conceived while her IUD, implant or sterilisation (or her
    husband's) was in force; if it was, the measure's end (失败, 取出) is missing or its dates are wrong."""
    out = []
    by_mother = snap.measures_of
    for b in snap.births:
        if b.blood_relation != OWN:
            continue
        conceived = b.birth_date - LATEST_CONCEPTION
        for m in by_mother.get(b.mother_id, ()):
            if m.method in codes.LONG_ACTING_METHODS and m.start_date is not None and m.start_date <= conceived \
                    and (m.end_date is None or m.end_date > conceived):
                out.append(finding("C011", m.ref, message=f"“{_method(m.method)}”自 {iso(m.start_date)} 起"
                                                          f"{'一直未终止' if m.end_date is None else '至 ' + iso(m.end_date)}"
                                                          f"，"
                                                          f"期间却生育了{b.child_name}（{iso(b.birth_date)}）。"
                                                          f"请登记该措施的终止（失败、取出或复通）日期，或更正日期。",
                                   field="end_date", related=(b.ref,)))
    return out


def check_card_records_on_women(snap: Snapshot) -> list[Finding]:
    """措施孕情记在妇女名下: contraception, pregnancies and births are recorded on the woman's card (male
    sterilisation too, on the wife's); none is on a man."""
    out = []
    by_id = snap.person_by_id
    for owners, column, what, ledger in ((snap.measures_of, "person_id", "节育措施", "measures"),
                                         (snap.pregnancies_of, "person_id", "孕情", "pregnancies"),
                                         (snap.births_of, "mother_id", "生育", "births")):
        for pid, records in owners.items():
            owner = by_id.get(pid)
            if owner is not None and owner.sex != codes.FEMALE:
                out += [finding("C012", r.ref, message=f"{what}记录登记在男性{owner.name}名下。请改记到其妻子（母亲）的档案卡上，"
                                                       f"或更正本人的性别。", field=column, ledger=ledger) for r in records]
    return out


def check_measure_age(snap: Snapshot) -> list[Finding]:
    """措施对象: a contraception measure starts only for a woman of at least 15 (a younger one is a wrong date or
    the wrong person). A date before her birth is D002's."""
    out = []
    by_id = snap.person_by_id
    for pid, measures in snap.measures_of.items():
        woman = by_id.get(pid)
        if woman is None or woman.birth_date is None:
            continue
        for m in measures:  # in start order: the earliest decide
            if m.start_date is None or m.method == codes.NO_MEASURE or m.start_date < woman.birth_date:
                continue
            if age_on(woman.birth_date, m.start_date) >= 15:
                break
            out.append(finding("C013", m.ref, message=f"“{_method(m.method)}”开始于 {iso(m.start_date)}，本人当时未满15周岁。"
                                                      f"请核对开始日期、出生日期或是否登记错了人。", field="start_date"))
    return out
