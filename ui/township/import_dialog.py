"""The import preview (what importing would do, file by file, before anything is written) and the result after.

Each row says what will happen (or happened) in a word with a sign, never colour alone: ✚ 新报, ↻ 更正报,
＝ 相同, ✖ 拒收 — and why, in the words the clerk will be told on the phone.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from fpdesk.dates import period_label
from fpdesk.township import (
    IMPORTED, NEW, REJECTED, REPLACED, REPLACES, UNCHANGED, ImportOutcome, ImportPreview, ImportSummary, PreviewItem,
)
from ui.tables import Column, LedgerView, RecordTableModel, SearchFilterModel

SIGNS = {NEW: "✚ 新报", REPLACES: "↻ 更正报", UNCHANGED: "＝ 相同", REJECTED: "✖ 拒收",
         IMPORTED: "✔ 已导入", REPLACED: "↻ 已更正替换"}
TONES = {REJECTED: "error", REPLACES: "warning", REPLACED: "warning", UNCHANGED: "muted"}


def _month(period: str) -> str:
    return period_label(period) if len(period) == 7 and period[4] == "-" else period


def _what(row: PreviewItem | ImportOutcome) -> str:
    return row.action if isinstance(row, PreviewItem) else row.outcome


def _reason(row: PreviewItem | ImportOutcome) -> str:
    text = row.reason
    if isinstance(row, PreviewItem) and row.warnings:
        text += ("　" if text else "") + "　".join(f"⚠ {w}" for w in row.warnings)
    return text


COLUMNS = (
    Column("结果", lambda r: SIGNS[_what(r)], width=110),
    Column("文件", lambda r: r.file_name, width=250),
    Column("村", lambda r: r.village_name, width=80),
    Column("月份", lambda r: _month(r.period), width=90),
    Column("说明", _reason),
)


class ImportDialog(QDialog):
    """The preview (``accept`` imports the files marked 新报 / 更正报) or, with ``summary``, the result."""

    def __init__(self, preview: ImportPreview | None = None, *, summary: ImportSummary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rows: Sequence[Any] = preview.items if preview is not None else summary.outcomes  # type: ignore[union-attr]
        self.model = RecordTableModel(COLUMNS, key=lambda r: str(r.path), tone=lambda r: TONES.get(_what(r)))
        self.model.set_rows(rows)
        proxy = SearchFilterModel(lambda r: (r.file_name, None, None, None))
        proxy.setSourceModel(self.model)
        self.view = LedgerView("township_import")
        self.view.setModel(proxy)
        self.view.set_default_widths(COLUMNS)
        self.view.setWordWrap(True)        # a long reason wraps: the clerk must read all of it
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        QShortcut(QKeySequence.StandardKey.Copy, self.view, activated=self.copy)
        head = QLabel()
        head.setWordWrap(True)
        buttons = QHBoxLayout()
        copy = QPushButton("复制所选")
        copy.clicked.connect(self.copy)
        buttons.addWidget(copy)
        buttons.addStretch()
        if preview is not None:
            accepted = len(preview.accepted)
            self.setWindowTitle("导入月报：预览")
            head.setText(f"共 {len(preview.items)} 个文件：{preview.text}。"
                         + (f"<br>确认后导入标为“新报”“更正报”的 {accepted} 个文件，每个文件要么整份导入，要么不导入；"
                            "更正报替换该村该月原来的报表，原报表保留备查。" if accepted else
                            "<br><b>没有可以导入的文件。</b>")
                         + ("<br>被拒收的文件不会导入，请把原因告诉村里，让村里重新导出。" if preview.count(REJECTED) else "")
                         + ("<br><b>读取已取消</b>：只检查了列出的文件。" if preview.cancelled else ""))
            self.accept_button = QPushButton(f"导入 {accepted} 个文件")
            self.accept_button.setEnabled(accepted > 0)
            self.accept_button.setDefault(accepted > 0)
            self.accept_button.clicked.connect(self.accept)
            cancel = QPushButton("取消")
            cancel.clicked.connect(self.reject)
            buttons.addWidget(self.accept_button)
            buttons.addWidget(cancel)
        else:
            assert summary is not None
            self.setWindowTitle("导入月报：结果")
            head.setText(f"导入完成：{summary.text}。"
                         + ("<br>被拒收的文件没有导入，原因见下表。" if summary.rejected else ""))
            close = QPushButton("关闭")
            close.setDefault(True)
            close.clicked.connect(self.accept)
            buttons.addWidget(close)
        self.head = head
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(1100, 560)

    def copy(self) -> None:
        """The selected rows (all when none is selected) as tab-separated text, headers first."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()}) or range(self.model.rowCount())
        proxy = self.view.model()
        lines = ["\t".join(c.title for c in COLUMNS)]
        for r in rows:
            lines.append("\t".join(str(proxy.index(r, c).data() or "") for c in range(len(COLUMNS))))
        QApplication.clipboard().setText("\n".join(lines))

    def texts(self) -> list[list[str]]:
        """The rows as shown (for tests and screenshots)."""
        return [[self.model.index(r, c).data() for c in range(len(COLUMNS))] for r in range(self.model.rowCount())]
