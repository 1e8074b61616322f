"""What an edit did to the score: "▲ +0.2 刚才的修改", and which items moved."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from fpdesk.score.engine import Flag, ItemScore, ScoreSheet
from fpdesk.score.rules import pts


@dataclass(frozen=True, slots=True)
class ItemChange:
    """An item whose points changed.

    key, text: the item; article_no: its article (第五条); old, new, delta: its points before and after (before
    the article's cap: a change absorbed by the cap shows here but not in the total). item: the item after.
    """

    key: str
    text: str
    article_no: str
    old: float
    new: float
    delta: float
    item: ItemScore


@dataclass(frozen=True, slots=True)
class ScoreDiff:
    """The change from one score sheet to the next.

    old_total, new_total, delta: the totals and their difference.
    items: the items whose points changed, largest change first.
    flags_added, flags_removed: flags (veto, lagging ...) that appeared or went away.
    comparable: both sheets are of the same scheme and month (else only the totals are compared).
    """

    old_total: float
    new_total: float
    delta: float
    items: tuple[ItemChange, ...]
    flags_added: tuple[Flag, ...]
    flags_removed: tuple[Flag, ...]
    comparable: bool

    @property
    def text(self) -> str:
        """The change as the score panel shows it: "▲ +0.2", "▼ −1.4", or "" when nothing moved."""
        if self.delta > 0:
            return f"▲ +{pts(Fraction(str(self.delta)))}"
        if self.delta < 0:
            return f"▼ −{pts(Fraction(str(-self.delta)))}"
        return ""


def diff(old: ScoreSheet, new: ScoreSheet) -> ScoreDiff:
    """The change caused by whatever happened between ``old`` and ``new`` (typically one edit)."""
    delta = round(float(new.exact - old.exact), 2)
    comparable = old.scheme_key == new.scheme_key and old.period == new.period
    changes = []
    if comparable:
        before = {i.key: i for i in old.items}
        for article in new.articles:
            for item in article.items:
                was = before.get(item.key)
                if was is not None and was.exact != item.exact:
                    changes.append(ItemChange(item.key, item.text, article.no, was.points, item.points,
                                              round(float(item.exact - was.exact), 2), item))
    changes.sort(key=lambda c: -abs(c.delta))
    old_flags = {(f.code, f.text) for f in old.flags}
    new_flags = {(f.code, f.text) for f in new.flags}
    return ScoreDiff(
        old_total=old.total, new_total=new.total, delta=delta, items=tuple(changes),
        flags_added=tuple(f for f in new.flags if (f.code, f.text) not in old_flags),
        flags_removed=tuple(f for f in old.flags if (f.code, f.text) not in new_flags),
        comparable=comparable,
    )
