"""The clerk's own assessments (自评) of qualitative items, entered figures and veto events, kept in the village file.

Each is one village setting, written through ``services.set_setting`` (so it is audited like any edit):

    score.<scheme>.<period>.<item>          e.g. score.village_2006.2026-11.4.2
    score.<scheme>.<period>.veto.<key>      a veto event

holding JSON: {"points": {rule: lost}, "options": {option: times}, "values": {rule: figure}, "veto": bool,
"note": "...", "on": "2026-11-23"}. An assessment holds for later months of the same statistics year until the
clerk changes it (qualitative items are judged for the year, not re-judged every month); an empty value clears it
from that month on.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Mapping

from fpdesk.dates import parse_period, period_bounds, statistics_year_bounds
from fpdesk.errors import InputError
from fpdesk.ops import Changes
from fpdesk.score.loader import scheme_by_name
from fpdesk.score.scheme import ASSESSED, ENTERED, Scheme
from fpdesk.services import set_setting

VETO_PREFIX = "veto."


@dataclass(frozen=True, slots=True)
class Assessment:
    """The clerk's assessment of one item or veto condition.

    item: the item key, or "veto.<key>"; period: the month it was saved under (may be earlier than the month
    scored, see the module docstring).
    points: points lost (earned, in a bonus item) per assessed rule without options, by rule key.
    options: how many times each fixed deduction applies, by option key.
    values: the figures of entered rules (a rate in %), by rule key.
    veto: for a veto condition, that it happened. note: the clerk's note. on: the day it was saved.
    """

    item: str
    period: str
    points: Mapping[str, Fraction] = field(default_factory=dict)
    options: Mapping[str, int] = field(default_factory=dict)
    values: Mapping[str, Fraction] = field(default_factory=dict)
    veto: bool = False
    note: str = ""
    on: dt.date | None = None


def setting_key(scheme_key: str, period: str, item: str) -> str:
    """The setting that holds an assessment."""
    return f"score.{scheme_key}.{period}.{item}"


def _parse(item: str, period: str, text: str) -> Assessment | None:
    if not text.strip():
        return None
    try:
        raw = json.loads(text)
        return Assessment(
            item=item, period=period,
            points=MappingProxyType({str(k): Fraction(str(v)) for k, v in raw.get("points", {}).items()}),
            options=MappingProxyType({str(k): int(v) for k, v in raw.get("options", {}).items()}),
            values=MappingProxyType({str(k): Fraction(str(v)) for k, v in raw.get("values", {}).items()}),
            veto=bool(raw.get("veto", False)), note=str(raw.get("note", "")),
            on=dt.date.fromisoformat(raw["on"]) if raw.get("on") else None,
        )
    except (ValueError, TypeError, AttributeError, KeyError):
        return None  # a damaged value counts as not assessed; the clerk can assess again


def assessments(settings: Mapping[str, str], scheme_key: str, period: str) -> Mapping[str, Assessment]:
    """The assessments in force for ``period``: for each item the latest saved in the same statistics year, in
    or before the month."""
    prefix = f"score.{scheme_key}."
    year_start, _ = statistics_year_bounds(period_bounds(period)[0])
    first = f"{year_start.year:04d}-{year_start.month:02d}"
    latest: dict[str, tuple[str, str]] = {}
    for key, value in settings.items():
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix):]
        saved, item = rest[:7], rest[8:]
        if not item or not first <= saved <= period:
            continue
        if item not in latest or saved > latest[item][0]:
            latest[item] = (saved, value)
    out = {}
    for item, (saved, value) in latest.items():
        parsed = _parse(item, saved, value)
        if parsed is not None:
            out[item] = parsed
    return MappingProxyType(out)


def _amount(value: Any, *, field: str, label: str, most: Fraction) -> Fraction:
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InputError(f"{label}“{value}”不是数字。", field=field) from None
    if number < 0 or number > most:
        raise InputError(f"{label}应在 0 到 {float(most):g} 之间（现为 {value}）。", field=field)
    return number


def record_assessment(
    conn: sqlite3.Connection, *, scheme: Scheme | str, period: str, item: str,
    points: Mapping[str, Any] | None = None, options: Mapping[str, int] | None = None,
    values: Mapping[str, Any] | None = None, veto: bool | None = None, note: str = "", user: str = "",
    today: dt.date | None = None,
) -> Changes:
    """Save the clerk's assessment of ``item`` (or "veto.<key>") for ``period``, validated against the scheme.

    points: points lost (earned, in a bonus item) by assessed rules without options, by rule key.
    options: times each fixed deduction applies, by option key. values: entered figures (%), by rule key.
    veto: for "veto.<key>", whether the event happened.
    A loss, a fixed deduction, an entered figure or a veto needs a note (why; where the figure comes from).
    """
    if isinstance(scheme, str):
        scheme = scheme_by_name(scheme)
    month = parse_period(period)
    note = " ".join(str(note or "").split())
    data: dict[str, Any] = {"on": (today or dt.date.today()).isoformat()}
    if item.startswith(VETO_PREFIX):
        try:
            scheme.veto(item[len(VETO_PREFIX):])
        except KeyError:
            raise InputError(f"方案“{scheme.short_name}”没有一票否决条件“{item}”。", field="item") from None
        data["veto"] = bool(veto)
        if veto and not note:
            raise InputError("登记一票否决事件时须填写说明（发生了什么、何时）。", field="note")
    else:
        try:
            target = scheme.item(item)
        except KeyError:
            raise InputError(f"方案“{scheme.short_name}”没有考核项目“{item}”。", field="item") from None
        rules = {r.key: r for r in target.rules}
        opts = {o.key: o for r in target.rules if r.kind == ASSESSED for o in r.options}
        lost = Fraction(0)
        data["points"] = {}
        for key, value in (points or {}).items():
            rule = rules.get(key)
            if rule is None or rule.kind != ASSESSED or rule.options:
                raise InputError(f"项目 {item} 没有可直接填写分数的自评规则“{key}”。", field="points")
            amount = _amount(value, field="points", label="自评分", most=target.points)
            data["points"][key] = float(amount)
            lost += amount
        data["options"] = {}
        for key, times in (options or {}).items():
            option = opts.get(key)
            if option is None:
                raise InputError(f"项目 {item} 没有扣分选项“{key}”。", field="options")
            if not isinstance(times, int) or times < 0 or (times > 1 and not option.repeat):
                raise InputError(f"“{option.text}”的次数应为 0" + ("或正整数。" if option.repeat else "或 1。"),
                                 field="options")
            if times:
                data["options"][key] = times
                lost += option.points * times
        data["values"] = {}
        for key, value in (values or {}).items():
            rule = rules.get(key)
            if rule is None or rule.kind != ENTERED:
                raise InputError(f"项目 {item} 没有需要填报的指标“{key}”。", field="values")
            data["values"][key] = float(_amount(value, field="values", label=rule.label, most=Fraction(100)))
        if lost and not note:
            raise InputError("扣分（或加分）须填写说明。", field="note")
        if data["values"] and not note:
            raise InputError("填报的数字须注明来源（如“抽样调查20户”）。", field="note")
    data["note"] = note
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return set_setting(conn, key=setting_key(scheme.key, month, item), value=text, user=user, today=today)


def clear_assessment(
    conn: sqlite3.Connection, *, scheme: Scheme, period: str, item: str, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Withdraw the assessment of ``item`` from ``period`` on (the item counts as not assessed again)."""
    return set_setting(conn, key=setting_key(scheme.key, parse_period(period), item), value="", user=user,
                       today=today)
