"""Bringing a village in from its roster workbook: all of it in one audited operation, or nothing.

The import is the village's baseline as of the import date: it writes the records as they stand and no change
events, so the first monthly report starts from it and nothing in it counts as "entered late".

From the 人口 sheet come the village groups (组别), households (户编号), persons (人员编号 kept as roster_no),
marriages (a current spouse row per person whose spouse columns are filled), flows (居住状况 流出/流入 with 流动日期)
and only-child parents' certificates (独生子女证日期); the other sheets are one record per row.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any, Mapping

from fpdesk.errors import InputError
from fpdesk.ops import Operation, RecordRef, operation
from fpdesk.roster.model import Cancel, ImportCancelled, ImportReport, Progress, RosterData, RosterRow
from fpdesk.roster.reader import read_roster
from fpdesk.roster.spec import ONLY_CHILD_CERTIFICATE

GESTATION = dt.timedelta(days=280)
STAGE_WRITE = "写入村数据文件"
_STEP = 500
_REMARRIAGE_KINDS = ("22", "23")  # 再婚, 复婚: the marriage began on 婚姻变动日期, not on 初婚日期
_FLOW_KIND = {"2": "2", "3": "1"}  # residence 流出 -> migration 流出, residence 流入 -> migration 流入


def require_empty_village_file(conn: sqlite3.Connection) -> None:
    """A roster is imported into a new or empty village file only; otherwise an ``InputError`` says why."""
    persons = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    households = conn.execute("SELECT count(*) FROM household").fetchone()[0]
    if persons or households:
        raise InputError(
            f"这个村数据文件里已有 {persons} 人、{households} 户的记录。花名册只能导入新建的或还没有人员的村数据文件，"
            "请新建一个村数据文件后再导入。", field="db")


def import_roster(
    conn: sqlite3.Connection, path: str | Path, *, progress: Progress | None = None, cancel: Cancel | None = None,
    user: str = "", today: dt.date | None = None,
) -> ImportReport:
    """Import a roster workbook into a new or empty village file.

    Raises ``RosterError`` with every structural problem of the workbook (nothing written), ``InputError`` when
    the file already holds people, ``ImportCancelled`` when cancel() returned True (nothing written).
    progress(done, total, stage) is called every few hundred rows, first while reading, then while writing.
    """
    started = time.perf_counter()
    require_empty_village_file(conn)
    data = read_roster(path, progress=progress, cancel=cancel)
    name = Path(path).name
    with operation(conn, "import_roster", user=user, today=today,
                   summary=f"导入花名册“{name}”：{len(data.persons)} 人") as op:
        require_empty_village_file(conn)
        writer = _Writer(op, progress=progress, cancel=cancel, total=_record_total(data))
        notes = writer.write(data)
    assert op.result is not None
    return ImportReport(
        sheets=data.rows_by_sheet, records=dict(writer.counts), notes=data.notes + tuple(notes), op_id=op.op_id,
        seconds=time.perf_counter() - started, changes=op.result,
    )


def _record_total(data: RosterData) -> int:
    return (2 * len(data.persons) + len(data.births) + len(data.measures) + len(data.pregnancies)
            + len(data.services) + len(data.benefits))


class _Writer:
    """Writes one ``RosterData`` through an open operation, counting records and checking for cancel."""

    def __init__(self, op: Operation, *, progress: Progress | None, cancel: Cancel | None, total: int) -> None:
        self.op = op
        self.progress = progress
        self.cancel = cancel
        self.total = total
        self.done = 0
        self.counts: dict[str, int] = {}
        self.person_ids: dict[str, int] = {}

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        new_id = self.op.insert(table, values)
        self.counts[table] = self.counts.get(table, 0) + 1
        return new_id

    def checkpoint(self) -> None:
        """Stop if the clerk cancelled (the operation then rolls everything back); report progress."""
        if self.cancel is not None and self.cancel():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(self.done, self.total, STAGE_WRITE)

    def tick(self) -> None:
        self.done += 1
        if self.done % _STEP == 0:
            self.checkpoint()

    def write(self, data: RosterData) -> list[str]:
        notes: list[str] = []
        self.checkpoint()
        self._village(data.village)
        households = self._households(data.persons, notes)
        for row in data.persons:
            self._person(row, households)
        persons_by_no = {row["roster_no"]: row for row in data.persons}
        unflowed = 0
        for row in data.persons:
            self._marriage(row, persons_by_no)
            unflowed += not self._flow(row)
            self._certificate(row)
            self.tick()
        if unflowed:
            notes.append(f"有 {unflowed} 名流出或流入人员没有填写流动日期，已按其居住状况导入，但未建立流动人口登记。")
        stayed = sum(1 for r in data.persons if r["residence"] in (None, "1") and r["migration_date"] is not None)
        if stayed:
            notes.append(f"有 {stayed} 名常住人员填写了流动日期，常住人员不登记流动，已忽略。")
        for rows, method in ((data.births, self._birth), (data.measures, self._measure),
                             (data.pregnancies, self._pregnancy), (data.services, self._service),
                             (data.benefits, self._benefit)):
            for row in rows:
                method(row)
                self.tick()
        if self.progress is not None:
            self.progress(self.total, self.total, STAGE_WRITE)
        self.op.record = RecordRef("village", 1)
        return notes

    def _village(self, village: Mapping[str, str]) -> None:
        exists = self.op.conn.execute("SELECT 1 FROM village WHERE id = 1").fetchone()
        if exists:
            self.op.update("village", 1, dict(village))
        else:
            self.insert("village", {"id": 1, **village})

    def _households(self, persons: tuple[RosterRow, ...], notes: list[str]) -> dict[str, int]:
        """Groups and households, in order of first appearance; a household's group is its first row's 组别."""
        conn = self.op.conn
        groups = {name: gid for gid, name in conn.execute("SELECT id, name FROM village_group")}
        group_of: dict[str, str | None] = {}
        mixed: list[str] = []
        loose = 0
        for row in persons:
            number, group = row["household"], row["group"]
            if number is None:
                loose += group is not None
                continue
            if number not in group_of:
                group_of[number] = group
            elif group is not None and group_of[number] is None:
                group_of[number] = group
            elif group is not None and group != group_of[number] and number not in mixed:
                mixed.append(number)
        if mixed:
            shown = "、".join(mixed[:10]) + ("等" if len(mixed) > 10 else "")
            notes.append(f"户 {shown} 的成员组别不一致，已按该户第一个填写的组别导入。")
        if loose:
            notes.append(f"有 {loose} 名没有户编号的人填写了组别；组别记在户上，这些组别已忽略。")
        households: dict[str, int] = {}
        for number, group in group_of.items():
            if group is not None and group not in groups:
                groups[group] = self.insert("village_group", {"name": group})
            households[number] = self.insert("household", {
                "number": number, "group_id": groups[group] if group is not None else None})
        return households

    def _person(self, row: RosterRow, households: Mapping[str, int]) -> None:
        household = row["household"]
        self.person_ids[row["roster_no"]] = self.insert("person", {
            "roster_no": row["roster_no"], "household_id": households[household] if household is not None else None,
            "relation": row["relation"], "name": row["name"], "sex": row["sex"], "birth_date": row["birth_date"],
            "id_number": row["id_number"] or None, "ethnicity": row["ethnicity"], "education": row["education"],
            "hukou": row["hukou"], "marital_status": row["marital_status"],
            "first_marriage_date": row["first_marriage_date"], "marital_change_date": row["marital_change_date"],
            "residence": row["residence"] or "1", "moved_in_date": row["moved_in_date"],
            "moved_out_date": row["moved_out_date"], "death_date": row["death_date"],
        })
        self.tick()

    def _marriage(self, row: RosterRow, persons_by_no: Mapping[str, RosterRow]) -> None:
        """The person's current marriage, from their own spouse columns (each partner has their own row)."""
        spouse_no, spouse_name, spouse_id_number = row["spouse_no"], row["spouse_name"], row["spouse_id_number"]
        if spouse_no is None and spouse_name is None and spouse_id_number is None:
            return
        status = row["marital_status"]
        kind = status if status in _REMARRIAGE_KINDS else "21"
        start = row["marital_change_date"] if kind in _REMARRIAGE_KINDS else row["first_marriage_date"]
        values: dict[str, Any] = {"person_id": self.person_ids[row["roster_no"]], "kind": kind, "start_date": start}
        if spouse_no is not None:
            other = persons_by_no[spouse_no]
            # the same copy of the spouse's identity record_marriage keeps, for the forms
            values.update({
                "spouse_id": self.person_ids[spouse_no], "spouse_name": other["name"],
                "spouse_id_number": other["id_number"] or "", "spouse_birth_date": other["birth_date"],
                "spouse_ethnicity": other["ethnicity"], "spouse_education": other["education"],
                "spouse_hukou": other["hukou"],
            })
        else:
            values.update({"spouse_name": spouse_name or "", "spouse_id_number": spouse_id_number or ""})
        self.insert("marriage", values)

    def _flow(self, row: RosterRow) -> bool:
        """The open flow of an outflow or inflow person; False when one is due but has no date."""
        kind = _FLOW_KIND.get(row["residence"] or "1")
        if kind is None:
            return True
        if row["migration_date"] is None:
            return False
        self.insert("migration", {
            "person_id": self.person_ids[row["roster_no"]], "kind": kind, "start_date": row["migration_date"],
            "place": row["migration_place"] or "",
        })
        return True

    def _certificate(self, row: RosterRow) -> None:
        if row["only_child_cert_date"] is not None:
            self.insert("certificate", {
                "person_id": self.person_ids[row["roster_no"]], "kind": ONLY_CHILD_CERTIFICATE,
                "issued_date": row["only_child_cert_date"],
            })

    def _birth(self, row: RosterRow) -> None:
        child = row["child_no"]
        self.insert("birth", {
            "mother_id": self.person_ids[row["mother_no"]],
            "child_id": self.person_ids[child] if child is not None else None, "child_name": row["child_name"],
            "child_sex": row["child_sex"], "birth_date": row["birth_date"], "birth_order": row["birth_order"],
            "policy_status": row["policy_status"], "birth_cert_no": row["birth_cert_no"] or "",
            "blood_relation": row["blood_relation"] or "1", "health": row["health"] or "1",
        })

    def _measure(self, row: RosterRow) -> None:
        self.insert("measure", {
            "person_id": self.person_ids[row["person_no"]], "method": row["method"], "start_date": row["start_date"],
            "end_date": row["end_date"], "institution": row["institution"] or "",
            "change_reason": row["change_reason"] or "", "no_measure_reason": row["no_measure_reason"],
        })

    def _pregnancy(self, row: RosterRow) -> None:
        self.insert("pregnancy", {
            "person_id": self.person_ids[row["person_no"]], "lmp_date": row["lmp_date"],
            "registered_date": row["registered_date"], "expected_date": row["lmp_date"] + GESTATION,
            "policy_status": row["policy_status"], "outcome": row["outcome"], "end_date": row["end_date"],
            "end_place": row["end_place"] or "",
        })

    def _service(self, row: RosterRow) -> None:
        self.insert("service", {
            "person_id": self.person_ids[row["person_no"]], "kind": row["kind"], "service_date": row["service_date"],
            "result": row["result"] or "", "institution": row["institution"] or "",
        })

    def _benefit(self, row: RosterRow) -> None:
        self.insert("benefit", {
            "person_id": self.person_ids[row["person_no"]], "kind": row["kind"], "year": row["year"],
            "amount_fen": row["amount"], "paid_date": row["paid_date"],
        })
