"""Dialogs for what goes on a woman's card and in the service book: 节育措施, 孕情, 服务, 奖扶, 发证."""

from __future__ import annotations

from typing import Any, Mapping

from fpdesk import codes, services
from fpdesk.policy import suggest_policy_status
from fpdesk.services.health import GESTATION
from ui.forms.base import Field, ServiceDialog, column
from ui.forms.changes import Suggesting, is_woman

SUPPLIES = "06"   # 药具发放: the only service with an item and a quantity


class MeasureDialog(ServiceDialog):
    """节育措施: start or change a measure, or record that she has none (未避孕) and why.

    The current measure ends on the new one's start date. Prefill: person=, method=, start_date=, ….
    """

    title = "节育措施"
    service = services.start_measure
    intro = "落实、变更或停用节育措施。停用时选“未避孕”并填写未避孕原因；原措施在新措施开始之日终止。"
    fields = (
        Field("person", "育龄妇女", "person", required=True, accept=is_woman,
              note="男扎也记在妻子的档案卡上"),
        column("measure", "method"),
        column("measure", "no_measure_reason", note="仅在措施为“未避孕”时填写"),
        column("measure", "start_date", required=True),
        column("measure", "institution", hint="如 镇卫生院"),
        Field("reason", "变动原因", hint="更换或停用原措施的原因，如 取环待孕"),
    )
    aliases = {"date": "start_date"}

    def wire(self) -> None:
        super().wire()
        self.inputs["method"].value_changed.connect(self._method_changed)
        picker = self.inputs["person"]
        picker.picked.connect(lambda _id: self.set_note("person", self.current_line(picker.person())))
        self._method_changed()

    def current_line(self, woman: Any) -> str:
        if woman is None:
            return "男扎也记在妻子的档案卡上"
        m = self.snapshot.current_measure(woman)
        if m is None:
            return "当前措施：无记录"
        since = f"，{m.start_date.isoformat()} 起" if m.start_date else ""
        why = f"（{codes.label('no_measure_reason', m.no_measure_reason)}）" if m.no_measure_reason else ""
        return f"当前措施：{codes.label('method', m.method)}{why}{since}"

    def _method_changed(self) -> None:
        none = self.value("method") == codes.NO_MEASURE
        self.set_enabled("no_measure_reason", none)
        if not none:
            self.inputs["no_measure_reason"].set_value(None)


class PregnancyDialog(ServiceDialog, Suggesting):
    """孕情登记; the expected date is the last period + 280 days. Prefill: person=, lmp_date=, …."""

    title = "孕情登记"
    service = services.register_pregnancy
    fields = (
        Field("person", "育龄妇女", "person", required=True, accept=is_woman),
        column("pregnancy", "lmp_date"),
        column("pregnancy", "registered_date"),
        column("pregnancy", "policy_status"),
    )
    defaults = {"registered_date": lambda d: d.entry_day}
    aliases = {"date": "registered_date"}

    def wire(self) -> None:
        super().wire()
        self._suggested: dict[str, Any] = {}
        self.inputs["person"].picked.connect(self._suggest)
        self.inputs["lmp_date"].value_changed.connect(self._suggest)

    def _suggest(self, *_args: object) -> None:
        lmp = self.inputs["lmp_date"].date()
        self.set_note("lmp_date", f"预产期：{(lmp + GESTATION).isoformat()}" if lmp else "")
        woman = self.inputs["person"].person()
        if lmp is None or woman is None:
            return
        births = self.snapshot.births_of.get(woman.id, ())
        order = max((b.birth_order for b in births), default=0) + 1
        status = suggest_policy_status(birth_date=lmp + GESTATION, birth_order=order, rural=woman.hukou != "2",
                                       first_child_sex=births[0].child_sex if births else None)
        self.suggest("policy_status", status)
        self.set_note("policy_status", f"按预产期时的生育政策，第 {order} 孩建议为"
                                       f"“{codes.label('policy_status', status)}”，可修改。")


class PregnancyOutcomeDialog(ServiceDialog):
    """孕情结果: how an ongoing pregnancy ended. Prefill: pregnancy= (or person=), outcome=, end_date=, place=."""

    title = "孕情结果"
    service = services.record_pregnancy_outcome
    intro = "活产请用“出生登记”：登记出生时孕情自动结束。这里登记流产、引产、死产等结果。"
    fields = (
        Field("person", "育龄妇女", "person", required=True, accept=is_woman, send=False),
        Field("pregnancy", "孕情", "choice", required=True, blank=False),
        column("pregnancy", "outcome", required=True, blank=False),
        column("pregnancy", "end_date", required=True),
        column("pregnancy", "end_place", "place", hint="如 县妇幼保健院"),
    )
    aliases = {"date": "end_date"}

    def wire(self) -> None:
        super().wire()
        self.inputs["person"].picked.connect(self._person_picked)

    def apply_prefill(self, values: Mapping[str, Any]) -> None:
        values = dict(values)
        preg_id = values.get("pregnancy")
        if preg_id is not None and "person" not in values:
            found = [p for p in self.snapshot.pregnancies if p.id == preg_id]
            if found:
                values = {"person": found[0].person_id, **values}
        if "person" in values:     # the woman first: her pregnancies make the list the pregnancy is picked from
            values = {"person": values.pop("person"), **values}
        super().apply_prefill(values)

    def _person_picked(self, person_id: object) -> None:
        ongoing = [p for p in self.snapshot.pregnancies_of.get(person_id, ()) if p.outcome is None] \
            if person_id is not None else []
        items = [(f"末次月经 {p.lmp_date.isoformat()} · 预产期 "
                  f"{p.expected_date.isoformat() if p.expected_date else '—'}", p.id) for p in ongoing]
        self.inputs["pregnancy"].set_items(items)
        self.set_note("pregnancy", "" if items or person_id is None else "她没有未结束的孕情。")


class ServiceRecordDialog(ServiceDialog):
    """服务登记 (服务册): 查环, 查孕, 查病, 透环, 术后随访, 药具发放, 宣传教育.
    Prefill: person=, kind=, date=, …; item and quantity only for 药具发放."""

    title = "服务登记"
    service = services.record_service
    fields = (
        Field("person", "服务对象", "person", required=True),
        column("service", "kind"),
        column("service", "service_date", "date"),
        column("service", "result", hint="如 环位正常"),
        column("service", "institution", hint="如 镇卫生院"),
        column("service", "item", hint="如 避孕套", note="仅药具发放时填写"),
        column("service", "quantity"),
    )

    def wire(self) -> None:
        super().wire()
        self.inputs["kind"].value_changed.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        supplies = self.value("kind") == SUPPLIES
        for name in ("item", "quantity"):
            self.set_enabled(name, supplies)


class BenefitDialog(ServiceDialog):
    """奖扶发放 (amount in yuan). Prefill: person=, kind=, year=, amount=, paid_date=."""

    title = "奖扶发放"
    service = services.pay_benefit
    fields = (
        Field("person", "领取人", "person", required=True),
        column("benefit", "kind"),
        column("benefit", "year"),
        column("benefit", "amount_fen", "amount", label="金额（元）"),
        column("benefit", "paid_date", required=True),
    )
    defaults = {"year": lambda d: d.entry_day.year}
    aliases = {"date": "paid_date"}


class CertificateDialog(ServiceDialog):
    """发证: 生育服务证, 独生子女父母光荣证, 婚育证明 …. Prefill: person=, kind=, number=, issued_date=."""

    title = "发证登记"
    service = services.issue_certificate
    fields = (
        Field("person", "持证人", "person", required=True),
        column("certificate", "kind"),
        column("certificate", "number"),
        column("certificate", "issued_date", required=True),
    )
    aliases = {"date": "issued_date"}
