"""报表 in the desktop program: print preview of a month's forms, 导出月报 (with 报送), and 解锁 of a submitted month.

The main window calls three functions:

    preview_month(window, session, period)     打印预览 of the month's forms; 打印 from the preview
    export_month_dialog(window, session)       choose the month and folder, optionally submit (报送: locks the month)
    unlock_dialog(window, session, period)     解锁 a submitted month, for a reason (audited)

The preview shows the very PDF the export writes (rendered page by page with QtPdf), so what is printed from the
program and what is handed to the township come from the same data and the same layout. The slow part (checks,
score, laying out the forms) runs off the GUI thread with a progress bar; the submission itself goes through
``session.apply`` so every view refreshes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSettings, QSize
from PySide6.QtGui import QColor, QPainter, QTransform
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from fpdesk.dates import period_label, period_of, previous_period
from fpdesk.deadline import DEFAULT_DEADLINE_DAY, next_deadline
from fpdesk.errors import FpdeskError
from fpdesk.export import ExportCancelled, RenderedMonth, month_content, next_correction_no, render_month, save_month
from fpdesk.services import submit_period, unlock_period
from fpdesk.snapshot import Snapshot
from ui.session import VillageSession
from ui.worker import run_with_progress

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

FOLDER_KEY = "export/folder"
MAX_PRINT_DPI = 300      # pages are rendered as images: more than this only costs memory
SUBMIT_EXPLANATION = (
    "报送：表示把这个月的月报正式交给乡镇。报送后该月即被<b>锁定</b>——"
    "更正该月已报的数据（如改正该月的出生、变动记录）须先“解锁”并写明原因；"
    "报送后才发现的该月漏报变动照常登记，自动列入下一个未报送月份的“补报”。"
    "已报送的月份再次导出，作为“更正报”（文件名带“更正1”“更正2”……）。"
)


# ---- the month's state ---------------------------------------------------------------------------------------

def month_state(snap: Snapshot, period: str) -> str:
    """The month's submission as the export dialog states it."""
    lock = next((lock for lock in snap.locks if lock.period == period), None)
    label = period_label(period)
    if lock is None:
        return f"{label}尚未报送。导出的文件为首次报送。"
    when = lock.submitted_at[:10]
    last = "首次报送" if lock.correction_no == 0 else f"第{lock.correction_no}次更正报"
    state = "已锁定" if lock.locked else f"已解锁（原因：{lock.unlock_reason}）"
    return (f"{label}已于 {when} 报送（{last}），{state}。"
            f"再次导出的文件为更正报（更正{lock.correction_no + 1}）。")


def report_months(session: VillageSession, count: int = 24) -> list[str]:
    """The months the clerk can export: this month back ``count`` months, newest first."""
    period = period_of(session.day())
    out = [period]
    for _ in range(count - 1):
        period = previous_period(period)
        out.append(period)
    return out


def due_period(session: VillageSession) -> str:
    """The month to export by default: last month while it has not been submitted (due, or overdue), else the
    month whose report is due next."""
    snap = session.snapshot
    submitted = frozenset(lock.period for lock in snap.locks)
    last_month = previous_period(period_of(session.day()))
    if last_month not in submitted:
        return last_month
    return next_deadline(session.day(), snap.setting_int("deadline_day", DEFAULT_DEADLINE_DAY),
                         submitted=submitted).period


# ---- preview and printing ------------------------------------------------------------------------------------

def paint_pages(printer: QPrinter, document: "QPdfDocument") -> int:
    """Print every page of ``document`` on ``printer``, one sheet each, scaled to the paper. The sheets keep the
    printer's orientation (the preview cannot show mixed ones, and many drivers ignore a change mid-job): a
    landscape form on portrait paper is turned, as paper forms are printed. Returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        paper = QRectF(painter.viewport())   # the whole sheet (full-page printer): the PDF has its own margins
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            size = document.pagePointSize(index)
            image = document.render(index, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72)))
            if (image.width() > image.height()) != (paper.width() > paper.height()):
                image = image.transformed(QTransform().rotate(90))
            scale = min(paper.width() / image.width(), paper.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            target = QRectF(paper.x() + (paper.width() - w) / 2, paper.y() + (paper.height() - h) / 2, w, h)
            painter.fillRect(target, QColor("white"))
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()


class MonthPreview(QPrintPreviewDialog):
    """打印预览 of a month's PDF; its 打印 button prints the same pages."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setFullPage(True)
        self.printer.setDocName(title)
        super().__init__(self.printer, parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self._folder = tempfile.TemporaryDirectory(prefix="fpdesk-preview-")
        path = Path(self._folder.name) / "month.pdf"
        path.write_bytes(pdf)
        from PySide6.QtPdf import QPdfDocument   # loaded when a preview opens, not with the main window

        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.paintRequested.connect(lambda printer: paint_pages(printer, self.document))
        self.resize(1000, 760)

    def done(self, result: int) -> None:
        super().done(result)
        self.document.close()
        self._folder.cleanup()


def _failed(window: QWidget | None, title: str, error: BaseException | None) -> bool:
    """Tell the clerk why the work stopped; True when it did."""
    if error is None:
        return False
    if isinstance(error, ExportCancelled):
        QMessageBox.information(window, title, str(error))
    elif isinstance(error, FpdeskError):
        QMessageBox.warning(window, title, str(error))
    else:
        raise error
    return True


def preview_month(window: QWidget | None, session: VillageSession, period: str) -> MonthPreview | None:
    """打印预览 of the month's forms (the same PDF the export writes). Returns the dialog after it closed."""
    snap = session.snapshot
    # a locked month is printed as it was submitted; any other month as the draft of its next export
    lock = next((lock for lock in snap.locks if lock.period == period and lock.locked), None)

    def work(progress, cancel):
        from fpdesk.export.pdf_forms import month_pdf   # reportlab: loaded when first needed

        content = month_content(snap, period=period, correction_no=lock.correction_no if lock else None,
                                submitted=lock is not None, progress=progress, cancel=cancel)
        return month_pdf(content)

    pdf, error = run_with_progress(window, f"准备{period_label(period)}报表", work)
    if _failed(window, "无法预览", error):
        return None
    village = snap.village.name if snap.village else ""
    dialog = MonthPreview(pdf, f"{village}{period_label(period)}月报", window)
    dialog.exec()
    return dialog


# ---- export ---------------------------------------------------------------------------------------------------

class ExportDialog(QDialog):
    """导出月报: the month, the folder, and whether this is the submission (报送)."""

    def __init__(self, session: VillageSession, parent: QWidget | None = None, *, period: str | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("导出月报")
        self.month = QComboBox()
        for p in report_months(session):
            self.month.addItem(period_label(p), p)
        self.month.setCurrentIndex(max(0, self.month.findData(period or due_period(session))))
        self.folder = QLineEdit(str(QSettings().value(FOLDER_KEY, str(Path.home()))))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.submit = QCheckBox("报送：这是交给乡镇的正式月报（报送后锁定本月）")
        explanation = QLabel(SUBMIT_EXPLANATION)
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #8a5a00;")
        form = QFormLayout()
        form.addRow("报告期：", self.month)
        form.addRow("保存到：", folder_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.state)
        layout.addWidget(self.submit)
        layout.addWidget(explanation)
        layout.addWidget(QLabel("将生成：报送乡镇的 Excel 文件、打印用的 PDF 报表、A3 公示牌。"))
        layout.addWidget(buttons)
        self.month.currentIndexChanged.connect(self.show_state)
        self.show_state()
        self.setMinimumWidth(560)

    @property
    def period(self) -> str:
        return self.month.currentData()

    def show_state(self) -> None:
        self.state.setText(month_state(self.session.snapshot, self.period))

    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "保存到哪个文件夹（如U盘）", self.folder.text())
        if name:
            self.folder.setText(name)

    def accept(self) -> None:
        if not self.folder.text().strip():
            QMessageBox.warning(self, "导出月报", "请选择保存到哪个文件夹。")
            return
        QSettings().setValue(FOLDER_KEY, self.folder.text().strip())
        super().accept()


def export_month_to(window: QWidget | None, session: VillageSession, *, period: str, folder: Path,
                    submit: bool) -> tuple[Path, ...] | None:
    """Make the month's files off the GUI thread, then write them; with ``submit`` record the submission (which
    locks the month) before the files get their names. Returns the files written, or None."""
    snap = session.snapshot
    number = next_correction_no(snap, period)

    def work(progress, cancel) -> RenderedMonth:
        return render_month(snap, period=period, correction_no=number, submitted=submit, progress=progress,
                            cancel=cancel)

    rendered, error = run_with_progress(window, f"导出{period_label(period)}月报", work)
    if _failed(window, "无法导出", error):
        return None
    c = rendered.content
    if submit and c.errors:
        answer = QMessageBox.question(
            window, "报送月报", f"逻辑检查还有 {c.errors} 处错误未改正（见 PDF 最后的问题清单）。\n\n"
                               "仍要报送吗？报送后本月锁定，改正须先解锁。")
        if answer != QMessageBox.StandardButton.Yes:
            return None
    commit = (lambda: session.apply(submit_period, period=period, correction_no=number)) if submit else None
    try:
        paths = save_month(rendered, folder, on_commit=commit)
    except FpdeskError as exc:
        QMessageBox.warning(window, "无法导出", str(exc))
        return None
    kind = "首次报送" if number == 0 else f"更正报（第{number}次）"
    done = f"{period_label(period)}已报送（{kind}），本月已锁定。" if submit else f"已导出{period_label(period)}月报（{kind}，草稿，未报送）。"
    listing = "\n".join(p.name for p in paths)
    QMessageBox.information(window, "导出完成", f"{done}\n\n保存在：{folder}\n{listing}\n\n"
                                             f"逻辑检查：错误 {c.errors} 处，提醒 {c.warnings} 处。")
    return paths


def export_month_dialog(window: QWidget | None, session: VillageSession) -> tuple[Path, ...] | None:
    """报表 → 导出月报…: ask, export, and say what was written. Returns the files, or None."""
    dialog = ExportDialog(session, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return export_month_to(window, session, period=dialog.period, folder=Path(dialog.folder.text().strip()),
                           submit=dialog.submit.isChecked())


# ---- unlock ---------------------------------------------------------------------------------------------------

class UnlockDialog(QDialog):
    """解锁 a submitted month: the reason is required and kept in the 修改记录."""

    def __init__(self, session: VillageSession, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.period = session, period
        self.setWindowTitle(f"解锁{period_label(period)}")
        intro = QLabel(f"{period_label(period)}已报送并锁定。解锁后可以更正该月的数据；"
                       "改完后请重新导出并报送（将作为更正报）。<br>解锁的原因会记入修改记录。")
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("例如：乡镇通知，10月一名出生的政策属性登记错误，需更正")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("解锁")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._enable)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("解锁原因（必填）："))
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._enable()
        self.setMinimumWidth(480)

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.toPlainText().strip()))

    def accept(self) -> None:
        try:
            self.session.apply(unlock_period, period=self.period, reason=self.reason.toPlainText())
        except FpdeskError as exc:
            self.message.setText(str(exc))
            return
        super().accept()


def unlock_dialog(window: QWidget | None, session: VillageSession, period: str) -> bool:
    """报表 → 解锁本月…: True when the month was unlocked."""
    return UnlockDialog(session, period, window).exec() == QDialog.DialogCode.Accepted

