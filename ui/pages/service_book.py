"""服务册: services delivered, supplies handed out, benefits paid."""

from __future__ import annotations

from fpdesk.ledgers.service_book import benefits_paid, service_book, supplies_handed_out
from fpdesk.ledgers.common import yuan
from ui.pages.table_page import TablesPage, TableSpec
from ui.tables import Column as C

_who = lambda r: (r.name, r.id_number, r.household_no, None)  # noqa: E731
_place = (lambda r: r.group, lambda r: r.household_no)


def _service_summary(rows) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    return "；".join(f"{k} {n} 次" for k, n in counts.items()) or "无服务记录"


SERVICES = TableSpec(
    key="services", title="服务记录", dated=True,
    columns=(C("服务日期", lambda r: r.date), C("服务类型", lambda r: r.kind), C("组别", _place[0]),
             C("户编号", _place[1]), C("姓名", lambda r: r.name), C("身份证号", lambda r: r.id_number, width=170),
             C("结果", lambda r: r.result), C("服务机构", lambda r: r.institution)),
    rows=lambda snap, **kw: service_book(snap, **kw).rows, who=_who, summary=_service_summary,
)


def _supply_summary(rows) -> str:
    totals: dict[str, int] = {}
    for r in rows:
        totals[r.item or "（未填药具）"] = totals.get(r.item or "（未填药具）", 0) + (r.quantity or 0)
    return "合计：" + "；".join(f"{k} {n}" for k, n in totals.items()) if totals else ""


SUPPLIES = TableSpec(
    key="supplies", title="药具发放", dated=True,
    columns=(C("发放日期", lambda r: r.date), C("组别", _place[0]), C("户编号", _place[1]), C("姓名", lambda r: r.name),
             C("药具", lambda r: r.item), C("数量", lambda r: r.quantity, True), C("发放机构", lambda r: r.institution)),
    rows=lambda snap, **kw: supplies_handed_out(snap, **kw).rows, who=_who, summary=_supply_summary,
)

BENEFITS = TableSpec(
    key="benefits", title="奖扶发放", dated=True,
    columns=(C("类型", lambda r: r.kind), C("年度", lambda r: r.year, True), C("金额（元）", lambda r: r.amount, True),
             C("发放日期", lambda r: r.paid_date), C("组别", _place[0]), C("户编号", _place[1]),
             C("姓名", lambda r: r.name), C("身份证号", lambda r: r.id_number, width=170)),
    rows=lambda snap, **kw: benefits_paid(snap, **kw).rows, who=_who,
    summary=lambda rows: f"共 {len(rows)} 笔，合计 {yuan(sum(r.amount_fen for r in rows))} 元",
)


class ServiceBookPage(TablesPage):
    """服务册."""

    title = "服务册"
    specs = (SERVICES, SUPPLIES, BENEFITS)
