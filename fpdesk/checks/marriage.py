"""Marriage (婚姻): the recorded marital status, the marriage records, and both partners' sides agreeing."""

from __future__ import annotations

from fpdesk import codes
from fpdesk.checks.facts import EVER_MARRIED, MARRIED, facts, iso
from fpdesk.checks.finding import Finding, finding
from fpdesk.snapshot import Snapshot

DIVORCED_OR_WIDOWED = frozenset({"30", "40"})
_MARRIAGE_STATUSES = frozenset({"21", "22", "23"}) | DIVORCED_OR_WIDOWED  # those a marriage record states
_CHANGED_STATUSES = frozenset({"22", "23"}) | DIVORCED_OR_WIDOWED            # 再婚, 复婚, 丧偶, 离婚
NEVER_MARRIED = "10"


def _status(code: str | None) -> str:
    return codes.label("marital_status", code) or "（空）"


def check_no_husband_after_divorce(snap: Snapshot) -> list[Finding]:
    """离婚丧偶无现任配偶: a person recorded as divorced or widowed has no current spouse on the card."""
    out = []
    current = facts(snap).current_marriage
    for p in snap.persons:
        if p.marital_status in DIVORCED_OR_WIDOWED:
            m = current.get(p.id)
            if m is not None:
                name = snap.person_by_id[m.spouse_id].name if m.spouse_id in snap.person_by_id else m.spouse_name
                out.append(finding("M001", p.ref, message=f"婚姻状况为“{_status(p.marital_status)}”，却仍登记有现任配偶{name}。"
                                                          f"请为该婚姻登记离婚或丧偶（填写终止日期），或更正婚姻状况。",
                                   field="marital_status", related=(m.ref,)))
    return out


def check_first_marriage_date_present(snap: Snapshot) -> list[Finding]:
    """初婚日期必填: everyone in the register who is or was married (已婚, 初婚, 再婚, 复婚, 丧偶, 离婚) has a
    first-marriage date."""
    return [finding("M002", p.ref, message=f"婚姻状况为“{_status(p.marital_status)}”，但初婚日期为空。请填写初婚日期。",
                    field="first_marriage_date")
            for p in facts(snap).present if p.marital_status in EVER_MARRIED and p.first_marriage_date is None]


def check_spouses_agree(snap: Snapshot) -> list[Finding]:
    """夫妻互为配偶: when both partners are of the village, each one's current marriage names the other."""
    out = []
    by_id = snap.person_by_id
    current = facts(snap).current_marriage
    for m in snap.marriages:
        if m.end_date is not None or m.spouse_id is None:
            continue
        spouse = by_id.get(m.spouse_id)
        if spouse is None:
            continue
        back = current.get(spouse.id)
        if back is None or back.spouse_id != m.person_id:
            me = by_id[m.person_id].name if m.person_id in by_id else ""
            if back is None:
                state = f"{spouse.name}名下没有现任配偶记录"
            else:
                other = by_id[back.spouse_id].name if back.spouse_id in by_id else back.spouse_name
                state = f"{spouse.name}名下的现任配偶是{other or '（未填）'}"
            out.append(finding("M003", m.ref, message=f"{me}的现任配偶是{spouse.name}，但{state}。"
                                                      f"请核对两人的婚姻记录，使双方互为配偶（或登记离婚/丧偶）。",
                               field="spouse_id", related=(spouse.ref,)))
    return out


def check_married_has_spouse(snap: Snapshot) -> list[Finding]:
    """已婚有配偶: a person recorded as married (已婚, 初婚, 再婚, 复婚) has a current spouse record — in the
    village, or a name from outside."""
    current = facts(snap).current_marriage
    return [finding("M004", p.ref, message=f"婚姻状况为“{_status(p.marital_status)}”，但没有现任配偶记录。"
                                           f"请登记配偶（本村人员或外村配偶姓名），或更正婚姻状况。", field="marital_status")
            for p in facts(snap).present if p.marital_status in MARRIED and p.id not in current]


def check_never_married_has_no_marriage(snap: Snapshot) -> list[Finding]:
    """未婚无婚史: a person recorded as never married (未婚) has no marriage record and no first-marriage date."""
    out = []
    for p in snap.persons:
        if p.marital_status != NEVER_MARRIED:
            continue
        if p.first_marriage_date is not None:
            out.append(finding("M005", p.ref, message=f"婚姻状况为“未婚”，却填有初婚日期 {iso(p.first_marriage_date)}。"
                                                      f"请更正婚姻状况，或删去初婚日期。", field="marital_status"))
        elif snap.marriages_of.get(p.id):
            out.append(finding("M005", p.ref, message="婚姻状况为“未婚”，却有婚姻记录。请按婚姻记录更正婚姻状况。",
                               field="marital_status", related=tuple(m.ref for m in snap.marriages_of[p.id])))
    return out


def check_one_current_marriage(snap: Snapshot) -> list[Finding]:
    """一夫一妻: nobody has two current marriages at once."""
    out = []
    for pid, marriages in snap.marriages_of.items():
        if len(marriages) < 2:
            continue  # (nearly everyone)
        current = [m for m in marriages if m.end_date is None]
        for m in current[1:]:
            out.append(finding("M006", m.ref, message=f"同时有{len(current)}条未终止的婚姻记录。请为已结束的婚姻填写终止日期和原因"
                                                      f"（离婚/丧偶），或删去重复的记录。", field="end_date",
                               related=tuple(c.ref for c in current if c is not m)))
    return out


def check_marriage_dates_in_order(snap: Snapshot) -> list[Finding]:
    """婚姻起止: a marriage ends (divorce, widowhood) on or after the day it began."""
    return [finding("M007", m.ref, message=f"婚姻终止日期 {iso(m.end_date)} 早于结婚日期 {iso(m.start_date)}。请更正其中错误的日期。",
                    field="end_date")
            for m in snap.marriages if m.start_date and m.end_date and m.end_date < m.start_date]


def check_spouse_opposite_sex(snap: Snapshot) -> list[Finding]:
    """配偶性别: a spouse of the village is of the other sex."""
    out = []
    by_id = snap.person_by_id
    for m in snap.marriages:
        if m.spouse_id is None:
            continue  # a spouse from outside the village
        me, spouse = by_id.get(m.person_id), by_id.get(m.spouse_id)
        if me is not None and spouse is not None and me.sex == spouse.sex:
            out.append(finding("M008", m.ref, message=f"配偶{spouse.name}与本人性别相同。请核对配偶是否选错了人，或更正性别。",
                               field="spouse_id", related=(spouse.ref,)))
    return out


def check_widowhood_recorded(snap: Snapshot) -> list[Finding]:
    """死亡终止婚姻: a marriage is not current when either partner has died — the survivor is widowed (丧偶)."""
    out = []
    by_id = snap.person_by_id
    for m in snap.marriages:
        if m.end_date is not None:
            continue
        spouse = by_id.get(m.spouse_id) if m.spouse_id is not None else None
        if spouse is not None and spouse.death_date is not None:
            out.append(finding("M009", m.ref, message=f"配偶{spouse.name}已于 {iso(spouse.death_date)} 死亡，婚姻记录仍未终止。"
                                                      f"请登记丧偶（终止日期为死亡日期）。", field="end_date", related=(spouse.ref,)))
        elif (me := by_id.get(m.person_id)) is not None and me.death_date is not None:
            out.append(finding("M009", m.ref, message=f"本人已于 {iso(me.death_date)} 死亡，婚姻记录仍未终止。"
                                                      f"请将该婚姻的终止日期填为死亡日期、原因为丧偶。", field="end_date"))
    return out


def check_first_marriage_date_matches(snap: Snapshot) -> list[Finding]:
    """初婚日期与婚姻记录: no marriage record begins before the first-marriage date, and a first marriage (初婚)
    begins on it."""
    out = []
    for p in snap.persons:
        first = p.first_marriage_date
        if first is None:
            continue
        for m in snap.marriages_of.get(p.id, ()):
            if m.start_date is None:
                continue
            if m.start_date < first or (m.kind == "21" and m.start_date != first):
                out.append(finding("M010", m.ref, message=f"结婚日期 {iso(m.start_date)}（{_status(m.kind)}）"
                                                          f"与本人初婚日期 {iso(first)} 不符。"
                                                          f"请更正结婚日期或初婚日期。", field="start_date", related=(p.ref,)))
    return out


def check_marital_change_date_present(snap: Snapshot) -> list[Finding]:
    """婚姻变动日期必填: a person remarried, divorced or widowed has the date of that change."""
    return [finding("M011", p.ref, message=f"婚姻状况为“{_status(p.marital_status)}”，但婚姻变动日期为空。请填写再婚、离婚或丧偶的日期。",
                    field="marital_change_date")
            for p in facts(snap).present
            if p.marital_status in _CHANGED_STATUSES and p.marital_change_date is None]


def check_status_matches_marriage(snap: Snapshot) -> list[Finding]:
    """婚姻状况与婚姻记录: the marital status agrees with the marriage records — 初婚/再婚/复婚 as the current
    marriage's kind, 离婚/丧偶 as the way the last marriage ended."""
    out = []
    by_id = snap.person_by_id
    current_marriage = facts(snap).current_marriage
    for pid, marriages in snap.marriages_of.items():
        p = by_id.get(pid)
        if p is None or p.marital_status not in _MARRIAGE_STATUSES:
            continue  # 已婚 (any kind), 未婚 or blank: nothing to compare with a record's kind or end
        current = current_marriage.get(pid)
        if current is not None:
            if p.marital_status in ("21", "22", "23") and p.marital_status != current.kind:
                out.append(finding("M012", p.ref, message=f"婚姻状况为“{_status(p.marital_status)}”，"
                                                          f"现任婚姻记录为“{_status(current.kind)}”。"
                                                          f"请更正婚姻状况或婚姻记录的类型。", field="marital_status",
                                   related=(current.ref,)))
        elif p.marital_status in DIVORCED_OR_WIDOWED:
            last = max((m for m in marriages if m.end_date is not None), key=lambda m: (m.end_date, m.id), default=None)
            if last is not None and last.end_reason and last.end_reason != p.marital_status:
                out.append(finding("M012", p.ref, message=f"婚姻状况为“{_status(p.marital_status)}”，最近一次婚姻的终止原因却是"
                                                          f"“{_status(last.end_reason)}”。请更正婚姻状况或终止原因。",
                                   field="marital_status", related=(last.ref,)))
    return out
