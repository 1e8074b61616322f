"""报告单: the month's whole-population change report — part 1 member changes, part 2 births, and the 月报表."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from fpdesk.dates import period_label
from fpdesk.ledgers.change_report import ChangeReport, MonthlyTable, monthly_change_report
from ui.pages.table_page import TablesPage, TableSpec
from ui.tables import Column as C

_late = C("补报", lambda r: "补报" if r.late_report else "")

MEMBER_CHANGES = TableSpec(
    key="report_members", title="一、成员变动",
    columns=(C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no), C("姓名", lambda r: r.name),
             C("身份证号", lambda r: r.id_number, width=170), C("变动类型", lambda r: r.change_type),
             C("变动日期", lambda r: r.change_date), C("民族", lambda r: r.ethnicity),
             C("文化程度", lambda r: r.education), C("户口性质", lambda r: r.hukou),
             C("婚姻状况", lambda r: r.marital_status), C("初婚日期", lambda r: r.first_marriage_date),
             C("居住状况", lambda r: r.residence), C("与户主关系", lambda r: r.relation),
             C("配偶姓名", lambda r: r.spouse_name), _late),
    rows=lambda snap, report: report.member_rows,
    who=lambda r: (r.name, r.id_number, r.household_no, None),
)

BIRTHS = TableSpec(
    key="report_births", title="二、出生",
    columns=(C("组别", lambda r: r.group), C("母亲姓名", lambda r: r.mother_name),
             C("身份证号", lambda r: r.mother_id_number, width=170), C("丈夫姓名", lambda r: r.husband_name),
             C("孩次", lambda r: r.birth_order, True), C("子女姓名", lambda r: r.child_name), C("性别", lambda r: r.sex),
             C("出生日期", lambda r: r.birth_date), C("政策属性", lambda r: r.policy_status),
             C("健康状况", lambda r: r.health), C("血缘关系", lambda r: r.blood_relation), _late),
    rows=lambda snap, report: report.birth_rows, row_key=lambda r: r.ref,
    who=lambda r: (r.mother_name + " " + r.child_name, r.mother_id_number, r.household_no, None),
)


def _grid(title: str, rows: list[tuple[str, object]]) -> QGroupBox:
    box = QGroupBox(title)
    grid = QGridLayout(box)
    for i, (label, value) in enumerate(rows):
        name = QLabel(label)
        figure = QLabel(str(value))
        figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        figure.setMinimumWidth(60)
        grid.addWidget(name, i, 0)
        grid.addWidget(figure, i, 1)
    grid.setColumnStretch(2, 1)
    return box


class MonthlyTableView(QScrollArea):
    """月报表: the month's counts with their sums, laid out as the paper table's blocks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.table: MonthlyTable | None = None

    def show_table(self, t: MonthlyTable) -> None:
        self.table = t
        body = QWidget()
        layout = QGridLayout(body)
        b, p, o = t.births, t.pregnancies, t.operations
        layout.addWidget(_grid("出生", [("政策内一孩", b.first), ("政策内二孩", b.second), ("政策内三孩及以上", b.third_plus),
                                       ("政策外", b.out_of_policy), ("政策属性未定", b.undetermined),
                                       ("出生合计", b.total), ("其中补报", t.births_late)]), 0, 0)
        layout.addWidget(_grid("人口变动", [("期初人口", t.population_start), ("死亡", t.deaths),
                                        ("迁入", t.moves_in), ("迁出", t.moves_out), ("流入", t.inflow),
                                        ("流出", t.outflow), ("期末人口", t.population_end),
                                        ("平衡差", t.balance_gap)]), 0, 1)
        layout.addWidget(_grid("孕情", [("政策内一孩", p.first), ("政策内二孩", p.second),
                                      ("政策内三孩及以上", p.third_plus), ("政策外", p.out_of_policy),
                                      ("政策属性未定", p.undetermined), ("孕情合计", p.total)]), 0, 2)
        layout.addWidget(_grid("节育手术", [("男扎", o.vasectomy), ("女扎", o.tubal_ligation), ("上环", o.iud_insertion),
                                        ("　其中一孩后上环", o.iud_insertion_after_first_child), ("取环", o.iud_removal),
                                        ("皮埋", o.implant), ("人工流产", o.abortion), ("引产", o.induced_labour),
                                        ("手术合计（不含“其中”）", o.total)]), 1, 0)
        layout.addWidget(_grid("发证与婚姻", [(c.label, c.count) for c in t.certificates]
                               + [("女性初婚", t.women_first_marriages)]), 1, 1)
        layout.setRowStretch(2, 1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)


class ReportPage(TablesPage):
    """报告单 of the month chosen in the context bar."""

    title = "报告单"
    specs = (MEMBER_CHANGES, BIRTHS)

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.monthly = MonthlyTableView()
        assert self.tabs is not None
        self.tabs.addTab(self.monthly, "月报表")
        self.report: ChangeReport | None = None

    def current_table(self):
        index = self.tabs.currentIndex() if self.tabs is not None else 0
        return self.tables[index] if index < len(self.tables) else None

    def refresh(self) -> None:
        snap = self.session.snapshot
        self.report = monthly_change_report(snap, self.session.period)
        r = self.report
        self.heading_label.setText(
            f"{r.village_name}全员人口信息报告单　{period_label(r.period)}　"
            f"（成员变动 {len(r.member_rows)} 条，出生 {len(r.birth_rows)} 人）")
        for table in self.tables:
            rows = table.spec.rows(snap, r)
            if table._scope_key == ("", r.period):
                table.model.sync_rows(rows)
            else:
                table.model.set_rows(rows)
                table._scope_key = ("", r.period)
            table.view.fit_columns_once()
            table._count()
        self.monthly.show_table(r.table)

    def mark_stale(self, changes=None) -> None:
        super(TablesPage, self).mark_stale(changes)
