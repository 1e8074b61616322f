"""The keys of the village file's monthly table and indicators, with their Chinese labels, taken from the export
format itself (``fpdesk.export.forms.monthly_rows``, ``fpdesk.export.format``) so the township cannot drift from
what the villages write. A key a newer village program adds (a minor format addition) is kept, labelled by itself.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Iterable, Mapping

from fpdesk.export import format as fmt
from fpdesk.indicators import BY_KEY, INDICATORS, SPAN_KINDS
from fpdesk.ledgers.common import code_counts

SPANS = fmt.SPANS                      # month, ytd, last12: the spans every file carries


@cache
def _monthly_rows() -> tuple:
    from fpdesk.export.forms import monthly_rows
    from fpdesk.ledgers.change_report import MonthlyTable, Operations, PolicySplit

    split = PolicySplit(0, 0, 0, 0, 0)
    zero = MonthlyTable(
        period="2000-01", births=split, births_late=0, deaths=0, deaths_late=0, moves_in=0, moves_in_late=0,
        moves_out=0, moves_out_late=0, inflow=0, outflow=0, pregnancies=split,
        operations=Operations(0, 0, 0, 0, 0, 0, 0, 0), certificates=code_counts("certificate", Counter()),
        women_first_marriages=0, population_start=0, population_end=0)
    return monthly_rows(zero)


@cache
def _rows_by_key() -> Mapping[str, object]:
    return {row.key: row for row in _monthly_rows()}


def table_short_label(key: str) -> str:
    """The label as the form prints it under its total (政策内一孩, 其中：补报): for a table read top to bottom."""
    row = _rows_by_key().get(key)
    return row.label if row is not None else key  # type: ignore[attr-defined]


def table_note(key: str) -> str:
    """说明: how a total adds up, as the village form states it ("" when none)."""
    row = _rows_by_key().get(key)
    return row.note if row is not None else ""  # type: ignore[attr-defined]


@cache
def _labels() -> Mapping[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    heading = ""
    for row in _monthly_rows():
        if row.level == 0:
            heading = row.label
            out[row.key] = (row.label, 0)
        else:
            # "其中：补报" and the splits read alone are ambiguous in a wide table: name what they are part of
            label = (row.label if row.key.split(".")[0] in ("operations", "certificates")
                     else f"{heading}·{row.label.replace('其中：', '其中')}")
            out[row.key] = (label.replace("合计·", "·"), row.level)
    return out


def table_label(key: str) -> str:
    """The Chinese label of a monthly-table key (出生合计, 出生·政策内一孩 …); the key itself when unknown."""
    return _labels().get(key, (key, 0))[0]


def table_level(key: str) -> int:
    """0 a total or a line of its own, 1 a part, 2 an "of which" line (not added into the total)."""
    return _labels().get(key, (key, 0))[1]


def table_keys(tables: Iterable[Mapping[str, int]]) -> tuple[str, ...]:
    """Every key of the given tables: the format's keys in the format's order, then any others as they come."""
    known = list(_labels())
    extra: dict[str, None] = {}
    for table in tables:
        for key in table:
            if key not in _labels():
                extra[key] = None
    return tuple(known) + tuple(extra)


def sum_problems(table: Mapping[str, int]) -> tuple[str, ...]:
    """Totals of a monthly table that are not the sum of their parts, in Chinese (none when all hold)."""
    out = []
    for total, parts in fmt.sum_parts(table).items():
        if total not in table:
            continue
        added = sum(table.get(k, 0) for k in parts)
        if table[total] != added:
            out.append(f"{table_label(total)} {table[total]}，但各项之和为 {added}")
    return tuple(out)


def indicator_parts(key: str) -> tuple[str, str]:
    """("policy_birth_rate", "ytd") from "policy_birth_rate.ytd"."""
    base, _, span = key.rpartition(".")
    return (base, span) if base and span in SPAN_KINDS else (key, "")


def span_label(span: str) -> str:
    """当月 / 统计年度累计 / 近12个月."""
    return SPAN_KINDS.get(span, span)


def indicator_key(key: str, span: str) -> str:
    return f"{key}.{span}"


def indicator_keys(figures: Iterable[Mapping[str, object]] = (), *, spans: Iterable[str] = SPANS) -> tuple[str, ...]:
    """Every indicator key: the registry's indicators for each span, then any others the files carry."""
    wanted = tuple(spans)
    known = [indicator_key(i.key, s) for i in INDICATORS for s in wanted]
    seen = set(known)
    extra: dict[str, None] = {}
    for figure in figures:
        for key in figure:
            if key not in seen and indicator_parts(key)[1] in wanted:
                extra[key] = None
    return tuple(known) + tuple(extra)


def indicator_name(key: str) -> str:
    """符合政策生育率（统计年度累计）."""
    base, span = indicator_parts(key)
    entry = BY_KEY.get(base)
    name = entry.name if entry else base
    return f"{name}（{span_label(span)}）" if span else name


def balance_text(table: Mapping[str, int]) -> str:
    """The population balance as the village form's foot states it, for a summed table: end = start + births −
    deaths + in − out, each counting this month's own changes (补报 are in the start population already). A gap is
    reported, not refused: a change entered after a month was submitted is a 补报 of a later month (the villages'
    findings say which)."""
    def own(kind: str) -> int:
        return table.get(f"{kind}.total", 0) - table.get(f"{kind}.late", 0)

    start, end = table.get("population.start", 0), table.get("population.end", 0)
    births, deaths, moves_in, moves_out = own("births"), own("deaths"), own("moves_in"), own("moves_out")
    gap = end - (start + births - deaths + moves_in - moves_out)
    text = (f"期末人口 {end} = 期初 {start} + 出生 {births} − 死亡 {deaths} + 迁入 {moves_in} − 迁出 {moves_out}"
            f"（补报不计）")
    return text + ("：平衡。" if gap == 0 else f"：不平衡，差 {gap:+d}（原因见各村的逻辑检查问题）。")
