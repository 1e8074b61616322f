"""Keeping the clerk's data safe from the program: backups, restore, the audit trail, the password."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Qt
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from fpdesk import privacy
from fpdesk.audit import AuditEntry, person_history, record_history, village_log
from fpdesk.backup import auto_backup, backup_to, describe_backup, last_backup_time, list_backups, restore
from fpdesk.errors import FpdeskError
from fpdesk.fields import TABLE_LABELS
from ui.session import VillageSession
from ui.tables import Column, LedgerView, RecordTableModel, SearchFilterModel

REASONS = {"open": "打开时", "close": "关闭时", "daily": "每日", "manual": "手动", "restore": "恢复前"}
KINDS = {"insert": "新增", "update": "修改", "delete": "删除"}


def backup_quietly(session: VillageSession, reason: str) -> None:
    """An automatic backup; a failure is logged in the status text, never stops the clerk's work."""
    try:
        auto_backup(session.conn, session.path, reason=reason)
    except FpdeskError:
        pass


def last_backup_text(session: VillageSession) -> str:
    when = last_backup_time(session.path)
    return f"上次备份：{when:%Y-%m-%d %H:%M}" if when else "尚无备份"


def backup_to_folder(parent: QWidget, session: VillageSession) -> None:
    """备份到…: a copy on a USB stick or another folder, checked after writing."""
    folder = QFileDialog.getExistingDirectory(parent, "选择备份位置（如U盘）", str(Path.home()))
    if not folder:
        return
    try:
        info = backup_to(session.conn, Path(folder))
    except FpdeskError as exc:
        QMessageBox.warning(parent, "备份失败", str(exc))
        return
    QMessageBox.information(parent, "备份完成", f"已备份并核对无误：\n{info.path}\n\n{info.summary()}")


class RestoreDialog(QDialog):
    """从备份恢复: pick an automatic backup (or a file), see what it holds, then restore."""

    def __init__(self, session: VillageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("从备份恢复")
        self.list = QListWidget()
        for entry in sorted(list_backups(session.path), key=lambda e: e.made_at, reverse=True):
            item = QListWidgetItem(f"{entry.made_at:%Y-%m-%d %H:%M}　{REASONS.get(entry.reason, entry.reason)}备份"
                                   f"　{entry.size // 1024} KB")
            item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
            self.list.addItem(item)
        self.list.currentItemChanged.connect(lambda item, _old: self.preview(item))
        self.info = QLabel("请选择一个备份，这里会显示它包含的内容。")
        self.info.setWordWrap(True)
        other = QPushButton("选择其他备份文件…")
        other.clicked.connect(self.pick_file)
        self.restore_button = QPushButton("恢复此备份")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.do_restore)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(other)
        buttons.addStretch()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("恢复前会先把现在的村数据文件另存一份备份，恢复错了还可以再恢复回来。"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        self.chosen: Path | None = None
        self.resize(620, 460)

    def preview(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self._describe(Path(item.data(Qt.ItemDataRole.UserRole)))

    def pick_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(Path.home()), "村数据文件 (*.sqlite *.db)")
        if name:
            self._describe(Path(name))

    def _describe(self, path: Path) -> None:
        try:
            info = describe_backup(path)
        except FpdeskError as exc:
            self.info.setText(f"✖ {exc}")
            self.restore_button.setEnabled(False)
            return
        self.chosen = path
        self.info.setText(info.summary())
        self.restore_button.setEnabled(True)

    def do_restore(self) -> None:
        if self.chosen is None:
            return
        answer = QMessageBox.question(self, "确认恢复", "用所选备份替换现在的村数据文件？\n（现在的文件会先另存备份）")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.session.conn.close()
        try:
            result = restore(self.session.path, self.chosen, lock=self.session.lock)
        except FpdeskError as exc:
            self.session.reopen()
            QMessageBox.warning(self, "恢复失败", f"{exc}\n\n村数据文件没有改变。")
            return
        self.session.reopen()
        QMessageBox.information(self, "已恢复", f"已恢复。恢复前的文件另存为：\n{result.saved_current}")
        self.accept()


AUDIT_COLUMNS = (
    Column("时间", lambda e: e.at.replace("T", " ")), Column("操作人", lambda e: e.user),
    Column("操作", lambda e: e.summary), Column("台账", lambda e: e.table_label),
    Column("记录", lambda e: e.record_id, numeric=True), Column("类型", lambda e: KINDS.get(e.kind, e.kind)),
    Column("项目", lambda e: e.field_label), Column("原值", lambda e: e.old), Column("新值", lambda e: e.new),
)


class AuditDialog(QDialog):
    """修改记录: the history of one person or record, or the village-wide log with filters."""

    def __init__(self, session: VillageSession, parent: QWidget | None = None, *, person_id: int | None = None,
                 table: str | None = None, record_id: int | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = RecordTableModel(AUDIT_COLUMNS, key=lambda e: (e.op_id, e.table, e.record_id, e.field))
        proxy = SearchFilterModel(lambda e: (e.summary + e.old + e.new, None, None, None))
        proxy.setSourceModel(self.model)
        self.view = LedgerView("audit")
        self.view.setModel(proxy)
        layout = QVBoxLayout(self)
        if person_id is not None or record_id is not None:
            if person_id is not None:
                entries = person_history(session.conn, person_id)
                person = session.snapshot.person_by_id.get(person_id)
                self.setWindowTitle(f"修改记录 · {person.name if person else person_id}")
            else:
                entries = record_history(session.conn, table=table or "", record_id=record_id or 0)
                self.setWindowTitle(f"修改记录 · {TABLE_LABELS.get(table or '', table)} #{record_id}")
            self.model.set_rows(entries)
        else:
            self.setWindowTitle("全村修改记录")
            self.table = QComboBox()
            self.table.addItem("全部台账", None)
            for key, label in TABLE_LABELS.items():
                self.table.addItem(label, key)
            self.since = QDateEdit(dt.date.today() - dt.timedelta(days=30))
            self.until = QDateEdit(dt.date.today())
            for edit in (self.since, self.until):
                edit.setDisplayFormat("yyyy-MM-dd")
                edit.setCalendarPopup(True)
            self.text = QLineEdit()
            self.text.setPlaceholderText("操作内容包含…")
            search = QPushButton("查询")
            search.setDefault(True)
            search.clicked.connect(self.load)
            filters = QHBoxLayout()
            for widget in (QLabel("台账"), self.table, QLabel("从"), self.since, QLabel("到"), self.until,
                           self.text, search):
                filters.addWidget(widget)
            layout.addLayout(filters)
            self.load()
        layout.addWidget(self.view, 1)
        self.count = QLabel(f"共 {self.model.rowCount()} 条")
        layout.addWidget(self.count)
        self.resize(1100, 560)

    def load(self) -> None:
        entries = village_log(self.session.conn, table=self.table.currentData(),
                              since=self.since.date().toPython(), until=self.until.date().toPython(),
                              text=self.text.text().strip())
        self.model.set_rows(entries)
        if hasattr(self, "count"):
            self.count.setText(f"共 {self.model.rowCount()} 条（最多显示最近 2000 条）")


class PasswordDialog(QDialog):
    """设置密码: set, change or clear the password that opens the program, and the idle lock."""

    def __init__(self, session: VillageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("开机密码与自动锁定")
        has = privacy.has_password(session.conn)
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for edit in (self.current, self.new, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.minutes = QLineEdit(str(privacy.idle_lock_minutes(session.conn)))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        if has:
            form.addRow("现在的密码", self.current)
        form.addRow("新密码（留空＝取消密码）" if has else "新密码", self.new)
        form.addRow("再输一次", self.again)
        form.addRow("无操作多少分钟后锁定（0＝不锁定）", self.minutes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("密码只保存其加盐散列值，忘记后无法找回，请牢记。"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        conn = self.session.conn
        try:
            if self.new.text() != self.again.text():
                raise ValueError("两次输入的新密码不一致。")
            if self.new.text():
                privacy.set_password(conn, new=self.new.text(), current=self.current.text() or None)
            elif privacy.has_password(conn):
                privacy.clear_password(conn, current=self.current.text())
            minutes = int(self.minutes.text().strip() or "0")
            if minutes != privacy.idle_lock_minutes(conn):
                privacy.set_idle_lock_minutes(conn, minutes=minutes)
        except (FpdeskError, ValueError) as exc:
            self.message.setText(str(exc) if not isinstance(exc, ValueError) or "不一致" in str(exc)
                                 else "分钟数应为整数。")
            return
        self.accept()


def ask_password(session: VillageSession, parent: QWidget | None = None, *, title: str = "请输入密码") -> bool:
    """At start or after the idle lock: the program opens only with the right password."""
    if not privacy.has_password(session.conn):
        return True
    while True:
        dialog = QDialog(parent)
        dialog.setWindowTitle(title)
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        note = QLabel("")
        note.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出程序")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(f"村数据文件：{session.path.name}"))
        layout.addWidget(edit)
        layout.addWidget(note)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if privacy.verify_password(session.conn, edit.text()):
            return True
        title = "密码不正确，请重新输入"


class IdleLock(QObject):
    """Locks the window after the set minutes without a key press or mouse click."""

    def __init__(self, window: QWidget, session: VillageSession) -> None:
        super().__init__(window)
        self.window, self.session = window, session
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)
        self.restart()

    def restart(self) -> None:
        minutes = privacy.idle_lock_minutes(self.session.conn) if privacy.has_password(self.session.conn) else 0
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress) and self.timer.isActive():
            self.timer.start()
        return False

    def lock(self) -> None:
        self.window.hide()
        if ask_password(self.session, None, title="已锁定，请输入密码"):
            self.window.show()
            self.restart()
        else:
            self.window.close()


__all__ = ["AuditDialog", "AuditEntry", "IdleLock", "PasswordDialog", "RestoreDialog", "ask_password",
           "backup_quietly", "backup_to_folder", "last_backup_text"]
