"""Dialogs for people coming and going: 迁入 (into a household), 迁出, 流出, 返回, 流入."""

from __future__ import annotations

from typing import Any

from fpdesk import codes, services
from fpdesk.errors import InputError
from ui.forms.base import Field, Section, ServiceDialog, column


def new_person_fields(prefix: str = "person.", *, relation: bool = True) -> tuple[Field, ...]:
    """The identity of someone new to the file, ID number first (it fills birth date and sex)."""
    def col(name: str, **kw: object) -> Field:
        return column("person", name, prefix + name, **kw)

    return tuple(f for f in (
        col("name"),
        col("id_number", fills={"birth_date": prefix + "birth_date", "sex": prefix + "sex"}),
        col("sex"),
        col("birth_date"),
        col("relation") if relation else None,
        col("ethnicity"),
        col("education"),
        col("hukou"),
        col("marital_status"),
        col("occupation"),
    ) if f is not None)


class MoveInDialog(ServiceDialog):
    """迁入: one person moves into a household already in the file. Prefill: household=, moved_in=, person={…}."""

    title = "迁入登记"
    service = services.add_person
    intro = "一人迁入本村已有的户。整户迁入（新立户）请用“整户迁入”。"
    fields = (
        Field("household", "迁入户", "household", required=True),
        Field("moved_in", "迁入日期", "date", required=True),
        Section("迁入人员", new_person_fields()),
    )
    aliases = {"date": "moved_in"}

    def collect(self) -> dict[str, Any]:
        kwargs = super().collect()
        # a move-in without a date would be a baseline entry without a change event: the date is required here
        if not kwargs.get("moved_in"):
            raise InputError("迁入日期不能为空。", field="moved_in")
        return kwargs


class _LeavingDialog(ServiceDialog):
    def wire(self) -> None:
        super().wire()
        picker = self.inputs["person"]
        picker.picked.connect(lambda _id: self.set_note("person", self.situation(picker.person())))

    def situation(self, person: object) -> str:
        """A line about the person picked (where they live now)."""
        if person is None:
            return ""
        open_moves = [m for m in self.snapshot.migrations_of.get(person.id, ()) if m.end_date is None]
        status = codes.label("residence", person.residence)
        if open_moves:
            m = open_moves[-1]
            return f"{status}：{m.start_date.isoformat()} 起" + (f"，{m.place}" if m.place else "")
        return f"居住状况：{status}"


class MoveOutDialog(_LeavingDialog):
    """迁出: hukou moves out of the village; the person stays in the file as history. Prefill: person=, date=."""

    title = "迁出登记"
    service = services.record_move_out
    fields = (
        Field("person", "迁出人员", "person", required=True),
        Field("date", "迁出日期", "date", required=True),
        Field("place", "迁往地", hint="如 湖北省武汉市江岸区"),
    )


class OutflowDialog(_LeavingDialog):
    """流出: lives elsewhere for more than three months, hukou stays. Prefill: person=, date=, place=."""

    title = "流出登记"
    service = services.record_outflow
    intro = "离开本村外出居住三个月以上、户口仍在本村的登记流出。"
    fields = (
        Field("person", "流出人员", "person", required=True),
        Field("date", "流出日期", "date", required=True),
        Field("place", "流入地", hint="如 广东省东莞市"),
        column("migration", "certificate_no"),
    )


class ReturnDialog(_LeavingDialog):
    """返回: an outflow person is back (or an inflow person has left). Prefill: person=, date=."""

    title = "返回登记"
    service = services.record_return
    intro = "流出人员回村居住，或流入人员离开本村，都在这里结束其流动记录。"
    fields = (
        Field("person", "人员", "person", required=True),
        Field("date", "返回日期", "date", required=True),
    )


class InflowDialog(ServiceDialog):
    """流入: someone from elsewhere comes to live here, hukou elsewhere.
    Prefill: person={…}, date=, place=, household=, certificate_no=."""

    title = "流入登记"
    service = services.record_inflow
    intro = "外地户籍人员来本村居住。户口迁入本村的请用“迁入”。"
    fields = (
        Field("date", "流入日期", "date", required=True),
        Field("place", "户籍地", hint="从何处来，如 河南省信阳市"),
        Field("household", "居住户", "household", note="住在本村某户时选择，可不填"),
        column("migration", "certificate_no"),
        Section("流入人员", new_person_fields(relation=False)),
    )
