"""Scheme files: the three shipped schemes, and what the loader says (in Chinese) about a broken one."""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path

import pytest

from fpdesk.indicators import BY_KEY
from fpdesk.score import SchemeError, builtin_schemes, load_scheme, read_scheme, scheme_by_name
from fpdesk.score.scheme import ASSESSED, ENTERED, FINDINGS

GOOD = {
    "scheme": {"key": "t", "name": "测试方案", "total": 10},
    "article": [{"key": "1", "no": "第一条", "title": "测试", "points": 10, "item": [
        {"key": "1.1", "text": "计划生育率", "points": 10, "rule": [
            {"kind": "indicator", "indicator": "policy_birth_rate", "target": 88, "per_point": 1}]}]}],
}


def test_the_three_schemes_load() -> None:
    keys = {s.key: s for s in builtin_schemes()}
    assert set(keys) == {"village_2006", "community_2009", "village_2026_example"}
    assert scheme_by_name("village_2006") is keys["village_2006"]
    assert scheme_by_name("社区考核办法（2009）") is keys["community_2009"]
    assert scheme_by_name("village_2026_example.toml") is keys["village_2026_example"]


@pytest.mark.parametrize("key", ["village_2006", "community_2009", "village_2026_example"])
def test_each_scheme_totals_100(key: str) -> None:
    s = scheme_by_name(key)
    assert s.total == 100 == sum(a.points for a in s.articles if not a.bonus)
    assert all(i.points > 0 for i in s.items)
    for item in s.items:
        for rule in item.rules:
            assert rule.indicator is None or rule.indicator in BY_KEY


def test_village_2006_is_the_seeds_ten_articles() -> None:
    s = scheme_by_name("village_2006")
    assert [a.no for a in s.articles] == ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条",
                                          "第八条", "第九条", "第十条"]
    assert [float(a.points) for a in s.articles] == [15, 15, 7, 5, 18, 9, 10, 6, 10, 5]
    assert s.veto_below == 80 and s.lagging_below == 85
    assert s.item("5.1").text.startswith("农村当年生育对象采取长效节育措施")
    # 第四条: 5 points, items 3 + 2 + 2 — a warning, in Chinese, not a refusal
    assert s.warnings == ("第四条 抓好宣传教育：各项分值合计 7 分，超过本条 5 分；按“扣完为止”，本条得分最多 5 分。",)


def test_community_2009_is_the_seeds_indicators_and_basic_work() -> None:
    s = scheme_by_name("community_2009")
    assert [(a.no, float(a.points)) for a in s.articles] == [("二、", 40), ("三、", 60)]
    a1 = s.item("A1").rules[0]
    assert (a1.indicator, a1.target, a1.per, a1.rounding) == ("policy_birth_rate", 88, 1, "ceil")
    assert s.item("B6").points == 30
    b4 = s.item("B4")
    assert [(r.kind, r.per) for r in b4.rules if r.kind == FINDINGS] == [(FINDINGS, Fraction(1, 5))] * 2


def test_2026_example_has_no_fee_or_certificate_items() -> None:
    s = scheme_by_name("village_2026_example")
    assert s.example
    used = {r.indicator for i in s.items for r in i.rules if r.indicator}
    assert {"childcare_subsidy_coverage", "pregnancy_follow_up", "data_accuracy", "timely_entry_rate"} <= used
    assert not used & {"migrant_certificate_rate", "inflow_verification_rate", "out_of_policy_multichild_rate"}
    texts = "".join(i.text for i in s.items)
    assert "社会抚养费" not in texts and "婚育证明" not in texts and "育儿补贴" in texts


def _broken(**change) -> dict:
    data = copy.deepcopy(GOOD)
    rule = data["article"][0]["item"][0]["rule"][0]
    item = data["article"][0]["item"][0]
    for where, (key, value) in change.items():
        target = {"rule": rule, "item": item, "article": data["article"][0], "scheme": data["scheme"]}[where]
        target[key] = value
    return data


@pytest.mark.parametrize(("data", "message"), [
    (_broken(rule=("indicator", "birth_rate_x")), "未知指标“birth_rate_x”"),
    (_broken(rule=("kind", "lottery")), "未知规则类型“lottery”"),
    (_broken(item=("points", 0)), "分值应为正数（现为 0）"),
    (_broken(item=("points", -2)), "分值应为正数（现为 -2）"),
    (_broken(rule=("per_point", "一分")), "每差一个百分点扣分（per_point）应为数字"),
    (_broken(rule=("rounding", "banker")), "未知的取整方式“banker”"),
    (_broken(rule=("span", "decade")), "未知的统计期“decade”"),
    (_broken(scheme=("total", 100)), "各条分值合计 10 分，与方案总分 100 分不符"),
    (_broken(article=("item", [])), "本条没有考核项目"),
    (_broken(item=("rule", [])), "项目没有计分规则"),
])
def test_broken_schemes_are_refused_in_chinese(data: dict, message: str) -> None:
    scheme, problems = read_scheme(data)
    assert scheme is None
    assert any(message in p.text for p in problems if p.level == "error"), [p.text for p in problems]


def test_findings_kinds_are_checked() -> None:
    data = _broken(rule=("kind", "findings"))
    data["article"][0]["item"][0]["rule"][0].update(per=0.2, kinds=["logic", "typo"])
    scheme, problems = read_scheme(data)
    assert scheme is None and any("未知的问题类别“typo”" in p.text for p in problems)


def test_an_article_over_its_points_is_only_a_warning() -> None:
    data = copy.deepcopy(GOOD)
    data["article"][0]["item"].append({"key": "1.2", "text": "宣传", "points": 3, "rule": [{"kind": ASSESSED}]})
    scheme, problems = read_scheme(data)
    assert scheme is not None and [p.level for p in problems] == ["warning"]
    assert scheme.warnings == ("第一条 测试：各项分值合计 13 分，超过本条 10 分；按“扣完为止”，本条得分最多 10 分。",)


def test_duplicate_item_keys_are_refused() -> None:
    data = copy.deepcopy(GOOD)
    data["article"][0]["item"].append(copy.deepcopy(data["article"][0]["item"][0]))
    data["article"][0]["points"] = data["scheme"]["total"] = 20
    scheme, problems = read_scheme(data)
    assert scheme is None and any("项目编号重复：1.1" in p.text for p in problems)


def test_entered_rules_need_a_label() -> None:
    data = _broken(rule=("kind", ENTERED))
    scheme, problems = read_scheme(data)
    assert scheme is None and any("缺少名称（label）" in p.text for p in problems)


def test_load_scheme_reports_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scheme\nkey = 1", encoding="utf-8")
    with pytest.raises(SchemeError, match="不是有效的 TOML 文件"):
        load_scheme(bad)
    with pytest.raises(SchemeError, match="找不到方案文件"):
        load_scheme(tmp_path / "none.toml")
    with pytest.raises(SchemeError, match="没有名为“nope”的考核方案"):
        scheme_by_name("nope")


def test_a_township_file_by_path(tmp_path: Path) -> None:
    src = scheme_by_name("community_2009").path
    assert src is not None
    own = tmp_path / "township.toml"
    own.write_text(src.read_text(encoding="utf-8").replace('key = "community_2009"', 'key = "township_2026"'),
                   encoding="utf-8")
    assert scheme_by_name(str(own)).key == "township_2026"
