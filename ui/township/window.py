"""The township window (乡镇汇总): the villages and their reporting for a month, importing their files (file
dialog, folder, or dropped on the window) with a progress bar and a preview, the township's monthly table, the
indicators, the ranking with its flags, and the charts.

    ┌─────────────────────────────────────────────────────────────────────────────────────────────┐
    │ 城关镇 · 乡镇汇总   [2026年10月 ▾]   已报 38/40（按时 36，逾期 2），未报 2：…   截止 2026-11-05 │
    ├──────────────────┬──────────────────────────────────────────────────────────────────────────┤
    │ 村 · 报送情况 · 得分 │ [报送情况] [月报表汇总] [考核指标] [考核排名] [报送趋势]                    │
    └──────────────────┴──────────────────────────────────────────────────────────────────────────┘
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QScrollArea, QSplitter,
    QTabWidget, QVBoxLayout, QWidget,
)

from fpdesk import APP_TITLE
from fpdesk.dates import period_label
from fpdesk.errors import FpdeskError
from fpdesk.township import (
    ImportPreview, ImportSummary, apply_import, month_files, month_report, preview_import, write_report,
)
from fpdesk.township import fields
from ui.tables import Column, LedgerView, RecordTableModel, SearchFilterModel
from ui.township import charts, models
from ui.township.import_dialog import ImportDialog
from ui.township.session import TownshipSession
from ui.worker import run_with_progress

ERROR, WARNING, OK = "#b00020", "#8a5a00", "#2e7d32"


def _table(settings_key: str, columns: Sequence[Column], rows: Sequence, *, tone=None, key=id) -> LedgerView:
    view = LedgerView(settings_key)
    _fill(view, columns, rows, tone=tone, key=key)
    return view


def _fill(view: LedgerView, columns: Sequence[Column], rows: Sequence, *, tone=None, key=id, bold=None) -> None:
    if bold is None:
        model = RecordTableModel(columns, key=key, tone=tone, parent=view)
    else:
        model = models.TotalsModel(columns, bold=bold, key=key, tone=tone, parent=view)
    model.set_rows(rows)
    proxy = SearchFilterModel(lambda r: (getattr(r, "name", ""), None, None, None), parent=view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    if not view.isSortingEnabled():
        proxy.sort(-1)             # a form's own order (the monthly table's lines) is the only right one
    view.source = model  # type: ignore[attr-defined]
    view.set_default_widths(columns)


class TownshipWindow(QMainWindow):
    """The main window of a township file (see the module docstring)."""

    def __init__(self, session: TownshipSession) -> None:
        super().__init__()
        self.session = session
        self.setAcceptDrops(True)
        self.setWindowTitle(f"{session.township.name} · 乡镇汇总 — {APP_TITLE}")
        self._build_context_bar()
        self._build_actions()
        self.villages = _table("township_villages", models.VILLAGE_COLUMNS, (), tone=models.village_tone,
                               key=lambda r: r.code)
        self.tabs = QTabWidget()
        self.status_view = _table("township_status", models.STATUS_COLUMNS, (), tone=models.village_tone,
                                  key=lambda r: r.code)
        self.table_check = QLabel()
        self.table_check.setWordWrap(True)
        self.table_view = LedgerView("township_table")
        self.table_view.horizontalHeader().setStretchLastSection(False)   # 40 villages: no one column stretched
        self.table_view.setSortingEnabled(False)
        self.indicator_view = LedgerView("township_indicators")
        self.indicator_view.horizontalHeader().setMinimumHeight(48)
        self.indicator_note = QLabel("每格：指标值（分子/分母）。全乡镇 = 各村分子之和 ÷ 各村分母之和，不是各村比率的平均。")
        self.indicator_note.setWordWrap(True)
        self.ranking_view = _table("township_ranking", models.RANKING_COLUMNS, (), tone=models.ranking_tone,
                                   key=lambda r: r.name)
        self.ranking_note = QLabel()
        self.ranking_note.setWordWrap(True)
        self.scores_box = QVBoxLayout()
        self.trend_box = QVBoxLayout()
        self.tabs.addTab(self.status_view, "报送情况")
        self.tabs.addTab(self._page(self.table_check, self.table_view), "月报表汇总")
        self.tabs.addTab(self._page(self.indicator_note, self.indicator_view), "考核指标")
        ranking = QSplitter(Qt.Orientation.Horizontal)
        ranking.addWidget(self._page(self.ranking_note, self.ranking_view))
        chart_holder = QWidget()
        chart_holder.setLayout(self.scores_box)
        self.scores_box.setContentsMargins(0, 0, 0, 0)
        scroller = QScrollArea()          # 40 bars need more height than a 768-pixel screen: scroll, never grow
        scroller.setWidgetResizable(True)
        scroller.setWidget(chart_holder)
        ranking.addWidget(scroller)
        ranking.setSizes([430, 620])
        self.tabs.addTab(ranking, "考核排名")
        trend = QWidget()
        trend.setLayout(self.trend_box)
        self.tabs.addTab(trend, "报送趋势")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.villages)
        split.addWidget(self.tabs)
        split.setSizes([400, 940])
        split.setStretchFactor(1, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.context_bar)
        layout.addWidget(split, 1)
        self.setCentralWidget(body)
        self.file_label = QLabel(f"乡镇汇总文件：{session.path}")
        self.statusBar().addWidget(self.file_label, 1)
        self.hint = QLabel("可把月报文件或文件夹直接拖到本窗口导入")
        self.statusBar().addPermanentWidget(self.hint)
        session.changed.connect(self.refresh)
        session.period_changed.connect(lambda _: self.refresh())
        self.resize(1340, 740)
        geometry = QSettings().value("township/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.refresh()

    @staticmethod
    def _page(head: QWidget, body: QWidget) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(head)
        box.addWidget(body, 1)
        return page

    def _build_context_bar(self) -> None:
        self.context_bar = QWidget()
        bar = QHBoxLayout(self.context_bar)
        bar.setContentsMargins(0, 0, 0, 4)
        name = QLabel(f"{self.session.township.name} · 乡镇汇总")
        font = QFont(name.font())
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        name.setFont(font)
        self.month_box = QComboBox()
        for period in self.session.months():
            self.month_box.addItem(period_label(period), period)
        self.month_box.setCurrentIndex(max(0, self.month_box.findData(self.session.period)))
        self.month_box.currentIndexChanged.connect(lambda _: self.session.set_period(self.month_box.currentData()))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.due = QLabel()
        bar.addWidget(name)
        bar.addSpacing(12)
        bar.addWidget(QLabel("月份"))
        bar.addWidget(self.month_box)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.due)

    def _build_actions(self) -> None:
        tools = self.addToolBar("乡镇")
        tools.setObjectName("township_tools")
        menu = self.menuBar().addMenu("导入(&I)")
        for text, shortcut, slot in (("导入月报文件…", QKeySequence.StandardKey.Open, self.choose_files),
                                     ("导入文件夹…", QKeySequence("Ctrl+Shift+O"), self.choose_folder)):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            tools.addAction(action)
        report = QAction("生成汇总报表（PDF、Excel）…", self)
        report.setShortcut(QKeySequence("Ctrl+E"))
        report.triggered.connect(self.choose_report_folder)
        self.menuBar().addMenu("报表(&R)").addAction(report)
        tools.addAction(report)
        refresh = QAction("刷新", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.session.refresh)
        self.addAction(refresh)

    # ---- showing the month -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the session's month (asked of the core once per change)."""
        m = self.session.month
        rows = models.village_rows(m)
        _fill(self.villages, models.VILLAGE_COLUMNS, rows, tone=models.village_tone, key=lambda r: r.code)
        _fill(self.status_view, models.STATUS_COLUMNS, rows, tone=models.village_tone, key=lambda r: r.code)
        status = m.status
        colour = ERROR if status.late or (status.missing and status.today > status.due) else OK
        self.summary.setText(f"<span style='color:{colour}'>{status.summary}</span>")
        self.due.setText(f"报送截止 {status.due.isoformat()}")
        table = m.table
        _fill(self.table_view, models.table_columns(table), models.table_rows(table), key=lambda r: r.key,
              bold=lambda r: r.level == 0)
        if table.problems:
            self.table_check.setText(f"<span style='color:{ERROR}'>✖ 汇总校验发现问题：{'；'.join(table.problems)}</span>")
        else:
            self.table_check.setText(f"✔ 本表为 {len(table.rows)} 个村月报表之和；各项合计与分项相符，"
                                     f"各村相加与数据库汇总一致。"
                                     + fields.balance_text(dict(zip((k for k, _ in table.fields), table.total.values))))
        ind = m.indicators
        _fill(self.indicator_view, models.indicator_columns(ind), ind.rows + (ind.total,), key=lambda r: r.code or "",
              bold=lambda r: not r.code)
        ranked = models.rank_rows(m)
        _fill(self.ranking_view, models.RANKING_COLUMNS, ranked, tone=models.ranking_tone, key=lambda r: r.name)
        scheme = m.scores.scheme
        vetoed = sum(1 for r in ranked if r.vetoed)
        lagging = sum(1 for r in ranked if r.lagging)
        self.ranking_note.setText(f"考核方案：{scheme.short_name}。{len(ranked)} 个村参加排名；"
                                  f"一票否决 {vetoed} 个，后进村 {lagging} 个。未报送的村不排名。")
        self.scores_chart = charts.scores_view(m.scores.ranking, veto_below=scheme.veto_below,
                                               lagging_below=scheme.lagging_below)
        self.trend_chart = charts.reporting_view(m.over_time)
        self._swap(self.scores_box, self.scores_chart)
        self._swap(self.trend_box, self.trend_chart)

    @staticmethod
    def _swap(box: QVBoxLayout, widget: QWidget) -> None:
        while box.count():
            old = box.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        box.addWidget(widget)

    # ---- importing -------------------------------------------------------------------------------------------

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择各村月报文件", str(Path.home()), "月报文件 (*.xlsx)")
        if names:
            self.import_paths([Path(n) for n in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放月报文件的文件夹（如U盘）", str(Path.home()))
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def import_paths(self, paths: Sequence[Path]) -> ImportSummary | None:
        """Check the files, show the preview, and import what the township accepts. Returns the summary (None
        when nothing was imported: no files, cancelled, or declined)."""
        if not month_files(paths):
            QMessageBox.information(self, "导入月报", "所选位置没有月报文件（.xlsx）。")
            return None
        conn, today = self.session.conn, self.session.day()
        preview, error = run_with_progress(
            self, "正在检查月报文件",
            lambda progress, cancel: preview_import(conn, paths, today=today, progress=progress, cancel=cancel))
        if error is not None:
            return self._failed(error)
        assert isinstance(preview, ImportPreview)
        if not self.confirm(preview):
            return None
        summary, error = run_with_progress(
            self, "正在导入月报文件",
            lambda progress, cancel: apply_import(conn, preview, progress=progress, cancel=cancel))
        self.session.refresh()
        if error is not None:
            return self._failed(error)
        assert isinstance(summary, ImportSummary)
        self.show_result(summary)
        return summary

    def confirm(self, preview: ImportPreview) -> bool:
        """The preview dialog; True when the township accepts it (and there is something to import)."""
        dialog = ImportDialog(preview, parent=self)
        return dialog.exec() == QDialog.DialogCode.Accepted and bool(preview.accepted)

    def show_result(self, summary: ImportSummary) -> None:
        ImportDialog(summary=summary, parent=self).exec()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FpdeskError):
            QMessageBox.warning(self, "导入月报", str(error))
            return None
        raise error

    # ---- the report ------------------------------------------------------------------------------------------

    def choose_report_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "汇总报表存放到哪个文件夹", str(Path.home()))
        if folder:
            self.write_report(Path(folder))

    def write_report(self, folder: Path) -> tuple[Path, Path] | None:
        conn, period, today = self.session.conn, self.session.period, self.session.day()
        paths, error = run_with_progress(
            self, "正在生成汇总报表",
            lambda progress, cancel: write_report(month_report(conn, period, today=today), folder), cancellable=False)
        if error is not None:
            if isinstance(error, FpdeskError):
                QMessageBox.warning(self, "生成汇总报表", str(error))
                return None
            raise error
        pdf, xlsx = paths
        QMessageBox.information(self, "生成汇总报表", f"已写出：\n{pdf}\n{xlsx}")
        return paths

    def closeEvent(self, event) -> None:  # noqa: N802
        QSettings().setValue("township/geometry", self.saveGeometry())
        self.session.close()
        super().closeEvent(event)


def open_township_window(path: str | Path, *, today=None) -> TownshipWindow:
    """Open the township file ``path`` in its window, shown. Raises ``FpdeskError`` (Chinese) when the file cannot
    be opened (missing, not a township file, open in another window); the window closes the file when closed."""
    window = TownshipWindow(TownshipSession.open(path, today=today))
    window.show()
    return window
