"""问题清单: every finding of the ledger checks, grouped by ledger and severity; a double-click opens the field."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout,
)

from fpdesk import services
from fpdesk.checks import ERROR, KINDS, SEVERITIES, Finding, ledgers
from fpdesk.errors import FpdeskError
from fpdesk.fields import FIELDS
from fpdesk.search import matches, search_key
from ui.pages.base import Page

FINDING_ROLE = Qt.ItemDataRole.UserRole + 3
RED, AMBER, GREY = QColor("#b00020"), QColor("#8a5a00"), QColor("#666666")
COLUMNS = ("问题", "人员", "字段", "说明", "规则", "状态")


def open_counts(findings: tuple[Finding, ...], exceptions) -> tuple[int, int, int]:
    """(errors, warnings, confirmed exceptions) — confirmed ones are not counted as open."""
    errors = sum(1 for f in findings if f.severity == ERROR and f.key not in exceptions)
    warnings = sum(1 for f in findings if f.severity != ERROR and f.key not in exceptions)
    return errors, warnings, sum(1 for f in findings if f.key in exceptions)


class FindingsPage(Page):
    """The findings list. The main window shows the open error count in the navigation."""

    title = "问题清单"
    searchable = True

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 12pt;")
        self.filter = QComboBox()
        self.filter.addItems(["全部", "仅错误", "仅提醒", "已确认例外"])
        self.filter.currentIndexChanged.connect(lambda _: self.refresh())
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 230)
        self.tree.setColumnWidth(1, 90)
        self.tree.setColumnWidth(2, 90)
        self.tree.setColumnWidth(3, 520)
        self.tree.itemActivated.connect(lambda item, _col: self.open_finding(item.data(0, FINDING_ROLE)))
        self.open_button = QPushButton("打开并更正（回车）")
        self.open_button.clicked.connect(lambda: self.open_finding(self.current()))
        self.confirm_button = QPushButton("确认为例外…")
        self.confirm_button.clicked.connect(self.confirm_current)
        self.withdraw_button = QPushButton("撤销例外")
        self.withdraw_button.clicked.connect(self.withdraw_current)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("显示："))
        top.addWidget(self.filter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.withdraw_button)
        note = QLabel("确认为例外的问题仍会列出并在报表中注明，不会被隐藏。")
        note.setWordWrap(True)
        buttons.addWidget(note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.query = ""

    def set_search(self, text: str) -> None:
        self.query = search_key(text)
        self.refresh()

    def _shown(self, f: Finding, exceptions) -> bool:
        choice = self.filter.currentIndex()
        if choice == 1 and (f.severity != ERROR or f.key in exceptions):
            return False
        if choice == 2 and (f.severity == ERROR or f.key in exceptions):
            return False
        if choice == 3 and f.key not in exceptions:
            return False
        if self.query:
            person = self.session.snapshot.person_by_id.get(f.person_id) if f.person_id else None
            if person is None or not matches(self.query, name=person.name, id_number=person.id_number,
                                             roster_no=person.roster_no):
                return self.query in f.message or self.query.upper() == f.code
        return True

    def refresh(self) -> None:
        snap = self.session.snapshot
        findings = self.session.findings
        exceptions = snap.exceptions
        errors, warnings, confirmed = open_counts(findings, exceptions)
        self.summary.setText(f"✖ 错误 {errors} 条　⚠ 提醒 {warnings} 条　✔ 已确认例外 {confirmed} 条"
                             if findings else "✔ 没有发现问题")
        grouped: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
        for f in findings:
            if self._shown(f, exceptions):
                grouped[f.ledger][f.severity].append(f)
        expanded = {self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).isExpanded()}
        self.tree.clear()
        names = ledgers()
        for ledger in sorted(grouped, key=lambda k: list(names).index(k) if k in names else 99):
            by_severity = grouped[ledger]
            total = sum(len(v) for v in by_severity.values())
            top = QTreeWidgetItem([f"{names.get(ledger, ledger)}（{total}）"])
            top.setData(0, Qt.ItemDataRole.UserRole, ledger)
            self.tree.addTopLevelItem(top)
            for severity in sorted(by_severity, key=lambda s: s != ERROR):
                items = by_severity[severity]
                mark = "✖" if severity == ERROR else "⚠"
                group = QTreeWidgetItem([f"{mark} {SEVERITIES[severity]}（{len(items)}）"])
                group.setForeground(0, QBrush(RED if severity == ERROR else AMBER))
                top.addChild(group)
                for f in items:
                    group.addChild(self._item(f, exceptions))
                group.setExpanded(True)
            top.setExpanded(not expanded or top.text(0).split("（")[0] in {e.split("（")[0] for e in expanded})

    def _item(self, f: Finding, exceptions) -> QTreeWidgetItem:
        person = self.session.snapshot.person_by_id.get(f.person_id) if f.person_id else None
        note = exceptions.get(f.key)
        status = f"✔ 已确认例外：{note}" if note else ("✖ 待更正" if f.severity == ERROR else "⚠ 请核实")
        item = QTreeWidgetItem([f"{f.code} {f.title}", person.name if person else "", f.field_label, f.message,
                                KINDS.get(f.kind, f.kind), status])
        item.setData(0, FINDING_ROLE, f)
        item.setToolTip(3, f.message)
        colour = GREY if note else (RED if f.severity == ERROR else AMBER)
        for column in (0, 5):
            item.setForeground(column, QBrush(colour))
        return item

    def current(self) -> Finding | None:
        item = self.tree.currentItem()
        return item.data(0, FINDING_ROLE) if item is not None else None

    def open_finding(self, f: Finding | None) -> None:
        """Open the record at the field: the correction dialog on that field, or the person's card."""
        if f is None:
            return
        window = self.window()
        table, field = f.subject.table, f.field
        if field and table in FIELDS and field in FIELDS[table]:
            from ui.forms import CorrectionDialog

            window.open_dialog(CorrectionDialog, table=table, record=f.subject.id, field=field)
        elif f.person_id is not None:
            window.open_person(f.person_id)
        elif f.period:
            self.session.set_period(f.period)
            from ui.pages.report import ReportPage

            window.nav.setCurrentRow(window.pages.index(window.page(ReportPage)))

    def confirm_current(self) -> None:
        f = self.current()
        if f is None:
            return
        note, ok = QInputDialog.getText(self, "确认为例外", f"“{f.message}”\n\n这是实际情况吗？请写明依据：")
        if ok:
            try:
                self.session.apply(services.confirm_exception, key=f.key, note=note)
            except FpdeskError as exc:
                QMessageBox.warning(self, "未确认", str(exc))

    def withdraw_current(self) -> None:
        f = self.current()
        if f is not None and f.key in self.session.snapshot.exceptions:
            self.session.apply(services.withdraw_exception, key=f.key)
