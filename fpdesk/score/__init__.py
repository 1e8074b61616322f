"""The live self-assessment score (自评得分) under a township's target-management scheme (目标管理责任制).

    scheme = scheme_by_name("village_2006")              # resources/schemes/*.toml, validated on load
    sheet = score(snap, scheme, period="2026-11")          # total, articles, items, every lost point and why
    change = diff(sheet_before, sheet_after).text          # "▲ +0.2" after an edit
    village_score(snap)                                    # the village's own scheme and month (settings)
    score_by_month(snap, scheme, period="2026-11")         # the chart: October .. November

Schemes are data: ``scheme.py`` says what an item and a rule are, ``loader.py`` reads and checks a file,
``rules.py`` applies one rule, ``engine.py`` adds them up with the caps, ``assess.py`` keeps the clerk's own
assessments of qualitative items in the village file.
"""

from fpdesk.score.assess import Assessment, assessments, clear_assessment, record_assessment, setting_key
from fpdesk.score.diff import ItemChange, ScoreDiff, diff
from fpdesk.score.engine import ArticleScore, Flag, ItemScore, ScoreSheet, score
from fpdesk.score.history import MonthScore, score_by_month, statistics_year_months
from fpdesk.score.loader import Problem, SchemeError, builtin_schemes, load_scheme, read_scheme, scheme_by_name
from fpdesk.score.report import as_dict, render_text
from fpdesk.score.rules import Loss, gap_units
from fpdesk.score.scheme import Article, Item, Option, Rule, Scheme, Veto
from fpdesk.score.select import (
    DEFAULT_SCHEME, PERIOD_SETTING, SCHEME_SETTING, village_period, village_scheme, village_score,
)

__all__ = [
    "Article", "ArticleScore", "Assessment", "DEFAULT_SCHEME", "Flag", "Item", "ItemChange", "ItemScore", "Loss",
    "MonthScore", "Option", "PERIOD_SETTING", "Problem", "Rule", "SCHEME_SETTING", "Scheme", "SchemeError", "ScoreDiff",
    "ScoreSheet", "Veto", "as_dict", "assessments", "builtin_schemes", "clear_assessment", "diff", "gap_units",
    "load_scheme", "read_scheme", "record_assessment", "render_text", "scheme_by_name", "score", "score_by_month",
    "setting_key", "statistics_year_months", "village_period", "village_scheme", "village_score",
]
