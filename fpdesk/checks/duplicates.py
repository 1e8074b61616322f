"""Duplicates (重复登记): the same person, child, marriage or change entered twice."""

from __future__ import annotations

from collections import defaultdict

from fpdesk.checks.facts import facts, iso
from fpdesk.checks.finding import Finding, finding
from fpdesk.codes import Change
from fpdesk.records import ChangeEvent
from fpdesk.snapshot import Snapshot

OWN = "1"


def check_person_entered_once(snap: Snapshot) -> list[Finding]:
    """一人一条: the same person is not in the population register twice — same name, sex and birth date, one of
    them without an ID number to tell them apart (the same ID number twice is “一人一号”, I005)."""
    present = facts(snap).present
    # Two entries alike are suspect only when one lacks an ID number: the birthdays of those who lack one first
    # (a few), then only the people born on one of them are compared.
    unnumbered = {p.birth_date for p in present if not p.id_number and p.birth_date}
    if not unnumbered:
        return []
    seen: dict[tuple, list] = defaultdict(list)
    for p in present:
        if p.birth_date in unnumbered:
            seen[(p.name.strip(), p.sex, p.birth_date)].append(p)
    out = []
    for (name, _, born), people in seen.items():
        if len(people) < 2:
            continue
        first = people[0]
        for p in people[1:]:
            if first.id_number and p.id_number:
                continue  # told apart by their ID numbers; the same number twice is I005's finding
            out.append(finding("U001", p.ref, message=f"与{first.name}（人员 {first.id}）姓名、性别、出生日期（{iso(born)}）都相同，"
                                                      f"疑为同一人重复登记。如是同一人请合并为一条；如是两人请填写各自的身份证号。",
                               field="name", related=(first.ref,)))
    return out


def check_child_entered_once(snap: Snapshot) -> list[Finding]:
    """子女不重复: a child appears once on its mother's card — no two birth records of one woman for the same
    child (the same person, or the same name and birth date)."""
    out = []
    for mother_id, births in snap.births_of.items():
        if len(births) < 2:
            continue
        seen: dict[object, object] = {}
        for b in births:
            keys = [("name", b.child_name.strip(), b.birth_date)]
            if b.child_id is not None:
                keys.append(("id", b.child_id))
            first = next((seen[k] for k in keys if k in seen), None)
            if first is not None:
                out.append(finding("U002", b.ref, message=f"子女{b.child_name}（{iso(b.birth_date)}）在档案卡上登记了两次。"
                                                          f"请删去重复的一条，并核对孩次。", field="child_name", related=(first.ref,)))
            for k in keys:
                seen.setdefault(k, b)
    return out


def check_child_has_one_mother(snap: Snapshot) -> list[Finding]:
    """一个生母: a child is the own child (亲生) of one woman only; on another woman's card it is adopted (收养)
    or a stepchild (继子女)."""
    mothers: dict[int, list] = defaultdict(list)
    for b in snap.births:
        if b.child_id is not None and b.blood_relation == OWN:
            mothers[b.child_id].append(b)
    out = []
    for child_id, births in mothers.items():
        if len(births) < 2:
            continue
        distinct = {b.mother_id for b in births}
        if len(distinct) < 2:
            continue
        first = births[0]
        for b in births[1:]:
            if b.mother_id != first.mother_id:
                other = snap.person_by_id.get(first.mother_id)
                out.append(finding("U003", b.ref, message=f"{b.child_name}同时登记为{other.name if other else '另一妇女'}的亲生子女。"
                                                          f"请核对生母；在继母或养母卡上把血缘关系改为“继子女”或“收养”。",
                                   field="blood_relation", related=(first.ref,)))
    return out


def check_marriage_entered_once(snap: Snapshot) -> list[Finding]:
    """婚姻不重复: a marriage is recorded once — not twice with the same spouse and the same wedding day."""
    out = []
    for pid, marriages in snap.marriages_of.items():
        if len(marriages) < 2:
            continue  # (nearly everyone)
        seen = {}
        for m in marriages:
            key = (m.spouse_id if m.spouse_id is not None else m.spouse_name.strip(), m.start_date)
            if key in seen:
                out.append(finding("U004", m.ref, message=f"与同一配偶、同一结婚日期（{iso(m.start_date)}）的婚姻记录有两条。"
                                                          f"请删去重复的一条。", field="start_date", related=(seen[key].ref,)))
            else:
                seen[key] = m
    return out


_MEMBER_CHANGES = Change.MEMBER_CHANGES | {Change.BIRTH}


def check_change_reported_once(snap: Snapshot) -> list[Finding]:
    """变动不重报: a change is in the change reports once — not twice for the same record, nor the same member
    change of the same person on the same day."""
    # Either way of being the same change is one person's: each person's changes (``changes_of``, in id order)
    # are compared among themselves, those of a person with more than one.
    out = []
    for changes in snap.changes_of.values():
        if len(changes) > 1:
            _reported_twice([e for e in changes if e.change_type in _MEMBER_CHANGES], out)
    return out


def _reported_twice(events: list[ChangeEvent], out: list[Finding]) -> None:
    """U005 for one person's member changes (in id order): each one that repeats an earlier one."""
    seen: dict[tuple, ChangeEvent] = {}
    for e in events:
        same_day = (e.person_id, e.change_type, e.occurred_date) if e.change_type != Change.BIRTH else None
        same_record = (e.record_table, e.record_id, e.change_type, e.person_id) \
            if e.record_table is not None and e.record_id is not None else None
        first = seen.get(same_day) if same_day is not None else None
        if first is None and same_record is not None:
            first = seen.get(same_record)
        if first is not None:
            out.append(finding("U005", e.ref, message=f"同一变动（{iso(e.occurred_date)}）在报告单中出现了两次"
                                                      f"（另一次列在{first.report_period}）。请删去重复的变动登记，或向乡镇报更正。",
                               period=e.report_period, related=(first.ref,)))
        for k in (same_day, same_record):
            if k is not None:
                seen.setdefault(k, e)
