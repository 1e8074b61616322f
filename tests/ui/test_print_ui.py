"""报表 in the program: print preview of the month's forms and printing from it, 导出月报 with 报送 (locks the
month; the next export is 更正1), and 解锁 with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from fpdesk import services
from fpdesk.export import read_month_file
from tests.conftest import TODAY
from tests.pdf_reader import pdf_pages
from ui import print_ui
from ui.app import make_app
from ui.session import VillageSession

OCT = "2026-10"


@pytest.fixture
def session(fresh_db, tmp_path) -> VillageSession:
    """双河村 with a marriage and a birth in October 2026; the program's day is 2026-11-23."""
    services.register_household(fresh_db, number="001", group="一组", today=dt.date(2020, 1, 1), members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    ids = [r[0] for r in fresh_db.execute("SELECT id FROM person ORDER BY id")]
    services.record_marriage(fresh_db, person=ids[1], spouse=ids[0], date="2026-10-02", today=TODAY)
    services.record_birth(fresh_db, mother=ids[1], child_name="张小明", sex="男", birth_date="2026-10-20",
                          today=TODAY)
    s = VillageSession(tmp_path / "village.sqlite", fresh_db)
    s.today = TODAY
    make_app()
    return s


@pytest.fixture
def shown(monkeypatch):
    """Message boxes are recorded instead of waiting for a click; a question is answered with ``answer``."""
    seen: dict[str, list] = {"info": [], "warning": [], "question": [], "answer": [QMessageBox.StandardButton.Yes]}
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: seen["info"].append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: seen["warning"].append(text))

    def question(parent, title, text, *args):
        seen["question"].append(text)
        return seen["answer"][0]

    monkeypatch.setattr(QMessageBox, "question", question)
    return seen


def test_the_preview_shows_the_months_forms_and_prints_every_page(qtbot, session, tmp_path, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: opened.append(self) or 0)
    dialog = print_ui.preview_month(None, session, OCT)
    assert opened == [dialog]
    assert "双河村2026年10月月报" in dialog.windowTitle()
    pages = dialog.document.pageCount()
    assert pages >= 6
    # 打印 from the preview: the same pages go to the printer (here a PDF file), landscape ones turned to fit
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(96)
    assert print_ui.paint_pages(printer, dialog.document) == pages
    assert pdf_pages(tmp_path / "printed.pdf") == pages
    dialog.done(0)


def test_a_failed_preview_says_why(qtbot, empty_db, tmp_path, shown) -> None:
    s = VillageSession(tmp_path / "v.sqlite", empty_db)
    make_app()
    assert print_ui.preview_month(None, s, OCT) is None
    assert "村信息" in shown["warning"][0]


def run_export(monkeypatch, session, folder: Path, *, submit: bool, period: str = OCT):
    def fill(dialog):
        dialog.month.setCurrentIndex(dialog.month.findData(period))
        dialog.folder.setText(str(folder))
        dialog.submit.setChecked(submit)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_ui.ExportDialog, "exec", fill)
    return print_ui.export_month_dialog(None, session)


def test_export_dialog_offers_the_month_due_and_explains_submitting(qtbot, session) -> None:
    dialog = print_ui.ExportDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.period == OCT, "on 23 November the October report is the one due"
    assert "尚未报送" in dialog.state.text()
    assert "锁定" in dialog.submit.text()
    assert any("解锁" in label.text() and "更正报" in label.text() for label in dialog.findChildren(type(dialog.state)))


def test_a_draft_export_writes_the_files_and_locks_nothing(qtbot, session, tmp_path, monkeypatch, shown) -> None:
    paths = run_export(monkeypatch, session, tmp_path / "U盘", submit=False)
    assert [p.suffix for p in paths] == [".xlsx", ".pdf", ".pdf"]
    assert all(p.exists() for p in paths)
    assert not read_month_file(paths[0]).submitted
    assert "草稿，未报送" in shown["info"][0]
    assert session.conn.execute("SELECT count(*) FROM period_lock").fetchone()[0] == 0


def test_submitting_locks_the_month_refreshes_views_and_the_next_export_is_correction_1(
        qtbot, session, tmp_path, monkeypatch, shown) -> None:
    with qtbot.waitSignal(session.changed):
        paths = run_export(monkeypatch, session, tmp_path / "U盘", submit=True)
    assert read_month_file(paths[0]).submitted
    assert "2026年10月已报送（首次报送），本月已锁定" in shown["info"][0]
    assert [lock.period for lock in session.snapshot.locks] == [OCT]
    assert "更正1" in print_ui.month_state(session.snapshot, OCT)
    again = run_export(monkeypatch, session, tmp_path / "U盘", submit=False)
    assert again[0].name == "420102001001_2026-10_更正1.xlsx"
    assert read_month_file(again[0]).correction_no == 1


def test_submitting_with_errors_asks_first_and_no_means_nothing_happens(qtbot, session, tmp_path, monkeypatch,
                                                                       shown) -> None:
    wife = session.conn.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0]
    session.apply(services.correct_field, table="person", record=wife, field="first_marriage_date", value="")
    shown["answer"][0] = QMessageBox.StandardButton.No
    assert run_export(monkeypatch, session, tmp_path / "U盘", submit=True) is None
    assert "处错误未改正" in shown["question"][0]
    assert not (tmp_path / "U盘").exists() or not any((tmp_path / "U盘").iterdir())
    assert session.conn.execute("SELECT count(*) FROM period_lock").fetchone()[0] == 0


def test_unlock_needs_a_reason_and_is_recorded(qtbot, session) -> None:
    session.apply(services.submit_period, period=OCT)
    dialog = print_ui.UnlockDialog(session, OCT)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled(), "no unlock without a reason"
    dialog.reason.setPlainText("乡镇通知：10月出生的政策属性需更正")
    assert ok.isEnabled()
    with qtbot.waitSignal(session.changed):
        ok.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = session.conn.execute("SELECT locked, unlock_reason FROM period_lock").fetchone()
    assert tuple(row) == (0, "乡镇通知：10月出生的政策属性需更正")
    op = session.conn.execute("SELECT action, summary FROM operation ORDER BY id DESC").fetchone()
    assert op["action"] == "unlock_period" and "政策属性需更正" in op["summary"]


def test_unlock_dialog_function_returns_whether_it_unlocked(qtbot, session, monkeypatch) -> None:
    session.apply(services.submit_period, period=OCT)
    monkeypatch.setattr(print_ui.UnlockDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert print_ui.unlock_dialog(None, session, OCT) is False
    assert session.snapshot.locks[0].locked
