"""Reading a filled roster workbook: every structural problem at once, or the rows ready to import.

The reader's business is structure: sheets and columns present, each cell readable as its column's type, every
人员编号 unique and every reference to one pointing at a person of 人口. Logic (a mother younger than her child, a
divorced woman with a husband) is not its business: such a workbook reads fine, and the ledger checks list the
contradictions after the import.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable

from fpdesk.codes import NO_MEASURE
from fpdesk.roster.cells import CellError, is_blank, read_text, reader_for, shown
from fpdesk.roster.model import Cancel, Problem, Progress, RosterData, RosterError, RosterRow, sort_problems
from fpdesk.roster.source import RawSheet, open_sheets
from fpdesk.roster.spec import (
    CODES_SHEET, DATA_SHEETS, HELP_SHEET, PERSONS, SHEET_BY_NAME, VILLAGE_HEADERS, VILLAGE_ITEMS, VILLAGE_SHEET,
    Sheet,
)

# Columns whose requirement depends on another cell of the row:
# (sheet, key) -> (the governing key, "is it required?" given the governing value, the reason when blank).
_CONDITIONAL: dict[tuple[str, str], tuple[str, Callable[[Any], bool], str]] = {
    ("人口", "household"): ("residence", lambda residence: residence != "3",
                           "户编号为必填（只有居住状况为“流入”且不在本村任何一户的人可以不填）。"),
    ("节育措施", "start_date"): ("method", lambda method: method is not None and method != NO_MEASURE,
                             "措施不是“未避孕”时，开始日期为必填。"),
}
_ID_DIGITS_KEPT_BY_EXCEL = 1e15  # Excel keeps 15 significant digits of a number: an 18-digit ID loses its tail


def header_text(value: Any) -> str:
    """A header cell as the column's name: spaces, line breaks and a required-marker star are not part of it."""
    if is_blank(value):
        return ""
    return re.sub(r"[\s\u3000]+", "", read_text(value)).strip("*＊")


def read_roster(path: str | Path, *, progress: Progress | None = None, cancel: Cancel | None = None) -> RosterData:
    """Read a roster workbook. Raises ``RosterError`` with every structural problem found, if there is any.

    progress(done, total, stage) is called every few hundred rows; cancel() is checked as often and, when it
    returns True, reading stops with ``ImportCancelled``.
    """
    wanted = {VILLAGE_SHEET, *SHEET_BY_NAME}
    sheets, others, problems = open_sheets(path, wanted, progress=progress, cancel=cancel)
    if problems:
        raise RosterError(problems)
    notes = [f"工作表“{name}”不是花名册的工作表，已忽略。" for name in others
             if name.strip() not in (HELP_SHEET, CODES_SHEET)]
    village = _read_village(sheets.get(VILLAGE_SHEET), problems=problems, notes=notes)
    tables = {sheet.name: _read_sheet(sheet, sheets.get(sheet.name), problems=problems, notes=notes)
              for sheet in DATA_SHEETS}
    key_header = PERSONS.column("roster_no").header
    if not any(p.sheet == PERSONS.name and (p.row is None or (p.row == 1 and p.column == key_header))
               for p in problems):  # without 人口's 人员编号, every reference would be reported "missing"
        _check_person_numbers(tables, problems)
    if problems:
        raise RosterError(sort_problems(problems))
    return RosterData(
        village=MappingProxyType(village), persons=tables["人口"], births=tables["生育"], measures=tables["节育措施"],
        pregnancies=tables["孕情"], services=tables["服务"], benefits=tables["奖扶"], notes=tuple(notes),
    )


def _read_village(raw: RawSheet | None, *, problems: list[Problem], notes: list[str]) -> dict[str, str]:
    """村信息: one item per row under the headers 项目 and 内容."""
    village = {key: "" for _, key, _, _ in VILLAGE_ITEMS}
    if raw is None:
        problems.append(Problem(VILLAGE_SHEET, None, "", "", "缺少工作表“村信息”（村代码、村名称等），请按模板添加。"))
        return village
    header = [header_text(v) for v in (raw.rows[0] if raw.rows else ())]
    missing = [h for h in VILLAGE_HEADERS if h not in header]
    for h in missing:
        problems.append(Problem(VILLAGE_SHEET, 1, h, "", f"缺少列“{h}”（第1行应为“项目”“内容”两个列名）。"))
    if missing:
        return village
    item_at, value_at = header.index("项目"), header.index("内容")
    items = {label: (key, required) for label, key, required, _ in VILLAGE_ITEMS}
    seen: dict[str, int] = {}
    for line, row in enumerate(raw.rows[1:], start=2):
        label = header_text(row[item_at]) if item_at < len(row) else ""
        value = row[value_at] if value_at < len(row) else None
        if not label:
            continue
        label = label.rstrip(":：")
        if label not in items:
            notes.append(f"村信息第{line}行的项目“{label}”不在格式中，已忽略。")
            continue
        if label in seen:
            problems.append(Problem(VILLAGE_SHEET, line, "项目", label, f"项目“{label}”与第{seen[label]}行重复，请只保留一行。"))
            continue
        seen[label] = line
        text = "" if is_blank(value) else read_text(value)
        key, _ = items[label]
        if key == "code" and text and not (len(text) == 12 and text.isdigit()):
            problems.append(Problem(VILLAGE_SHEET, line, "内容", shown(value), "村代码应为12位数字（统计用区划代码）。"))
        village[key] = text
    for label, (key, required) in items.items():
        if required and not village[key]:
            problems.append(Problem(VILLAGE_SHEET, seen.get(label), "内容" if label in seen else "项目", "",
                                    f"{label}为必填项，请填写。"))
    return village


def _locate(sheet: Sheet, header: tuple[Any, ...], *, problems: list[Problem], notes: list[str]) -> dict[str, int]:
    """Where each column of the sheet is, by its header text in row 1."""
    by_header = {c.header: c for c in sheet.columns}
    positions: dict[str, int] = {}
    extra = []
    for index, value in enumerate(header):
        text = header_text(value)
        if not text:
            continue
        column = by_header.get(text)
        if column is None:
            extra.append(text)
        elif column.key in positions:
            problems.append(Problem(sheet.name, 1, column.header, text,
                                    "列名重复，无法判断应读取哪一列。请删除或改名其中一列。"))
        else:
            positions[column.key] = index
    if extra:
        notes.append(f"工作表“{sheet.name}”中的列{'、'.join(f'“{h}”' for h in extra)}不在格式中，已忽略。")
    return positions


def _read_sheet(
    sheet: Sheet, raw: RawSheet | None, *, problems: list[Problem], notes: list[str],
) -> tuple[RosterRow, ...]:
    if raw is None:
        if sheet.required:
            problems.append(Problem(sheet.name, None, "", "", f"缺少工作表“{sheet.name}”，请按模板添加。"))
        return ()
    positions = _locate(sheet, raw.rows[0] if raw.rows else (), problems=problems, notes=notes)
    data = [(line, row) for line, row in enumerate(raw.rows[1:], start=2)
            if any(i < len(row) and not is_blank(row[i]) for i in positions.values())]
    if not data and not sheet.required:
        return ()
    missing = [c for c in sheet.columns if c.required and c.key not in positions]
    for column in missing:
        problems.append(Problem(sheet.name, 1, column.header, "",
                                f"缺少必填列“{column.header}”（第1行的列名须与模板一致）。"))
    readers = [(c, positions[c.key], reader_for(c)) for c in sheet.columns if c.key in positions]
    empty = dict.fromkeys((c.key for c in sheet.columns), None)
    rows = []
    rounded_ids: list[int] = []
    for line, row in data:
        values = dict(empty)
        failed = set()
        for column, index, read in readers:
            cell = row[index] if index < len(row) else None
            if is_blank(cell):
                continue
            try:
                values[column.key] = read(cell)
            except CellError as exc:
                problems.append(Problem(sheet.name, line, column.header, shown(cell), exc.reason))
                failed.add(column.key)
            if column.kind == "id" and isinstance(cell, float) and cell >= _ID_DIGITS_KEPT_BY_EXCEL:
                rounded_ids.append(line)
        for column, _, _ in readers:
            if values[column.key] is not None or column.key in failed:
                continue
            rule = _CONDITIONAL.get((sheet.name, column.key))
            if rule is not None:
                governing, required, reason = rule
                if governing not in failed and required(values[governing]):
                    problems.append(Problem(sheet.name, line, column.header, "", reason))
            elif column.required:
                problems.append(Problem(sheet.name, line, column.header, "", f"{column.header}为必填项，不能为空。"))
        rows.append(RosterRow(line, MappingProxyType(values)))
    if rounded_ids:
        shown_lines = "、".join(str(n) for n in rounded_ids[:10]) + ("……" if len(rounded_ids) > 10 else "")
        notes.append(f"工作表“{sheet.name}”有 {len(rounded_ids)} 个身份证号保存为数字（第{shown_lines}行），"
                     "Excel 只保留15位有效数字，末几位可能已变成0，请导入后核对。")
    return tuple(rows)


def _check_person_numbers(tables: dict[str, tuple[RosterRow, ...]], problems: list[Problem]) -> None:
    """人员编号 unique on 人口; every reference to one names a person of 人口."""
    first_line: dict[str, int] = {}
    key_header = PERSONS.column("roster_no").header
    for row in tables[PERSONS.name]:
        number = row["roster_no"]
        if number is None:
            continue
        if number in first_line:
            problems.append(Problem(PERSONS.name, row.line, key_header, number,
                                    f"人员编号与第{first_line[number]}行重复，每人的人员编号必须不同。"))
        else:
            first_line[number] = row.line
    unpadded = {n.lstrip("0"): n for n in first_line}
    for sheet in DATA_SHEETS:
        refs = [c for c in sheet.columns if c.kind == "ref"]
        for row in tables[sheet.name]:
            for column in refs:
                number = row[column.key]
                if number is None:
                    continue
                if number not in first_line:
                    near = unpadded.get(number.lstrip("0"))
                    hint = f"（人口表中有“{near}”，编号须完全一致，请统一按文本填写）" if near else ""
                    problems.append(Problem(sheet.name, row.line, column.header, number,
                                            f"在“人口”工作表中找不到这个人员编号{hint}。"))
                elif sheet is PERSONS and number == row["roster_no"]:
                    problems.append(Problem(sheet.name, row.line, column.header, number, "配偶人员编号不能是本人的人员编号。"))
