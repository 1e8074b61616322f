"""Between the ledgers (账账相符): the card, the births register, the change report and the board agree, and
every change recorded is in a change report dated as the record says.

The change report is built from change events, the registers and the card from the records; the checks compare
the real views (``fpdesk.ledgers``) and the records behind them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from types import MappingProxyType
from typing import AbstractSet, Any, Mapping

from fpdesk import codes
from fpdesk.checks.facts import RECORD_EVENTS, arrived, facts, iso, periods_of
from fpdesk.checks.finding import Finding, finding
from fpdesk.codes import Change
from fpdesk.dates import period_bounds, period_label, period_of, statistics_year_bounds
from fpdesk.ledgers.board import board
from fpdesk.ledgers.card import woman_card
from fpdesk.ledgers.population import is_married
from fpdesk.ledgers.registers import births_register, measures_in_force, register_method
from fpdesk.records import ChangeEvent, Ref
from fpdesk.snapshot import Snapshot

SEX = {"1": "男", "2": "女"}
MARRIAGE_EVENTS = (Change.FIRST_MARRIAGE, Change.REMARRIAGE, Change.REMARRIED_FORMER)
END_EVENTS = (Change.DIVORCE, Change.WIDOWED)


def check_card_births_in_register(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """卡册相符: every child born in the month on a woman's card (档案卡) is in the births register (出生登记) of
    that month, and every birth in the register is on its mother's card."""
    out = []
    for p in periods_of(snap, period):
        register = births_register(snap, period=p)
        in_register = {row.ref.id for row in register}
        first, last = period_bounds(p)
        mothers = {row.ref.person_id for row in register}
        mothers |= {b.mother_id for b in snap.births if first <= b.birth_date <= last}
        for mother_id in sorted(m for m in mothers if m is not None):
            mother = snap.person_by_id.get(mother_id)
            if mother is None or mother.sex != codes.FEMALE:
                continue  # a birth on a man is C012
            card = woman_card(snap, mother_id)
            on_card = {c.record.id for c in card.children if first <= c.birth_date <= last}
            for child in card.children:
                if child.record.id in on_card and child.record.id not in in_register:
                    out.append(finding("X001", child.record.ref, message=f"{card.name}档案卡上的子女{child.name}"
                                                                         f"（{iso(child.birth_date)}）"
                                                                         f"不在{period_label(p)}出生登记中。请核对该子女的出生日期。",
                                       field="birth_date", period=p))
            for row in register:
                if row.ref.person_id == mother_id and row.ref.id not in on_card:
                    out.append(finding("X001", row.ref, message=f"{period_label(p)}出生登记中的{row.child_name}"
                                                                f"不在母亲{card.name}的档案卡上。"
                                                                f"请核对该出生记录的母亲。", field="mother_id", period=p))
    return out


# For each change type: the table of the record behind it and the column holding the change's date there.
_PERSON_DATE = {Change.DEATH: "death_date", Change.MOVE_IN: "moved_in_date", Change.MOVE_OUT: "moved_out_date"}
_RECORD_DATE = {
    Change.BIRTH: ("birth", "birth_date"),
    **{t: ("marriage", "start_date") for t in MARRIAGE_EVENTS},
    **{t: ("marriage", "end_date") for t in END_EVENTS},
    Change.INFLOW: ("migration", "start_date"), Change.OUTFLOW: ("migration", "start_date"),
    Change.RETURN: ("migration", "end_date"), Change.MEASURE: ("measure", "start_date"),
    Change.PREGNANCY_REGISTERED: ("pregnancy", "registered_date"), Change.PREGNANCY_ENDED: ("pregnancy", "end_date"),
}
# The column of a record holding the person it is about, where the change event is that person's too (a birth's
# event is the child's, its record the mother's: none).
_OWNER = {"marriage": attrgetter("person_id"), "migration": attrgetter("person_id"),
          "measure": attrgetter("person_id"), "pregnancy": attrgetter("person_id")}


@dataclass(frozen=True, slots=True)
class EventsRead:
    """The change events read against the records they are about (``events_read``).

    wrong: (event, its record or None when there is none, the record's date column) for each change whose record
        is gone or now says another date, in the order the events are stored (X003).
    agreeing: for each change type, the ids of the records that an event of the type points at and that say what
        it says — its date and, for a record of the event's own person, that person. A death or move points at the
        person. Each id is the record's own object: a look-up with the record's id finds it without comparing.
    """

    wrong: tuple[tuple[ChangeEvent, Any, str], ...]
    agreeing: Mapping[str, AbstractSet[int]]


def events_read(snap: Snapshot) -> EventsRead:
    """Every change event read once against its record, for the rules about the change reports (X003, X004,
    T007). One pass instead of each rule reading the events again, scattered among the services, and comparing
    what it finds with the events' own ids and dates: the three cost a quarter less than so (400,000 persons)."""
    return snap.derived("events_read", lambda: _read_events(snap))


def _read_events(snap: Snapshot) -> EventsRead:
    f = facts(snap)
    agreeing: dict[str, set[int]] = {}
    # for each change type the snapshot has that has a record: (its table, None for the person's own column; the
    # date column; the records by id; the column's getter; the owner's getter; the ids that agree)
    looked_up = {}
    for t in f.changes_by_type:
        column = _PERSON_DATE.get(t)
        if column is not None:
            looked_up[t] = (None, column, snap.person_by_id, attrgetter(column), None, agreeing.setdefault(t, set()))
        elif t in _RECORD_DATE:
            table, column = _RECORD_DATE[t]
            looked_up[t] = (table, column, f.by_id(table), attrgetter(column), _OWNER.get(table),
                            agreeing.setdefault(t, set()))
    wrong = []
    # The events as they are stored, not type by type: reading all of them where they lie, the services passed
    # over, costs less than reading each type's scattered among the others.
    for e in snap.events:
        how = looked_up.get(e.change_type)
        if how is None:
            continue  # services, benefits paid, certificates: dated by the event alone
        table, column, records, day_of, owner, ids = how
        if table is None:
            record = records.get(e.person_id)
        else:
            record = records.get(e.record_id) if e.record_table == table else None
        if record is None:
            wrong.append((e, None, column))
        elif day_of(record) != e.occurred_date:
            wrong.append((e, record, column))
        elif owner is None or owner(record) == e.person_id:
            ids.add(record.id)
    return EventsRead(tuple(wrong), MappingProxyType(agreeing))


def check_births_in_change_report(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """出生上报: every birth since live record keeping began is in a monthly change report (报告单二) — in its own
    month's, or as a late report (补报) in a later one; and each month's report lists the month's births that
    were reported."""
    f = facts(snap)
    out = []
    baseline = f.baseline
    if baseline is not None:
        reported_births = f.reported_records("birth", (Change.BIRTH,))
        for b in snap.births:
            if b.birth_date > baseline and b.id not in reported_births \
                    and arrived(snap, snap.person_by_id.get(b.mother_id), b.birth_date):
                out.append(finding("X002", b.ref, message=f"{b.child_name}（{iso(b.birth_date)}出生）没有列入任何月份的报告单（出生）。"
                                                          f"请通过“登记出生”补报，不要只在档案卡上添加子女。", field="birth_date",
                                   period=period_of(b.birth_date)))
    births = f.by_id("birth")
    for p in periods_of(snap, period):
        reported = {row.ref.id for row in f.report(p).birth_rows}
        for e in f.changes_by_period.get(p, ()):
            # (an event whose birth record is gone is X003's finding)
            if e.change_type == Change.BIRTH and e.record_table == "birth" and e.record_id in births \
                    and e.record_id not in reported:
                out.append(finding("X002", e.ref, message=f"{period_label(p)}报告单应列出的出生（记录 {e.record_id}）未出现在报告单二中。"
                                                          f"请核对该出生记录是否已删除或母亲是否已更改。", period=p))
    return out


def check_change_report_matches_records(snap: Snapshot) -> list[Finding]:
    """报告单与台账相符: a change listed in a change report is still what the records say — the person did die,
    move, marry or divorce on that date, the child was born that day. A record corrected afterwards leaves the
    report wrong."""
    out = []
    for e, record, column in events_read(snap).wrong:
        what = codes.label("change_type", e.change_type)
        if record is None:
            out.append(finding("X003", e.ref, message=f"{period_label(e.report_period)}报告单列有“{what}”"
                                                      f"（{iso(e.occurred_date)}），"
                                                      f"但对应的记录已不存在。请重新登记该变动，或向乡镇更正该月报告单。",
                               period=e.report_period))
            continue
        day = getattr(record, column)
        now = iso(day) if day else "空"
        out.append(finding("X003", record.ref, message=f"{period_label(e.report_period)}报告单列有“{what}”，"
                                                       f"日期 {iso(e.occurred_date)}；"
                                                       f"台账中该日期现为{now}。请核对正确日期：如台账有误请更正，"
                                                       f"如报告单有误请向乡镇报更正。", field=column,
                           period=e.report_period, related=(e.ref,)))
    return out


def check_changes_in_change_report(snap: Snapshot) -> list[Finding]:
    """变动全部上报: every member change recorded since live record keeping began — death, move in, move out,
    marriage, divorce or widowhood, inflow, outflow, return — is in a monthly change report (报告单一). A family's
    marriages from before it moved in are its history, not a change of the village."""
    f = facts(snap)
    base = f.baseline
    if base is None:
        return []
    agreeing = events_read(snap).agreeing
    by_type = f.changes_by_type
    persons = snap.person_by_id
    out = []
    # A record that an event of its own agrees with is reported. Only for the others (none in a clean village) are
    # the changes looked through as the rule says — by person, or by person and day; made when first asked.
    persons_listed: dict[str, frozenset] = {}
    days_listed: dict[tuple[str, ...], frozenset] = {}

    def listed_for(pid: int, change: str) -> bool:
        if change not in persons_listed:
            persons_listed[change] = frozenset(e.person_id for e in by_type.get(change, ()))
        return pid in persons_listed[change]

    def listed_on(pid: int, day: dt.date, *changes: str) -> bool:
        # Reported on another date is X003's finding (the report and the record disagree), not a missing change.
        if changes not in days_listed:
            events = (e for t in changes for e in by_type.get(t, ()))
            days_listed[changes] = frozenset((e.person_id, e.occurred_date) for e in events)
        return (pid, day) in days_listed[changes]

    def missing(record, pid: int, day: dt.date, column: str, what: str) -> None:
        if record.ref.table != "migration" and not arrived(snap, persons.get(pid), day):
            return  # the family's history from before it came
        out.append(finding("X004", record.ref, message=f"{what}（{iso(day)}）已记入台账，却没有列入任何月份的报告单。"
                                                       f"请通过相应的变动登记（而不是直接修改字段）补报该变动。", field=column,
                           period=period_of(day)))

    def agree(*changes: str) -> AbstractSet[int]:
        if len(changes) == 1:
            return agreeing.get(changes[0], frozenset())
        return frozenset().union(*(agreeing.get(t, ()) for t in changes))

    died, moved_out, moved_in = agree(Change.DEATH), agree(Change.MOVE_OUT), agree(Change.MOVE_IN)
    for p in snap.persons:
        if p.death_date is None and p.moved_out_date is None and p.moved_in_date is None:
            continue
        day = p.death_date
        if day is not None and day > base and p.id not in died and not listed_for(p.id, Change.DEATH):
            missing(p, p.id, day, "death_date", "死亡")
        day = p.moved_out_date
        if day is not None and day > base and p.id not in moved_out and not listed_for(p.id, Change.MOVE_OUT):
            missing(p, p.id, day, "moved_out_date", "迁出")
        day = p.moved_in_date
        if day is not None and day > base and p.id not in moved_in and not listed_for(p.id, Change.MOVE_IN):
            missing(p, p.id, day, "moved_in_date", "迁入")
    married, ended = agree(*MARRIAGE_EVENTS), agree(*END_EVENTS)
    with_record_event = None
    for m in snap.marriages:
        day = m.start_date
        if day and day > base and m.id not in married and not listed_on(m.person_id, day, *MARRIAGE_EVENTS):
            if with_record_event is None:
                with_record_event = f.reported_records("marriage", RECORD_EVENTS)
            if m.id not in with_record_event:
                missing(m, m.person_id, day, "start_date", "结婚")
        day = m.end_date
        if day and day > base and m.id not in ended and not listed_on(m.person_id, day, *END_EVENTS):
            person = persons.get(m.person_id)
            if person is None or person.death_date != day:  # ended by the own death: the death is the change
                missing(m, m.person_id, day, "end_date", codes.label("marital_status", m.end_reason) or "婚姻终止")
    inflow, outflow, returned = agree(Change.INFLOW), agree(Change.OUTFLOW), agree(Change.RETURN)
    for m in snap.migrations:
        day = m.start_date
        if day > base:
            change, agreed = (Change.INFLOW, inflow) if m.kind == "1" else (Change.OUTFLOW, outflow)
            if m.id not in agreed and not listed_on(m.person_id, day, change):
                missing(m, m.person_id, day, "start_date", codes.label("migration_kind", m.kind))
        day = m.end_date
        if day and day > base and m.id not in returned and not listed_on(m.person_id, day, Change.RETURN):
            missing(m, m.person_id, day, "end_date", "流动结束（返回）")
    return out


def check_child_matches_birth(snap: Snapshot) -> list[Finding]:
    """子女与人口登记: a child on a card who is also in the population register has the same name, sex and birth
    date in both."""
    out = []
    by_id = snap.person_by_id
    for b in snap.births:
        child = by_id.get(b.child_id) if b.child_id is not None else None
        if child is None:
            continue
        if child.name == b.child_name and child.sex == b.child_sex \
                and (child.birth_date is None or child.birth_date == b.birth_date):
            continue  # (nearly every child: no list of differences made for it)
        diffs = []
        if child.name != b.child_name:
            diffs.append(("child_name", f"姓名（出生登记“{b.child_name}”，人口登记“{child.name}”）"))
        if child.sex != b.child_sex:
            diffs.append(("child_sex", f"性别（出生登记“{SEX.get(b.child_sex)}”，人口登记“{SEX.get(child.sex)}”）"))
        if child.birth_date is not None and child.birth_date != b.birth_date:
            diffs.append(("birth_date", f"出生日期（出生登记 {iso(b.birth_date)}，人口登记 {iso(child.birth_date)}）"))
        for column, text in diffs:
            out.append(finding("X005", b.ref, message=f"子女的{text}不一致。请核对后把错误的一处更正。", field=column,
                               related=(child.ref,)))
    return out


def board_and_registers(snap: Snapshot) -> list[tuple[str, int, int]]:
    """What the board shows and the registers count, figure by figure: (figure, on the board, in the books) —
    married women of childbearing age and their contraception by method (节育措施登记, its married women), and
    this statistics year's births by order, sex and policy status (出生登记). Each figure is a count of women or
    births: a sum over persons of what their own records add (``checks.incremental`` relies on it)."""
    b = board(snap)
    # The register lists every card (divorced and widowed women keep theirs); the board counts the married ones.
    # Its women and their methods are counted as it selects them (``measures_in_force``), not from its rows: a
    # count needs neither the rows' order (by group and household) nor their labels, most of their making. A card
    # holder is a woman of the population aged 15–49 that day: being married is what she lacks of 已婚育龄妇女
    # (``is_married_woman_of_childbearing_age``).
    methods = Counter(register_method(m) for w, m in measures_in_force(snap) if is_married(w))
    women = sum(methods.values())
    start, end = statistics_year_bounds(snap.as_of)
    births = births_register(snap, start=start, end=min(end, snap.as_of))
    return [
        ("已婚育龄妇女", b.married_women, women),
        ("落实节育措施", b.contraception_users, women - methods[codes.NO_MEASURE]),
        ("长效措施", b.long_acting, sum(n for code, n in methods.items() if code in codes.LONG_ACTING_METHODS)),
        *((f"措施“{c.label}”", c.count, methods.get(c.code, 0)) for c in b.contraception),
        ("本年出生", b.births, len(births)),
        ("一孩", b.births_first, sum(1 for r in births if r.birth_order == 1)),
        ("二孩", b.births_second, sum(1 for r in births if r.birth_order == 2)),
        ("三孩及以上", b.births_third_plus, sum(1 for r in births if r.birth_order >= 3)),
        ("出生男孩", b.births_male, sum(1 for r in births if r.sex_code == codes.MALE)),
        ("出生女孩", b.births_female, sum(1 for r in births if r.sex_code == codes.FEMALE)),
        ("政策内出生", b.births_in_policy, sum(1 for r in births if r.policy_status_code == "1")),
        ("政策外出生", b.births_out_of_policy, sum(1 for r in births if r.policy_status_code == "2")),
    ]


def check_board_matches_registers(snap: Snapshot) -> list[Finding]:
    """牌册相符: the board's figures equal the registers' (``board_and_registers``)."""
    return [finding("X006", Ref("board", 0), message=f"公示牌“{what}”为 {on_board}，管理册为 {in_books}。"
                                                     f"请刷新公示牌；如仍不一致，请把问题报告给软件维护人员。")
            for what, on_board, in_books in board_and_registers(snap) if on_board != in_books]
