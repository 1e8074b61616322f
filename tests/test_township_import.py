"""Importing 40 villages' files into the township file: all in, safe to run twice, corrections kept as history, bad
files refused with their reason and without a trace in the township file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fpdesk.export import read_month_file
from fpdesk.township import (
    IMPORTED, NEW, REJECTED, REPLACED, REPLACES, UNCHANGED, apply_import, import_files, in_force,
    month_status, open_township_file, preview_import, submissions, township_table,
)
from tests.test_township_villages import (  # noqa: F401  (township_villages is a fixture)
    PERIOD, TODAY, content, correct_october, export, first_report_again, make_village, township_file, township_villages,
)


@pytest.fixture(scope="module")
def imported_template(township_villages, tmp_path_factory) -> Path:
    """A township file with all 40 October files imported (made once per module, copied per test)."""
    folder = tmp_path_factory.mktemp("township-imported")
    path = township_file(folder, township_villages)
    conn = open_township_file(path)
    summary = import_files(conn, [v.october for v in township_villages], today=TODAY)
    conn.close()
    assert len(summary.imported) == len(township_villages), summary.text
    return path


@pytest.fixture
def imported(imported_template, tmp_path):
    """An open copy of the township file with the 40 villages' October imported."""
    path = tmp_path / "township.sqlite"
    shutil.copy(imported_template, path)
    conn = open_township_file(path)
    yield conn
    conn.close()


@pytest.fixture
def empty_township(township_villages, tmp_path):
    conn = open_township_file(township_file(tmp_path, township_villages))
    yield conn
    conn.close()


def test_all_forty_villages_import(empty_township, township_villages):
    summary = import_files(empty_township, [v.october for v in township_villages], today=TODAY)
    assert (len(summary.imported), len(summary.replaced), len(summary.unchanged), len(summary.rejected)) == (40, 0, 0, 0)
    assert summary.text == "导入 40 个，更正替换 0 个，相同未变 0 个，拒收 0 个"
    assert len(submissions(empty_township, period=PERIOD)) == 40
    status = month_status(empty_township, PERIOD, today=TODAY)
    assert len(status.reported) == 40 and not status.missing and not status.late


def test_a_second_import_changes_nothing(imported, township_villages):
    before = content(imported)
    summary = import_files(imported, [v.october for v in township_villages], today=TODAY)
    assert len(summary.unchanged) == 40 and not summary.imported and not summary.rejected
    assert all("内容相同，不重复导入" in o.reason for o in summary.outcomes)
    assert content(imported) == before


def test_preview_writes_nothing_and_says_what_would_happen(empty_township, township_villages):
    before = content(empty_township)
    preview = preview_import(empty_township, [v.october for v in township_villages[:5]], today=TODAY)
    assert [i.action for i in preview.items] == [NEW] * 5
    assert preview.text == "新报 5 个，更正报 0 个，相同 0 个，拒收 0 个"
    assert content(empty_township) == before


def test_a_correction_replaces_and_keeps_the_earlier_report(imported, township_villages, tmp_path):
    village = township_villages[0]
    deaths_before = township_table(imported, PERIOD).value("", "deaths.total")
    original = in_force(imported, village.code, PERIOD)
    correction = correct_october(village, tmp_path)
    assert correction.name == f"{village.code}_{PERIOD}_更正1.xlsx"

    preview = preview_import(imported, [correction], today=TODAY)
    assert preview.items[0].action == REPLACES
    assert "替换现行的首次报送" in preview.items[0].reason
    summary = apply_import(imported, preview)
    assert [o.outcome for o in summary.outcomes] == [REPLACED]

    current = in_force(imported, village.code, PERIOD)
    assert current.correction == 1 and current.file_name == correction.name
    history = submissions(imported, village_code=village.code, period=PERIOD, in_force=None)
    assert [(s.id, s.superseded_by) for s in history] == [(original.id, current.id), (current.id, None)]
    # the township's table now counts the corrected figures (the death found late), and only once
    assert township_table(imported, PERIOD).value("", "deaths.total") >= deaths_before + 1
    assert len(submissions(imported, period=PERIOD)) == 40
    status = month_status(imported, PERIOD, today=TODAY)
    assert next(v for v in status.villages if v.village.code == village.code).label == "按时报送（更正 1 次）"

    # the original again, or the correction again: nothing changes
    before = content(imported)
    again = import_files(imported, [village.october, correction], today=TODAY)
    assert [o.outcome for o in again.outcomes] == [UNCHANGED, UNCHANGED]
    assert "已被更正报替代" in again.outcomes[0].reason
    assert content(imported) == before


def test_an_original_and_its_correction_on_one_stick(empty_township, township_villages, tmp_path):
    village = township_villages[1]
    correction = correct_october(village, tmp_path)
    summary = import_files(empty_township, [correction, village.october], today=TODAY)
    assert [o.outcome for o in summary.outcomes] == [REPLACED, IMPORTED]
    assert in_force(empty_township, village.code, PERIOD).correction == 1


def _same_number_other_content(village, folder: Path) -> Path:
    return first_report_again(village, folder, made_at=dt.datetime(2026, 11, 4, 8, 0))


# (case, how the bad file is made, words the reason must contain)
def _changed_cell(v, folder):
    path = folder / v.october.name
    shutil.copy(v.october, path)
    wb = load_workbook(path)
    ws = wb["月报表"]
    ws.cell(4, 3).value = int(ws.cell(4, 3).value) + 1          # 期初人口 one more: a single edited cell
    wb.save(path)
    return path


def _truncated(v, folder):
    path = folder / v.october.name
    data = v.october.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _renamed_pdf(v, folder):
    path = folder / f"{v.code}_{PERIOD}.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
    return path


def _other_township(v, folder):
    other = make_village(folder, 1, code="420102002201", name="红星村", township="新华镇")
    return other.october


def _empty(v, folder):
    path = folder / v.october.name
    path.write_bytes(b"")
    return path


def _draft(v, folder):
    db = folder / "draft.sqlite"
    shutil.copy(v.db, db)
    return export(db, folder / "draft", submit=False)


BAD_FILES = [
    ("one changed cell", _changed_cell, TODAY, "内容被修改过或已损坏（内容校验码不符）"),
    ("truncated", _truncated, TODAY, "不完整或已损坏"),
    ("renamed non-xlsx", _renamed_pdf, TODAY, "不是 Excel 工作簿（.xlsx）"),
    ("another township's village", _other_township, TODAY, "是“新华镇”红星村（420102002201）的月报，不是本乡镇"),
    ("a future month", lambda v, folder: v.october, dt.date(2026, 9, 20), "2026年10月，这个月还没有到"),
    ("empty file", _empty, TODAY, "是空文件（0 字节）"),
    ("a draft", _draft, TODAY, "草稿，不是正式报送的月报"),
    ("same number, other content", _same_number_other_content, TODAY, "报次相同但内容不同"),
]


@pytest.mark.parametrize("case, make, today, words", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_refused_with_its_reason_and_leaves_no_trace(imported, township_villages, tmp_path, case,
                                                                   make, today, words):
    bad = make(township_villages[2], tmp_path)
    before = content(imported)
    summary = import_files(imported, [bad], today=today)
    assert [o.outcome for o in summary.outcomes] == [REJECTED]
    assert words in summary.outcomes[0].reason
    assert summary.text.endswith("拒收 1 个")
    assert content(imported) == before


def test_a_month_before_the_township_file_began_is_refused(township_villages, tmp_path):
    from fpdesk.township import init_township, read_village_list
    from tests.test_township_villages import villages_csv

    conn = init_township(tmp_path / "t.sqlite", name="城关镇", start_period="2026-11", today=TODAY,
                         villages=read_village_list(villages_csv(tmp_path / "v.csv", township_villages[:3])))
    before = content(conn)
    summary = import_files(conn, [township_villages[0].october], today=TODAY)
    assert summary.outcomes[0].outcome == REJECTED
    assert "早于本乡镇汇总文件的起始月份2026年11月" in summary.outcomes[0].reason
    assert content(conn) == before
    conn.close()


def test_good_and_bad_files_together(empty_township, township_villages, tmp_path):
    # one bad file among good ones: the good ones go in whole, the bad one not at all
    bad = _truncated(township_villages[3], tmp_path)
    files = [township_villages[0].october, bad, township_villages[1].october]
    summary = import_files(empty_township, files, today=TODAY)
    assert [o.outcome for o in summary.outcomes] == [IMPORTED, REJECTED, IMPORTED]
    assert {s.village_code for s in submissions(empty_township)} == {township_villages[0].code,
                                                                     township_villages[1].code}


def test_cancelling_keeps_whole_files_only(empty_township, township_villages):
    calls = []

    def cancel() -> bool:
        return len(calls) >= 3          # cancel once three files were written

    def progress(done, total, stage):
        if stage.startswith("导入"):
            calls.append(done)

    preview = preview_import(empty_township, [v.october for v in township_villages[:6]], today=TODAY)
    summary = apply_import(empty_township, preview, progress=progress, cancel=cancel)
    assert summary.cancelled and len(summary.imported) == 3 and len(summary.skipped) == 3
    assert "已取消，3 个文件未处理" in summary.text
    for s in submissions(empty_township):       # each imported file has all its figures
        n = empty_township.execute("SELECT count(*) FROM table_figure WHERE submission_id = ?", (s.id,)).fetchone()[0]
        assert n == len(read_month_file(township_villages[0].october).monthly)


def test_a_folder_is_imported_without_excel_lock_files(empty_township, township_villages, tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    for v in township_villages[:3]:
        shutil.copy(v.october, folder / v.october.name)
    (folder / f"~${township_villages[0].october.name}").write_bytes(b"lock")
    (folder / "说明.txt").write_text("10月报表", encoding="utf-8")
    summary = import_files(empty_township, [folder], today=TODAY)
    assert [o.outcome for o in summary.outcomes] == [IMPORTED] * 3


def test_progress_is_reported_per_file(empty_township, township_villages):
    seen = []
    import_files(empty_township, [v.october for v in township_villages[:4]], today=TODAY,
                 progress=lambda d, t, s: seen.append((d, t, s.split(" ")[0])))
    assert ("检查", 4) in {(s, t) for _, t, s in seen} and ("导入", 4) in {(s, t) for _, t, s in seen}
    assert seen[-1][0] == seen[-1][1]


def test_an_unreadable_file_still_says_which_village_to_call(empty_township, township_villages, tmp_path):
    v = township_villages[4]
    summary = import_files(empty_township, [_truncated(v, tmp_path)], today=TODAY)
    outcome = summary.outcomes[0]
    assert (outcome.outcome, outcome.village_name, outcome.period) == (REJECTED, v.name, PERIOD)
    assert outcome.reason.endswith(f"（按文件名，这是{v.name}2026年10月的报表。）")


def test_a_village_of_ours_under_another_name_is_imported_with_a_warning(empty_township, township_villages,
                                                                         tmp_path):
    # the clerk typed the township and the village differently; the code is ours, so the file is ours
    v = township_villages[6]
    odd = make_village(tmp_path, 7, code=v.code, name=v.name.removesuffix("村"), township="城关")
    preview = preview_import(empty_township, [odd.october], today=TODAY)
    item = preview.items[0]
    assert item.action == NEW
    assert any("村名称是" in w for w in item.warnings) and any("文件中的乡镇是“城关”" in w for w in item.warnings)
    summary = apply_import(empty_township, preview)
    assert summary.outcomes[0].outcome == IMPORTED and summary.outcomes[0].warnings == item.warnings
