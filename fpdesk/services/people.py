"""Service functions for the village, its households and people: set-up, move in/out, flow, death."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, Mapping, Sequence

from fpdesk.codes import Change
from fpdesk.dates import iso
from fpdesk.errors import InputError
from fpdesk.idnumber import FULL_WIDTH_DIGITS, inspect_id
from fpdesk.ops import Changes, RecordRef, operation
from fpdesk.services.validate import (
    clean_value, not_dead_at, require_date, require_person, require_row,
)

# Fields of a new person the clerk may give (keys of a member mapping).
PERSON_FIELDS = (
    "roster_no", "relation", "name", "sex", "birth_date", "id_number", "ethnicity", "education", "hukou",
    "occupation", "marital_status", "first_marriage_date", "marital_change_date", "residence", "only_child", "note",
)


def person_values(member: Mapping[str, Any], *, prefix: str = "") -> dict[str, Any]:
    """Validate a new person's fields. A valid ID number fills a missing birth date and sex.

    prefix: put before field names in errors (e.g. "members[2].") so a form can point at the right row.
    """
    if not isinstance(member, Mapping):
        raise InputError("人员信息格式不对（应为各项名称和内容）。", field=prefix.rstrip(".") or "person")
    unknown = set(member) - set(PERSON_FIELDS)
    if unknown:
        raise InputError(f"未知的人员字段：{'、'.join(sorted(unknown))}。", field=prefix.rstrip("."))
    data = dict(member)
    info = inspect_id(data.get("id_number"))
    if info.well_formed:
        if not data.get("birth_date"):
            data["birth_date"] = info.birth_date
        if not data.get("sex"):
            data["sex"] = info.sex
    data.setdefault("residence", "1")
    values = {col: clean_value("person", col, data.get(col), param=prefix + col) for col in PERSON_FIELDS}
    if values["roster_no"] == "":
        values["roster_no"] = None
    return values


def _check_roster_no(conn: sqlite3.Connection, roster_no: str | None, *, field: str) -> None:
    if roster_no and conn.execute("SELECT 1 FROM person WHERE roster_no = ?", (roster_no,)).fetchone():
        raise InputError(f"人员编号“{roster_no}”已被使用。", field=field)


def setup_village(
    conn: sqlite3.Connection, *, code: str, name: str, township: str = "", county: str = "", clerk: str = "",
    phone: str = "", user: str = "", today: dt.date | None = None,
) -> Changes:
    """Create or update the village's own record (村信息)."""
    code_text = str(code or "").strip().translate(FULL_WIDTH_DIGITS)  # as an input method types them
    if len(code_text) != 12 or not (code_text.isascii() and code_text.isdigit()):
        raise InputError(f"村代码“{code_text}”应为12位数字（统计用区划代码）。", field="code")
    values = {
        "code": code_text, "name": clean_value("village", "name", name), "township": str(township).strip(),
        "county": str(county).strip(), "clerk": str(clerk).strip(), "phone": str(phone).strip(),
    }
    current = conn.execute("SELECT * FROM village WHERE id = 1").fetchone()
    if current is not None and all(current[k] == v for k, v in values.items()):
        raise InputError("村信息没有变化，无需保存。", field="")  # an empty operation would only clutter the history
    with operation(conn, "setup_village", user=user, today=today, summary=f"村信息：{values['name']}") as op:
        if current is not None:
            op.update("village", 1, values)
        else:
            op.insert("village", {"id": 1, **values})
    assert op.result
    return op.result


def add_group(
    conn: sqlite3.Connection, *, name: str, head_name: str = "", user: str = "", today: dt.date | None = None,
) -> Changes:
    """Add a village group (村民小组) with its head (中心户长)."""
    group = clean_value("village_group", "name", name)
    if conn.execute("SELECT 1 FROM village_group WHERE name = ?", (group,)).fetchone():
        raise InputError(f"村民小组“{group}”已存在。", field="name")
    with operation(conn, "add_group", user=user, today=today, summary=f"新增村民小组 {group}") as op:
        op.insert("village_group", {"name": group, "head_name": str(head_name).strip()})
    assert op.result
    return op.result


def _group_id(conn: sqlite3.Connection, group: Any) -> int | None:
    if group is None or group == "":
        return None
    if isinstance(group, int):
        return int(require_row(conn, "village_group", group, field="group")["id"])
    row = conn.execute("SELECT id FROM village_group WHERE name = ?", (str(group).strip(),)).fetchone()
    if row is None:
        raise InputError(f"村民小组“{group}”不存在，请先在村信息中添加。", field="group")
    return int(row[0])


def register_household(
    conn: sqlite3.Connection, *, number: str, members: Sequence[Mapping[str, Any]], group: Any = None,
    address: str = "", moved_in: Any = None, from_place: str = "", user: str = "", today: dt.date | None = None,
) -> Changes:
    """Register a household (户) and its people.

    Without ``moved_in`` this is the baseline registration of a household already in the village (no change
    events); with it, every member is recorded as moved in (迁入) on that date.
    """
    number_text = clean_value("household", "number", number)
    if conn.execute("SELECT 1 FROM household WHERE number = ?", (number_text,)).fetchone():
        raise InputError(f"户编号“{number_text}”已存在。", field="number")
    if isinstance(members, (str, bytes, Mapping)) or not isinstance(members, Sequence):
        raise InputError("成员名单格式不对（应为每人一项的列表）。", field="members")
    if not members:
        raise InputError("一户至少要有一名成员。", field="members")
    group_id = _group_id(conn, group)
    rows = [person_values(m, prefix=f"members[{i}].") for i, m in enumerate(members)]
    seen: set[str] = set()
    for i, row in enumerate(rows):
        _check_roster_no(conn, row["roster_no"], field=f"members[{i}].roster_no")
        if row["roster_no"] in seen:
            raise InputError(f"人员编号“{row['roster_no']}”重复。", field=f"members[{i}].roster_no")
        if row["roster_no"]:
            seen.add(row["roster_no"])
    move_day = require_date(moved_in, field="moved_in", label="迁入日期") if moved_in not in (None, "") else None
    summary = f"登记户 {number_text}（{len(rows)} 人）" + ("，迁入" if move_day else "")
    with operation(conn, "register_household", user=user, today=today, summary=summary) as op:
        hh = op.insert("household", {"number": number_text, "group_id": group_id, "address": str(address).strip()})
        for row in rows:
            pid = op.insert("person", {**row, "household_id": hh, "moved_in_date": iso(move_day)})
            if move_day:
                op.event(person_id=pid, change_type=Change.MOVE_IN, occurred=move_day,
                         record=RecordRef("person", pid), field="moved_in")
        op.record = RecordRef("household", hh)
    assert op.result
    return op.result


def add_person(
    conn: sqlite3.Connection, *, household: int, person: Mapping[str, Any], moved_in: Any = None,
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """Add one person to a household: a baseline entry, or a move in (迁入) when ``moved_in`` is given."""
    hh = require_row(conn, "household", household, field="household")
    values = person_values(person, prefix="person.")
    _check_roster_no(conn, values["roster_no"], field="person.roster_no")
    move_day = require_date(moved_in, field="moved_in", label="迁入日期") if moved_in not in (None, "") else None
    verb = "迁入" if move_day else "登记"
    with operation(conn, "add_person", user=user, today=today, summary=f"{verb} {values['name']}（户 {hh['number']}）") as op:
        pid = op.insert("person", {**values, "household_id": hh["id"], "moved_in_date": iso(move_day)})
        if move_day:
            op.event(person_id=pid, change_type=Change.MOVE_IN, occurred=move_day, record=RecordRef("person", pid),
                     field="moved_in")
    assert op.result
    return op.result


def record_death(
    conn: sqlite3.Connection, *, person: int, date: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """A death (死亡). A surviving spouse in the village is recorded as widowed (丧偶) on the same day."""
    row = require_person(conn, person)
    day = require_date(date, field="date", label="死亡日期")
    if row["death_date"]:
        raise InputError(f"{row['name']}已登记于 {row['death_date']} 死亡。", field="person")
    if row["birth_date"] and day.isoformat() < row["birth_date"]:
        raise InputError("死亡日期早于出生日期。", field="date")
    with operation(conn, "record_death", user=user, today=today, summary=f"{row['name']} 死亡") as op:
        op.update("person", row["id"], {"death_date": day})
        op.event(person_id=row["id"], change_type=Change.DEATH, occurred=day, record=RecordRef("person", row["id"]))
        for m in conn.execute(
            "SELECT * FROM marriage WHERE person_id = ? AND end_date IS NULL", (row["id"],)
        ).fetchall():
            op.update("marriage", m["id"], {"end_date": day, "end_reason": "30"})
            if m["spouse_id"] is None:
                continue
            backs = conn.execute(
                "SELECT * FROM marriage WHERE person_id = ? AND spouse_id = ? AND end_date IS NULL",
                (m["spouse_id"], row["id"]),
            ).fetchall()
            for back in backs:
                op.update("marriage", back["id"], {"end_date": day, "end_reason": "30"})
            op.update("person", m["spouse_id"], {"marital_status": "30", "marital_change_date": day})
            # The widow's change points at her own marriage row (as divorce does), not the deceased's.
            op.event(person_id=m["spouse_id"], change_type=Change.WIDOWED, occurred=day,
                     record=RecordRef("marriage", backs[0]["id"] if backs else m["id"]))
        op.record = RecordRef("person", row["id"])
    assert op.result
    return op.result


def record_move_out(
    conn: sqlite3.Connection, *, person: int, date: Any, place: str = "", user: str = "",
    today: dt.date | None = None,
) -> Changes:
    """A move of hukou out of the village (迁出). The person stays in the file as history."""
    row = require_person(conn, person)
    day = require_date(date, field="date", label="迁出日期")
    not_dead_at(row, day, field="person")
    if row["moved_out_date"]:
        raise InputError(f"{row['name']}已于 {row['moved_out_date']} 迁出。", field="person")
    note = (row["note"] + f" 迁往：{place}").strip() if place else row["note"]
    with operation(conn, "record_move_out", user=user, today=today, summary=f"{row['name']} 迁出") as op:
        op.update("person", row["id"], {"moved_out_date": day, "note": note})
        op.event(person_id=row["id"], change_type=Change.MOVE_OUT, occurred=day, record=RecordRef("person", row["id"]))
    assert op.result
    return op.result


def record_outflow(
    conn: sqlite3.Connection, *, person: int, date: Any, place: str = "", certificate_no: str = "",
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """A resident leaves to live elsewhere for more than three months (流出); hukou stays here."""
    row = require_person(conn, person)
    day = require_date(date, field="date", label="流出日期")
    not_dead_at(row, day, field="person")
    if row["residence"] == "2":
        raise InputError(f"{row['name']}已是流出状态。", field="person")
    if row["residence"] == "3":
        raise InputError(f"{row['name']}是流入人员，离开时请登记其流动结束。", field="person")
    with operation(conn, "record_outflow", user=user, today=today, summary=f"{row['name']} 流出") as op:
        mid = op.insert("migration", {
            "person_id": row["id"], "kind": "2", "start_date": day, "place": str(place).strip(),
            "certificate_no": str(certificate_no).strip(),
        })
        op.update("person", row["id"], {"residence": "2"})
        op.event(person_id=row["id"], change_type=Change.OUTFLOW, occurred=day, record=RecordRef("migration", mid))
    assert op.result
    return op.result


def record_return(
    conn: sqlite3.Connection, *, person: int, date: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """An outflow person comes back to live in the village (返回), or an inflow person leaves it."""
    row = require_person(conn, person)
    day = require_date(date, field="date", label="返回日期")
    current = conn.execute(
        "SELECT * FROM migration WHERE person_id = ? AND end_date IS NULL ORDER BY start_date DESC LIMIT 1",
        (row["id"],),
    ).fetchone()
    if current is None:
        raise InputError(f"{row['name']}没有未结束的流动记录。", field="person")
    if day.isoformat() < current["start_date"]:
        raise InputError(f"结束日期早于流动开始日期 {current['start_date']}。", field="date")
    verb = "返回" if current["kind"] == "2" else "流入结束"
    with operation(conn, "record_return", user=user, today=today, summary=f"{row['name']} {verb}") as op:
        op.update("migration", current["id"], {"end_date": day})
        op.update("person", row["id"], {"residence": "1" if current["kind"] == "2" else row["residence"]})
        op.event(person_id=row["id"], change_type=Change.RETURN, occurred=day,
                 record=RecordRef("migration", current["id"]))
    assert op.result
    return op.result


def record_inflow(
    conn: sqlite3.Connection, *, person: Mapping[str, Any], date: Any, place: str = "", household: int | None = None,
    certificate_no: str = "", user: str = "", today: dt.date | None = None,
) -> Changes:
    """Someone from elsewhere comes to live in the village (流入); hukou stays where it is."""
    if not isinstance(person, Mapping):
        raise InputError("人员信息格式不对（应为各项名称和内容）。", field="person")
    values = person_values({**person, "residence": "3"}, prefix="person.")
    _check_roster_no(conn, values["roster_no"], field="person.roster_no")
    day = require_date(date, field="date", label="流入日期")
    hh_id = require_row(conn, "household", household, field="household")["id"] if household else None
    with operation(conn, "record_inflow", user=user, today=today, summary=f"{values['name']} 流入") as op:
        pid = op.insert("person", {**values, "household_id": hh_id})
        mid = op.insert("migration", {
            "person_id": pid, "kind": "1", "start_date": day, "place": str(place).strip(),
            "certificate_no": str(certificate_no).strip(),
        })
        op.event(person_id=pid, change_type=Change.INFLOW, occurred=day, record=RecordRef("migration", mid))
        op.record = RecordRef("person", pid)
    assert op.result
    return op.result


def set_setting(
    conn: sqlite3.Connection, *, key: str, value: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Change a village setting (deadline day, late-entry days, scheme ...)."""
    if not isinstance(key, str) or not key.strip():
        raise InputError("设置项名称无效。", field="key")
    text = str(value).strip()
    with operation(conn, "set_setting", user=user, today=today, summary=f"设置 {key} = {text}") as op:
        old = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        conn.execute(
            "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, text),
        )
        op.audit_setting(key, None if old is None else old[0], text)
    assert op.result
    return op.result

