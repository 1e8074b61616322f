"""A score sheet as text (for the terminal and the printout) and as plain data (for ``--json`` and exports).

Only record ids leave the sheet: no names or ID numbers, so the JSON can go to the township as it is.
"""

from __future__ import annotations

from typing import Any

from fpdesk.indicators import IndicatorValue
from fpdesk.records import Ref
from fpdesk.score.engine import ItemScore, ScoreSheet
from fpdesk.score.rules import Loss

LEVEL_MARKS = {"veto": "✖", "warning": "！", "info": "·"}


def _num(x: float) -> str:
    return f"{x:g}"


def _ref(r: Ref) -> dict[str, Any]:
    return {"table": r.table, "id": r.id, "person_id": r.person_id}


def _value(v: IndicatorValue) -> dict[str, Any]:
    return {"key": v.key, "name": v.name, "unit": v.unit, "span": v.span.kind, "span_label": v.span.label,
            "value": None if v.value is None else round(v.value, 4), "numerator": v.numerator,
            "denominator": v.denominator, "definition": v.note}


def _loss(loss: Loss) -> dict[str, Any]:
    return {"rule": loss.rule, "kind": loss.kind, "points": loss.points, "reason": loss.reason,
            "refs": [_ref(r) for r in loss.refs], "finding_codes": sorted({f.code for f in loss.findings})}


def _item(i: ItemScore) -> dict[str, Any]:
    return {"key": i.key, "text": i.text, "points": i.points, "maximum": i.maximum, "bonus": i.bonus,
            "assessed": i.assessed, "capped": i.capped, "losses": [_loss(x) for x in i.losses],
            "notes": list(i.notes), "indicators": [_value(v) for v in i.values]}


def as_dict(sheet: ScoreSheet) -> dict[str, Any]:
    """The sheet as JSON-ready data."""
    return {
        "scheme": sheet.scheme_key, "scheme_name": sheet.scheme_name, "example": sheet.example,
        "period": sheet.period, "span": sheet.span.kind, "span_label": sheet.span.label,
        "as_of": sheet.as_of.isoformat(), "total": sheet.total, "maximum": sheet.maximum, "bonus": sheet.bonus,
        "vetoed": sheet.vetoed, "findings_checked": sheet.findings_checked,
        "flags": [{"code": f.code, "level": f.level, "text": f.text} for f in sheet.flags],
        "articles": [{"key": a.key, "no": a.no, "title": a.title, "points": a.points, "maximum": a.maximum,
                      "bonus": a.bonus, "capped_by": a.capped_by, "items": [_item(i) for i in a.items]}
                     for a in sheet.articles],
    }


def render_text(sheet: ScoreSheet, *, details: bool = True) -> str:
    """The sheet as the clerk reads it: total, flags, then article by article what was lost and why."""
    lines = [
        f"考核方案：{sheet.scheme_name}" + ("（示例）" if sheet.example and "示例" not in sheet.scheme_name else ""),
        f"考核期：{sheet.span.label}（数据截至 {sheet.as_of.isoformat()}）",
        f"总分：{_num(sheet.total)} / {_num(sheet.maximum)}" + (f"（含加分 {_num(sheet.bonus)}）" if sheet.bonus else ""),
    ]
    lines += [f"{LEVEL_MARKS.get(f.level, '·')} {f.text}" for f in sheet.flags]
    for a in sheet.articles:
        head = f"{a.no}{'' if a.no.endswith('、') else ' '}{a.title}"
        lines.append("")
        lines.append(f"{head}　{_num(a.points)} / {_num(a.maximum)}" + ("（加分项）" if a.bonus else ""))
        if a.capped_by:
            lines.append(f"    各项合计超过本条分值，按本条 {_num(a.maximum)} 分封顶（多出 {_num(a.capped_by)} 分不计）。")
        for i in a.items:
            lines.append(f"  {i.key} {i.text}　{_num(i.points)} / {_num(i.maximum)}")
            if not details:
                continue
            sign = "+" if i.bonus else "−"
            for loss in i.losses:
                lines.append(f"      {sign}{_num(loss.points)}　{loss.reason}")
            if i.capped:
                lines.append(f"      （扣完为止：本项最多{'加' if i.bonus else '扣'} {_num(i.maximum)} 分）")
            lines += [f"      · {n}" for n in i.notes]
    return "\n".join(lines)
