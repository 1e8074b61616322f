"""Service functions for marriage, divorce, widowhood and births."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, Mapping

from fpdesk import codes
from fpdesk.codes import Change
from fpdesk.dates import add_years, iso
from fpdesk.errors import InputError
from fpdesk.ops import Changes, RecordRef, operation
from fpdesk.policy import suggest_policy_status
from fpdesk.services.validate import (
    clean_value, not_dead_at, require_date, require_person, require_woman,
)

SPOUSE_FIELDS = (
    "spouse_name", "spouse_id_number", "spouse_birth_date", "spouse_ethnicity", "spouse_education", "spouse_hukou",
    "spouse_occupation", "spouse_only_child",
)
_KIND_EVENT = {"21": Change.FIRST_MARRIAGE, "22": Change.REMARRIAGE, "23": Change.REMARRIED_FORMER}


def _current_marriages(conn: sqlite3.Connection, person_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM marriage WHERE person_id = ? AND end_date IS NULL ORDER BY id", (person_id,)
    ).fetchall()


def _marriage_kind(conn: sqlite3.Connection, person: sqlite3.Row, spouse_id: int | None, spouse_id_number: str,
                   day: dt.date) -> str:
    """21 first marriage, 22 remarriage, 23 remarriage to a former spouse."""
    past = conn.execute("SELECT * FROM marriage WHERE person_id = ?", (person["id"],)).fetchall()
    if not past and (not person["first_marriage_date"] or person["first_marriage_date"] == day.isoformat()):
        return "21"  # no earlier marriage on file, or the recorded first marriage is this one
    for m in past:
        if (spouse_id and m["spouse_id"] == spouse_id) or (spouse_id_number and m["spouse_id_number"] == spouse_id_number):
            return "23"
    return "22"


def record_marriage(
    conn: sqlite3.Connection, *, person: int, date: Any, spouse: int | None = None,
    spouse_info: Mapping[str, Any] | None = None, user: str = "", today: dt.date | None = None,
) -> Changes:
    """A marriage (初婚 / 再婚 / 复婚, worked out from the history).

    spouse: the spouse's person id when the spouse is of the village (both get a marriage row and a change event);
    spouse_info: the spouse's identity when from outside (spouse_name required then, and the other SPOUSE_FIELDS).
    """
    row = require_person(conn, person)
    day = require_date(date, field="date", label="结婚日期")
    not_dead_at(row, day, field="person")
    if _current_marriages(conn, row["id"]):
        raise InputError(f"{row['name']}目前仍有配偶，请先登记离婚或丧偶。", field="person")
    if spouse_info is not None and not isinstance(spouse_info, Mapping):
        raise InputError("配偶信息格式不对（应为各项名称和内容）。", field="spouse_info")
    info = dict(spouse_info or {})
    unknown = set(info) - set(SPOUSE_FIELDS)
    if unknown:
        raise InputError(f"未知的配偶字段：{'、'.join(sorted(unknown))}。", field="spouse_info")
    partner = None
    if spouse not in (None, ""):
        partner = require_person(conn, spouse, field="spouse")
        if partner["id"] == row["id"]:
            raise InputError("配偶不能是本人。", field="spouse")
        if partner["sex"] == row["sex"]:
            raise InputError(f"{row['name']}与{partner['name']}性别相同，不能登记为夫妻。", field="spouse")
        not_dead_at(partner, day, field="spouse")
        if _current_marriages(conn, partner["id"]):
            raise InputError(f"{partner['name']}目前仍有配偶，请先登记离婚或丧偶。", field="spouse")
    elif not str(info.get("spouse_name") or "").strip():
        raise InputError("请选择本村配偶，或填写配偶姓名。", field="spouse_name")
    spouse_values = {col: clean_value("marriage", col, info.get(col), param=f"spouse_info.{col}") for col in SPOUSE_FIELDS}
    born = dt.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
    if born and (born.year > dt.MAXYEAR - 15 or day < add_years(born, 15)):
        raise InputError(f"结婚日期 {day} 时{row['name']}不满15周岁，请核对日期。", field="date")

    sides = [(row, partner, spouse_values)]
    if partner is not None:
        sides.append((partner, row, {}))
    with operation(conn, "record_marriage", user=user, today=today, summary=f"{row['name']} 结婚") as op:
        first_ref = None
        for me, other, extra in sides:
            if other is not None:
                extra = {
                    "spouse_name": other["name"], "spouse_id_number": other["id_number"] or "",
                    "spouse_birth_date": other["birth_date"], "spouse_ethnicity": other["ethnicity"],
                    "spouse_education": other["education"], "spouse_hukou": other["hukou"],
                    "spouse_occupation": other["occupation"], "spouse_only_child": other["only_child"],
                }
            kind = _marriage_kind(conn, me, other["id"] if other else None, extra.get("spouse_id_number") or "", day)
            mid = op.insert("marriage", {
                "person_id": me["id"], "spouse_id": other["id"] if other else None, **extra,
                "kind": kind, "start_date": day,
            })
            first_ref = first_ref or RecordRef("marriage", mid)
            person_update: dict[str, Any] = {"marital_status": kind}
            if kind == "21":
                person_update["first_marriage_date"] = day
            else:
                person_update["marital_change_date"] = day
            op.update("person", me["id"], person_update)
            op.event(person_id=me["id"], change_type=_KIND_EVENT[kind], occurred=day, record=RecordRef("marriage", mid))
        op.record = first_ref
    assert op.result
    return op.result


def _end_marriage(
    conn: sqlite3.Connection, *, action: str, reason: str, person: int, date: Any, user: str,
    today: dt.date | None,
) -> Changes:
    row = require_person(conn, person)
    what = "离婚" if reason == "40" else "丧偶"
    day = require_date(date, field="date", label=f"{what}日期")
    current = _current_marriages(conn, row["id"])
    if not current:
        raise InputError(f"{row['name']}目前没有登记在册的配偶，无法登记{what}。", field="person")
    for m in current:
        if m["start_date"] and day.isoformat() < m["start_date"]:
            raise InputError(f"{what}日期早于结婚日期 {m['start_date']}。", field="date")
    event = Change.DIVORCE if reason == "40" else Change.WIDOWED
    with operation(conn, action, user=user, today=today, summary=f"{row['name']} {what}") as op:
        for m in current:
            op.update("marriage", m["id"], {"end_date": day, "end_reason": reason})
            op.update("person", row["id"], {"marital_status": reason, "marital_change_date": day})
            op.event(person_id=row["id"], change_type=event, occurred=day, record=RecordRef("marriage", m["id"]))
            if reason == "40" and m["spouse_id"] is not None:
                for back in _current_marriages(conn, m["spouse_id"]):
                    if back["spouse_id"] == row["id"]:
                        op.update("marriage", back["id"], {"end_date": day, "end_reason": reason})
                        op.update("person", m["spouse_id"], {"marital_status": reason, "marital_change_date": day})
                        op.event(person_id=m["spouse_id"], change_type=event, occurred=day,
                                 record=RecordRef("marriage", back["id"]))
        op.record = RecordRef("marriage", current[0]["id"])
    assert op.result
    return op.result


def record_divorce(
    conn: sqlite3.Connection, *, person: int, date: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """A divorce (离婚): the current marriage ends for both partners in the village."""
    return _end_marriage(conn, action="record_divorce", reason="40", person=person, date=date, user=user, today=today)


def record_widowhood(
    conn: sqlite3.Connection, *, person: int, date: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Widowhood (丧偶) of a person whose spouse died outside the village's records."""
    return _end_marriage(conn, action="record_widowhood", reason="30", person=person, date=date, user=user, today=today)


def _child_relation(mother: sqlite3.Row, sex: str) -> str:
    if mother["relation"] in ("01", "02"):
        return "03" if sex == codes.MALE else "04"
    if mother["relation"] in ("03", "04"):
        return "06"
    return "99"


def record_birth(
    conn: sqlite3.Connection, *, mother: int, child_name: str, sex: Any, birth_date: Any, birth_order: Any = None,
    policy_status: Any = None, birth_cert_no: str = "", blood_relation: Any = "1", health: Any = "1",
    id_number: str = "", add_to_household: bool = True, user: str = "", today: dt.date | None = None,
) -> Changes:
    """A birth (出生): the child joins the mother's household, the birth goes on her card and in part 2 of the
    month's change report, and her ongoing pregnancy (if any) is closed as a live birth.

    birth_order: 孩次; by default one more than the mother's children so far (twins: give the same date).
    policy_status: 政策属性; by default suggested from the policy in force on the birth date.
    """
    mom = require_woman(conn, mother, field="mother")
    day = require_date(birth_date, field="birth_date", label="出生日期")
    not_dead_at(mom, day, field="mother")
    name = clean_value("birth", "child_name", child_name)
    sex_code = clean_value("birth", "child_sex", sex, param="sex")
    blood = clean_value("birth", "blood_relation", blood_relation)
    health_code = clean_value("birth", "health", health)
    children = conn.execute(
        "SELECT * FROM birth WHERE mother_id = ? ORDER BY birth_order, birth_date", (mom["id"],)
    ).fetchall()
    order = (max((c["birth_order"] for c in children), default=0) + 1) if birth_order in (None, "") else \
        clean_value("birth", "birth_order", birth_order)
    if order < 1:
        raise InputError("孩次应为1、2、3……", field="birth_order")
    if policy_status in (None, ""):
        first_sex = children[0]["child_sex"] if children else (sex_code if order == 1 else None)
        policy = suggest_policy_status(birth_date=day, birth_order=order, rural=mom["hukou"] != "2",
                                       first_child_sex=first_sex)
    else:
        policy = clean_value("birth", "policy_status", policy_status)
    id_text = clean_value("person", "id_number", id_number)
    with operation(conn, "record_birth", user=user, today=today, summary=f"{mom['name']} 生育 {name}") as op:
        child_id = None
        if add_to_household:
            child_id = op.insert("person", {
                "household_id": mom["household_id"], "relation": _child_relation(mom, sex_code), "name": name,
                "sex": sex_code, "birth_date": day, "id_number": id_text or None, "ethnicity": mom["ethnicity"],
                "hukou": mom["hukou"], "marital_status": "10",
                # a child of an inflow mother is registered where she is, not here: it stays 流入 like her
                "residence": "3" if mom["residence"] == "3" else "1",
            })
        bid = op.insert("birth", {
            "mother_id": mom["id"], "child_id": child_id, "child_name": name, "child_sex": sex_code,
            "birth_date": day, "birth_order": order, "policy_status": policy,
            "birth_cert_no": str(birth_cert_no or "").strip(), "blood_relation": blood, "health": health_code,
        })
        op.record = RecordRef("birth", bid)
        op.event(person_id=child_id or mom["id"], change_type=Change.BIRTH, occurred=day, record=RecordRef("birth", bid),
                 field="birth_date")
        ongoing = conn.execute(
            "SELECT * FROM pregnancy WHERE person_id = ? AND outcome IS NULL AND lmp_date <= ? ORDER BY lmp_date DESC",
            (mom["id"], iso(day)),
        ).fetchone()
        if ongoing is not None and blood == "1":
            op.update("pregnancy", ongoing["id"], {"outcome": "1", "end_date": day})
    assert op.result
    return op.result
