"""Households (户): everyone in the register belongs to a household, each household has one head and a group."""

from __future__ import annotations

from fpdesk.checks.facts import facts
from fpdesk.checks.finding import Finding, finding
from fpdesk.records import Ref
from fpdesk.snapshot import Snapshot

HEAD = "01"


def check_person_has_household(snap: Snapshot) -> list[Finding]:
    """人户对应: everyone in the registered population belongs to a household (户编号); the population register
    is kept by household and group. Inflow people (流入) are in the migrant register and may have none."""
    return [finding("H001", p.ref, message="未归入任何户。请在人口登记中为其选择户编号。", field="household_id")
            for p in facts(snap).present if p.household_id is None]


def check_household_head(snap: Snapshot) -> list[Finding]:
    """一户一个户主: a household with people in it has exactly one head (与户主关系 = 户主)."""
    out = []
    for hh_id, people in facts(snap).present_members.items():
        heads = [p for p in people if p.relation == HEAD]
        if len(heads) == 1:
            continue
        hh = snap.household_by_id[hh_id]
        if not heads:
            out.append(finding("H002", Ref("household", hh_id, people[0].id),
                               message=f"户 {hh.number} 没有户主。请把其中一人的“与户主关系”填为“户主”。", field="relation",
                               related=tuple(p.ref for p in people)))
        else:
            names = "、".join(p.name for p in heads)
            out.append(finding("H002", Ref("household", hh_id, heads[1].id),
                               message=f"户 {hh.number} 有{len(heads)}名户主（{names}）。一户只能有一名户主，请更正其余人的“与户主关系”。",
                               field="relation", related=tuple(p.ref for p in heads)))
    return out


def check_household_group(snap: Snapshot) -> list[Finding]:
    """户属村民小组: when the village has groups, every inhabited household belongs to one (组别); the registers
    and the change report list people by group."""
    if not snap.groups:
        return []
    out = []
    for hh_id, people in facts(snap).present_members.items():
        hh = snap.household_by_id[hh_id]
        if hh.group_id is None:
            out.append(finding("H003", Ref("household", hh_id, people[0].id),
                               message=f"户 {hh.number} 未归入村民小组。请为该户选择组别。", field="group_id"))
    return out
