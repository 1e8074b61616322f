"""自评得分: the village's self-assessment score, always in view, explained point by point.

The total, the change the last edit made, the flags (一票否决 / 后进村), and every article and item with its
points; an item that lost points opens to its reasons, and a reason opens to the people behind it.
"""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QDialog, QDockWidget, QLabel, QListWidget, QListWidgetItem, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from fpdesk.dates import period_label
from fpdesk.errors import FpdeskError
from fpdesk.score import diff as score_diff
from fpdesk.score.engine import ScoreSheet
from fpdesk.score.rules import Loss
from ui.assess_ui import AssessmentDialog, scheme_picker
from ui.session import VillageSession

LOSS_ROLE = Qt.ItemDataRole.UserRole + 4
ITEM_ROLE = Qt.ItemDataRole.UserRole + 5
RED, GREEN, AMBER = QColor("#b00020"), QColor("#1b7f3b"), QColor("#8a5a00")


def _pts(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


class ScorePanel(QDockWidget):
    """The score dock on the right of the main window."""

    def __init__(self, session: VillageSession, parent: QWidget | None = None) -> None:
        super().__init__("自评得分", parent)
        self.setObjectName("score_panel")
        self.session = session
        self.sheet: ScoreSheet | None = None
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.total.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change = QLabel()
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scheme = QLabel()
        self.scheme.setWordWrap(True)
        self.scheme.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("color: #b00020; font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["项目", "得分"])
        self.tree.setColumnWidth(0, 230)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.picker = scheme_picker(session)
        self.picker.setToolTip("本村采用的考核方案（村级设置）")
        history = QPushButton("逐月得分…")
        history.clicked.connect(self.show_history)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.picker, self.total, self.change, self.scheme, self.flags):
            layout.addWidget(widget)
        layout.addWidget(self.tree, 1)
        layout.addWidget(history)
        self.setWidget(body)
        self.setMinimumWidth(280)
        self.setMaximumWidth(340)
        session.changed.connect(lambda changes: self.refresh(after_edit=True))
        self.show_computing()

    def show_computing(self) -> None:
        """Until the first ``refresh``: the main window shows before the village's full check is done."""
        self.sheet = None
        self.total.setText("正在计算…")
        self.change.setText("")
        self.scheme.setText("正在检查台账、计算自评得分，请稍候。")
        self.flags.setVisible(False)
        self.tree.clear()

    def refresh(self, *, after_edit: bool = False) -> None:
        """Recompute from the session (the findings are shared with the 问题清单)."""
        from fpdesk.score import village_score

        old = self.sheet
        try:
            sheet = village_score(self.session.snapshot, findings=self.session.findings)
        except FpdeskError as exc:
            self.total.setText("—")
            self.scheme.setText(f"无法计算得分：{exc}")
            self.tree.clear()
            return
        self.sheet = sheet
        self.total.setText(f"{_pts(sheet.total)} / {_pts(sheet.maximum)}")
        example = "（示例方案）" if sheet.example and "示例" not in sheet.scheme_name else ""
        self.scheme.setText(f"{sheet.scheme_name}{example}\n{period_label(sheet.period)}")
        self.flags.setText("　".join(("⛔ " if f.level == "veto" else "⚠ ") + f.text for f in sheet.flags))
        self.flags.setVisible(bool(sheet.flags))
        if after_edit and old is not None:
            change = score_diff(old, sheet)
            self.change.setText(f"{change.text}（刚才的修改）" if change.text else "刚才的修改未影响得分")
            self.change.setStyleSheet(f"color: {GREEN.name() if change.delta > 0 else RED.name()};"
                                      if change.delta else "color: #666666;")
        else:
            self.change.setText("")
        self._fill_tree(sheet)

    def _fill_tree(self, sheet: ScoreSheet) -> None:
        open_articles = {self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                         for i in range(self.tree.topLevelItemCount()) if self.tree.topLevelItem(i).isExpanded()}
        self.tree.clear()
        for article in sheet.articles:
            top = QTreeWidgetItem([f"{article.no} {article.title}", f"{_pts(article.points)}/{_pts(article.maximum)}"])
            top.setData(0, Qt.ItemDataRole.UserRole, article.key)
            top.setToolTip(0, article.title)
            if article.points < article.maximum and not article.bonus:
                top.setForeground(1, QBrush(RED))
                top.setText(0, "◂ " + top.text(0))
            self.tree.addTopLevelItem(top)
            for item in article.items:
                child = QTreeWidgetItem([item.text, f"{_pts(item.points)}/{_pts(item.maximum)}"])
                child.setToolTip(0, item.text + ("\n（点击自评）" if item.assessed is not None else ""))
                child.setData(0, ITEM_ROLE, item.key)
                if item.assessed is False:
                    child.setText(1, "待评")
                    child.setForeground(1, QBrush(AMBER))
                elif item.lost > 0 and not item.bonus:
                    child.setForeground(1, QBrush(RED))
                top.addChild(child)
                for loss in item.losses:
                    sign = "+" if item.bonus else "−"
                    reason = QTreeWidgetItem([loss.reason, f"{sign}{_pts(loss.points)}"])
                    reason.setToolTip(0, loss.reason + ("\n（点击查看相关人员）" if loss.refs else ""))
                    reason.setData(0, LOSS_ROLE, loss)
                    child.addChild(reason)
                for note in item.notes:
                    child.addChild(QTreeWidgetItem([note, ""]))
            top.setExpanded(article.key in open_articles)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        loss = item.data(0, LOSS_ROLE)
        if isinstance(loss, Loss) and loss.refs:
            PeopleDialog(self.session, loss, self.window()).exec()
            return
        key = item.data(0, ITEM_ROLE)
        if key and self.sheet is not None:
            self.assess(key)

    def assess(self, item_key: str) -> None:
        """Open the clerk's assessment of an item that needs her judgement (or an entered figure)."""
        from fpdesk.score import village_scheme

        scheme = village_scheme(self.session.snapshot)
        item = scheme.item(item_key)
        if item.needs_clerk and self.sheet is not None:
            AssessmentDialog(self.session, scheme, self.sheet.period, item, self.window()).exec()

    def show_history(self) -> None:
        from fpdesk.score import score_by_month, village_scheme

        if self.sheet is None:
            return
        months = score_by_month(self.session.snapshot, village_scheme(self.session.snapshot),
                                period=self.sheet.period, findings=self.session.findings)
        dialog = QDialog(self.window())
        dialog.setWindowTitle("本统计年度逐月自评得分")
        points = QBarSet("得分")
        for m in months:
            points.append(m.total)
        series = QBarSeries()
        series.append(points)
        series.setLabelsVisible(True)
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle(f"{self.sheet.scheme_name} · 逐月得分")
        axis = QBarCategoryAxis()
        axis.append([f"{int(m.period[5:])}月" for m in months])
        values = QValueAxis()
        values.setRange(0, self.sheet.maximum)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis)
        series.attachAxis(values)
        chart.legend().hide()
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        dialog.resize(640, 400)
        dialog.exec()


class PeopleDialog(QDialog):
    """The people behind a lost point; a double-click opens the person's card."""

    def __init__(self, session: VillageSession, loss: Loss, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("扣分涉及的人员")
        text = QLabel(loss.reason)
        text.setWordWrap(True)
        self.list = QListWidget()
        snap = session.snapshot
        seen: set[int] = set()
        for ref in loss.refs:
            pid = ref.person_id
            if pid is None or pid in seen:
                continue
            seen.add(pid)
            person = snap.person_by_id.get(pid)
            if person is None:
                continue
            household = snap.household_of(person)
            entry = QListWidgetItem(f"{person.name}　户号 {household.number if household else '—'}"
                                    f"　{person.birth_date or ''}")
            entry.setData(Qt.ItemDataRole.UserRole, pid)
            self.list.addItem(entry)
        self.list.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel(f"共 {self.list.count()} 人，双击打开档案："))
        layout.addWidget(self.list, 1)
        self.resize(520, 420)

    def _open(self, item: QListWidgetItem) -> None:
        opener = getattr(self.parent(), "open_person", None)
        if opener is not None:
            opener(item.data(Qt.ItemDataRole.UserRole))
            self.accept()
