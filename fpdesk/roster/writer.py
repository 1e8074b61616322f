"""Writing the whole village out as a roster workbook (backup, hand-over to a new clerk).

The export is in the import's format, so that import → export → import gives the same village: labels in coded
columns, dates as real date cells, ID numbers as text. A person without a 人员编号 (a child recorded after the
import, say) gets one made from the record id, "P000123", so the other sheets can refer to them.

What the format has no column for is not written (see the module docstring of ``fpdesk.roster``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fpdesk import codes
from fpdesk.roster.model import Progress
from fpdesk.roster.spec import (
    BENEFITS, BIRTHS, DATA_SHEETS, MEASURES, ONLY_CHILD_CERTIFICATE, PERSONS, PREGNANCIES, SERVICES, Sheet,
)
from fpdesk.roster.template import new_workbook, save_workbook
from fpdesk.records import Benefit, Birth, Measure, Person, Pregnancy, Service
from fpdesk.snapshot import Snapshot, load_snapshot

R = TypeVar("R")

STAGE_WRITE = "写出花名册"
_STEP = 500


def export_roster(conn: sqlite3.Connection, path: str | Path, *, progress: Progress | None = None) -> Path:
    """Write the whole village to ``path`` as a roster workbook; the file appears only once it is complete.

    progress(done, total, stage) is called every few hundred rows.
    """
    snap = load_snapshot(conn)
    numbers = roster_numbers(snap)
    persons = _persons_in_order(snap)
    rank = {p.id: i for i, p in enumerate(persons)}

    def owned(records: Iterable[R], owner: Callable[[R], int]) -> list[R]:
        """A sheet's rows in the order of their owner's row on 人口, which keeps a printout readable."""
        return sorted(records, key=lambda r: (rank[owner(r)], r.id))  # type: ignore[attr-defined]

    rows = {
        PERSONS.name: [_person(snap, p, numbers=numbers) for p in persons],
        BIRTHS.name: [_birth(b, numbers) for b in owned(snap.births, lambda b: b.mother_id)],
        MEASURES.name: [_measure(m, numbers) for m in owned(snap.measures, lambda m: m.person_id)],
        PREGNANCIES.name: [_pregnancy(p, numbers) for p in owned(snap.pregnancies, lambda p: p.person_id)],
        SERVICES.name: [_service(s, numbers) for s in owned(snap.services, lambda s: s.person_id)],
        BENEFITS.name: [_benefit(b, numbers) for b in owned(snap.benefits, lambda b: b.person_id)],
    }
    village = {}
    if snap.village is not None:
        v = snap.village
        village = {"code": v.code, "name": v.name, "township": v.township, "county": v.county, "clerk": v.clerk,
                   "phone": v.phone}
    wb, sheets = new_workbook(village)
    total = sum(len(r) for r in rows.values())
    done = 0
    for sheet in DATA_SHEETS:
        ws = sheets[sheet.name]
        for values in rows[sheet.name]:
            ws.append([_as_text(ws, v) if isinstance(v, str) else v for v in cells(sheet, values)])
            done += 1
            if progress is not None and done % _STEP == 0:
                progress(done, total, STAGE_WRITE)
    target = save_workbook(wb, path)
    if progress is not None:
        progress(total, total, STAGE_WRITE)
    return target


def cells(sheet: Sheet, values: Mapping[str, Any]) -> list[Any]:
    """One data row in column order: labels for codes, yuan for money, blanks as empty cells."""
    out: list[Any] = []
    for column in sheet.columns:
        value = values.get(column.key)
        if value is None or value == "":
            out.append(None)
        elif column.kind == "code":
            out.append(codes.label(column.codes or "", value))
        elif column.kind == "money":
            out.append(value // 100 if value % 100 == 0 else value / 100)
        else:
            out.append(value)
    return out


def _as_text(ws: Any, value: str) -> Any:
    """Text stays text: a note starting with "=" is not a formula, and characters XML cannot hold are dropped."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def roster_numbers(snap: Snapshot) -> dict[int, str]:
    """人员编号 of every person: their own, or a new one from the record id where they have none."""
    taken = {p.roster_no for p in snap.persons if p.roster_no}
    numbers: dict[int, str] = {}
    for p in snap.persons:
        if p.roster_no:
            numbers[p.id] = p.roster_no
            continue
        candidate = f"P{p.id:06d}"
        suffix = 1
        while candidate in taken:
            candidate = f"P{p.id:06d}-{suffix}"
            suffix += 1
        taken.add(candidate)
        numbers[p.id] = candidate
    return numbers


def _persons_in_order(snap: Snapshot) -> list[Person]:
    """Household by household (in the order they were registered), then people without a household."""
    return sorted(snap.persons, key=lambda p: (p.household_id is None, p.household_id or 0, p.id))


def _person(snap: Snapshot, p: Person, *, numbers: Mapping[int, str]) -> dict[str, Any]:
    household = snap.household_of(p)
    group = snap.group_of(p)
    values: dict[str, Any] = {
        "roster_no": numbers[p.id], "household": household.number if household else None,
        "group": group.name if group else None, "name": p.name, "sex": p.sex, "birth_date": p.birth_date,
        "id_number": p.id_number, "ethnicity": p.ethnicity, "education": p.education, "hukou": p.hukou,
        "relation": p.relation, "marital_status": p.marital_status, "first_marriage_date": p.first_marriage_date,
        "marital_change_date": p.marital_change_date, "residence": p.residence, "moved_in_date": p.moved_in_date,
        "moved_out_date": p.moved_out_date, "death_date": p.death_date,
    }
    spouse = snap.current_spouse(p)
    if spouse is not None:
        if spouse.spouse_id is not None:
            values["spouse_no"] = numbers.get(spouse.spouse_id)
        else:
            values["spouse_name"] = spouse.spouse_name
            values["spouse_id_number"] = spouse.spouse_id_number
    kind = {"2": "2", "3": "1"}.get(p.residence)  # residence 流出 -> migration 流出 (2), 流入 -> 流入 (1)
    if kind is not None:
        open_moves = [m for m in snap.migrations_of.get(p.id, ()) if m.kind == kind and m.end_date is None]
        if open_moves:
            values["migration_date"] = open_moves[-1].start_date
            values["migration_place"] = open_moves[-1].place
    issued = [c.issued_date for c in snap.certificates_of.get(p.id, ())
              if c.kind == ONLY_CHILD_CERTIFICATE and c.issued_date is not None]
    values["only_child_cert_date"] = min(issued) if issued else None
    return values


def _birth(b: Birth, numbers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "mother_no": numbers[b.mother_id], "child_no": numbers.get(b.child_id) if b.child_id else None,
        "child_name": b.child_name, "child_sex": b.child_sex, "birth_date": b.birth_date,
        "birth_order": b.birth_order, "policy_status": b.policy_status, "birth_cert_no": b.birth_cert_no,
        "blood_relation": b.blood_relation, "health": b.health,
    }


def _measure(m: Measure, numbers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "person_no": numbers[m.person_id], "method": m.method, "start_date": m.start_date, "end_date": m.end_date,
        "institution": m.institution, "change_reason": m.change_reason, "no_measure_reason": m.no_measure_reason,
    }


def _pregnancy(p: Pregnancy, numbers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "person_no": numbers[p.person_id], "lmp_date": p.lmp_date, "registered_date": p.registered_date,
        "policy_status": p.policy_status, "outcome": p.outcome, "end_date": p.end_date, "end_place": p.end_place,
    }


def _service(s: Service, numbers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "person_no": numbers[s.person_id], "kind": s.kind, "service_date": s.service_date, "result": s.result,
        "institution": s.institution,
    }


def _benefit(b: Benefit, numbers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "person_no": numbers[b.person_id], "kind": b.kind, "year": b.year, "amount": b.amount_fen,
        "paid_date": b.paid_date,
    }

