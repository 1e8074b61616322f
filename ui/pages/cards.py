"""档案卡: the card of each married woman of childbearing age — the list, and the card itself like the paper one."""

from __future__ import annotations

from html import escape
from typing import Any, Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QToolBar, QVBoxLayout, QWidget

from fpdesk.errors import FpdeskError
from fpdesk.ledgers.card import WomanCard, woman_card, woman_cards
from ui.pages.base import Page
from ui.pages.table_page import LedgerTable, TableSpec
from ui.tables import Column as C

CARD_LIST = TableSpec(
    key="cards", title="档案卡",
    columns=(C("组别", lambda c: c.group), C("户编号", lambda c: c.household_no), C("姓名", lambda c: c.name),
             C("年龄", lambda c: c.age, True), C("现有子女", lambda c: c.current_children, True),
             C("节育措施", lambda c: c.current_measure.method if c.current_measure else "未登记"),
             C("居住", lambda c: c.residence)),
    rows=lambda snap: woman_cards(snap),
    who=lambda c: (c.name, c.id_number, c.household_no, c.person.roster_no),
    row_key=lambda c: c.person.id,
)


CELL = "white-space:nowrap;border:1px solid #999;padding:3px 5px"


def _d(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return escape(str(value))


def _table(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], empty: str = "无") -> str:
    body = "".join("<tr>" + "".join(f"<td style='{CELL}'>{_d(v)}</td>" for v in row) + "</tr>" for row in rows)
    if not body:
        body = f"<tr><td colspan='{len(headers)}' style='color:#777'>{empty}</td></tr>"
    head = "".join(f"<th style='{CELL}'>{escape(h)}</th>" for h in headers)
    return f"<h3>{escape(title)}</h3><table class='grid'><tr>{head}</tr>{body}</table>"


def card_html(card: WomanCard) -> str:
    """The card as the clerk knows it from paper: identity, husband, children, measures, pregnancies, services …"""
    status = f"<p style='color:#777'>已注销：{_d(card.cancellation)}（{_d(card.cancellation_date)}）</p>" \
        if card.cancellation else ""
    h = card.husband
    identity = [
        ("姓名", card.name), ("身份证号", card.id_number), ("出生日期", card.birth_date), ("年龄", card.age),
        ("民族", card.ethnicity), ("文化程度", card.education), ("户口性质", card.hukou), ("职业", card.occupation),
        ("组别", card.group), ("户编号", card.household_no), ("与户主关系", card.relation), ("居住状况", card.residence),
        ("婚姻状况", card.marital_status), ("初婚日期", card.first_marriage_date),
        ("婚姻变动日期", card.marital_change_date), ("现有子女", card.current_children),
    ]
    cells = "".join(f"<td class='k' style='{CELL}'>{k}</td><td style='{CELL}'>{_d(v)}</td>"
                    + ("</tr><tr>" if i % 2 == 1 else "") for i, (k, v) in enumerate(identity))
    husband = ("<p>无（" + _d(card.marital_status or "未登记") + "）</p>") if h is None else (
        "<table class='grid'>" + "".join(
            "<tr>" + "".join(f"<td class='k' style='{CELL}'>{k}</td><td style='{CELL}'>{_d(v)}</td>" for k, v in pair)
            + "</tr>" for pair in (
                (("姓名", h.name), ("身份证号", h.id_number)), (("出生日期", h.birth_date), ("民族", h.ethnicity)),
                (("文化程度", h.education), ("户口性质", h.hukou)), (("婚姻类型", h.marriage_kind),
                                                             ("结婚日期", h.married_on)),
                (("职业", h.occupation), ("独生子女", h.only_child)))) + "</table>")
    parts = [
        "<style>table.grid{border-collapse:collapse;margin-bottom:6px} table.grid td, table.grid th"
        "{border:1px solid #999;padding:3px 6px} th{background:#eee} td.k{background:#f5f5f5;color:#333}"
        " h3{margin:10px 0 4px 0}</style>",
        f"<h2>已婚育龄妇女档案卡 · {_d(card.name)}</h2>", status,
        f"<table class='grid'><tr>{cells}</tr></table>",
        "<h3>丈夫</h3>", husband,
        _table("子女", ("孩次", "姓名", "性别", "出生日期", "政策属性", "出生证号", "健康状况", "血缘关系", "现有"),
               [(c.order, c.name, c.sex, c.birth_date, c.policy_status, c.birth_cert_no, c.health, c.blood_relation,
                 c.current) for c in card.children]),
        _table("节育措施", ("措施", "开始日期", "终止日期", "实施机构", "变动原因", "未避孕原因", "现行"),
               [(m.method, m.start_date, m.end_date, m.institution, m.change_reason, m.no_measure_reason, m.current)
                for m in card.measures], "未登记节育措施"),
        _table("孕情", ("末次月经", "登记日期", "预产期", "政策属性", "结果", "终止日期", "终止地点"),
               [(p.lmp_date, p.registered_date, p.expected_date, p.policy_status, p.outcome, p.end_date, p.end_place)
                for p in card.pregnancies]),
        _table("服务", ("日期", "类型", "结果", "机构", "药具", "数量"),
               [(s.date, s.kind, s.result, s.institution, s.item, s.quantity) for s in reversed(card.services)]),
        _table("奖扶", ("类型", "年度", "金额（元）", "发放日期"),
               [(b.kind, b.year, b.amount, b.paid_date) for b in card.benefits]),
        _table("证件", ("证件", "编号", "发证日期"), [(c.kind, c.number, c.issued_date) for c in card.certificates]),
        _table("婚姻史", ("类型", "配偶", "结婚日期", "终止日期", "终止原因"),
               [(m.kind, m.spouse_name, m.start_date, m.end_date, m.end_reason) for m in card.marriages]),
        _table("流动", ("类型", "日期", "地点", "结束日期", "婚育证明"),
               [(m.kind, m.start_date, m.place, m.end_date, m.certificate_no) for m in card.migrations]),
    ]
    return "".join(parts)


class CardsPage(Page):
    """The list of cards on the left, the chosen card on the right, with the changes that can be entered on it."""

    title = "档案卡"
    searchable = True
    card_shown = Signal(int)

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.list = LedgerTable(CARD_LIST)
        self.list.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.card = QTextBrowser()
        self.card.setOpenLinks(False)
        self.person_id: int | None = None
        # a toolbar, not a row of buttons: on a narrow screen the rest folds into its » menu
        self.actions_bar = QToolBar("在此卡上登记")
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_bar.addWidget(QLabel("登记："))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.actions_bar)
        right_layout.addWidget(self.card, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        self.list.setMinimumWidth(300)
        split.setSizes([320, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    def add_action(self, text: str, handler) -> QAction:
        """An action above the card (the main window adds the entry dialogs here)."""
        action = self.actions_bar.addAction(text)
        action.triggered.connect(lambda: handler(self.person_id))
        return action

    def refresh(self) -> None:
        self.list.load(self.session.snapshot, self.session.period)
        if self.person_id is None and self.list.proxy.rowCount():
            self.list.view.selectRow(0)
        self._show(self.person_id)

    def set_search(self, text: str) -> None:
        self.list.proxy.set_query(text)

    def _show_current(self) -> None:
        record = self.list.view.current_record()
        if record is not None:
            self._show(record.person.id)

    def _show(self, person_id: int | None) -> None:
        self.person_id = person_id
        if person_id is None:
            self.card.setHtml("<p>请在左侧选择一位育龄妇女。</p>")
            return
        try:
            card = woman_card(self.session.snapshot, person_id)
        except FpdeskError as exc:
            self.card.setHtml(f"<p>{escape(str(exc))}</p>")
            return
        self.card.setHtml(card_html(card))
        self.card_shown.emit(person_id)

    def show_person(self, person_id: int) -> bool:
        """Open the card of a woman (from a register, a finding, a search); False if she has none to show."""
        person = self.session.snapshot.person_by_id.get(person_id)
        if person is None or person.sex != "2":
            return False
        self.refresh_if_stale()
        for row in range(self.list.proxy.rowCount()):
            record = self.list.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 2)
            if record.person.id == person_id:
                self.list.view.selectRow(row)
                break
        self._show(person_id)
        return True
