"""Reading a scheme file (resources/schemes/*.toml) and saying in Chinese what is wrong with it.

A problem is an error (the scheme cannot be scored as written: an unknown indicator, an unknown rule kind, points
that are not positive, a total that does not add up) or a warning (it can be, and the clerk should know how: an
article whose items add up to more than its points is capped by the article — seed 000 第三篇 第四条 says 5 points
while its items add to 7). Errors refuse the scheme; warnings stay on ``Scheme.warnings``.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from fpdesk.checks.finding import KINDS, SEVERITIES
from fpdesk.errors import FpdeskError
from fpdesk.indicators import BY_KEY, SPAN_KINDS
from fpdesk.paths import resources_dir
from fpdesk.score.scheme import (
    ASSESSED, COUNT, ENTERED, FINDINGS, INDICATOR, MAX, MIN, NUMERATOR, ROUNDINGS, RULE_KINDS, SHORTFALL,
    UNASSESSED_FULL, UNASSESSED_ZERO, Article, Item, Option, Rule, Scheme, Veto,
)

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scheme file. level: "error" or "warning"; where: the place (第四条 4.1 规则1);
    message: what is wrong (Chinese)."""

    level: str
    where: str
    message: str

    @property
    def text(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


class SchemeError(FpdeskError):
    """A scheme file that cannot be used; ``problems`` lists every error (and warning) found."""

    def __init__(self, source: str, problems: tuple[Problem, ...]) -> None:
        errors = [p.text for p in problems if p.level == ERROR]
        super().__init__(f"考核方案“{source}”有 {len(errors)} 处错误：\n" + "\n".join(errors))
        self.problems = problems


def _fmt(x: Fraction) -> str:
    return f"{float(x):g}"


class _Reader:
    """Walks the parsed TOML, building the scheme and collecting problems (never stops at the first)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(ERROR, where, message))

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem(WARNING, where, message))

    def tables(self, raw: dict, name: str, where: str, *, label: str) -> list[dict]:
        """The array of tables ``name`` ([[article]], [[article.item]] ...); anything else is an error."""
        value = raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(where, f"{label}（{name}）应写成 [[…{name}]] 表。")
            return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
        return value

    def number(self, raw: dict, name: str, where: str, *, label: str, required: bool = True,
               positive: bool = False, default: Fraction | None = None) -> Fraction | None:
        value = raw.get(name)
        if value is None:
            if required:
                self.error(where, f"缺少{label}（{name}）。")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(where, f"{label}（{name}）应为数字，现为“{value}”。")
            return default
        number = Fraction(str(value))
        if positive and number <= 0:
            self.error(where, f"{label}应为正数（现为 {value}）。")
        elif number < 0:
            self.error(where, f"{label}不能为负数（现为 {value}）。")
        return number

    def text(self, raw: dict, name: str, where: str, *, label: str, required: bool = True) -> str:
        value = raw.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(where, f"缺少{label}（{name}）。" if not value else f"{label}（{name}）应为文字。")
            return str(value or "")
        return " ".join(value.split())

    def choice(self, raw: dict, name: str, where: str, *, label: str, choices: dict | frozenset | tuple,
               default: str | None) -> str | None:
        value = raw.get(name, default)
        if value is None or (isinstance(value, str) and value in choices):
            return value
        self.error(where, f"未知的{label}“{value}”，可用：{'、'.join(str(c) for c in choices)}。")
        return default

    def indicator_key(self, raw: dict, where: str) -> str | None:
        key = raw.get("indicator")
        if key is None:
            self.error(where, "缺少指标（indicator）。")
        elif not isinstance(key, str) or key not in BY_KEY:
            self.error(where, f"未知指标“{key}”。可用指标：{'、'.join(BY_KEY)}。")
            return None
        return key

    def rule(self, raw: dict, where: str, index: int, *, bonus: bool) -> Rule | None:
        kind = raw.get("kind")
        if not isinstance(kind, str) or kind not in RULE_KINDS:
            self.error(where, f"未知规则类型“{kind}”，可用：" +
                       "、".join(f"{k}（{v}）" for k, v in RULE_KINDS.items()) + "。")
            return None
        if bonus and kind == FINDINGS:
            self.error(where, "加分项不能按检查问题计分。")
        key = str(raw.get("key", f"r{index}"))
        common: dict[str, Any] = {"kind": kind, "key": key, "label": self.text(raw, "label", where, label="名称",
                                                                             required=kind == ENTERED)}
        cap = self.number(raw, "cap", where, label="本规则最多扣分", required=False, positive=True)
        if kind in (INDICATOR, COUNT):
            common["indicator"] = self.indicator_key(raw, where)
            common["span"] = self.choice(raw, "span", where, label="统计期", choices=SPAN_KINDS, default=None)
        if kind in (INDICATOR, ENTERED):
            ind = BY_KEY.get(common.get("indicator") or "")
            default_direction = MAX if ind is not None and ind.better == "lower" else MIN
            common.update(
                target=self.number(raw, "target", where, label="目标值"),
                per=self.number(raw, "per_point", where, label="每差一个百分点扣分", positive=True,
                                default=Fraction(0)),
                rounding=self.choice(raw, "rounding", where, label="取整方式", choices=ROUNDINGS, default="ceil"),
                direction=self.choice(raw, "direction", where, label="方向", choices=(MIN, MAX),
                                      default=default_direction),
            )
            if kind == ENTERED and common["target"] is not None and common["target"] > 100:
                self.error(where, f"填报率的目标值应在 0–100 之间（现为 {_fmt(common['target'])}）。")
        elif kind == COUNT:
            common.update(per=self.number(raw, "per", where, label="每例扣分", positive=True, default=Fraction(0)),
                          of=self.choice(raw, "of", where, label="计数对象", choices=(NUMERATOR, SHORTFALL),
                                         default=NUMERATOR))
        elif kind == FINDINGS:
            common["per"] = self.number(raw, "per", where, label="每个问题扣分", positive=True, default=Fraction(0))
            for name, label, known in (("kinds", "问题类别", KINDS), ("severities", "严重程度", SEVERITIES)):
                values = raw.get(name, list(known) if name == "kinds" else ["error"])
                if not isinstance(values, list):
                    values = [values]
                bad = [v for v in values if not isinstance(v, str) or v not in known]
                if bad:
                    self.error(where, f"未知的{label}“{'、'.join(map(str, bad))}”，可用：{'、'.join(known)}。")
                common[name] = tuple(v for v in values if isinstance(v, str) and v in known)
            codes = raw.get("codes", [])
            common["codes"] = tuple(str(c) for c in (codes if isinstance(codes, list) else [codes]))
        elif kind == ASSESSED:
            common["options"] = self.options(self.tables(raw, "option", where, label="扣分选项"), where)
        return Rule(**common, cap=cap)

    def options(self, raw: list[dict], where: str) -> tuple[Option, ...]:
        out = []
        for n, opt in enumerate(raw, 1):
            at = f"{where} 选项{n}"
            points = self.number(opt, "points", at, label="扣分", positive=True, default=Fraction(0))
            out.append(Option(key=str(opt.get("key", f"o{n}")), text=self.text(opt, "text", at, label="内容"),
                              points=points or Fraction(0), repeat=bool(opt.get("repeat", False))))
        return tuple(out)

    def item(self, raw: dict, where: str, *, bonus: bool) -> Item:
        key = str(raw.get("key", ""))
        at = f"{where} {key}".strip()
        if not key:
            self.error(at, "项目缺少编号（key）。")
        points = self.number(raw, "points", at, label="分值", positive=True, default=Fraction(0))
        rules = [self.rule(r, f"{at} 规则{n}", n, bonus=bonus)
                 for n, r in enumerate(self.tables(raw, "rule", at, label="计分规则"), 1)]
        if not rules:
            self.error(at, "项目没有计分规则（[[article.item.rule]]）。")
        keys = [r.key for r in rules if r is not None]
        if len(set(keys)) != len(keys):
            self.error(at, "同一项目内规则编号（key）重复。")
        options = [o.key for r in rules if r is not None for o in r.options]
        if len(set(options)) != len(options):
            self.error(at, "同一项目内选项编号（key）重复。")
        return Item(key=key, text=self.text(raw, "text", at, label="项目内容"), points=points or Fraction(0),
                    rules=tuple(r for r in rules if r is not None), guide=self.text(raw, "guide", at, label="考核办法",
                                                                                    required=False))

    def article(self, raw: dict, n: int) -> Article:
        no = str(raw.get("no", f"第{n}条"))
        where = f"{no} {raw.get('title', '')}".strip()
        points = self.number(raw, "points", where, label="分值", positive=True, default=Fraction(0))
        bonus = bool(raw.get("bonus", False))
        items = tuple(self.item(r, no, bonus=bonus) for r in self.tables(raw, "item", where, label="考核项目"))
        if not items:
            self.error(where, "本条没有考核项目（[[article.item]]）。")
        item_sum = sum((i.points for i in items), Fraction(0))
        if points and item_sum > points:
            self.warn(where, f"各项分值合计 {_fmt(item_sum)} 分，超过本条 {_fmt(points)} 分；"
                             f"按“扣完为止”，本条得分最多 {_fmt(points)} 分。")
        return Article(key=str(raw.get("key", n)), no=no, title=self.text(raw, "title", where, label="标题"),
                       points=points or Fraction(0), items=items, bonus=bonus)

    def veto(self, raw: dict, n: int) -> Veto:
        where = f"一票否决{n}"
        kind = self.choice(raw, "kind", where, label="否决类型", choices=(ASSESSED, COUNT, INDICATOR),
                           default=ASSESSED)
        fields: dict[str, Any] = {}
        if kind in (COUNT, INDICATOR):
            fields["indicator"] = self.indicator_key(raw, where)
            fields["span"] = self.choice(raw, "span", where, label="统计期", choices=SPAN_KINDS, default=None)
        if kind == COUNT:
            fields["above"] = int(self.number(raw, "above", where, label="允许例数", required=False,
                                              default=Fraction(0)) or 0)
        if kind == INDICATOR:
            fields["target"] = self.number(raw, "target", where, label="目标值")
            fields["direction"] = self.choice(raw, "direction", where, label="方向", choices=(MIN, MAX), default=MIN)
        return Veto(key=str(raw.get("key", f"v{n}")), text=self.text(raw, "text", where, label="否决条件"),
                    kind=kind or ASSESSED, **fields)


def read_scheme(data: dict, *, path: Path | None = None) -> tuple[Scheme | None, tuple[Problem, ...]]:
    """Build a scheme from parsed TOML; returns it (None when there are errors) and every problem found."""
    r = _Reader()
    head = data.get("scheme")
    if not isinstance(head, dict):
        r.error("", "缺少 [scheme] 部分（方案代号、名称、总分）。")
        head = {}
    key = r.text(head, "key", "[scheme]", label="方案代号")
    total = r.number(head, "total", "[scheme]", label="总分", positive=True, default=Fraction(100))
    articles = tuple(r.article(a, n) for n, a in enumerate(r.tables(data, "article", "", label="考核条目"), 1))
    if not articles:
        r.error("", "方案没有考核条目（[[article]]）。")
    vetoes = tuple(r.veto(v, n) for n, v in enumerate(r.tables(data, "veto", "", label="一票否决条件"), 1))
    article_sum = sum((a.points for a in articles if not a.bonus), Fraction(0))
    if articles and total is not None and article_sum != total:
        r.error("", f"各条分值合计 {_fmt(article_sum)} 分，与方案总分 {_fmt(total)} 分不符。")
    for kind, keys in (("条目", [a.key for a in articles]), ("项目", [i.key for a in articles for i in a.items]),
                       ("一票否决条件", [v.key for v in vetoes])):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            r.error("", f"{kind}编号重复：{'、'.join(dupes)}。")
    veto_below = r.number(head, "veto_below", "[scheme]", label="一票否决分数线", required=False)
    lagging_below = r.number(head, "lagging_below", "[scheme]", label="后进分数线", required=False)
    scheme = Scheme(
        key=key, name=r.text(head, "name", "[scheme]", label="方案名称"),
        short_name=r.text(head, "short_name", "[scheme]", label="简称", required=False) or key,
        year=int(r.number(head, "year", "[scheme]", label="年份", required=False) or 0),
        source=r.text(head, "source", "[scheme]", label="来源", required=False),
        note=r.text(head, "note", "[scheme]", label="说明", required=False), example=bool(head.get("example", False)),
        total=total or Fraction(100),
        span=r.choice(head, "span", "[scheme]", label="统计期", choices=SPAN_KINDS, default="ytd") or "ytd",
        veto_below=veto_below, lagging_below=lagging_below,
        unassessed=r.choice(head, "unassessed", "[scheme]", label="未自评计分方式",
                            choices=(UNASSESSED_FULL, UNASSESSED_ZERO), default=UNASSESSED_FULL) or UNASSESSED_FULL,
        articles=articles, vetoes=vetoes,
        warnings=tuple(p.text for p in r.problems if p.level == WARNING), path=path,
    )
    problems = tuple(r.problems)
    return (None if any(p.level == ERROR for p in problems) else scheme), problems


def load_scheme(path: str | Path) -> Scheme:
    """Read and validate one scheme file; ``SchemeError`` (Chinese) when it cannot be used."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemeError(str(file), (Problem(ERROR, "", f"找不到方案文件 {file}。"),)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SchemeError(file.name, (Problem(ERROR, "", f"不是有效的 TOML 文件：{exc}"),)) from None
    scheme, problems = read_scheme(data, path=file)
    if scheme is None:
        raise SchemeError(file.name, problems)
    return scheme


def schemes_dir() -> Path:
    """Where the shipped schemes live."""
    return resources_dir() / "schemes"


@cache
def builtin_schemes() -> tuple[Scheme, ...]:
    """The shipped schemes, by file name."""
    return tuple(load_scheme(p) for p in sorted(schemes_dir().glob("*.toml")))


def scheme_by_name(name: str) -> Scheme:
    """A shipped scheme by key, file name or (short) name; or a scheme file by path."""
    wanted = name.strip()
    for s in builtin_schemes():
        if wanted in (s.key, s.name, s.short_name) or (s.path is not None and wanted in (s.path.stem, s.path.name)):
            return s
    if wanted.endswith(".toml") or Path(wanted).exists():
        return load_scheme(wanted)
    names = "、".join(f"{s.key}（{s.short_name}）" for s in builtin_schemes())
    raise SchemeError(wanted, (Problem(ERROR, "", f"没有名为“{wanted}”的考核方案。可用方案：{names}。"),))
