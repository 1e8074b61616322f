"""公示牌: the village's basic situation at a glance — the home screen, and the poster."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from fpdesk.ledgers.board import Board, board
from fpdesk.ledgers.charts import age_pyramid, births_by_month
from ui.charts import births_view, pyramid_view
from ui.pages.base import Page


def _figure(value: object, label: str) -> QWidget:
    box = QFrame()
    box.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(box)
    number = QLabel(str(value))
    number.setAlignment(Qt.AlignmentFlag.AlignCenter)
    number.setStyleSheet("font-size: 22pt; font-weight: bold;")
    caption = QLabel(label)
    caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(number)
    layout.addWidget(caption)
    return box


def _pairs(title: str, rows: list[tuple[str, object]], columns: int = 2) -> QGroupBox:
    box = QGroupBox(title)
    grid = QGridLayout(box)
    for i, (label, value) in enumerate(rows):
        r, c = divmod(i, columns)
        name = QLabel(label)
        figure = QLabel(str(value))
        figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        figure.setStyleSheet("font-weight: bold;")
        figure.setMinimumWidth(48)
        grid.addWidget(name, r, 3 * c)
        grid.addWidget(figure, r, 3 * c + 1)
        grid.setColumnMinimumWidth(3 * c + 2, 32)
    grid.setColumnStretch(3 * columns - 1, 1)
    return box


WIDE = 1100  # below this width the charts go under the figures instead of beside them


class BoardPage(Page):
    """The board, drawn from ``fpdesk.ledgers.board`` (the UI computes no figure itself)."""

    title = "公示牌"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.current: Board | None = None
        self.grid: QGridLayout | None = None
        self._wide: bool | None = None

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self, *, force: bool = False) -> None:
        """Charts beside the figures on a wide screen; under them when the score panel leaves less room."""
        if self.grid is None:
            return
        wide = self.width() >= WIDE
        if wide == self._wide and not force:
            return
        self._wide = wide
        for widget in (*self.columns, *self.charts):
            self.grid.removeWidget(widget)
        left, middle = self.columns
        pyramid, births = self.charts
        self.grid.addWidget(left, 0, 0)
        self.grid.addWidget(middle, 0, 1)
        if wide:
            charts = QWidget()
            box = QVBoxLayout(charts)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(pyramid, 3)
            box.addWidget(births, 2)
            self.grid.addWidget(charts, 0, 2)
            self.grid.setColumnStretch(2, 5)
        else:
            self.grid.addWidget(pyramid, 1, 0)
            self.grid.addWidget(births, 1, 1)
            self.grid.setColumnStretch(2, 0)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 3)

    def refresh(self) -> None:
        b = board(self.session.snapshot)
        self.current = b
        body = QWidget()
        layout = QVBoxLayout(body)
        head = QLabel(f"<h2>{b.village_name}计划生育基本情况公示牌</h2>"
                      f"<div>{b.township}　截至 {b.as_of.isoformat()}　统计年度 {b.year_start.isoformat()} 至 "
                      f"{b.year_end.isoformat()}</div>")
        head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(head)

        figures = QHBoxLayout()
        for value, label in ((b.population, "户籍人口"), (b.households, "户数"), (b.married_women, "已婚育龄妇女"),
                             (b.births, "本年度出生"), (b.sex_ratio_text, "出生性别比")):
            figures.addWidget(_figure(value, label))
        layout.addLayout(figures)

        left = QVBoxLayout()
        left.addWidget(_pairs("人口", [("男", b.males), ("女", b.females), ("户数", b.households),
                                      ("户籍人口", b.population)]))
        left.addWidget(_pairs("已婚育龄妇女（按现有子女数）", [
            ("无子女", b.women_no_child), ("一孩", b.women_one_child), ("二孩", b.women_two_children),
            ("三孩及以上", b.women_three_plus_children)]))
        left.addWidget(_pairs("本统计年度出生", [
            ("一孩", b.births_first), ("二孩", b.births_second), ("三孩及以上", b.births_third_plus),
            ("男", b.births_male), ("女", b.births_female), ("政策内", b.births_in_policy),
            ("政策外", b.births_out_of_policy), ("政策属性未定", b.births_undetermined)]))
        left.addStretch()
        middle = QVBoxLayout()
        methods = [(c.label, c.count) for c in b.contraception if c.count or c.code in ("700", "810", "000")]
        methods += [("落实措施合计", b.contraception_users), ("其中长效措施", b.long_acting)]
        middle.addWidget(_pairs("节育措施（已婚育龄妇女）", methods))
        middle.addWidget(_pairs("公示", [("本年度一孩生育服务登记", b.first_child_certificates),
                                        ("本年度二孩生育服务登记", b.second_child_certificates),
                                        ("独生子女父母光荣证（在册）", b.honour_certificates)], columns=1))
        middle.addWidget(_pairs("计生专干与中心户长", [("计生专干", b.clerk or "（未填）")] +
                                [(f"{g.group}中心户长", g.head or "（未填）") for g in b.group_heads], columns=2))
        middle.addStretch()
        snap = self.session.snapshot
        self.charts = (pyramid_view(age_pyramid(snap)), births_view(births_by_month(snap)))
        self.grid = QGridLayout()
        left_box, middle_box = QWidget(), QWidget()
        left_box.setLayout(left)
        middle_box.setLayout(middle)
        for box in (left_box, middle_box):
            box.layout().setContentsMargins(0, 0, 0, 0)
        self.columns = (left_box, middle_box)
        layout.addLayout(self.grid, 1)
        self._arrange(force=True)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)
