"""导出月报: the workbook holds the core's figures, the PDF reads back with the Chinese titles and figures, 报送 locks
the month and the next export is 更正1, files appear whole or not at all."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fpdesk import services
from fpdesk.checks import ERROR, run_checks
from fpdesk.cli import main
from fpdesk.db import open_village_file
from fpdesk.demo import make_demo_village
from fpdesk.errors import InputError
from fpdesk.export import (
    ExportCancelled, MonthFileError, export_month, mask_id_number, read_month_file, render_month, save_month,
)
from fpdesk.export import format as fmt
from fpdesk.export.forms import board_rows, monthly_rows
from fpdesk.export.content import month_content
from fpdesk.ledgers import monthly_change_report
from fpdesk.snapshot import load_snapshot
from tests.conftest import TODAY
from tests.pdf_reader import page_size, pdf_fonts, pdf_pages, pdf_text

MONTH = "2026-09"          # the demo village below has births, member changes and a certificate this month


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """A demo village of 1,200 people; August submitted, then a death of August found in September (补报)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    make_demo_village(path, persons=1200, seed=5, as_of=TODAY)
    conn = open_village_file(path)
    services.submit_period(conn, period="2026-08", today=dt.date(2026, 9, 3))
    someone = conn.execute("SELECT id FROM person WHERE death_date IS NULL AND moved_out_date IS NULL"
                           " AND residence = '1' AND birth_date < '1950-01-01' ORDER BY id LIMIT 1").fetchone()[0]
    services.record_death(conn, person=someone, date="2026-08-20", today=dt.date(2026, 9, 10))
    conn.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path) -> sqlite3.Connection:
    """A copy of the demo village for one test."""
    path = tmp_path / "village.sqlite"
    shutil.copyfile(demo_file, path)
    conn = open_village_file(path)
    yield conn
    conn.close()


@pytest.fixture
def exported(demo, tmp_path):
    """The demo month exported as a draft, with the snapshot it came from."""
    snap = load_snapshot(demo, as_of=TODAY)
    return export_month(snap, period=MONTH, out_dir=tmp_path / "out"), snap


PAGE_OF = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")


def test_files_are_named_by_village_code_and_month(exported) -> None:
    result, snap = exported
    code = snap.village.code
    assert (result.xlsx.name, result.pdf.name, result.poster.name) == (
        f"{code}_{MONTH}.xlsx", f"{code}_{MONTH}.pdf", f"{code}_{MONTH}_公示牌A3.pdf")
    assert result.correction_no == 0 and not result.submitted
    assert sorted(p.name for p in result.xlsx.parent.iterdir()) == sorted(
        [result.xlsx.name, result.pdf.name, result.poster.name]), "no temporary file is left behind"


def test_every_cell_of_the_monthly_table_is_the_core_figure_and_the_sums_hold(exported) -> None:
    result, snap = exported
    month = read_month_file(result.xlsx)
    table = monthly_change_report(snap, MONTH).table
    expected = {r.key: r.value for r in monthly_rows(table)}
    assert month.monthly == expected
    assert list(month.monthly) == list(expected), "in the documented order"
    assert month.column(fmt.MONTHLY, "键") == tuple(expected)
    assert month.sum_gaps == ()
    m = month.monthly
    assert m["births.total"] == table.births.total > 0
    assert m["births.total"] == sum(m[k] for k in ("births.first", "births.second", "births.third_plus",
                                                   "births.out_of_policy", "births.undetermined"))
    assert m["operations.total"] == sum(m[k] for k in fmt.SUMS["operations.total"])
    assert m["certificates.total"] == sum(v for k, v in m.items() if k.startswith("certificates.0")) > 0
    assert m["deaths.late"] == 1, "the death of August found in September is a 补报"
    assert (m["population.start"], m["population.end"]) == (table.population_start, table.population_end)


def test_the_lists_board_score_and_indicators_are_the_cores(exported) -> None:
    result, snap = exported
    month = read_month_file(result.xlsx)
    report = monthly_change_report(snap, MONTH)
    content = month_content(snap, period=MONTH)
    assert month.column(fmt.CHANGES, "姓名") == tuple(r.name for r in report.member_rows)
    assert month.column(fmt.CHANGES, "变动日期") == tuple(r.change_date for r in report.member_rows)
    assert month.column(fmt.CHANGES, "补报").count("是") == sum(r.late_report for r in report.member_rows) == 1
    assert month.column(fmt.BIRTHS, "子女姓名") == tuple(r.child_name for r in report.birth_rows)
    assert month.column(fmt.BIRTHS, "孩次") == tuple(r.birth_order for r in report.birth_rows)
    assert month.board == {r.key: r.value for r in board_rows(content)}
    assert month.board["as_of"] == dt.date(2026, 9, 30), "the board of a past month stands at its last day"
    assert month.score_total == content.sheet.total
    assert month.score_items == {i.key: (i.points, i.maximum) for i in content.sheet.items}
    assert month.indicators["policy_birth_rate.month"] == (
        sum(1 for r in report.birth_rows if r.policy_status_code == "1"), len(report.birth_rows))
    assert set(month.indicators) == {f"{v.key}.{v.span.kind}" for v in content.indicators}


def test_the_manifest_says_what_the_file_is(exported) -> None:
    result, snap = exported
    month = read_month_file(result.xlsx)
    findings = run_checks(snap, period=MONTH)
    assert (month.format, month.format_version) == ("fpdesk-month", 1)
    assert (month.village_code, month.village_name, month.township, month.county) == (
        snap.village.code, snap.village.name, snap.village.township, snap.village.county)
    assert (month.period, month.correction_no, month.submitted, month.as_of) == (MONTH, 0, False, TODAY)
    assert month.id_numbers_masked
    assert month.findings_errors == sum(1 for f in findings if f.severity == ERROR)
    assert month.findings_warnings == sum(1 for f in findings if f.severity != ERROR)
    assert month.findings_confirmed == 0
    assert sum(n for n, _ in month.finding_counts.values()) == len(findings)
    assert month.row_counts == {key: len(month.rows[sheet]) for sheet, key in fmt.DATA_SHEETS}
    assert month.row_counts["rows.births"] == len(monthly_change_report(snap, MONTH).birth_rows)
    assert dt.datetime.fromisoformat(month.generated_at)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(result.xlsx).worksheets}
    assert list(sheets) == list(fmt.SHEET_ORDER)
    assert month.content_sha256 == fmt.content_hash(sheets.items())


def test_the_workbook_opens_cleanly_frozen_headers_and_merged_titles(exported) -> None:
    result, _ = exported
    wb = load_workbook(result.xlsx)
    for name in fmt.SHEET_ORDER[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A4"
        last = ws.cell(row=3, column=len(fmt.HEADERS[name])).column_letter
        assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
        assert [c.value for c in ws[3]] == list(fmt.HEADERS[name])
        assert ws.column_dimensions["A"].width > 0
    monthly = wb[fmt.MONTHLY]
    assert monthly["C4"].number_format == "0"
    changes = wb[fmt.CHANGES]
    if changes.max_row >= 4:
        assert changes["G4"].number_format == "yyyy-mm-dd"


def test_a_changed_cell_breaks_the_hash(exported, tmp_path) -> None:
    result, _ = exported
    wb = load_workbook(result.xlsx)
    ws = wb[fmt.MONTHLY]
    ws["C5"] = ws["C5"].value + 1          # births.total, one more birth than reported
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    with pytest.raises(MonthFileError) as err:
        read_month_file(edited)
    assert err.value.reason == "hash"
    assert "文件内容被修改过或已损坏" in str(err.value)


def test_the_pdf_reads_back_with_the_titles_and_figures(exported) -> None:
    result, snap = exported
    text = pdf_text(result.pdf)
    report = monthly_change_report(snap, MONTH)
    for title in ("全员人口信息报告单（一）成员变动", "全员人口信息报告单（二）出生", "计划生育月报表",
                  f"{snap.village.name}计划生育基本情况公示牌", "目标管理责任制自评得分表", "逻辑检查问题清单",
                  "填报人", "审核人", "填报日期", "2026年9月"):
        assert title in text, title
    for row in report.member_rows:
        assert row.name in text
        if row.id_number:
            assert mask_id_number(row.id_number) in text and row.id_number not in text
    for row in report.birth_rows:
        assert row.child_name in text and row.mother_name in text
    table = report.table
    assert f"期末人口 {table.population_end} = 期初 {table.population_start}" in text
    assert "其中补报 1 条" in text, "the late death is pointed out under 报告单一"
    assert "草稿（未报送）" in text


def test_every_page_says_which_page_of_its_form_it_is(exported) -> None:
    result, _ = exported
    pages = pdf_pages(result.pdf)
    assert pages >= 6
    for n in range(1, pages + 1):
        assert PAGE_OF.search(pdf_text(result.pdf, first=n, last=n)), n
    assert PAGE_OF.search(pdf_text(result.poster)).groups() == ("1", "1")
    fonts = pdf_fonts(result.pdf)
    cjk = {name: embedded for name, embedded in fonts.items() if "WenQuanYiMicroHei" in name}
    assert cjk and not any("STSong" in name for name in fonts), fonts
    assert all(cjk.values()), f"the CJK font is embedded: {cjk}"


def test_the_change_report_is_landscape_and_the_poster_a3(exported) -> None:
    result, _ = exported
    assert page_size(result.pdf, 1) == (pytest.approx(841.89, abs=0.01), pytest.approx(595.28, abs=0.01), 0), \
        "landscape A4"
    assert page_size(result.poster) == (pytest.approx(841.89, abs=0.01), pytest.approx(1190.55, abs=0.01), 0)
    assert pdf_pages(result.poster) == 1


def test_the_board_carries_no_personal_data_beyond_the_clerk_and_group_heads(exported) -> None:
    result, snap = exported
    text = pdf_text(result.poster)
    assert snap.village.clerk in text
    assert all(g.head_name in text for g in snap.groups if g.head_name)
    heads = {g.head_name for g in snap.groups} | {snap.village.clerk}
    for name in heads:
        text = text.replace(name, "")
    assert not [p.name for p in snap.persons if len(p.name) >= 2 and p.name in text]
    assert not any(p.id_number and p.id_number[-6:] in text for p in snap.persons)


def test_id_numbers_are_printed_whole_when_the_village_says_so(demo, tmp_path) -> None:
    services.set_setting(demo, key="mask_id_numbers", value="0", today=TODAY)
    result = export_month(demo, period=MONTH, out_dir=tmp_path, today=TODAY)
    month = read_month_file(result.xlsx)
    ids = [r.id_number for r in monthly_change_report(load_snapshot(demo, as_of=TODAY), MONTH).member_rows
           if r.id_number]
    assert not month.id_numbers_masked
    assert set(ids) <= set(month.column(fmt.CHANGES, "身份证号"))
    assert ids[0] in pdf_text(result.pdf)


def test_submitting_locks_the_month_and_the_next_export_is_correction_1(demo, tmp_path) -> None:
    first = export_month(demo, period=MONTH, out_dir=tmp_path, submit=True, user="吴思", today=TODAY)
    assert first.submitted and first.correction_no == 0 and first.changes is not None
    assert read_month_file(first.xlsx).submitted
    lock = demo.execute("SELECT correction_no, locked FROM period_lock WHERE period = ?", (MONTH,)).fetchone()
    assert tuple(lock) == (0, 1)
    second = export_month(demo, period=MONTH, out_dir=tmp_path, today=TODAY)
    assert second.xlsx.name.endswith(f"{MONTH}_更正1.xlsx") and second.pdf.name.endswith("_更正1.pdf")
    month = read_month_file(second.xlsx)
    assert (month.correction_no, month.submitted) == (1, False)
    assert "更正报（第1次）" in pdf_text(second.pdf)
    assert first.xlsx.exists(), "a correction never overwrites what was handed in"
    third = export_month(demo, period=MONTH, out_dir=tmp_path, submit=True, today=TODAY)
    assert third.correction_no == 1 and read_month_file(third.xlsx).submitted
    assert demo.execute("SELECT correction_no FROM period_lock WHERE period = ?", (MONTH,)).fetchone()[0] == 1


def test_a_failed_submission_leaves_no_file_and_no_lock(demo, tmp_path) -> None:
    snap = load_snapshot(demo, as_of=TODAY)
    rendered = render_month(snap, period=MONTH, submitted=True)

    def refuse() -> None:
        raise InputError("磁盘已满", field="")

    with pytest.raises(InputError):
        save_month(rendered, tmp_path / "out", on_commit=refuse)
    assert list((tmp_path / "out").iterdir()) == []
    assert demo.execute("SELECT count(*) FROM period_lock WHERE period = ?", (MONTH,)).fetchone()[0] == 0


def test_a_cancelled_export_writes_nothing(demo, tmp_path) -> None:
    stages = []
    with pytest.raises(ExportCancelled):
        export_month(demo, period=MONTH, out_dir=tmp_path / "out", today=TODAY,
                     progress=lambda done, total, stage: stages.append(stage), cancel=lambda: len(stages) >= 2)
    assert not (tmp_path / "out").exists()


def test_a_month_without_changes_still_has_its_forms(fresh_db, tmp_path) -> None:
    result = export_month(fresh_db, period="2026-10", out_dir=tmp_path, today=TODAY)
    month = read_month_file(result.xlsx)
    assert month.row_counts["rows.changes"] == month.row_counts["rows.births"] == 0
    assert month.monthly["births.total"] == 0
    text = pdf_text(result.pdf)
    assert "本月无成员变动" in text and "本月无出生" in text


def test_a_village_not_set_up_cannot_export(empty_db, tmp_path) -> None:
    with pytest.raises(InputError) as err:
        export_month(empty_db, period="2026-10", out_dir=tmp_path, today=TODAY)
    assert "村信息" in str(err.value)


def test_submitting_needs_the_village_file_not_only_a_snapshot(demo, tmp_path) -> None:
    with pytest.raises(InputError):
        export_month(load_snapshot(demo, as_of=TODAY), period=MONTH, out_dir=tmp_path, submit=True)


@pytest.mark.parametrize("number, shown", [
    ("420102199205030127", "420102********0127"),
    ("420102920503012", "420102*****3012"),     # an old 15-digit number
    ("12345", "*****"),                          # too short to show any of it
    ("", ""),
])
def test_id_numbers_are_masked_like_the_paper_lists(number, shown) -> None:
    assert mask_id_number(number) == shown


def test_the_command_exports_and_submits(demo_file, tmp_path, capsys) -> None:
    db = tmp_path / "v.sqlite"
    shutil.copyfile(demo_file, db)
    out = tmp_path / "U盘"
    assert main(["export", "--db", str(db), "--month", MONTH, "--out", str(out), "--as-of", TODAY.isoformat(),
                 "--submit", "--user", "吴思"]) == 0
    printed = capsys.readouterr().out
    assert "首次报送，已报送，该月已锁定" in printed
    assert main(["export", "--db", str(db), "--month", MONTH, "--out", str(out), "--as-of", TODAY.isoformat()]) == 0
    assert "更正报（第1次）" in capsys.readouterr().out
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 6 and sum("更正1" in n for n in names) == 3
    conn = open_village_file(db)
    op = conn.execute("SELECT user, action FROM operation WHERE action = 'submit_period' ORDER BY id DESC").fetchone()
    assert tuple(op) == ("吴思", "submit_period")
    conn.close()
