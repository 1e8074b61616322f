"""Dialogs for the family changes of the monthly report: 出生, 结婚, 离婚, 丧偶, 死亡."""

from __future__ import annotations

from typing import Any

from fpdesk import codes, services
from fpdesk.policy import suggest_policy_status
from fpdesk.records import Person
from fpdesk.snapshot import Snapshot
from ui.forms.base import Field, Section, ServiceDialog, column
from ui.forms.pickers import PersonPicker


def is_woman(snap: Snapshot, p: Person) -> bool:
    return p.sex == codes.FEMALE


def spouse_line(snap: Snapshot, p: Person) -> str:
    m = snap.current_spouse(p)
    if m is None:
        return ""
    partner = snap.person_by_id.get(m.spouse_id) if m.spouse_id else None
    name = partner.name if partner else m.spouse_name
    since = f"，{m.start_date.isoformat()} 结婚" if m.start_date else ""
    return f"配偶：{name}{since}"


class Suggesting:
    """Pre-fill a field with the core's suggestion, but never over what the clerk chose herself.

    A field is re-suggested while it is blank or still holds the last suggestion.
    """

    def suggest(self: Any, name: str, value: Any) -> None:
        widget = self.inputs[name]
        last = self._suggested.get(name)
        if widget.is_blank() or widget.value() == last:
            widget.set_value(value)
            self._suggested[name] = widget.value()


class BirthDialog(ServiceDialog, Suggesting):
    """出生登记. Prefill: mother=, child_name=, sex=, birth_date=, birth_order=, policy_status=, id_number= …"""

    title = "出生登记"
    service = services.record_birth
    intro = "孩子加入母亲所在户，记入母亲的档案卡和本月报告单（二）；母亲的孕情自动结束。"
    fields = (
        Field("mother", "母亲", "person", required=True, accept=is_woman),
        column("birth", "child_name"),
        Field("id_number", "子女身份证号", "id_number", fills={"birth_date": "birth_date", "sex": "sex"},
              note="新生儿一般还没有身份证号，可不填"),
        column("birth", "child_sex", "sex"),
        column("birth", "birth_date"),
        column("birth", "birth_order", hint="自动"),
        column("birth", "policy_status"),
        column("birth", "birth_cert_no", hint="出生医学证明编号"),
        column("birth", "blood_relation"),
        column("birth", "health"),
    )
    defaults = {"blood_relation": "1", "health": "1"}
    aliases = {"date": "birth_date"}

    def wire(self) -> None:
        super().wire()
        self._suggested: dict[str, Any] = {}
        self.inputs["mother"].picked.connect(self._mother_picked)
        for name in ("birth_date", "sex", "birth_order"):
            self.inputs[name].value_changed.connect(self._suggest_policy)

    def mother(self) -> Person | None:
        picker = self.inputs["mother"]
        assert isinstance(picker, PersonPicker)
        return picker.person()

    def _mother_picked(self, _id: object) -> None:
        mom = self.mother()
        if mom is None:
            self.set_note("mother", "")
            return
        births = self.snapshot.births_of.get(mom.id, ())
        kids = "、".join(f"{b.child_name}（{b.birth_date.isoformat()}）" for b in births) or "无"
        self.set_note("mother", "；".join(x for x in (f"已有子女：{kids}", spouse_line(self.snapshot, mom)) if x))
        # 孩次: one more than her children so far, as the core does when none is given
        self.suggest("birth_order", max((b.birth_order for b in births), default=0) + 1)
        self._suggest_policy()

    def _suggest_policy(self) -> None:
        mom, day, order = self.mother(), self.inputs["birth_date"].date(), self.value("birth_order")
        if mom is None or day is None or not order:
            return
        births = self.snapshot.births_of.get(mom.id, ())
        first_sex = births[0].child_sex if births else (self.value("sex") if order == 1 else None)
        status = suggest_policy_status(birth_date=day, birth_order=order, rural=mom.hukou != "2",
                                       first_child_sex=first_sex)
        self.suggest("policy_status", status)
        self.set_note("policy_status", f"按 {day.isoformat()} 时的生育政策，第 {order} 孩建议为"
                                       f"“{codes.label('policy_status', status)}”，可修改。")


class MarriageDialog(ServiceDialog):
    """结婚登记 (初婚 / 再婚 / 复婚 is worked out by the core). Prefill: person=, date=, spouse=, spouse_info={…}."""

    title = "结婚登记"
    service = services.record_marriage
    intro = "初婚、再婚或复婚由程序按婚姻史判断。配偶是本村人时选择本村配偶，否则填写外村配偶。"
    fields = (
        Field("person", "本人", "person", required=True),
        Field("date", "结婚日期", "date", required=True),
        Field("spouse", "本村配偶", "person", note="配偶不是本村人时留空，在下方填写"),
        Section("外村配偶", (
            column("marriage", "spouse_name", "spouse_info.spouse_name", required=True),
            column("marriage", "spouse_id_number", "spouse_info.spouse_id_number",
                   fills={"birth_date": "spouse_info.spouse_birth_date"}),
            column("marriage", "spouse_birth_date", "spouse_info.spouse_birth_date"),
            column("marriage", "spouse_ethnicity", "spouse_info.spouse_ethnicity"),
            column("marriage", "spouse_education", "spouse_info.spouse_education"),
            column("marriage", "spouse_hukou", "spouse_info.spouse_hukou"),
            column("marriage", "spouse_occupation", "spouse_info.spouse_occupation"),
            column("marriage", "spouse_only_child", "spouse_info.spouse_only_child"),
        )),
    )

    def wire(self) -> None:
        super().wire()
        self.inputs["person"].picked.connect(self._person_picked)
        self.inputs["spouse"].picked.connect(self._spouse_picked)

    def _person_picked(self, _id: object) -> None:
        me = self.inputs["person"].person()
        spouse = self.inputs["spouse"]
        self.set_note("person", spouse_line(self.snapshot, me) + "（请先登记离婚或丧偶）" if me and
                      self.snapshot.current_spouse(me) else "")
        spouse.restrict(None if me is None else (lambda snap, p: p.sex != me.sex))

    def _spouse_picked(self, spouse_id: object) -> None:
        outside = spouse_id is None
        for name in self.inputs:
            if name.startswith("spouse_info."):
                self.set_enabled(name, outside)

    def collect(self) -> dict[str, Any]:
        kwargs = super().collect()
        if kwargs.get("spouse") is not None:
            kwargs.pop("spouse_info", None)
        return kwargs


class _EndOfMarriageDialog(ServiceDialog):
    fields = (
        Field("person", "本人", "person", required=True),
        Field("date", "日期", "date", required=True),
    )

    def wire(self) -> None:
        super().wire()
        self.inputs["person"].picked.connect(
            lambda _id: self.set_note("person", spouse_line(self.snapshot, self.inputs["person"].person())
                                      if self.inputs["person"].person() else ""))


class DivorceDialog(_EndOfMarriageDialog):
    """离婚登记: the marriage ends for both partners in the village. Prefill: person=, date=."""

    title = "离婚登记"
    service = services.record_divorce
    intro = "配偶是本村人的，双方同时登记离婚。"
    fields = (
        Field("person", "本人", "person", required=True),
        Field("date", "离婚日期", "date", required=True),
    )


class WidowhoodDialog(_EndOfMarriageDialog):
    """丧偶登记 (the spouse died outside the village's records). Prefill: person=, date=."""

    title = "丧偶登记"
    service = services.record_widowhood
    intro = "配偶是本村人的，请登记配偶死亡，程序会自动登记丧偶。这里登记配偶在外村死亡的情况。"
    fields = (
        Field("person", "本人", "person", required=True),
        Field("date", "丧偶日期", "date", required=True, note="即配偶死亡日期"),
    )


class DeathDialog(ServiceDialog):
    """死亡登记; a surviving spouse in the village is recorded as widowed. Prefill: person=, date=."""

    title = "死亡登记"
    service = services.record_death
    intro = "配偶是本村人的，自动登记配偶丧偶。"
    fields = (
        Field("person", "死亡人员", "person", required=True),
        Field("date", "死亡日期", "date", required=True),
    )
