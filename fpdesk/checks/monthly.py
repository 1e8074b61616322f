"""The monthly table (月报表): its sums hold, the population balances, and this month starts where last month
ended. Read from the real change report of each month under check (``ledgers.change_report``)."""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

from fpdesk import codes
from fpdesk.checks.cross_ledger import events_read
from fpdesk.checks.facts import Facts, arrived, facts, iso, month_bounds, periods_of
from fpdesk.checks.finding import Finding, finding
from fpdesk.codes import Change
from fpdesk.dates import period_bounds, period_label, period_of, previous_period
from fpdesk.ledgers.common import records_by_id
from fpdesk.ledgers.population import population_on
from fpdesk.records import Ref
from fpdesk.snapshot import Snapshot

OPERATION_METHODS = frozenset({"700", "810", "820", "300"})   # 上环, 女扎, 男扎, 皮埋
OPERATION_OUTCOMES = frozenset({"4", "5"})                     # 人工流产, 引产
POPULATION_CHANGES = (Change.BIRTH, Change.DEATH, Change.MOVE_IN, Change.MOVE_OUT)
SIGN = {Change.BIRTH: 1, Change.MOVE_IN: 1, Change.DEATH: -1, Change.MOVE_OUT: -1}
_id = attrgetter("id")


def month_ref(period: str) -> Ref:
    """The monthly table of a month, as the subject of a finding."""
    return Ref("monthly_table", int(period[:4]) * 100 + int(period[5:7]))


def check_births_add_up(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """出生合计: the month's births = 政策内一孩 + 二孩 + 三孩及以上 + 政策外; a birth without a policy status
    (政策属性) fits in none of them and breaks the sum."""
    f = facts(snap)
    out = []
    for p in periods_of(snap, period):
        for row in f.report(p).birth_rows:
            if row.policy_status_code not in ("1", "2"):
                out.append(finding("T001", row.ref, message=f"{row.child_name}（{iso(row.birth_date)}出生，"
                                                            f"第{row.birth_order}孩）未填政策属性，{period_label(p)}"
                                                            f"月报表出生合计不等于政策内与政策外之和。请填写政策属性。",
                                   field="policy_status", period=p))
    return out


def check_operations_add_up(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """节育手术合计: the operations total is the sum of its kinds; the “of which after a first child” row is part
    of the IUD insertions and is not added again."""
    f = facts(snap)
    out = []
    for p in periods_of(snap, period):
        ops = f.report(p).table.operations
        parts = (ops.vasectomy + ops.tubal_ligation + ops.iud_insertion + ops.iud_removal + ops.implant
                 + ops.abortion + ops.induced_labour)
        if parts != ops.total or ops.iud_insertion_after_first_child > ops.iud_insertion:
            out.append(finding("T002", month_ref(p), message=f"{period_label(p)}月报表节育手术合计（{ops.total}）与各项之和（{parts}）不符，"
                                                             f"或“其中一孩后上环”多于上环数。请把问题报告给软件维护人员。", period=p))
    return out


def check_pregnancies_add_up(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """孕情合计: the month's pregnancies = 政策内一孩 + 二孩 + 三孩及以上 + 政策外, so every pregnancy registered
    in the month has a policy status (政策属性)."""
    f = facts(snap)
    out = []
    for p in periods_of(snap, period):
        rep = f.report(p)
        if not rep.table.pregnancies.undetermined:
            continue
        registered = {e.record_id for e in f.changes_by_period.get(p, ())
                      if e.change_type == Change.PREGNANCY_REGISTERED and e.record_table == "pregnancy"}
        for preg in snap.pregnancies:
            if preg.id in registered and preg.policy_status not in ("1", "2"):
                out.append(finding("T003", preg.ref, message=f"孕情（末次月经 {iso(preg.lmp_date)}）未填政策属性，"
                                                             f"{period_label(p)}月报表孕情合计不等于政策内与政策外之和。请填写政策属性。",
                                   field="policy_status", period=p))
    return out


def _unbalanced(snap: Snapshot, period: str) -> list[tuple[Ref, str, int, dt.date]]:
    """What unbalances a month: (record, why, effect on 期末 − 期初 − changes, date) for each person who came into or
    left the population in ``period`` without the month's own change, and each change counted without a person."""
    first, last = period_bounds(period)
    before = first - dt.timedelta(days=1)
    month = facts(snap).changes_by_period.get(period, ())
    own = {(e.person_id, e.change_type) for e in month
           if not e.late_report and e.change_type in POPULATION_CHANGES}
    out = []
    was_in = {p.id for p in population_on(snap, before)}
    now_in = {p.id for p in population_on(snap, last)}
    moved = was_in ^ now_in  # came in or left during the month: a few dozen of 10,000
    for p in sorted((snap.person_by_id[i] for i in moved), key=_id):  # in the snapshot's order
        now = p.id in now_in
        if now and (p.id, Change.BIRTH) not in own and (p.id, Change.MOVE_IN) not in own:
            day = max(d for d in (p.birth_date, p.moved_in_date) if d is not None)
            out.append((p.ref, f"{p.name}（本月进入户籍人口，但本月报告单没有其出生或迁入）", 1, day))
        elif not now and (p.id, Change.DEATH) not in own and (p.id, Change.MOVE_OUT) not in own:
            day = min(d for d in (p.death_date, p.moved_out_date) if d is not None)
            out.append((p.ref, f"{p.name}（本月离开户籍人口，但本月报告单没有其死亡或迁出）", -1, day))
    births = records_by_id(snap, "births")
    for e in month:
        if e.late_report or e.change_type not in POPULATION_CHANGES:
            continue
        person = snap.person_by_id.get(e.person_id)
        if person is None:
            continue
        birth = births.get(e.record_id) if e.change_type == Change.BIRTH and e.record_table == "birth" else None
        if birth is not None and birth.child_id is None:
            out.append((birth.ref, f"{birth.child_name}（报告了出生，但子女未登入户籍人口）", -1, e.occurred_date))
        elif person.residence == "3":
            what = codes.label("change_type", e.change_type)
            out.append((person.ref, f"{person.name}（流入人员不属户籍人口，其{what}却计入了月报表）", -SIGN[e.change_type],
                        e.occurred_date))
    return out


def check_population_balances(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """人口平衡: 期末人口 = 期初人口 + 出生 − 死亡 + 迁入 − 迁出 for the month's own changes (a late report is
    already in the start population). Changes from before live record keeping began (the baseline: a roster
    import writes no change events) are not in any report and do not count against the balance."""
    f = facts(snap)
    base = f.baseline
    out = []
    for p in periods_of(snap, period):
        first, last = period_bounds(p)
        if base is None or last <= base:
            continue  # a month of the baseline: its changes were never reported
        t = f.report(p).table
        # A change of this month entered after the month was submitted is a late report (补报) of a later month:
        # the dated end population already counts it, this month's table does not. That is the rule, not an error.
        reported_later = _reported_later(f, p, first, last)
        gap = t.balance_gap - reported_later
        if gap == 0:
            continue
        causes = _unbalanced(snap, p)
        gap -= sum(effect for *_, effect, day in causes if day <= base)
        causes = [c for c in causes if c[3] > base]
        if gap == 0:
            continue
        who = "；".join(text for _, text, *_ in causes[:5]) + ("等" if len(causes) > 5 else "")
        out.append(finding("T004", month_ref(p), message=f"{period_label(p)}月报表人口不平衡：期末 {t.population_end} ≠ 期初 "
                                                         f"{t.population_start} + 出生 − 死亡 + 迁入 − 迁出（差 {gap:+d}）。"
                                                         + (f"涉及：{who}。" if who else "")
                                                         + "请为这些人登记相应的出生、死亡、迁入或迁出变动，或更正其日期。",
                           period=p, related=tuple(ref for ref, *_ in causes)))
    return out


def _reported_later(f: Facts, period: str, first: dt.date, last: dt.date) -> int:
    """The effect on the population of the changes dated in ``period`` (first…last) that are late reports (补报,
    dated outside the month they are listed in) listed in a later month. Read from the reports of the later months alone: the late
    reports of every month are a pass over all changes that nothing else needs."""
    total = 0
    for listed, events in f.changes_by_period.items():
        if listed <= period:
            continue
        month = month_bounds(listed)  # (a change dated in its listed month is no late report)
        total += sum(SIGN[e.change_type] for e in events if e.change_type in SIGN and first <= e.occurred_date <= last
                     and (month is None or not month[0] <= e.occurred_date <= month[1]))
    return total


def submitted_on(snap: Snapshot, period: str) -> dt.date | None:
    """The day a month was submitted (报送), or None."""
    for lock in snap.locks:
        if lock.period == period and lock.submitted_at:
            try:
                return dt.date.fromisoformat(lock.submitted_at[:10])
            except ValueError:
                return None
    return None


def check_month_starts_where_last_ended(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """上月期末 = 本月期初: this month's start population in its table equals last month's end population in
    last month's table (for the months under check that follow one another; a single month asked for is compared
    with the month before it)."""
    f = facts(snap)
    out = []
    months = periods_of(snap, period)
    for p in months:
        prev = previous_period(p)
        if len(months) > 1 and prev not in months:
            continue
        start, end = f.report(p).table.population_start, f.report(prev).table.population_end
        if start != end:
            out.append(finding("T005", month_ref(p), message=f"{period_label(p)}期初人口 {start} 与"
                                                             f"{period_label(prev)}期末人口 {end} 不相等。"
                                                             f"请把问题报告给软件维护人员。", period=p))
    return out


def check_submitted_month_unchanged(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """报送后补录: last month's end population as it was submitted (报送) is this month's start — unless changes
    dated in or before last month were entered after it was submitted. They are listed as late reports (补报) in
    this month; the township may ask for a correction (更正报) of last month."""
    f = facts(snap)
    out = []
    for p in periods_of(snap, period):
        prev = previous_period(p)
        submitted = submitted_on(snap, prev)
        if submitted is None:
            continue
        _, prev_last = period_bounds(prev)
        late = [e for e in f.changes_by_period.get(p, ()) if e.change_type in SIGN and e.occurred_date <= prev_last
                and e.entered_date > submitted]
        drift = sum(SIGN[e.change_type] for e in late)
        if drift:
            start = f.report(p).table.population_start
            out.append(finding("T006", month_ref(p), message=f"{period_label(prev)}报送后又补录了 {len(late)} 项该月及以前的人口变动，"
                                                             f"本月期初人口 {start} 与上月报送的期末人口 {start - drift} "
                                                             f"不相等（差 {drift:+d}）。"
                                                             f"这些变动已列为本月补报；如乡镇要求期初等于上月期末，请对{period_label(prev)}报更正报。",
                               period=p, related=tuple(e.ref for e in late)))
    return out


def check_recorded_in_monthly_table(snap: Snapshot) -> list[Finding]:
    """手术孕情上报: every operation (上环, 绝育, 皮埋, 人工流产, 引产) and every pregnancy registered since live
    record keeping began is counted in a month's table — it was entered as a change, not typed into the card."""
    f = facts(snap)
    base = f.baseline
    if base is None:
        return []
    agreeing = events_read(snap).agreeing

    def uncounted(table: str, change: str, record_id: int) -> bool:
        # An event of its own that agrees with the record counts it; only for the rest (none in a clean village)
        # are all the events of the type looked through: any event pointing at the record counts it.
        return record_id not in agreeing.get(change, ()) and record_id not in f.reported_records(table, (change,))

    def arrived_by(person_id: int, day: dt.date) -> bool:
        return arrived(snap, snap.person_by_id.get(person_id), day)

    out = []
    # (each date is compared with the baseline first: the baseline's records have no events to be counted by)
    for m in snap.measures:
        day = m.start_date
        if m.method in OPERATION_METHODS and day and day > base and uncounted("measure", Change.MEASURE, m.id) \
                and arrived_by(m.person_id, day):
            out.append(finding("T007", m.ref, message=f"“{codes.label('method', m.method)}”手术（{iso(day)}）"
                                                      f"没有计入月报表。"
                                                      f"请通过“落实节育措施”登记，使其计入当月手术数。", field="start_date",
                               period=period_of(day)))
    for preg in snap.pregnancies:
        day = preg.end_date
        if preg.outcome in OPERATION_OUTCOMES and day and day > base \
                and uncounted("pregnancy", Change.PREGNANCY_ENDED, preg.id) and arrived_by(preg.person_id, day):
            out.append(finding("T007", preg.ref, message=f"“{codes.label('pregnancy_outcome', preg.outcome)}”"
                                                         f"（{iso(day)}）"
                                                         f"没有计入月报表。请通过“登记孕产结果”登记，使其计入当月手术数。",
                               field="outcome", period=period_of(day)))
        day = preg.registered_date
        if day and day > base and uncounted("pregnancy", Change.PREGNANCY_REGISTERED, preg.id) \
                and arrived_by(preg.person_id, day):
            out.append(finding("T007", preg.ref, message=f"孕情（{iso(day)}登记）没有计入月报表。请通过“孕情登记”登记，"
                                                         f"使其计入当月孕情数。", field="registered_date", period=period_of(day)))
    return out
