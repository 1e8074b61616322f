"""A workbook a clerk made by hand in the documented format imports: date cells and text dates, codes and labels,
columns in any order, an ID number typed as a number, extra columns, sheets left out."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from fpdesk.roster import import_roster, read_roster
from fpdesk.roster.cells import CellError, read_code, read_date, read_id_number, read_money
from tests.roster_books import write_book

D = dt.date

PERSON_ROWS = [
    # 人员编号 as a number cell, 村 group as text; 出生日期 an Excel date cell, 初婚日期 text with slashes
    {"人员编号": 1, "户编号": "0001", "组别": "三组", "姓名": "张伟", "性别": "男", "出生日期": dt.datetime(1985, 4, 2),
     "身份证号": 420102198504020113, "民族": "汉族", "文化程度": 70, "户口性质": "1", "与户主关系": "户主",
     "婚姻状况": "21", "初婚日期": "2010/05/01", "配偶人员编号": "2", "居住状况": "常住", "备注": "村干部"},
    {"人员编号": "2", "户编号": "0001", "组别": "三组", "姓名": "李娜", "性别": 2, "出生日期": "1988.09.17",
     "身份证号": "42010219880917022x", "民族": 1, "文化程度": "高中", "户口性质": "农业", "与户主关系": "02",
     "婚姻状况": "初婚", "初婚日期": D(2010, 5, 1), "配偶人员编号": 1, "居住状况": "流出",
     "流动日期": "2025-03-01", "流动地点": "广东省深圳市", "独生子女证日期": "2012-01-05"},
    {"人员编号": "3", "户编号": "0001", "组别": "三组", "姓名": "张小明", "性别": "1", "出生日期": "2011-03-15 00:00:00",
     "与户主关系": "子", "婚姻状况": "10"},
    {"人员编号": "4", "户编号": "0002", "组别": None, "姓名": "吴敏", "性别": "女", "出生日期": 19871208,
     "婚姻状况": "再婚", "初婚日期": "2009-09-09", "婚姻变动日期": "2021-10-01", "配偶姓名": "冯涛",
     "配偶身份证号": "420102198601010011", "迁入日期": "2008-03-01"},
    {"人员编号": "5", "户编号": "0002", "姓名": "王秀英", "性别": "女", "出生日期": "1950-01-05", "婚姻状况": "丧偶",
     "婚姻变动日期": "2001-03-01", "死亡日期": dt.datetime(2025, 12, 1, 8, 30)},
]


def _sheet(rows: list[dict], headers: list[str]) -> list[list]:
    return [headers] + [[row.get(h) for h in headers] for row in rows]


@pytest.fixture
def handmade(tmp_path):
    person_headers = sorted({h for row in PERSON_ROWS for h in row})
    random.Random(7).shuffle(person_headers)  # columns in any order
    sheets = {
        "说明": [["这是村里自己加的一页"]],
        "村信息": [["内容", "项目"], [420102001001, "村代码"], ["双河村", "村名称"], ["李芳", "专干姓名"],
                 ["13800000000", "联系电话"], ["多出来的", "备注"]],
        "人口": _sheet(PERSON_ROWS, person_headers),
        "生育": [["孩次", "子女姓名", "母亲人员编号", "出生日期", "性别", "子女人员编号", "政策属性", "出生证号"],
               [1, "张小明", 2, D(2011, 3, 15), "男", 3, "1", "R42000012"]],
        "节育措施": [["人员编号", "措施", "开始日期", "终止日期", "未避孕原因", "实施机构"],
                 ["2", 700, "2011/06/01", D(2015, 1, 1), None, "乡卫生院"],
                 ["2", "皮下埋植", D(2015, 1, 1), None, None, None],
                 ["4", "000", None, None, "A94", None]],
        "孕情": [["末次月经日期", "人员编号", "登记日期", "孕产结果", "终止日期", "终止地点"],
               ["2010.06.10", "2", "2010-08-01", "活产", "2011-03-15", "县医院"]],
        "服务": [["人员编号", "服务类型", "服务日期", "结果"], ["2", "01", dt.datetime(2026, 3, 10), "正常"],
               [None, None, None, None], ["2", "查孕", "2026年3月10日", ""]],
        "奖扶": [["人员编号", "类型", "年度", "金额", "发放日期"], ["2", "独生子女保健费", "2025", "￥120.50元", "2025/12/01"],
               ["2", "04", 2026.0, 3600, None]],
    }
    return write_book(tmp_path / "手工花名册.xlsx", sheets)


def test_handmade_workbook_imports(handmade, fresh_db):
    report = import_roster(fresh_db, handmade)
    q = fresh_db.execute
    assert tuple(q("SELECT code, name, clerk, phone FROM village").fetchone()) == (
        "420102001001", "双河村", "李芳", "13800000000")
    persons = {r["roster_no"]: r for r in q("SELECT * FROM person")}
    assert set(persons) == {"1", "2", "3", "4", "5"}
    zhang, li, ming, wu, wang = (persons[k] for k in "12345")
    # a number cell keeps 15 significant digits (openpyxl writes 16, Excel shows 15): the ID number comes in as
    # those digits, wrong, with a note; the checks will report it
    assert (zhang["birth_date"], zhang["id_number"], zhang["education"], zhang["hukou"]) == (
        "1985-04-02", "420102198504020000", "70", "1")
    assert (li["birth_date"], li["id_number"], li["ethnicity"], li["relation"], li["residence"]) == (
        "1988-09-17", "42010219880917022X", "01", "02", "2")
    assert (ming["birth_date"], ming["relation"]) == ("2011-03-15", "03")
    assert (wu["birth_date"], wu["marital_status"], wu["moved_in_date"]) == ("1987-12-08", "22", "2008-03-01")
    assert wang["death_date"] == "2025-12-01"
    hh = {r["number"]: r["group_id"] for r in q("SELECT * FROM household")}
    assert set(hh) == {"0001", "0002"} and hh["0002"] is None
    marriages = {r["person_id"]: r for r in q("SELECT * FROM marriage")}
    assert marriages[zhang["id"]]["spouse_id"] == li["id"] and marriages[li["id"]]["spouse_id"] == zhang["id"]
    assert (marriages[li["id"]]["start_date"], marriages[li["id"]]["spouse_name"]) == ("2010-05-01", "张伟")
    assert tuple(marriages[wu["id"]])[3:5] == ("冯涛", "420102198601010011")
    assert (marriages[wu["id"]]["kind"], marriages[wu["id"]]["start_date"]) == ("22", "2021-10-01")
    assert tuple(q("SELECT kind, start_date, place FROM migration").fetchone()) == ("2", "2025-03-01", "广东省深圳市")
    certificate = q("SELECT person_id, kind, issued_date FROM certificate").fetchone()
    assert tuple(certificate) == (li["id"], "0108", "2012-01-05")
    birth = q("SELECT * FROM birth").fetchone()
    assert (birth["mother_id"], birth["child_id"], birth["birth_order"], birth["policy_status"]) == (
        li["id"], ming["id"], 1, "1")
    assert (birth["blood_relation"], birth["health"]) == ("1", "1")  # blank: 亲生, 健康
    measures = [tuple(r) for r in q("SELECT method, start_date, end_date, no_measure_reason FROM measure ORDER BY id")]
    assert measures == [("700", "2011-06-01", "2015-01-01", None), ("300", "2015-01-01", None, None),
                        ("000", None, None, "A94")]
    preg = q("SELECT * FROM pregnancy").fetchone()
    assert (preg["lmp_date"], preg["expected_date"], preg["outcome"]) == ("2010-06-10", "2011-03-17", "1")
    services = [tuple(r) for r in q("SELECT kind, service_date, result FROM service ORDER BY id")]
    assert services == [("01", "2026-03-10", "正常"), ("02", "2026-03-10", "")]
    benefits = [tuple(r) for r in q("SELECT kind, year, amount_fen, paid_date FROM benefit ORDER BY id")]
    assert benefits == [("01", 2025, 12050, "2025-12-01"), ("04", 2026, 360000, None)]
    assert report.sheets["服务"] == 2  # the blank row in between is no row
    notes = " ".join(report.notes)
    assert "“说明”" in notes and "“备注”" in notes and "项目“备注”" in notes and "15位" in notes


def test_an_id_number_typed_into_excel_as_a_number_gives_a_note(tmp_path):
    sheets = {"村信息": [["项目", "内容"], ["村代码", "420102001001"], ["村名称", "双河村"]],
              "人口": [["人员编号", "户编号", "姓名", "性别", "出生日期", "身份证号"],
                     ["1", "1", "张伟", "男", "1985-04-02", 4.20102198504021e17]]}
    data = read_roster(write_book(tmp_path / "x.xlsx", sheets))
    assert data.persons[0]["id_number"] == "420102198504021000"
    assert any("15位" in n and "第2行" in n for n in data.notes)


# (case, reader, cell, expected value or the CellError)
CELLS = [
    ("excel date", read_date, dt.datetime(2026, 11, 23, 0, 0), D(2026, 11, 23)),
    ("dashes", read_date, "2026-11-23", D(2026, 11, 23)),
    ("slashes, one digit", read_date, "2026/1/5", D(2026, 1, 5)),
    ("dots", read_date, " 2026.11.23 ", D(2026, 11, 23)),
    ("eight digits", read_date, 20261123, D(2026, 11, 23)),
    ("with a time", read_date, "2026-11-23 08:30:00", D(2026, 11, 23)),
    ("ISO with a time", read_date, "2026-11-23T00:00:00", D(2026, 11, 23)),
    ("serial without date format", read_date, 46349, D(2026, 11, 23)),
    ("not a day", read_date, "2026-02-29", CellError),
    ("a year", read_date, 1985, CellError),
    ("code as number", lambda v: read_code("method", v), 0, "000"),
    ("label", lambda v: read_code("method", v), "宫内节育器", "700"),
    ("ethnicity without its zero", lambda v: read_code("ethnicity", v), 1, "01"),
    ("label with spaces", lambda v: read_code("sex", v), " 女 ", "2"),
    ("not a label", lambda v: read_code("sex", v), "F", CellError),
    ("id as text", read_id_number, " 42010219880917022x ", "42010219880917022X"),
    ("id as exact number", read_id_number, 420102198809170221, "420102198809170221"),
    ("id as a double", read_id_number, 4.2010219880917022e17, "420102198809170000"),
    ("money float from a formula", read_money, 120.30000000000001, 12030),
    ("money negative", read_money, -5, CellError),
]


@pytest.mark.parametrize("read, cell, expected", [c[1:] for c in CELLS], ids=[c[0] for c in CELLS])
def test_cell_readers(read, cell, expected):
    if expected is CellError:
        with pytest.raises(CellError):
            read(cell)
    else:
        assert read(cell) == expected
