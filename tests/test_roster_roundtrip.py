"""Import → export → import of a village gives the same records; an import is one audited operation and a
baseline (no change events); export writes labels, real date cells and text ID numbers, and never half a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from fpdesk import services
from fpdesk.db import open_village_file
from fpdesk.errors import FpdeskError, InputError
from fpdesk.roster import ImportCancelled, export_roster, import_roster
from fpdesk.roster.importer import STAGE_WRITE
from fpdesk.roster.spec import DATA_SHEETS
from tests.conftest import file_content
from tests.roster_bigbook import write_big_roster
from tests.roster_village import LEDGER_COLUMNS, build_village, dump


@pytest.fixture
def village_db(fresh_db, today):
    build_village(fresh_db, today)
    return fresh_db


def _new_file(tmp_path: Path, name: str):
    return open_village_file(tmp_path / name, create=True)


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def by_name(row) -> str:
    return row["name"]


# What the format has no column for (shared/roster-workbook.md), and so what export → import drops: a row is
# compared only where it is carried, and these columns not at all.
NOT_CARRIED = {
    "village_group": ("head_name",),
    "household": ("address",),
    "person": ("roster_no", "occupation", "note", "only_child"),  # roster_no: children born later get "P0000nn"
    "marriage": ("spouse_birth_date", "spouse_ethnicity", "spouse_education", "spouse_hukou", "spouse_occupation",
                 "spouse_only_child"),
    "service": ("item", "quantity"),
    "migration": ("certificate_no",),
    "certificate": ("number",),
}
CARRIED_ROWS = {
    "marriage": "end_date IS NULL",  # only a person's current spouse has columns
    "migration": "end_date IS NULL",  # only the current flow
    "certificate": "kind = '0108'",  # only the only-child parents' certificate
}


def _carried(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    out = {}
    for table, rows in tables.items():
        keep = [i for i, col in enumerate(LEDGER_COLUMNS[table]) if col not in NOT_CARRIED.get(table, ())]
        out[table] = sorted((tuple(r[i] for i in keep) for r in rows), key=repr)
    return out


def test_import_export_import_gives_the_same_records(village_db, tmp_path, today):
    export_roster(village_db, tmp_path / "x1.xlsx")
    first = _new_file(tmp_path, "v1.sqlite")
    import_roster(first, tmp_path / "x1.xlsx", today=today)
    export_roster(first, tmp_path / "x2.xlsx")
    second = _new_file(tmp_path, "v2.sqlite")
    import_roster(second, tmp_path / "x2.xlsx", today=today)

    # every ledger table, field by field: import → export → import is exact
    assert dump(first) == dump(second)
    # and the workbook is a fixed point, cell by cell
    assert _cells(tmp_path / "x1.xlsx") == _cells(tmp_path / "x2.xlsx")
    # against the village built by hand, everything the format carries came through
    original = _carried(dump(village_db, by_name, where=CARRIED_ROWS))
    imported = _carried(dump(first, by_name))
    assert imported == original
    counts = {t: len(rows) for t, rows in imported.items()}
    assert counts == {"village": 1, "village_group": 2, "household": 4, "person": 14, "marriage": 4, "birth": 5,
                      "measure": 5, "pregnancy": 3, "service": 4, "benefit": 2, "migration": 2, "certificate": 1}


def test_import_is_one_audited_operation_with_no_change_events(village_db, tmp_path, today):
    export_roster(village_db, tmp_path / "x.xlsx")
    conn = _new_file(tmp_path, "v.sqlite")
    report = import_roster(conn, tmp_path / "x.xlsx", user="李芳", today=today)
    ops = conn.execute("SELECT id, user, action, summary, at FROM operation").fetchall()
    assert [tuple(o)[:3] for o in ops] == [(report.op_id, "李芳", "import_roster")]
    assert "14 人" in ops[0]["summary"] and ops[0]["at"].startswith(today.isoformat())
    assert conn.execute("SELECT count(*) FROM change_event").fetchone()[0] == 0
    audited = conn.execute("SELECT count(*), min(op_id), max(op_id) FROM audit_log").fetchone()
    records = sum(report.records.values())
    assert tuple(audited) == (records, report.op_id, report.op_id)
    assert report.sheets == {"人口": 14, "生育": 5, "节育措施": 5, "孕情": 3, "服务": 4, "奖扶": 2}
    assert report.records["person"] == 14 and report.records["marriage"] == 4
    assert report.changes.op_id == report.op_id and report.changes.events == ()
    assert len(report.changes.persons) == 14 and len(report.changes.inserted) == records


def test_import_into_a_file_set_up_but_empty_keeps_its_groups(village_db, tmp_path):
    export_roster(village_db, tmp_path / "x.xlsx")
    conn = _new_file(tmp_path, "v.sqlite")
    services.setup_village(conn, code="420102001002", name="旧名", today=dt.date(2026, 1, 1))
    services.add_group(conn, name="二组", head_name="赵六", today=dt.date(2026, 1, 1))
    import_roster(conn, tmp_path / "x.xlsx")
    assert conn.execute("SELECT code, name FROM village").fetchone()[:] == ("420102001001", "双河村")
    groups = conn.execute("SELECT name, head_name FROM village_group ORDER BY id").fetchall()
    assert [tuple(g) for g in groups] == [("二组", "赵六"), ("一组", "")]


def test_import_refuses_a_file_with_people(village_db, tmp_path):
    export_roster(village_db, tmp_path / "x.xlsx")
    before = file_content(village_db)
    with pytest.raises(InputError, match="已有 .* 人"):
        import_roster(village_db, tmp_path / "x.xlsx")
    assert file_content(village_db) == before


def test_cancel_while_writing_rolls_everything_back(tmp_path, fresh_db):
    write_big_roster(tmp_path / "big.xlsx", households=300)
    seen: list[tuple[int, int, str]] = []
    before = file_content(fresh_db)
    with pytest.raises(ImportCancelled):
        import_roster(fresh_db, tmp_path / "big.xlsx", progress=lambda d, t, s: seen.append((d, t, s)),
                      cancel=lambda: any(s == STAGE_WRITE and d >= 1000 for d, _, s in seen))
    assert file_content(fresh_db) == before
    assert any(s == STAGE_WRITE and d >= 1000 for d, _, s in seen)


def test_progress_counts_rows_up_to_the_total(tmp_path, fresh_db):
    write_big_roster(tmp_path / "big.xlsx", households=150)
    seen: list[tuple[int, int, str]] = []
    import_roster(fresh_db, tmp_path / "big.xlsx", progress=lambda d, t, s: seen.append((d, t, s)))
    stages = list(dict.fromkeys(s for _, _, s in seen))
    assert stages == ["读取花名册", STAGE_WRITE]
    for stage in stages:
        mine = [(d, t) for d, t, s in seen if s == stage]
        assert [d for d, _ in mine] == sorted(d for d, _ in mine)
        assert mine[-1][0] == mine[-1][1] > 0 and all(d <= t for d, t in mine)


def test_export_writes_labels_dates_and_text_id_numbers(village_db, tmp_path):
    export_roster(village_db, tmp_path / "x.xlsx")
    wb = load_workbook(tmp_path / "x.xlsx")
    assert wb.sheetnames == ["填写说明", "村信息"] + [s.name for s in DATA_SHEETS] + ["代码表"]
    for sheet in DATA_SHEETS:
        assert [c.value for c in wb[sheet.name][1]] == [c.header for c in sheet.columns]
    persons = wb["人口"]
    header = [c.value for c in persons[1]]
    row = {h: c for h, c in zip(header, persons[3])}  # 李娜
    assert row["姓名"].value == "李娜"
    assert row["性别"].value == "女" and row["婚姻状况"].value == "初婚" and row["与户主关系"].value == "配偶"
    assert row["出生日期"].is_date and row["出生日期"].value == dt.datetime(1988, 9, 17)
    assert row["出生日期"].number_format == "yyyy-mm-dd"
    assert row["身份证号"].data_type == "s" and len(row["身份证号"].value) == 18
    assert row["配偶人员编号"].value == "A001"
    benefits = list(wb["奖扶"].iter_rows(min_row=2, values_only=True))
    assert [(b[1], b[3]) for b in benefits] == [("独生子女保健费", 120), ("奖励扶助", 960.5)]
    measures = [r[1] for r in wb["节育措施"].iter_rows(min_row=2, values_only=True)]
    assert "未避孕" in measures and "宫内节育器" in measures


def test_failed_export_leaves_no_half_file(village_db, tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the previous export")

    real_save = Workbook.save

    def broken_save(self, filename):  # the disk fills up as the last bytes go out
        real_save(self, filename)
        Path(filename).write_bytes(Path(filename).read_bytes()[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(FpdeskError, match="无法写入"):
        export_roster(village_db, target)
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_text_that_looks_like_a_formula_stays_text(fresh_db, tmp_path, today):
    services.register_household(fresh_db, number="01", members=[
        {"roster_no": "1", "name": "李娜", "sex": "女", "birth_date": dt.date(1988, 9, 17)}], today=today)
    person = fresh_db.execute("SELECT id FROM person").fetchone()[0]
    services.record_service(fresh_db, person=person, kind="查孕", date=dt.date(2026, 3, 1), result="=阴性",
                            institution="乡卫生院\x07", today=today)
    export_roster(fresh_db, tmp_path / "x.xlsx")
    conn = _new_file(tmp_path, "v.sqlite")
    import_roster(conn, tmp_path / "x.xlsx")
    assert tuple(conn.execute("SELECT result, institution FROM service").fetchone()) == ("=阴性", "乡卫生院")


def test_a_generated_village_survives_the_round_trip(tmp_path, empty_db):
    write_big_roster(tmp_path / "big.xlsx", households=200)
    import_roster(empty_db, tmp_path / "big.xlsx")
    export_roster(empty_db, tmp_path / "x.xlsx")
    again = _new_file(tmp_path, "again.sqlite")
    import_roster(again, tmp_path / "x.xlsx")
    assert dump(again) == dump(empty_db)
