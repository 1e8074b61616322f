"""导入花名册 / 导出花名册 / 下载模板: the roster workbook from the desktop program."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from fpdesk.db import open_village_file
from fpdesk.errors import FpdeskError
from fpdesk.paths import user_data_dir
from fpdesk.roster import ImportCancelled, RosterError, export_roster, import_roster, write_template
from fpdesk.roster.model import Problem
from fpdesk.roster.report import write_problem_report
from ui.tables import Column, LedgerView, RecordTableModel, SearchFilterModel
from ui.worker import run_with_progress

PROBLEM_COLUMNS = (
    Column("工作表", lambda p: p.sheet or "（文件）"), Column("行", lambda p: p.row, numeric=True),
    Column("列", lambda p: p.column), Column("值", lambda p: p.value), Column("原因", lambda p: p.reason),
)


class ProblemsDialog(QDialog):
    """The workbook's problems, all of them: sortable, copyable (Ctrl+C), exportable to xlsx."""

    def __init__(self, workbook: Path, problems: tuple[Problem, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = problems
        self.setWindowTitle("花名册有问题，未导入")
        self.model = RecordTableModel(PROBLEM_COLUMNS, key=lambda p: (p.sheet, p.row, p.column, p.reason))
        self.model.set_rows(problems)
        proxy = SearchFilterModel(lambda p: (p.reason, None, None, None))
        proxy.setSourceModel(self.model)
        self.view = LedgerView("roster_problems")
        self.view.setModel(proxy)
        self.view.setColumnWidth(0, 90)
        self.view.setColumnWidth(1, 50)
        self.view.setColumnWidth(2, 110)
        self.view.setColumnWidth(3, 160)
        QShortcut(QKeySequence.StandardKey.Copy, self.view, activated=self.copy)
        head = QLabel(f"“{workbook.name}”中发现 {len(problems)} 处问题，<b>没有导入任何数据</b>。"
                      "请在表格中改正下列各处后重新导入。可选中多行后按 Ctrl+C 复制。")
        head.setWordWrap(True)
        copy = QPushButton("复制所选")
        copy.clicked.connect(self.copy)
        save = QPushButton("导出问题清单（Excel）…")
        save.clicked.connect(self.save)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        close.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(copy)
        buttons.addWidget(save)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(960, 520)

    def selected(self) -> list[Problem]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        model = self.view.model()
        return [model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in rows] or list(self.problems)

    def copy(self) -> None:
        lines = ["工作表\t行\t列\t值\t原因"] + [
            "\t".join((p.sheet, "" if p.row is None else str(p.row), p.column, p.value, p.reason))
            for p in self.selected()]
        QApplication.clipboard().setText("\n".join(lines))

    def save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "导出问题清单", str(Path.home() / "花名册问题清单.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if name:
            write_problem_report(self.problems, Path(name))
            QMessageBox.information(self, "已导出", f"问题清单已保存到：\n{name}")


def save_template(parent: QWidget) -> None:
    """下载模板: write the blank roster workbook where the clerk chooses."""
    name, _ = QFileDialog.getSaveFileName(parent, "保存花名册模板", str(Path.home() / "村花名册模板.xlsx"),
                                          "Excel 工作簿 (*.xlsx)")
    if name:
        write_template(Path(name))
        QMessageBox.information(parent, "已保存", f"花名册模板已保存到：\n{name}\n\n用 Excel 或 WPS 打开填写后，"
                                                  "在“文件 → 导入花名册”中导入。")


def import_workbook(parent: QWidget, workbook: Path, target: Path) -> Path | None:
    """Import ``workbook`` into a new village file at ``target``. Returns the file, or None (problems shown)."""
    existed = target.exists()

    def work(progress, cancel):
        conn = open_village_file(target, create=True)
        try:
            return import_roster(conn, workbook, progress=progress, cancel=cancel)
        finally:
            conn.close()

    report, error = run_with_progress(parent, "导入花名册", work)
    if error is not None and not existed:
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
    if isinstance(error, RosterError):
        ProblemsDialog(workbook, error.problems, parent).exec()
        return None
    if isinstance(error, ImportCancelled):
        QMessageBox.information(parent, "已取消", "已取消导入，没有写入任何数据。")
        return None
    if isinstance(error, FpdeskError):
        QMessageBox.warning(parent, "无法导入", str(error))
        return None
    if error is not None:
        raise error
    counts = "、".join(f"{sheet} {n} 行" for sheet, n in report.sheets.items())
    notes = "\n".join(report.notes[:10]) + ("\n……" if len(report.notes) > 10 else "")
    QMessageBox.information(parent, "导入完成", f"已导入：{counts}。\n用时 {report.seconds:.1f} 秒。"
                            + (f"\n\n说明：\n{notes}" if notes else ""))
    return target


def choose_and_import(parent: QWidget) -> Path | None:
    """Ask for the workbook and the new village file, then import."""
    name, _ = QFileDialog.getOpenFileName(parent, "选择花名册", str(Path.home()), "Excel 工作簿 (*.xlsx)")
    if not name:
        return None
    default = user_data_dir() / f"{Path(name).stem}.sqlite"
    target, _ = QFileDialog.getSaveFileName(parent, "新村数据文件保存为", str(default), "村数据文件 (*.sqlite)")
    if not target:
        return None
    target_path = Path(target)
    if target_path.exists():
        QMessageBox.warning(parent, "文件已存在", "花名册只能导入新的村数据文件，请换一个文件名。")
        return None
    return import_workbook(parent, Path(name), target_path)


def export_workbook(parent: QWidget, village_file: Path, out: Path) -> bool:
    """导出花名册 of the open village."""
    def work(progress, cancel):
        conn = open_village_file(village_file)
        try:
            return export_roster(conn, out, progress=progress)
        finally:
            conn.close()

    _, error = run_with_progress(parent, "导出花名册", work, cancellable=False)
    if isinstance(error, FpdeskError):
        QMessageBox.warning(parent, "无法导出", str(error))
        return False
    if error is not None:
        raise error
    QMessageBox.information(parent, "导出完成", f"花名册已导出到：\n{out}")
    return True
