"""``fpdesk check`` and the checks on villages written the ordinary ways: the services, and a roster import."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from fpdesk import services
from fpdesk.checks import rules, run_checks
from fpdesk.cli import main
from fpdesk.db import open_village_file
from fpdesk.idnumber import make_id_number
from fpdesk.snapshot import load_snapshot
from tests.conftest import TODAY

WIFE_ID = make_id_number(region="420102", birth_date=dt.date(1992, 5, 3), sequence=12, sex="2")
BAD_ID = "420102198803020110"  # a man born 1988-03-02 whose check digit was mistyped


def _ids(conn: sqlite3.Connection) -> dict[str, int]:
    return {r["roster_no"]: r["id"] for r in conn.execute("SELECT id, roster_no FROM person")}


@pytest.fixture
def village_file(fresh_db: sqlite3.Connection) -> sqlite3.Connection:
    """A family entered through the services, as a clerk would: right except the husband's ID number."""
    conn = fresh_db
    old = dt.date(2016, 1, 10)
    services.register_household(conn, number="001", group="一组", today=old, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1988-03-02", "id_number": BAD_ID, "relation": "户主",
         "roster_no": "P1", "ethnicity": "汉族", "education": "初中", "hukou": "农业"},
        {"name": "李娜", "id_number": WIFE_ID, "relation": "配偶", "roster_no": "P2", "ethnicity": "汉族",
         "education": "高中", "hukou": "农业"},
    ])
    ids = _ids(conn)
    services.record_marriage(conn, person=ids["P2"], spouse=ids["P1"], date="2015-05-01", today=old)
    services.start_measure(conn, person=ids["P2"], method="000", start_date="2015-05-01", no_measure_reason="待孕",
                           today=old)
    services.register_pregnancy(conn, person=ids["P2"], lmp_date="2015-06-01", policy_status="政策内", today=old)
    services.record_birth(conn, mother=ids["P2"], child_name="张小明", sex="男", birth_date="2016-03-01",
                          today=dt.date(2016, 3, 5))
    services.start_measure(conn, person=ids["P2"], method="700", start_date="2016-06-01",
                           today=dt.date(2016, 6, 3))
    services.record_service(conn, person=ids["P2"], kind="查环", date="2026-10-12", today=dt.date(2026, 10, 12))
    return conn


def test_a_village_entered_through_the_services_has_only_its_real_mistake(village_file) -> None:
    found = run_checks(load_snapshot(village_file, as_of=TODAY))
    assert [(f.code, f.field) for f in found] == [("I001", "id_number")]


def test_a_correction_that_moves_a_reported_death_is_caught(village_file) -> None:
    ids = _ids(village_file)
    services.record_death(village_file, person=ids["P1"], date="2026-11-02", today=dt.date(2026, 11, 3))
    services.correct_field(village_file, table="person", record=ids["P1"], field="death_date", value="2026-10-28",
                           reason="核对死亡证明", today=dt.date(2026, 11, 10))
    codes = {f.code for f in run_checks(load_snapshot(village_file, as_of=TODAY))}
    # the report of November says 2 November; the register now says 28 October, so October no longer balances
    assert {"X003", "T004"} <= codes


def _run(capsys, *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


def test_cli_lists_the_findings_by_ledger_in_chinese(village_file, tmp_path, capsys) -> None:
    db = village_file.execute("PRAGMA database_list").fetchone()[2]
    status, out = _run(capsys, "check", "--db", db, "--as-of", "2026-11-23")
    assert status == 0                                      # the check ran; a finding is no failure
    assert "【管理册·人口登记】错误 0，提醒 1" in out and "I001 身份证号校验位错误" in out
    assert "张伟（人员编号 P1，420102********0110）" in out   # ID numbers masked as the village setting says
    assert "2026年10月、2026年11月" in out


def test_cli_json_has_what_a_script_needs(village_file, capsys) -> None:
    db = village_file.execute("PRAGMA database_list").fetchone()[2]
    status, out = _run(capsys, "check", "--db", db, "--as-of", "2026-11-23", "--json")
    f, = json.loads(out)
    assert status == 0
    assert {k: f[k] for k in ("code", "severity", "kind", "ledger", "field")} == {
        "code": "I001", "severity": "warning", "kind": "conformity", "ledger": "population", "field": "id_number"}
    assert f["person"]["name"] == "张伟" and f["person"]["roster_no"] == "P1" and f["person"]["id_number"] == BAD_ID
    assert "校验位" in f["message"]


def test_cli_strict_fails_on_errors_only(village_file, capsys) -> None:
    db = village_file.execute("PRAGMA database_list").fetchone()[2]
    assert _run(capsys, "check", "--db", db, "--as-of", "2026-11-23", "--strict")[0] == 0   # a warning only
    services.correct_field(village_file, table="person", record=_ids(village_file)["P2"], field="first_marriage_date",
                           value="", today=TODAY)
    status, out = _run(capsys, "check", "--db", db, "--as-of", "2026-11-23", "--strict", "--month", "2026-11")
    assert status == 1 and "M002 初婚日期为空" in out and "2026年11月" in out


def test_cli_writes_the_findings_to_a_workbook(village_file, tmp_path, capsys) -> None:
    db = village_file.execute("PRAGMA database_list").fetchone()[2]
    out_path = tmp_path / "问题清单.xlsx"
    status, out = _run(capsys, "check", "--db", db, "--as-of", "2026-11-23", "--xlsx", str(out_path))
    assert status == 0 and "问题清单已写入" in out
    wb = load_workbook(out_path)
    rows = list(wb["问题清单"].values)
    assert rows[0][:5] == ("台账", "严重程度", "类别", "规则", "规则名称") and len(rows) == 2
    assert rows[1][3] == "I001" and rows[1][6] == "P1" and "*" in rows[1][7]
    assert len(list(wb["规则目录"].values)) == 1 + len(rules())


def test_cli_refuses_a_file_that_is_not_a_village(tmp_path, capsys) -> None:
    bad = tmp_path / "x.sqlite"
    bad.write_bytes(b"not a database at all")
    assert main(["check", "--db", str(bad)]) == 2


# -- a roster workbook with mistakes made by hand ---------------------------------------------------------

def _roster(path: Path) -> Path:
    """A clerk's spreadsheet with five mistakes, one per 人员编号 R2–R6 (R1 is right)."""
    good_wife = make_id_number(region="420102", birth_date=dt.date(1990, 4, 1), sequence=21, sex="2")
    sheets = {
        "村信息": [["项目", "内容"], ["村代码", "420102001001"], ["村名称", "双河村"]],
        "人口": [
            ["人员编号", "户编号", "组别", "姓名", "性别", "出生日期", "身份证号", "婚姻状况", "初婚日期", "配偶人员编号",
             "配偶姓名", "与户主关系", "民族", "文化程度", "户口性质"],
            ["R1", "01", "一组", "王芳", "女", "1990-04-01", good_wife, "初婚", "2012-01-01", None, "刘强", "户主",
             "汉族", "初中", "农业"],
            # R2: the birth date differs from the ID number (I003)
            ["R2", "02", "一组", "赵兰", "女", "1985-02-15",
             make_id_number(region="420102", birth_date=dt.date(1985, 2, 14), sequence=23, sex="2"), "初婚",
             "2008-01-01", None, "孙强", "户主", "汉族", "初中", "农业"],
            # R3: married, no first-marriage date (M002)
            ["R3", "03", "一组", "周梅", "女", "1991-01-01",
             make_id_number(region="420102", birth_date=dt.date(1991, 1, 1), sequence=25, sex="2"), "初婚", None,
             None, "吴军", "户主", "汉族", "初中", "农业"],
            # R4: a mother of 13 (D006) — her child R5 in the same household
            ["R4", "04", "一组", "陈红", "女", "2000-01-01",
             make_id_number(region="420102", birth_date=dt.date(2000, 1, 1), sequence=27, sex="2"), "初婚",
             "2019-01-01", None, "黄海", "户主", "汉族", "初中", "农业"],
            ["R5", "04", "一组", "黄小宝", "男", "2013-05-01", None, "未婚", None, None, None, "子", "汉族", None, "农业"],
            # R6: a man's ID number on a woman (I004)
            ["R6", "05", "一组", "孙丽", "女", "1993-03-03",
             make_id_number(region="420102", birth_date=dt.date(1993, 3, 3), sequence=29, sex="1"), "未婚", None,
             None, None, "户主", "汉族", "初中", "农业"],
        ],
        "生育": [["母亲人员编号", "子女人员编号", "子女姓名", "性别", "出生日期", "孩次"],
                 ["R4", "R5", "黄小宝", "男", "2013-05-01", 1]],
        "节育措施": [["人员编号", "措施", "开始日期", "终止日期", "未避孕原因"],
                     ["R1", "未避孕", None, None, "待孕"], ["R2", "宫内节育器", "2009-01-01", None, None],
                     ["R3", "未避孕", None, None, "待孕"], ["R4", "宫内节育器", "2019-06-01", None, None]],
    }
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_every_mistake_of_an_imported_roster_is_reported_on_its_roster_no(tmp_path, capsys) -> None:
    from fpdesk.roster import import_roster
    db = tmp_path / "imported.sqlite"
    conn = open_village_file(db, create=True)
    import_roster(conn, _roster(tmp_path / "花名册.xlsx"), today=TODAY)
    conn.close()
    status, out = _run(capsys, "check", "--db", str(db), "--as-of", "2026-11-23", "--json")
    found = {(f["person"]["roster_no"], f["code"]) for f in json.loads(out) if f["person"]}
    assert {("R2", "I003"), ("R3", "M002"), ("R4", "D006"), ("R6", "I004")} <= found
    assert not {rn for rn, _ in found} & {"R1", "R5"}        # nothing on the rows that are right
    assert not {code for _, code in found} & {"L001", "L002", "X002", "X004", "T004", "T007"}  # an import is baseline
