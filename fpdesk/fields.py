"""The fields a clerk can write, table by table: their Chinese label, type and code table.

One place that the service functions validate against, the correction dialog lists, and the roster workbook and
the checks name fields by. Keys are column names of ``db_schema.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One writable column.

    label: the clerk's name for it (Chinese).
    kind: "text", "date", "code", "int", "money" (yuan in, fen stored), "ref" (a record id), "flag" (0/1).
    codes: the code table for kind "code".
    required: may not be blank.
    ref: the referenced table for kind "ref".
    """

    label: str
    kind: str = "text"
    codes: str | None = None
    required: bool = False
    ref: str | None = None


def _t(**fields: FieldSpec) -> Mapping[str, FieldSpec]:
    return MappingProxyType(fields)


F = FieldSpec

FIELDS: Mapping[str, Mapping[str, FieldSpec]] = MappingProxyType({
    "village": _t(
        code=F("村代码", required=True), name=F("村名称", required=True), township=F("乡镇"), county=F("县区"),
        clerk=F("专干姓名"), phone=F("联系电话"),
    ),
    "village_group": _t(name=F("组名", required=True), head_name=F("中心户长")),
    "household": _t(
        number=F("户编号", required=True), group_id=F("组别", "ref", ref="village_group"), address=F("住址"),
    ),
    "person": _t(
        roster_no=F("人员编号"), household_id=F("户", "ref", ref="household"),
        relation=F("与户主关系", "code", "relation"), name=F("姓名", required=True),
        sex=F("性别", "code", "sex", required=True), birth_date=F("出生日期", "date", required=True),
        id_number=F("身份证号"), ethnicity=F("民族", "code", "ethnicity"), education=F("文化程度", "code", "education"),
        hukou=F("户口性质", "code", "hukou"), occupation=F("职业"),
        marital_status=F("婚姻状况", "code", "marital_status"), first_marriage_date=F("初婚日期", "date"),
        marital_change_date=F("婚姻变动日期", "date"), residence=F("居住状况", "code", "residence", required=True),
        moved_in_date=F("迁入日期", "date"), moved_out_date=F("迁出日期", "date"), death_date=F("死亡日期", "date"),
        only_child=F("独生子女", "flag"), note=F("备注"),
    ),
    "marriage": _t(
        person_id=F("本人", "ref", ref="person", required=True), spouse_id=F("配偶", "ref", ref="person"),
        spouse_name=F("配偶姓名"), spouse_id_number=F("配偶身份证号"), spouse_birth_date=F("配偶出生日期", "date"),
        spouse_ethnicity=F("配偶民族", "code", "ethnicity"), spouse_education=F("配偶文化程度", "code", "education"),
        spouse_hukou=F("配偶户口性质", "code", "hukou"), spouse_occupation=F("配偶职业"),
        spouse_only_child=F("配偶独生子女", "flag"), kind=F("婚姻类型", "code", "marital_status", required=True),
        start_date=F("结婚日期", "date"), end_date=F("婚姻终止日期", "date"),
        end_reason=F("终止原因", "code", "marital_status"),
    ),
    "birth": _t(
        mother_id=F("母亲", "ref", ref="person", required=True), child_id=F("子女", "ref", ref="person"),
        child_name=F("子女姓名", required=True), child_sex=F("性别", "code", "sex", required=True),
        birth_date=F("出生日期", "date", required=True), birth_order=F("孩次", "int", required=True),
        policy_status=F("政策属性", "code", "policy_status"), birth_cert_no=F("出生证号"),
        blood_relation=F("血缘关系", "code", "blood_relation", required=True),
        health=F("健康状况", "code", "health", required=True),
    ),
    "measure": _t(
        person_id=F("育龄妇女", "ref", ref="person", required=True),
        method=F("节育措施", "code", "method", required=True), start_date=F("开始日期", "date"),
        end_date=F("终止日期", "date"), institution=F("实施机构"), change_reason=F("变动原因"),
        no_measure_reason=F("未避孕原因", "code", "no_measure_reason"),
    ),
    "pregnancy": _t(
        person_id=F("育龄妇女", "ref", ref="person", required=True), lmp_date=F("末次月经日期", "date", required=True),
        registered_date=F("登记日期", "date"), expected_date=F("预产期", "date"),
        policy_status=F("政策属性", "code", "policy_status"), outcome=F("孕产结果", "code", "pregnancy_outcome"),
        end_date=F("终止日期", "date"), end_place=F("终止地点"),
    ),
    "service": _t(
        person_id=F("服务对象", "ref", ref="person", required=True),
        kind=F("服务类型", "code", "service_kind", required=True), service_date=F("服务日期", "date", required=True),
        result=F("结果"), institution=F("服务机构"), item=F("药具名称"), quantity=F("数量", "int"),
    ),
    "benefit": _t(
        person_id=F("领取人", "ref", ref="person", required=True),
        kind=F("奖扶类型", "code", "benefit_kind", required=True), year=F("年度", "int", required=True),
        amount_fen=F("金额", "money", required=True), paid_date=F("发放日期", "date"),
    ),
    "migration": _t(
        person_id=F("流动人员", "ref", ref="person", required=True),
        kind=F("流动类型", "code", "migration_kind", required=True), start_date=F("流动日期", "date", required=True),
        place=F("流动地点"), end_date=F("返回日期", "date"), certificate_no=F("婚育证明号"),
    ),
    "certificate": _t(
        person_id=F("持证人", "ref", ref="person", required=True),
        kind=F("证件类型", "code", "certificate", required=True), number=F("证件编号"),
        issued_date=F("发证日期", "date"),
    ),
})

TABLE_LABELS: Mapping[str, str] = MappingProxyType({
    "village": "村信息", "village_group": "村民小组", "household": "户", "person": "人员", "marriage": "婚姻",
    "birth": "生育", "measure": "节育措施", "pregnancy": "孕情", "service": "服务", "benefit": "奖扶",
    "migration": "流动", "certificate": "证件",
})


def field_label(table: str, column: str) -> str:
    """The clerk's name for a column, or the column name if it has none."""
    spec = FIELDS.get(table, {}).get(column)
    return spec.label if spec else column
