"""Identity (身份信息): ID numbers, birth dates, sex, the fields a card must have, and codes."""

from __future__ import annotations

from functools import cache
from operator import attrgetter

from fpdesk import codes
from fpdesk.checks.facts import facts, id_info, iso
from fpdesk.checks.finding import Finding, finding
from fpdesk.fields import FIELDS
from fpdesk.snapshot import Snapshot

SEX = {"1": "男", "2": "女"}


def check_id_number_check_digit(snap: Snapshot) -> list[Finding]:
    """身份证号校验位: an 18-digit ID number's last character must match the GB 11643 check digit. A wrong one is
    a warning: the number is kept as written, the clerk checks it against the card."""
    return [finding("I001", p.ref, message=f"身份证号 {info.number} 的校验位不正确。请对照身份证原件核对后更正身份证号。",
                    field="id_number")
            for p, info in facts(snap).id_problems.bad_check]


def check_id_number_format(snap: Snapshot) -> list[Finding]:
    """身份证号格式: an ID number is 18 characters — 17 digits and a digit or X — with a real birth date inside."""
    return [finding("I002", p.ref, message=f"身份证号“{p.id_number}”不是有效的18位身份证号（前17位为数字，末位为数字或X，"
                                           f"第7–14位为出生日期）。请按身份证原件更正。", field="id_number")
            for p in facts(snap).id_problems.malformed]


def check_id_number_birth_date(snap: Snapshot) -> list[Finding]:
    """身份证号与出生日期: the birth date written in the ID number (digits 7–14) is the recorded birth date."""
    return [finding("I003", p.ref, message=f"出生日期 {iso(p.birth_date)} 与身份证号中的 {iso(info.birth_date)} 不一致。"
                                           f"请核对身份证，更正出生日期或身份证号。", field="birth_date")
            for p, info in facts(snap).id_problems.birth]


def check_id_number_sex(snap: Snapshot) -> list[Finding]:
    """身份证号与性别: the 17th digit of the ID number is odd for a man, even for a woman, as the recorded sex."""
    return [finding("I004", p.ref, message=f"性别登记为“{SEX.get(p.sex, p.sex)}”，身份证号第17位表示“{SEX[info.sex or '1']}”。"
                                           f"请核对身份证，更正性别或身份证号。", field="sex")
            for p, info in facts(snap).id_problems.sex]


def check_id_number_unique(snap: Snapshot) -> list[Finding]:
    """一人一号: one ID number belongs to one person; the same number on two people is one of them entered wrong
    (or the same person entered twice)."""
    out = []
    for number, people in facts(snap).id_problems.shared.items():
        first = people[0]
        for p in people[1:]:
            out.append(finding("I005", p.ref, message=f"身份证号 {number} 与 {first.name}（人员 {first.id}）相同。"
                                                      f"请核对两人的身份证号；如是同一人重复登记，请合并为一条。",
                               field="id_number", related=(first.ref,)))
    return out


def check_birth_date_present(snap: Snapshot) -> list[Finding]:
    """出生日期必填: everyone in the population register has a birth date (without it no age, no card, no count)."""
    f = facts(snap)
    return [finding("I006", p.ref, message="出生日期为空。请按身份证或户口簿填写出生日期。", field="birth_date")
            for p in f.present if p.birth_date is None]


def check_card_id_number_present(snap: Snapshot) -> list[Finding]:
    """档案卡身份证号必填: every married woman of childbearing age has her ID number on her card."""
    return [finding("I007", p.ref, message="已婚育龄妇女的身份证号为空。请按身份证填写。", field="id_number", ledger="card")
            for p in facts(snap).card_women if not p.id_number]


_CARD_FIELDS = (("ethnicity", "民族"), ("education", "文化程度"), ("hukou", "户口性质"))


def check_card_required_fields(snap: Snapshot) -> list[Finding]:
    """档案卡必填项: a married woman of childbearing age has her ethnicity (民族), education (文化程度) and hukou type
    (户口性质) filled in — the card and the change report print them."""
    out = []
    for p in facts(snap).card_women:
        for column, label in _CARD_FIELDS:
            if not getattr(p, column):
                out.append(finding("I008", p.ref, message=f"{label}为空。请在档案卡上填写{label}。", field=column))
    return out


def check_husband_id_number(snap: Snapshot) -> list[Finding]:
    """丈夫身份证号: on a card whose husband is from outside the village, his ID number (when written) is a valid
    man's number whose birth date is his recorded birth date."""
    out = []
    for woman in facts(snap).card_women:
        m = snap.current_spouse(woman)
        if m is None or m.spouse_id is not None or not m.spouse_id_number:
            continue
        info = id_info(m.spouse_id_number)
        if not info.well_formed:
            problem = f"丈夫身份证号“{m.spouse_id_number}”不是有效的18位身份证号"
        elif not info.check_ok:
            problem = f"丈夫身份证号 {info.number} 的校验位不正确"
        elif info.sex != codes.MALE:
            problem = f"丈夫身份证号 {info.number} 第17位表示女性"
        elif m.spouse_birth_date and info.birth_date != m.spouse_birth_date:
            problem = f"丈夫出生日期 {iso(m.spouse_birth_date)} 与其身份证号中的 {iso(info.birth_date)} 不一致"
        else:
            continue
        out.append(finding("I009", m.ref, message=problem + "。请对照丈夫的身份证更正。", field="spouse_id_number"))
    return out


# Coded columns of every table the clerk writes, from fpdesk.fields (the one list of fields).
_CODED = tuple(
    (table, column, spec.codes, spec.label)
    for table, spec_map in FIELDS.items() for column, spec in spec_map.items()
    if spec.kind == "code" and spec.codes
)
_RECORDS = {
    "person": "persons", "marriage": "marriages", "birth": "births", "measure": "measures",
    "pregnancy": "pregnancies", "service": "services", "benefit": "benefits", "migration": "migrations",
    "certificate": "certificates",
}


@cache
def _allowed(code_table: str) -> frozenset[str | None]:
    """The codes of a code table, and blank (a blank field is another rule's)."""
    return frozenset(codes.table(code_table)) | {None}


def check_codes_known(snap: Snapshot) -> list[Finding]:
    """代码规范: every coded field (sex, ethnicity, marital status, method, reason, outcome …) holds a code of its
    code table; an unknown code prints as nonsense on the forms and is counted nowhere."""
    out = []
    for table, column, code_table, label in _CODED:
        attr = _RECORDS.get(table)
        if attr is None:
            continue
        records = getattr(snap, attr)
        get = attrgetter(column)
        if _allowed(code_table).issuperset(map(get, records)):
            continue  # (every column of a clean village)
        known = codes.table(code_table)
        choices = "、".join(known.values())
        for r in records:
            value = get(r)
            if value is not None and value not in known:
                out.append(finding("K001", r.ref, message=f"{label}“{value}”不是代码表中的值。请从以下选项中选择：{choices}。",
                                   field=column, ledger=_LEDGER_OF.get(table, "population")))
    return out


_LEDGER_OF = {"birth": "births", "measure": "measures", "pregnancy": "pregnancies", "marriage": "card",
              "service": "services", "benefit": "services", "migration": "migrants", "certificate": "population"}
