"""The blank roster workbook: headers exactly as the format, drop-downs on coded columns from the hidden 代码表,
dates formatted as dates, ID numbers as text, a 填写说明 sheet; filled in, it imports."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from fpdesk import codes
from fpdesk.roster import import_roster, write_template
from fpdesk.roster.spec import DATA_SHEETS, VILLAGE_ITEMS


def test_template_sheets_and_headers(tmp_path):
    wb = load_workbook(write_template(tmp_path / "模板.xlsx"))
    assert wb.sheetnames == ["填写说明", "村信息", "人口", "生育", "节育措施", "孕情", "服务", "奖扶", "代码表"]
    assert wb["代码表"].sheet_state == "hidden"
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:-1])
    village = list(wb["村信息"].iter_rows(values_only=True))
    assert village == [("项目", "内容")] + [(label, None) for label, *_ in VILLAGE_ITEMS]
    for sheet in DATA_SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert ws.max_row == 1 and ws.freeze_panes == "A2"
    help_text = " ".join(str(v) for row in wb["填写说明"].iter_rows(values_only=True) for v in row if v)
    assert "人员编号" in help_text and "2026-11-23" in help_text and "宫内节育器" in help_text


def test_coded_columns_have_drop_downs_of_their_labels(tmp_path):
    wb = load_workbook(write_template(tmp_path / "模板.xlsx"))
    code_sheet = wb["代码表"]
    for sheet in DATA_SHEETS:
        ws = wb[sheet.name]
        lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            dv = lists.get(f"{letter}2:{letter}1048576")
            if column.codes is None:
                assert dv is None, column.header
                continue
            assert dv is not None and dv.type == "list" and dv.errorStyle == "warning", column.header
            name = wb.defined_names[dv.formula1]
            (target_sheet, ref), = name.destinations
            assert target_sheet == "代码表"
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
            labels = [code_sheet.cell(r, min_col).value for r in range(min_row, max_row + 1)]
            assert labels == list(codes.table(column.codes).values()), column.header


def test_dates_are_formatted_as_dates_and_numbers_as_text(tmp_path):
    wb = load_workbook(write_template(tmp_path / "模板.xlsx"))
    for sheet in DATA_SHEETS:
        ws = wb[sheet.name]
        for index, column in enumerate(sheet.columns, start=1):
            fmt = ws.column_dimensions[get_column_letter(index)].number_format
            if column.kind == "date":
                assert fmt == "yyyy-mm-dd", column.header
            elif column.kind in ("id", "key", "ref"):
                assert fmt == "@", column.header
    assert wb["村信息"].column_dimensions["B"].number_format == "@"


def test_a_filled_template_imports(tmp_path, empty_db):
    path = write_template(tmp_path / "模板.xlsx")
    wb = load_workbook(path)  # the clerk opens it and types
    wb["村信息"]["B2"] = "420102001001"
    wb["村信息"]["B3"] = "双河村"
    persons = wb["人口"]
    headers = [c.value for c in persons[1]]
    person = {"人员编号": "001", "户编号": "01", "组别": "一组", "姓名": "李娜", "性别": "女",
              "出生日期": dt.date(1988, 9, 17), "身份证号": "420102198809170221", "婚姻状况": "初婚",
              "初婚日期": dt.date(2010, 5, 1), "配偶姓名": "张伟"}
    for key, value in person.items():
        persons.cell(2, headers.index(key) + 1, value)
    measures = wb["节育措施"]
    for col, value in enumerate(["001", "宫内节育器", dt.date(2016, 10, 8)], start=1):
        measures.cell(2, col, value)
    wb.save(path)
    report = import_roster(empty_db, path)
    assert report.records == {"village": 1, "village_group": 1, "household": 1, "person": 1, "marriage": 1,
                              "measure": 1}
    assert report.notes == ()
    row = empty_db.execute("SELECT roster_no, id_number, birth_date FROM person").fetchone()
    assert tuple(row) == ("001", "420102198809170221", "1988-09-17")
