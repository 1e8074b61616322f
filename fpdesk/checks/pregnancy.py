"""Pregnancies (孕情): an outcome once past term, dates in order, one pregnancy at a time, live births on the card."""

from __future__ import annotations

import datetime as dt

from fpdesk import codes
from fpdesk.checks.facts import facts, iso
from fpdesk.checks.finding import Finding, finding
from fpdesk.snapshot import Snapshot

TERM = dt.timedelta(days=280)
OVERDUE = dt.timedelta(days=14)     # 42 weeks: past this without an outcome the outcome is missing
LIVE_BIRTH = "1"
BIRTH_MATCH = dt.timedelta(days=30)


def check_pregnancy_outcome_when_due(snap: Snapshot) -> list[Finding]:
    """孕情逾期未结: a pregnancy of a woman of the village more than two weeks past its expected date (42 weeks) has
    its outcome recorded."""
    out = []
    present = facts(snap).present_ids
    for p in snap.pregnancies:
        if p.outcome is not None or p.person_id not in present:
            continue  # a woman who died or moved away: her pregnancy is followed where she is now
        due = p.expected_date or p.lmp_date + TERM
        if snap.as_of > due + OVERDUE:
            out.append(finding("P001", p.ref, message=f"孕情（末次月经 {iso(p.lmp_date)}，预产期 {iso(due)}）已超过预产期两周仍未登记结果。"
                                                      f"请登记孕产结果（活产请登记出生）。", field="outcome"))
    return out


def check_pregnancy_dates_in_order(snap: Snapshot) -> list[Finding]:
    """孕情日期: a pregnancy ends, and is registered, on or after the last menstrual period it counts from."""
    out = []
    for p in snap.pregnancies:
        if p.end_date is not None and p.end_date < p.lmp_date:
            out.append(finding("P002", p.ref, message=f"孕情终止日期 {iso(p.end_date)} 早于末次月经日期 {iso(p.lmp_date)}。"
                                                      f"请更正其中错误的日期。", field="end_date"))
        if p.registered_date is not None and p.registered_date < p.lmp_date:
            out.append(finding("P002", p.ref, message=f"孕情登记日期 {iso(p.registered_date)} 早于末次月经日期 {iso(p.lmp_date)}。"
                                                      f"请更正其中错误的日期。", field="registered_date"))
    return out


def check_pregnancy_outcome_complete(snap: Snapshot) -> list[Finding]:
    """孕产结果完整: an outcome has its end date, and an end date has its outcome."""
    out = []
    for p in snap.pregnancies:
        if p.outcome is not None and p.end_date is None:
            out.append(finding("P003", p.ref, message=f"孕产结果为“{codes.label('pregnancy_outcome', p.outcome)}”，但终止日期为空。"
                                                      f"请填写终止日期。", field="end_date"))
        elif p.outcome is None and p.end_date is not None:
            out.append(finding("P003", p.ref, message=f"孕情填有终止日期 {iso(p.end_date)}，但孕产结果为空。请选择孕产结果。",
                               field="outcome"))
    return out


def check_one_pregnancy_at_a_time(snap: Snapshot) -> list[Finding]:
    """一次一孕: a woman's pregnancies do not overlap — a new one begins after the previous one ended, and only one
    is ongoing."""
    out = []
    for pid, pregnancies in snap.pregnancies_of.items():
        for a, b in zip(pregnancies, pregnancies[1:]):
            if a.end_date is None or a.end_date > b.lmp_date:
                state = "尚未结束" if a.end_date is None else f"至 {iso(a.end_date)} 才结束"
                out.append(finding("P004", b.ref, message=f"末次月经 {iso(b.lmp_date)} 的孕情开始时，前一次孕情（末次月经 {iso(a.lmp_date)}）"
                                                          f"{state}。请登记前一次孕情的结果，或删去重复登记的孕情。",
                                   field="lmp_date", related=(a.ref,)))
    return out


def check_live_birth_on_card(snap: Snapshot) -> list[Finding]:
    """活产须有出生: a pregnancy ended in a live birth (活产) has the child on the mother's card — a birth record
    within a month of the end date."""
    out = []
    for p in snap.pregnancies:
        if p.outcome != LIVE_BIRTH or p.end_date is None:
            continue
        if not any(abs(b.birth_date - p.end_date) <= BIRTH_MATCH for b in snap.births_of.get(p.person_id, ())):
            out.append(finding("P005", p.ref, message=f"孕情结果为“活产”（{iso(p.end_date)}），档案卡上却没有这次出生的子女。"
                                                      f"请登记出生，或更正孕产结果。", field="outcome", ledger="card"))
    return out
