"""Ranking the villages by score, and the seed's flags (seed 000 第三篇, 奖励与责任 3):

    综合考核评分在80分以下的……实行“一票否决”；
    虽完成当年主要责任指标，但排位在倒数三位且总分在85分以下的村，纳入后进单位进行重点管理。

So: a total below the scheme's ``veto_below`` (80), or a veto condition met, is 一票否决; a village not vetoed that
stands in the bottom three places of the whole ranking with a total below ``lagging_below`` (85) is 后进村. Equal
totals share a place (1, 2, 2, 4), so a tie at the third place from the bottom puts every tied village in it.
Villages that did not report are not ranked (they are listed as 未报 by the completeness check).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

BOTTOM_PLACES = 3


@dataclass(frozen=True, slots=True)
class Scored:
    """A village's score, to be ranked.

    code, name: the village; total: its score (exact); vetoes: veto conditions met (Chinese, may be empty).
    """

    code: str
    name: str
    total: Fraction
    vetoes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ranked:
    """A village's place in the township.

    code, name; total: its score (two decimals); exact: the score as a fraction.
    rank: its place, 1 = best (ties share a place); from_bottom: its place counted from the bottom (1 = last).
    vetoed: 一票否决; lagging: 后进村; flags: what to print beside it (Chinese), empty when none.
    """

    code: str
    name: str
    total: float
    exact: Fraction
    rank: int
    from_bottom: int
    vetoed: bool
    lagging: bool
    flags: tuple[str, ...]

    @property
    def flag_text(self) -> str:
        return "；".join(self.flags)


def _pts(x: Fraction) -> str:
    return f"{round(float(x), 2):g}"


def rank_villages(scored: Sequence[Scored], *, veto_below: Fraction | None, lagging_below: Fraction | None,
                  bottom_places: int = BOTTOM_PLACES) -> tuple[Ranked, ...]:
    """The villages best first, each with its place and flags (see the module docstring). Equal totals keep the
    order they came in (the township's list)."""
    order = sorted(scored, key=lambda s: -s.total)
    totals = [s.total for s in order]
    out = []
    for s in order:
        rank = 1 + sum(1 for t in totals if t > s.total)
        from_bottom = 1 + sum(1 for t in totals if t < s.total)
        flags: list[str] = []
        below = veto_below is not None and s.total < veto_below
        if below:
            flags.append(f"一票否决（总分低于 {_pts(veto_below)} 分）")
        flags += [f"一票否决（{v}）" for v in s.vetoes]
        vetoed = bool(flags)
        lagging = (not vetoed and lagging_below is not None and s.total < lagging_below
                   and from_bottom <= bottom_places)
        if lagging:
            flags.append(f"后进村（排名倒数第 {from_bottom} 位，总分低于 {_pts(lagging_below)} 分）")
        out.append(Ranked(code=s.code, name=s.name, total=round(float(s.total), 2), exact=s.total, rank=rank,
                          from_bottom=from_bottom, vetoed=vetoed, lagging=lagging, flags=tuple(flags)))
    return tuple(out)
