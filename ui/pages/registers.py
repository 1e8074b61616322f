"""管理册: the registers the clerk manages from — population, births, measures, pregnancies, migrants, certificates."""

from __future__ import annotations

from fpdesk.ledgers import registers as reg
from ui.pages.table_page import TablesPage, TableSpec
from ui.tables import Column as C

_who = lambda r: (r.name, r.id_number, r.household_no, None)  # noqa: E731


def _population_tone(row: reg.PopulationRow) -> str | None:
    return "muted" if row.status in ("死亡", "迁出") else None


POPULATION = TableSpec(
    key="population", title="人口登记",
    columns=(C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no), C("姓名", lambda r: r.name),
             C("性别", lambda r: r.sex), C("出生日期", lambda r: r.birth_date), C("年龄", lambda r: r.age, True),
             C("身份证号", lambda r: r.id_number, width=170), C("与户主关系", lambda r: r.relation),
             C("民族", lambda r: r.ethnicity), C("文化程度", lambda r: r.education), C("户口性质", lambda r: r.hukou),
             C("婚姻状况", lambda r: r.marital_status), C("居住状况", lambda r: r.residence),
             C("状态", lambda r: r.status), C("状态日期", lambda r: r.status_date)),
    rows=lambda snap: reg.population_register(snap), who=_who, tone=_population_tone,
    summary=lambda rows: "在册 {} 人；死亡 {} 人；迁出 {} 人；流出 {} 人；流入 {} 人".format(
        *(sum(1 for r in rows if r.status == s) for s in ("在册", "死亡", "迁出", "流出", "流入"))),
)

BIRTHS = TableSpec(
    key="births", title="出生登记", dated=True,
    columns=(C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no), C("母亲姓名", lambda r: r.mother_name),
             C("母亲身份证号", lambda r: r.mother_id_number, width=170), C("丈夫姓名", lambda r: r.husband_name),
             C("孩次", lambda r: r.birth_order, True), C("子女姓名", lambda r: r.child_name), C("性别", lambda r: r.sex),
             C("出生日期", lambda r: r.birth_date), C("政策属性", lambda r: r.policy_status),
             C("出生证号", lambda r: r.birth_cert_no), C("健康状况", lambda r: r.health),
             C("血缘关系", lambda r: r.blood_relation)),
    rows=lambda snap, **kw: reg.births_register(snap, **kw),
    who=lambda r: (r.mother_name + " " + r.child_name, r.mother_id_number, r.household_no, None),
    summary=lambda rows: f"出生 {len(rows)} 人：男 {sum(r.sex_code == '1' for r in rows)}，女 "
                         f"{sum(r.sex_code == '2' for r in rows)}；政策外 {sum(r.policy_status_code == '2' for r in rows)}",
)

MEASURES = TableSpec(
    key="measures", title="节育措施登记",
    columns=(C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no), C("姓名", lambda r: r.name),
             C("身份证号", lambda r: r.id_number, width=170), C("年龄", lambda r: r.age, True),
             C("现有子女", lambda r: r.current_children, True), C("节育措施", lambda r: r.method),
             C("开始日期", lambda r: r.start_date), C("实施机构", lambda r: r.institution),
             C("未避孕原因", lambda r: r.no_measure_reason), C("长效", lambda r: r.long_acting)),
    rows=lambda snap: reg.contraception_register(snap), who=_who, row_key=lambda r: r.person_id,
    tone=lambda r: "warning" if r.no_measure_reason == "未登记" else None,
    summary=lambda rows: f"持卡妇女 {len(rows)} 人：落实措施 {sum(r.method_code != '000' for r in rows)} 人，"
                         f"其中长效 {sum(r.long_acting for r in rows)} 人；未登记措施 "
                         f"{sum(r.no_measure_reason == '未登记' for r in rows)} 人",
)

PREGNANCIES = TableSpec(
    key="pregnancies", title="孕情登记", dated=True,
    columns=(C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no), C("姓名", lambda r: r.name),
             C("身份证号", lambda r: r.id_number, width=170), C("孩次", lambda r: r.order, True),
             C("末次月经", lambda r: r.lmp_date), C("登记日期", lambda r: r.registered_date),
             C("预产期", lambda r: r.expected_date), C("政策属性", lambda r: r.policy_status),
             C("孕产结果", lambda r: r.outcome), C("终止日期", lambda r: r.end_date), C("终止地点", lambda r: r.end_place)),
    rows=lambda snap, **kw: reg.pregnancy_register(snap, **kw), who=_who,
    summary=lambda rows: f"孕情 {len(rows)} 例，其中在孕 {sum(r.outcome_code is None for r in rows)} 例",
)

MIGRANTS = TableSpec(
    key="migrants", title="流动人口登记", dated=True,
    columns=(C("类型", lambda r: r.kind), C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no),
             C("姓名", lambda r: r.name), C("性别", lambda r: r.sex), C("出生日期", lambda r: r.birth_date),
             C("身份证号", lambda r: r.id_number, width=170), C("婚姻状况", lambda r: r.marital_status),
             C("流动日期", lambda r: r.start_date), C("流入地/流出地", lambda r: r.place),
             C("结束日期", lambda r: r.end_date), C("婚育证明", lambda r: r.certificate_no)),
    rows=lambda snap, **kw: reg.migrant_register(snap, **kw), who=_who,
    tone=lambda r: None if r.current else "muted",
    summary=lambda rows: f"流入 {sum(r.kind_code == '1' and r.current for r in rows)} 人在册，"
                         f"流出 {sum(r.kind_code == '2' and r.current for r in rows)} 人在外",
)

CERTIFICATES = TableSpec(
    key="certificates", title="发证登记", dated=True,
    columns=(C("证件类型", lambda r: r.kind), C("证件编号", lambda r: r.number), C("发证日期", lambda r: r.issued_date),
             C("组别", lambda r: r.group), C("户编号", lambda r: r.household_no), C("姓名", lambda r: r.name),
             C("身份证号", lambda r: r.id_number, width=170)),
    rows=lambda snap, **kw: reg.certificate_register(snap, **kw), who=_who,
)


class RegistersPage(TablesPage):
    """管理册."""

    title = "管理册"
    specs = (POPULATION, BIRTHS, MEASURES, PREGNANCIES, MIGRANTS, CERTIFICATES)
