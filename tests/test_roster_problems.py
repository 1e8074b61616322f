"""Structural problems of a roster workbook: each is reported with its sheet, row, column and value, all of them at
once, in Chinese, and nothing is written to the village file."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fpdesk.roster import Problem, RosterError, import_roster, read_roster, write_problem_report, write_template
from tests.conftest import file_content
from tests.roster_books import drop_column, minimal, set_cell, write_book

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(RosterError) as err:
        read_roster(path)
    assert all(CHINESE.search(p.reason) for p in err.value.problems)
    return err.value.problems


def where(problems) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.value) for p in problems]


def test_minimal_workbook_reads(tmp_path):
    data = read_roster(write_book(tmp_path / "ok.xlsx", minimal()))
    assert [r["name"] for r in data.persons] == ["张伟", "李娜", "张小红", "黄梅"]
    assert data.notes == ()


def _missing_sheet(s, name):
    del s[name]


# (case, how to spoil MINIMAL, the expected (sheet, row, column, value) of the one problem)
CASES = [
    ("missing sheet 人口", lambda s: _missing_sheet(s, "人口"), ("人口", None, "", "")),
    ("missing sheet 村信息", lambda s: _missing_sheet(s, "村信息"), ("村信息", None, "", "")),
    ("missing required column", lambda s: drop_column(s, "人口", "姓名"), ("人口", 1, "姓名", "")),
    ("missing required column of an optional sheet", lambda s: drop_column(s, "服务", "服务日期"),
     ("服务", 1, "服务日期", "")),
    ("duplicate header", lambda s: s["孕情"][0].__setitem__(2, "末次月经日期"), ("孕情", 1, "末次月经日期", "末次月经日期")),
    ("a date that is no date", lambda s: set_cell(s, "人口", 3, "出生日期", "1988-13-45"),
     ("人口", 3, "出生日期", "1988-13-45")),
    ("a date in words", lambda s: set_cell(s, "服务", 2, "服务日期", "三月十日"), ("服务", 2, "服务日期", "三月十日")),
    ("a year alone in a date column", lambda s: set_cell(s, "人口", 2, "初婚日期", 2010), ("人口", 2, "初婚日期", "2010")),
    ("unknown label", lambda s: set_cell(s, "人口", 2, "性别", "男性"), ("人口", 2, "性别", "男性")),
    ("unknown code", lambda s: set_cell(s, "节育措施", 2, "措施", 123), ("节育措施", 2, "措施", "123")),
    ("unknown reason", lambda s: set_cell(s, "节育措施", 3, "未避孕原因", "不想"), ("节育措施", 3, "未避孕原因", "不想")),
    ("bad number", lambda s: set_cell(s, "生育", 2, "孩次", "二"), ("生育", 2, "孩次", "二")),
    ("birth order zero", lambda s: set_cell(s, "生育", 2, "孩次", 0), ("生育", 2, "孩次", "0")),
    ("bad money", lambda s: set_cell(s, "奖扶", 2, "金额", "一百二"), ("奖扶", 2, "金额", "一百二")),
    ("money with three decimals", lambda s: set_cell(s, "奖扶", 2, "金额", "12.345"), ("奖扶", 2, "金额", "12.345")),
    ("year out of range", lambda s: set_cell(s, "奖扶", 2, "年度", 25), ("奖扶", 2, "年度", "25")),
    ("duplicate 人员编号", lambda s: s["人口"].append(["1", "02", None, "王强", "男", "1990-02-14"]),
     ("人口", 6, "人员编号", "1")),
    ("reference to a missing person", lambda s: set_cell(s, "生育", 2, "母亲人员编号", "9"), ("生育", 2, "母亲人员编号", "9")),
    ("spouse reference to a missing person", lambda s: set_cell(s, "人口", 2, "配偶人员编号", "X"),
     ("人口", 2, "配偶人员编号", "X")),
    ("spouse is oneself", lambda s: set_cell(s, "人口", 2, "配偶人员编号", "1"), ("人口", 2, "配偶人员编号", "1")),
    ("required cell empty", lambda s: set_cell(s, "人口", 3, "姓名", "  "), ("人口", 3, "姓名", "")),
    ("household blank for a resident", lambda s: set_cell(s, "人口", 4, "户编号", None), ("人口", 4, "户编号", "")),
    ("start date blank for a measure", lambda s: set_cell(s, "节育措施", 2, "开始日期", None), ("节育措施", 2, "开始日期", "")),
    ("village code not 12 digits", lambda s: set_cell(s, "村信息", 2, "内容", "42010200"), ("村信息", 2, "内容", "42010200")),
    ("village name blank", lambda s: set_cell(s, "村信息", 3, "内容", None), ("村信息", 3, "内容", "")),
]


@pytest.mark.parametrize("spoil, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_reported_where_it_is_and_nothing_is_written(tmp_path, fresh_db, spoil, expected):
    sheets = minimal()
    spoil(sheets)
    path = write_book(tmp_path / "bad.xlsx", sheets)
    assert where(problems_of(path)) == [expected]
    before = file_content(fresh_db)
    with pytest.raises(RosterError):
        import_roster(fresh_db, path)
    assert file_content(fresh_db) == before


def test_without_a_person_sheet_references_are_not_reported_one_by_one(tmp_path):
    sheets = minimal()
    drop_column(sheets, "人口", "人员编号")
    assert where(problems_of(write_book(tmp_path / "bad.xlsx", sheets))) == [("人口", 1, "人员编号", "")]


def test_every_problem_is_reported_at_once_in_workbook_order(tmp_path):
    sheets = minimal()
    set_cell(sheets, "奖扶", 2, "金额", "很多")
    set_cell(sheets, "人口", 3, "出生日期", "1988-02-30")
    set_cell(sheets, "人口", 2, "性别", "M")
    set_cell(sheets, "生育", 2, "母亲人员编号", "02")  # on 人口 the number is "2": the reason says so
    drop_column(sheets, "服务", "服务类型")
    problems = problems_of(write_book(tmp_path / "bad.xlsx", sheets))
    assert where(problems) == [
        ("人口", 2, "性别", "M"), ("人口", 3, "出生日期", "1988-02-30"), ("生育", 2, "母亲人员编号", "02"),
        ("服务", 1, "服务类型", ""), ("奖扶", 2, "金额", "很多"),
    ]
    assert "“2”" in problems[2].reason


def test_measure_none_needs_no_start_date_and_inflow_needs_no_household(tmp_path):
    data = read_roster(write_book(tmp_path / "ok.xlsx", minimal()))
    assert data.measures[1]["method"] == "000" and data.measures[1]["start_date"] is None
    assert data.persons[3]["household"] is None and data.persons[3]["residence"] == "3"


def test_extra_columns_and_sheets_are_notes_not_problems(tmp_path):
    sheets = minimal()
    for i, row in enumerate(sheets["人口"]):
        row.append("备注" if i == 0 else "something")
    sheets["统计"] = [["合计"], [4]]
    data = read_roster(write_book(tmp_path / "extra.xlsx", sheets))
    assert len(data.persons) == 4
    assert any("备注" in n and "忽略" in n for n in data.notes)
    assert any("统计" in n for n in data.notes)


def test_headers_may_carry_spaces_line_breaks_and_a_star(tmp_path):
    sheets = minimal()
    sheets["人口"][0][3] = "*姓名"
    sheets["人口"][0][5] = "出生\n日期 "
    data = read_roster(write_book(tmp_path / "ok.xlsx", sheets))
    assert data.persons[0]["name"] == "张伟" and data.persons[0]["birth_date"].year == 1985


def test_a_sheet_with_no_rows_may_be_absent(tmp_path):
    sheets = minimal()
    for name in ("生育", "节育措施", "孕情", "服务", "奖扶"):
        del sheets[name]
    data = read_roster(write_book(tmp_path / "short.xlsx", sheets))
    assert len(data.persons) == 4 and data.births == ()


def test_blank_template_lacks_only_the_village(tmp_path):
    problems = problems_of(write_template(tmp_path / "blank.xlsx"))
    assert [(p.sheet, p.column) for p in problems] == [("村信息", "内容"), ("村信息", "内容")]
    assert [p.reason for p in problems] == ["村代码为必填项，请填写。", "村名称为必填项，请填写。"]


def _truncated(path: Path) -> None:
    write_book(path, minimal())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")


def _damaged_sheet(path: Path) -> None:
    """A complete zip whose 人口 sheet XML is cut off half-way."""
    good = path.with_name("good.xlsx")
    write_book(good, minimal())
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet2.xml" else data)


def _compound_file(stream: str) -> bytes:
    """The start of an OLE compound file naming one stream: an .xls has "Workbook", an encrypted .xlsx
    "EncryptionInfo" (Excel and WPS save a password-protected workbook this way)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream.encode("utf-16-le")


# (case, how to make the file, a word the reason must contain)
MALFORMED = [
    ("text file renamed", lambda p: p.write_text("姓名,性别\n张伟,男\n", encoding="utf-8"), "不是 Excel"),
    ("empty file", lambda p: p.write_bytes(b""), "空的"),
    ("truncated xlsx", _truncated, "损坏"),
    ("zip that is no workbook", _zip_without_workbook, "损坏"),
    ("sheet XML cut off", _damaged_sheet, "损坏"),
    ("old .xls", lambda p: p.write_bytes(_compound_file("Workbook")), ".xls"),
    ("password-protected", lambda p: p.write_bytes(_compound_file("EncryptionInfo")), "密码"),
]


@pytest.mark.parametrize("make, word", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_files_give_one_chinese_problem(tmp_path, fresh_db, make, word):
    path = tmp_path / "村花名册.xlsx"
    make(path)
    problems = problems_of(path)
    assert len(problems) == 1
    assert (problems[0].sheet, problems[0].row, problems[0].value) == ("", None, "村花名册.xlsx")
    assert word in problems[0].reason
    before = file_content(fresh_db)
    with pytest.raises(RosterError):
        import_roster(fresh_db, path)
    assert file_content(fresh_db) == before


def test_missing_file_is_a_problem(tmp_path):
    (problem,) = problems_of(tmp_path / "nowhere.xlsx")
    assert "找不到" in problem.reason


def test_problem_report_workbook(tmp_path):
    sheets = minimal()
    set_cell(sheets, "人口", 3, "出生日期", "1988-13-45")
    drop_column(sheets, "服务", "服务日期")
    problems = problems_of(write_book(tmp_path / "bad.xlsx", sheets))
    out = write_problem_report(problems, tmp_path / "问题.xlsx")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "行", "列", "值", "原因")
    assert rows[1][:4] == ("人口", 3, "出生日期", "1988-13-45")
    assert rows[2][:4] == ("服务", 1, "服务日期", None)
    assert [r[4] for r in rows[1:]] == [p.reason for p in problems]
