"""The main window: context bar (village · month · search · deadline), ledger navigation, the ledger, status bar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
    QStackedWidget, QVBoxLayout, QWidget,
)

from fpdesk import APP_TITLE, __version__, search
from fpdesk.dates import period_label, period_of, previous_period
from fpdesk.deadline import next_deadline
from fpdesk.backup import backup_to
from fpdesk.errors import FpdeskError
from fpdesk.paths import user_data_dir
from fpdesk.ops import Changes
from ui.pages.base import Page
from ui.pages.board import BoardPage
from ui.pages.cards import CardsPage
from ui.pages.findings import FindingsPage, open_counts
from ui.pages.registers import RegistersPage
from ui.pages.report import ReportPage
from ui.pages.service_book import ServiceBookPage
from ui import print_ui
from ui.forms import (
    CHANGE_DIALOGS, BenefitDialog, BirthDialog, CertificateDialog, CorrectionDialog, DeathDialog, DivorceDialog,
    MarriageDialog, MeasureDialog, MoveOutDialog, OutflowDialog, PregnancyDialog, PregnancyOutcomeDialog,
    ReturnDialog, ServiceRecordDialog, WidowhoodDialog,
)
from ui.help import install_help_and_about
from ui.safety_ui import (
    AuditDialog, IdleLock, PasswordDialog, RestoreDialog, backup_quietly, backup_to_folder, last_backup_text,
)
from ui.score_panel import ScorePanel
from ui.welcome import NewVillageDialog
from ui.session import VillageSession

# What a clerk enters most often, on the toolbar (the 登记 menu has everything).
TOOLBAR_ENTRIES = frozenset({"出生登记", "结婚登记", "死亡登记", "迁入（加入已有户）", "迁出登记", "流出登记",
                             "节育措施", "孕情登记", "服务登记", "更正…"})
# Buttons above a woman's card: (text, dialog, the prefill parameter that takes her id).
CARD_ACTIONS = (
    ("出生", BirthDialog, "mother"), ("节育措施", MeasureDialog, "person"), ("孕情", PregnancyDialog, "person"),
    ("孕情结果", PregnancyOutcomeDialog, "person"), ("服务", ServiceRecordDialog, "person"),
    ("奖扶", BenefitDialog, "person"), ("更正", CorrectionDialog, "correction"),
)
# Dialogs about one existing person, pre-filled from the card on screen.
PERSON_DIALOGS = frozenset({
    BirthDialog, MarriageDialog, DivorceDialog, WidowhoodDialog, DeathDialog, MoveOutDialog, OutflowDialog,
    ReturnDialog, MeasureDialog, PregnancyDialog, PregnancyOutcomeDialog, ServiceRecordDialog, BenefitDialog,
    CertificateDialog,
})

# The screens, in the order of the paper ledgers.
PAGE_CLASSES: tuple[type[Page], ...] = (
    BoardPage, ReportPage, CardsPage, RegistersPage, ServiceBookPage, FindingsPage,
)


RECENT_KEY, RECENT_COUNT = "files/recent", 8


def recent_files() -> list[Path]:
    """最近打开: the village files opened lately that still exist, newest first."""
    stored = QSettings().value(RECENT_KEY) or []
    names = [stored] if isinstance(stored, str) else list(stored)
    return [Path(n) for n in names if Path(n).exists()]


def remember_recent(path: Path) -> None:
    names = [str(path.resolve())] + [str(p) for p in recent_files() if p.resolve() != path.resolve()]
    QSettings().setValue(RECENT_KEY, names[:RECENT_COUNT])


def months_for(session: VillageSession, count: int = 36) -> list[str]:
    """The months the clerk can pick: this month back ``count`` months, newest first."""
    period = period_of(session.day())
    out = [period]
    for _ in range(count - 1):
        period = previous_period(period)
        out.append(period)
    return out


class ContextBar(QWidget):
    """村 · 月份 · 搜索 · 截止倒计时 (as DHIS2's data-entry context)."""

    def __init__(self, session: VillageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.village = QLabel()
        self.village.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.month = QComboBox()
        self.month.setToolTip("正在处理的月份：报告单、月报表按此月份显示")
        for period in months_for(session):
            self.month.addItem(period_label(period), period)
        self.show_period(session.period)
        self.month.currentIndexChanged.connect(lambda _: session.set_period(self.month.currentData()))
        session.period_changed.connect(self.show_period)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：姓名 / 拼音首字母 / 身份证号 / 户号　(Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.deadline = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.village)
        layout.addWidget(QLabel("·"))
        layout.addWidget(self.month)
        layout.addSpacing(16)
        layout.addWidget(self.search, 1)
        layout.addSpacing(16)
        layout.addWidget(self.deadline)
        self.update_texts()

    def show_period(self, period: str) -> None:
        """Follow the session's month (it may be set from elsewhere, e.g. a finding in another month)."""
        index = self.month.findData(period)
        if index < 0:
            self.month.addItem(period_label(period), period)
            index = self.month.count() - 1
        if index != self.month.currentIndex():
            self.month.setCurrentIndex(index)

    def update_texts(self) -> None:
        snap = self.session.snapshot
        self.village.setText(snap.village.name if snap.village else "（未填写村信息）")
        submitted = frozenset(lock.period for lock in snap.locks)
        deadline = next_deadline(self.session.day(), snap.setting_int("deadline_day", 5), submitted=submitted)
        last_day = deadline.days_left == 0
        self.deadline.setText(("⚠ " if last_day else "") + deadline.text)
        self.deadline.setStyleSheet("color: #b00020; font-weight: bold;" if last_day else "")


class MainWindow(QMainWindow):
    """One window per open village.

    It shows before the full check of the village is done: the check (the 问题清单 count and the score panel)
    runs once the window has been painted, and ``opened`` says it is done.
    """

    opened = Signal()

    def __init__(self, session: VillageSession) -> None:
        super().__init__()
        self.session = session
        self._opening = "waiting"  # → "scheduled" at the first paint → "done" (``finish_opening``)
        self.setWindowTitle(self._title())
        self.context = ContextBar(session)
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        self.pages: list[Page] = []
        for cls in PAGE_CLASSES:
            page = cls(session)
            self.pages.append(page)
            self.stack.addWidget(page)
            QListWidgetItem(page.title, self.nav)
        self.nav.currentRowChanged.connect(self.show_page)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.context)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)

        backup_quietly(session, "open")
        self.file_label = QLabel(f"文件：{session.path}")
        self.backup_label = QLabel(last_backup_text(session))
        self.saved_label = QLabel("✔ 已保存")
        self.statusBar().addWidget(self.file_label, 1)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.daily_backup = QTimer(self)
        self.daily_backup.timeout.connect(self._daily_backup)
        self.daily_backup.start(60 * 60 * 1000)  # hourly look: one backup a day at most
        self.idle_lock = IdleLock(self, session)

        self.score_panel = ScorePanel(session, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.score_panel)
        self._build_menus()
        self.context.search.textChanged.connect(self._search)
        session.changed.connect(self._on_changed)
        session.period_changed.connect(lambda _: self._mark_all_stale())
        self.nav.setCurrentRow(0)
        self._badge_checking()
        self._restore_geometry()

    def _title(self) -> str:
        snap = self.session.snapshot
        name = snap.village.name if snap.village else Path(self.session.path).name
        return f"{name} - {APP_TITLE} {__version__}"

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        new_action = QAction("新建村数据文件…", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.new_village)
        file_menu.addAction(new_action)
        open_action = QAction("打开村数据文件…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.open_other)
        file_menu.addAction(open_action)
        self.recent_menu = file_menu.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        copy_action = QAction("另存副本…", self)
        copy_action.triggered.connect(self.save_copy)
        file_menu.addAction(copy_action)
        file_menu.addSeparator()
        for text, handler in (("导入花名册…", self.import_roster), ("导出花名册…", self.export_roster),
                              ("下载花名册模板…", self.save_roster_template)):
            action = QAction(text, self)
            action.triggered.connect(handler)
            file_menu.addAction(action)
        file_menu.addSeparator()
        for text, handler in (("备份到…（U盘等）", lambda: backup_to_folder(self, self.session)),
                              ("从备份恢复…", self.restore_backup), ("全村修改记录…", self.show_audit),
                              ("开机密码与自动锁定…", self.set_password)):
            action = QAction(text, self)
            action.triggered.connect(handler)
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        find = QAction("搜索", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.context.search.setFocus(), self.context.search.selectAll()))
        self.addAction(find)

        entry_menu = self.menuBar().addMenu("登记(&R)")
        toolbar = self.addToolBar("登记")
        toolbar.setObjectName("entry_toolbar")
        toolbar.setMovable(False)
        for text, shortcut, dialog_class in CHANGE_DIALOGS:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setToolTip(f"{text}（{shortcut}）")
            action.triggered.connect(lambda _=False, cls=dialog_class: self.open_dialog(cls))
            entry_menu.addAction(action)
            if text in TOOLBAR_ENTRIES:
                toolbar.addAction(action)
        cards = self.page(CardsPage)
        cards.add_action("修改记录", lambda pid: pid is not None and self.show_audit(pid))
        for text, dialog_class, prefill in CARD_ACTIONS:
            cards.add_action(text, lambda pid, cls=dialog_class, key=prefill: self.open_dialog(
                cls, **({key: pid} if key != "correction" else {"table": "person", "record": pid})))

        report_menu = self.menuBar().addMenu("报表(&P)")
        for text, shortcut, handler in (
            ("打印预览本月报表…", "Ctrl+P", lambda: print_ui.preview_month(self, self.session, self.session.period)),
            ("导出 / 报送月报…", "Ctrl+E", lambda: print_ui.export_month_dialog(self, self.session)),
            ("解锁已报送的月份…", None, self.unlock_month),
        ):
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(handler)
            report_menu.addAction(action)

        view_menu = self.menuBar().addMenu("查看(&V)")
        toggle = self.score_panel.toggleViewAction()
        toggle.setText("自评得分面板")
        toggle.setShortcut(QKeySequence("F4"))
        view_menu.addAction(toggle)

        install_help_and_about(self)

    def show_page(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.pages[row]
        self.context.search.setEnabled(page.searchable)
        if page.searchable:
            page.set_search(self.context.search.text())

    def open_dialog(self, dialog_class: type, **prefill) -> None:
        """Open an entry dialog; from a card it is pre-filled with the woman shown."""
        if not prefill and self.current_page() is self.page(CardsPage):
            person_id = self.page(CardsPage).person_id
            if person_id is not None:
                key = "mother" if dialog_class is BirthDialog else "person"
                if dialog_class in PERSON_DIALOGS:
                    prefill = {key: person_id}
        dialog = dialog_class(self.session, self, today=self.session.today, **prefill)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()  # window-modal without a nested event loop

    def page(self, cls: type[Page]) -> Page:
        return next(p for p in self.pages if isinstance(p, cls))

    def open_person(self, person_id: int) -> None:
        """Show a person: a woman's card, or the population register found by name."""
        cards = self.page(CardsPage)
        if cards.show_person(person_id):
            self.nav.setCurrentRow(self.pages.index(cards))
            return
        person = self.session.snapshot.person_by_id.get(person_id)
        registers = self.page(RegistersPage)
        self.nav.setCurrentRow(self.pages.index(registers))
        if person is not None:
            self.context.search.setText(person.id_number or person.name)

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def _search(self, text: str) -> None:
        page = self.current_page()
        if page.searchable:
            page.set_search(text)

    def update_badge(self) -> None:
        """问题清单 (7): the open errors and warnings, in the navigation."""
        findings = self.page(FindingsPage)
        errors, warnings, _ = open_counts(self.session.findings, self.session.snapshot.exceptions)
        item = self.nav.item(self.pages.index(findings))
        item.setText(f"问题清单 ({errors + warnings})" if errors + warnings else "问题清单 ✔")
        item.setForeground(QBrush(QColor("#b00020")) if errors else QBrush(QColor("#000000")))
        item.setToolTip(f"错误 {errors} 条，提醒 {warnings} 条")

    def _badge_checking(self) -> None:
        item = self.nav.item(self.pages.index(self.page(FindingsPage)))
        item.setText("问题清单 …")
        item.setToolTip("正在检查台账…")

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        self._begin_opening()

    def _begin_opening(self) -> None:
        """``finish_opening`` on the next turn of the event loop: after the window's first paint has reached the
        screen, or a second after it was shown if it is not painted (started minimised)."""
        if self._opening == "waiting":
            self._opening = "scheduled"
            QTimer.singleShot(0, self, self.finish_opening)

    def finish_opening(self) -> None:
        """The work of opening that waits until the clerk sees the window: the full check of the village (half a
        second for 10,000 people), which the 问题清单 count and the score panel show, then the pinyin
        dictionaries for the first search."""
        if self._opening == "done":
            return
        self._opening = "done"
        try:
            if self.isVisible():  # closed before it came to this: nobody to show it to
                self.score_panel.refresh()
                self.update_badge()
        finally:
            self.opened.emit()
        QTimer.singleShot(0, self, search.warm_up)

    def _on_changed(self, changes: Changes) -> None:
        self.update_badge()
        self.saved_label.setText(f"✔ 已保存　{changes.summary}")
        self.context.update_texts()
        self.setWindowTitle(self._title())
        for page in self.pages:
            page.mark_stale(changes)

    def _mark_all_stale(self) -> None:
        for page in self.pages:
            page.mark_stale()

    def open_other(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "打开村数据文件", str(Path(self.session.path).parent),
                                              "村数据文件 (*.sqlite *.db)")
        if name:
            self.open_file(Path(name))

    def new_village(self) -> None:
        """新建村数据文件: a new village file where the clerk chooses, opened in its own window."""
        name, _ = QFileDialog.getSaveFileName(self, "新建村数据文件", str(user_data_dir() / "新村.sqlite"),
                                              "村数据文件 (*.sqlite)")
        if not name:
            return
        path = Path(name)
        if path.exists():
            QMessageBox.warning(self, "文件已存在", "该文件已存在，请换一个文件名，或用“打开”打开它。")
            return
        if NewVillageDialog(path, self).exec():
            self.open_file(path)

    def save_copy(self) -> None:
        """另存副本: a checked copy of the village file; the clerk keeps working in this one."""
        snap = self.session.snapshot
        default = Path.home() / f"{snap.village.name if snap.village else '村'}-副本-{self.session.day():%Y%m%d}.sqlite"
        name, _ = QFileDialog.getSaveFileName(self, "另存副本", str(default), "村数据文件 (*.sqlite)")
        if not name:
            return
        try:
            info = backup_to(self.session.conn, Path(name))
        except FpdeskError as exc:
            QMessageBox.warning(self, "未能保存副本", str(exc))
            return
        QMessageBox.information(self, "已保存副本", f"副本已保存并核对无误：\n{info.path}\n\n仍在原文件中继续工作。")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_files():
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("（无）").setEnabled(False)

    # The roster's module is imported when it is asked for: it loads openpyxl, a quarter of a second at start.
    def save_roster_template(self) -> None:
        from ui import roster_ui

        roster_ui.save_template(self)

    def import_roster(self) -> None:
        from ui import roster_ui

        path = roster_ui.choose_and_import(self)
        if path is not None:
            self.open_file(path)

    def export_roster(self) -> None:
        snap = self.session.snapshot
        default = Path.home() / f"{snap.village.name if snap.village else '村'}花名册.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "导出花名册", str(default), "Excel 工作簿 (*.xlsx)")
        if name:
            from ui import roster_ui

            roster_ui.export_workbook(self, Path(self.session.path), Path(name))

    def open_file(self, path: Path) -> None:
        """Open another village file in its own window."""
        try:
            other = VillageSession.open(path)
        except FpdeskError as exc:
            QMessageBox.warning(self, "无法打开", str(exc))
            return
        window = MainWindow(other)
        window.show()
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._others = getattr(self, "_others", []) + [window]

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        remember_recent(Path(self.session.path))
        if self._opening == "waiting":
            QTimer.singleShot(1000, self, self._begin_opening)

    def unlock_month(self) -> None:
        """解锁: the month on screen, if it was submitted; the reason goes into the audit log."""
        locked = {lock.period for lock in self.session.snapshot.locks if lock.locked}
        if self.session.period not in locked:
            QMessageBox.information(self, "未锁定", f"{period_label(self.session.period)}没有报送锁定，不需要解锁。"
                                    "\n（请先在上方选择要解锁的月份）")
            return
        print_ui.unlock_dialog(self, self.session, self.session.period)

    def _daily_backup(self) -> None:
        backup_quietly(self.session, "daily")
        self.backup_label.setText(last_backup_text(self.session))

    def restore_backup(self) -> None:
        if RestoreDialog(self.session, self).exec():
            self.reload_all()

    def reload_all(self) -> None:
        """The whole file changed under the views (a restore): rebuild every figure from it."""
        self._mark_all_stale()
        self.current_page().refresh_if_stale()
        self.update_badge()
        self.score_panel.refresh()
        self.context.update_texts()
        self.setWindowTitle(self._title())
        self.backup_label.setText(last_backup_text(self.session))

    def show_audit(self, person_id: int | None = None) -> None:
        AuditDialog(self.session, self, person_id=person_id).exec()

    def set_password(self) -> None:
        if PasswordDialog(self.session, self).exec():
            self.idle_lock.restart()
            self.saved_label.setText("✔ 已保存　密码设置已更新")

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        QSettings().setValue("main/geometry", self.saveGeometry())
        backup_quietly(self.session, "close")
        super().closeEvent(event)
