"""Each village's score under the township's scheme, from the figures in its monthly file, and the ranking.

The township does not have the village's records, only the figures its file carries: every indicator's numerator
and denominator over the month, the statistics year to date and the last 12 months; the check findings per rule;
and the village's own score sheet. So the scheme's rules are applied by the score engine's own rule functions
(``fpdesk.score.rules.apply_rule``), fed with those figures:

  * indicator and count rules: from the numerators and denominators (a count rule counts the numerator, or the
    shortfall = denominator − numerator);
  * items the clerk assesses or enters (定性、填报), and items scored per check finding: the village's own points
    for the item when it scored itself under the same scheme (采用村自评). The file counts findings per rule but
    not per month, and the engine counts only those of the scheme's span (a finding about a report of 2023 does not
    cost a point in 2026), so the village's own figure is the exact one;
  * under another scheme: findings rules from the counts per rule code (every month: the closest the file allows,
    confirmed exceptions included, as the engine does), and an unassessed item as the scheme says (full or zero),
    noted.

Veto conditions the file shows: a computed one (count / indicator) is worked out from the figures; one the clerk
records is taken from her own sheet under the same scheme. Caps are the engine's: an item never below zero, an
article never above its points.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from fpdesk.checks.finding import Finding
from fpdesk.dates import period_bounds
from fpdesk.indicators import BY_KEY, IndicatorValue, Span, span_for
from fpdesk.indicators.base import HIGHER, rate
from fpdesk.records import Ref
from fpdesk.score import ArticleScore, Flag, ItemScore, Loss, Scheme, ScoreSheet
from fpdesk.score.rules import apply_rule, pts
from fpdesk.score.scheme import ASSESSED, COUNT, FINDINGS, UNASSESSED_ZERO, Article, Item, Veto
from fpdesk.township.ranking import Ranked, Scored, rank_villages
from fpdesk.township.setup import scheme_for, villages
from fpdesk.township.store import (
    Submission, finding_figures, indicator_figures, score_figures, submissions,
)

VILLAGE_FILE = Ref("village_file", 0)     # what a counted record points at: the village's own file
OWN_VETO = "一票否决："                    # how the village's sheet words a veto event it recorded


@dataclass(frozen=True, slots=True)
class _Counted:
    ref: Ref = VILLAGE_FILE


_ONE = _Counted()


class FigureCalculator:
    """Stands in for ``fpdesk.indicators.Calculator`` with figures instead of records: ``value(key, span)``
    gives an IndicatorValue whose record tuples hold one placeholder per counted record (so "每例扣5分" counts)."""

    def __init__(self, figures: Mapping[str, tuple[int, float]], *, as_of: dt.date) -> None:
        self.figures = figures
        self.as_of = as_of
        self.findings = None

    def value(self, key: str, span: Span) -> IndicatorValue:
        ind = BY_KEY[key]
        num, den = self.figures.get(f"{key}.{span.kind}", (0, 0))
        den_value: int | float = int(den) if float(den).is_integer() else float(den)
        count = max(0, int(num))
        if ind.better == HIGHER:
            short = max(0, int(den) - count)
        else:
            short = count
        note = f"分子：{ind.numerator}；分母：{ind.denominator}（据村月报文件）"
        if f"{key}.{span.kind}" not in self.figures:
            note = f"村月报文件中没有{ind.name}（{span.label}）"
        return IndicatorValue(
            key=ind.key, name=ind.name, unit=ind.unit, span=span, day=span.day(self.as_of), numerator=int(num),
            denominator=den_value, value=rate(int(num), den_value, ind.unit), numerator_records=(_ONE,) * count,
            denominator_records=(), shortfall_records=(_ONE,) * short, better=ind.better, note=note)


def _findings(counts: Mapping[str, tuple[str, str, int, int]]) -> tuple[Finding, ...]:
    out: list[Finding] = []
    for code, (severity, kind, count, _confirmed) in counts.items():
        one = Finding(code=code, severity=severity, kind=kind, ledger="", subject=VILLAGE_FILE, field="",
                      message="")
        out += [one] * max(0, count)
    return tuple(out)


def _f(x: Fraction) -> float:
    return round(float(x), 2)


def needs_village(item: Item) -> bool:
    """The item cannot be worked out exactly from the file's figures (see the module docstring)."""
    return item.needs_clerk or any(r.kind == FINDINGS for r in item.rules)


def _item(item: Item, *, bonus: bool, scheme: Scheme, calc: FigureCalculator, span: Span,
          findings: tuple[Finding, ...], own: tuple[float, float] | None) -> ItemScore:
    if needs_village(item) and own is not None:
        earned = min(item.points, max(Fraction(0), Fraction(str(own[0]))))
        lost = Fraction(0) if bonus else item.points - earned
        losses = (Loss("", ASSESSED, lost, f"采用村自评：本项得 {pts(earned)} 分（扣 {pts(lost)} 分）"),) if lost else ()
        return ItemScore(key=item.key, text=item.text, points=_f(earned), maximum=_f(item.points), losses=losses,
                         notes=("采用村自评（同一考核方案）。",), assessed=True, bonus=bonus, capped=False, values=(),
                         exact=earned)
    losses: list[Loss] = []
    notes: list[str] = []
    values: list[IndicatorValue] = []
    amount = Fraction(0)
    for rule in item.rules:
        out = apply_rule(rule, calc=calc, span=span, findings=findings, assessment=None,  # type: ignore[arg-type]
                         bonus=bonus)
        amount += out.amount
        losses += out.losses
        notes += out.notes
        values += out.values
    if item.qualitative:
        notes = []
        if scheme.unassessed == UNASSESSED_ZERO and not bonus:
            losses.append(Loss("", ASSESSED, item.points, f"村未按本方案自评，按零分计（{pts(item.points)} 分）"))
            amount = item.points
        else:
            notes.append("村未按本方案自评，按满分计。" if not bonus else "村未按本方案自评，不加分。")
    earned = min(item.points, amount) if bonus else max(Fraction(0), item.points - amount)
    return ItemScore(key=item.key, text=item.text, points=_f(earned), maximum=_f(item.points), losses=tuple(losses),
                     notes=tuple(notes), assessed=None if not item.needs_clerk else False, bonus=bonus,
                     capped=amount > item.points, values=tuple(values), exact=earned)


def _article(article: Article, **kw) -> ArticleScore:
    own: Mapping[str, tuple[float, float]] = kw.pop("own")
    items = tuple(_item(i, bonus=article.bonus, own=own.get(f"item.{i.key}"), **kw) for i in article.items)
    raw = sum((i.exact for i in items), Fraction(0))
    points = min(article.points, raw)
    return ArticleScore(key=article.key, no=article.no, title=article.title, points=_f(points),
                        maximum=_f(article.points), items=items, bonus=article.bonus, capped_by=_f(raw - points),
                        exact=points)


def _computed_veto(veto: Veto, calc: FigureCalculator, span: Span) -> str | None:
    v = calc.value(veto.indicator or "", span if veto.span in (None, span.kind) else span_for(span.period, veto.span))
    if veto.kind == COUNT:
        return f"{veto.text}（{v.numerator} 例）" if v.numerator > veto.above else None
    exact, target = v.exact, veto.target
    if exact is None or target is None:
        return None
    wrong = exact < target if veto.direction == "min" else exact > target
    return f"{veto.text}（{v.name} {v.text}）" if wrong else None


def score_submission(conn: sqlite3.Connection, sub: Submission, scheme: Scheme) -> tuple[ScoreSheet, tuple[str, ...]]:
    """The village's score sheet under ``scheme`` from its submission's figures, and the veto conditions met."""
    _, last = period_bounds(sub.period)
    as_of = min(sub.as_of or last, last)
    calc = FigureCalculator(indicator_figures(conn, (sub.id,))[sub.id], as_of=as_of)
    same = sub.score_scheme == scheme.key
    own = score_figures(conn, sub.id) if same else {}
    span = span_for(sub.period, scheme.span)
    articles = tuple(_article(a, scheme=scheme, calc=calc, span=span, findings=_findings(finding_figures(conn, sub.id)),
                              own=own) for a in scheme.articles)
    total = sum((a.exact for a in articles), Fraction(0))
    vetoes = [text for v in scheme.vetoes if v.kind != ASSESSED and (text := _computed_veto(v, calc, span))]
    if same:
        vetoes += [line.removeprefix(OWN_VETO).strip() for line in sub.score_remarks.splitlines()
                   if line.startswith(OWN_VETO)]
    flags = tuple(Flag("veto_event", "veto", f"一票否决：{v}") for v in vetoes)
    sheet = ScoreSheet(scheme_key=scheme.key, scheme_name=scheme.name, example=scheme.example, period=sub.period,
                       span=span, as_of=as_of, total=_f(total), maximum=_f(scheme.total),
                       bonus=_f(sum((a.exact for a in articles if a.bonus), Fraction(0))), articles=articles,
                       flags=flags, findings_checked=True, exact=total)
    return sheet, tuple(vetoes)


@dataclass(frozen=True, slots=True)
class MonthScores:
    """The township's scoring of one month: scheme; sheets by village code; ranking best first."""

    period: str
    scheme: Scheme
    sheets: Mapping[str, ScoreSheet]
    ranking: tuple[Ranked, ...]

    def ranked(self, code: str) -> Ranked | None:
        return next((r for r in self.ranking if r.code == code), None)


def month_scores(conn: sqlite3.Connection, period: str) -> MonthScores:
    """Every reporting village scored under the scheme in force for ``period``, ranked, with the flags."""
    scheme = scheme_for(conn, period)
    names = {v.code: v.name for v in villages(conn)}
    position = {v.code: v.position for v in villages(conn)}
    sheets: dict[str, ScoreSheet] = {}
    scored = []
    for sub in sorted(submissions(conn, period=period), key=lambda s: position.get(s.village_code, 0)):
        sheet, vetoes = score_submission(conn, sub, scheme)
        sheets[sub.village_code] = sheet
        scored.append(Scored(code=sub.village_code, name=names.get(sub.village_code, sub.village_name),
                             total=sheet.exact, vetoes=vetoes))
    ranking = rank_villages(scored, veto_below=scheme.veto_below, lagging_below=scheme.lagging_below)
    return MonthScores(period=period, scheme=scheme, sheets=sheets, ranking=ranking)
