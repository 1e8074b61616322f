"""The score engine, one item type at a time, with the points worked out by hand (and the seeds' own wording)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from fractions import Fraction

import pytest

from fpdesk import ops, services
from fpdesk.checks.finding import Finding
from fpdesk.errors import InputError
from fpdesk.records import Ref
from fpdesk.score import gap_units, read_scheme, record_assessment, scheme_by_name, score
from fpdesk.snapshot import Snapshot, load_snapshot
from tests.conftest import TODAY
from tests.test_indicators import village  # noqa: F401  (fixture: the hand-built village)

SEPT = "2026-09"   # the statistics year 2025-10-01 – 2026-09-30, whole


def mini(*items: dict, article_points: float | None = None, bonus: bool = False, **head) -> object:
    """A one-article scheme around ``items`` (each a dict as in the TOML)."""
    points = article_points if article_points is not None else sum(i["points"] for i in items)
    data = {"scheme": {"key": "t", "name": "测试方案", "total": 10 if bonus else points, **head},
            "article": [{"key": "1", "no": "第一条", "title": "测试", "points": points, "item": list(items),
                         "bonus": bonus}]}
    if bonus:
        data["article"].insert(0, {"key": "0", "no": "基础", "title": "基础", "points": 10, "item": [
            {"key": "0.1", "text": "基础", "points": 10, "rule": [{"kind": "assessed"}]}]})
    scheme, problems = read_scheme(data)
    assert scheme is not None, [p.text for p in problems]
    return scheme


def births_village(conn: sqlite3.Connection, *, births: int, in_policy: int) -> Snapshot:
    """``births`` births in January 2026, ``in_policy`` of them in policy, one mother each."""
    with ops.batch(conn):
        services.register_household(conn, number="001", today=dt.date(2025, 1, 1), members=[
            {"name": f"母{i}", "sex": "女", "birth_date": "1995-01-01", "marital_status": "21",
             "first_marriage_date": "2018-01-01"} for i in range(births)])
        mothers = [r[0] for r in conn.execute("SELECT id FROM person ORDER BY id")]
        for n, mother in enumerate(mothers):
            services.record_birth(conn, mother=mother, child_name=f"子{n}", sex="男" if n % 2 else "女",
                                  birth_date="2026-01-10", policy_status="1" if n < in_policy else "2",
                                  today=dt.date(2026, 1, 15))
    return load_snapshot(conn, as_of=TODAY)


# ---- computed indicator: the seed's "计划生育率88%，每低一个百分点扣1分" -------------------------------------------

def test_plan_birth_rate_85_4_loses_3_of_10(fresh_db: sqlite3.Connection) -> None:
    # 427 of 500 births in policy = 85.4%: 2.6 points below 88%, a started point counts whole -> 3 × 1 = 3 lost
    snap = births_village(fresh_db, births=500, in_policy=427)
    sheet = score(snap, "community_2009", period=SEPT, run_checks=False)
    item = sheet.item("A1")
    assert (item.points, item.maximum, item.lost) == (7, 10, 3)
    [loss] = item.losses
    assert loss.points == 3
    assert "85.4%" in loss.reason and "427/500" in loss.reason and "低于目标 88%" in loss.reason
    assert "不足一个百分点按一个百分点计" in loss.reason and "扣 3 分" in loss.reason
    assert len(loss.refs) == 73 and {r.table for r in loss.refs} == {"birth"}    # the out-of-policy births


@pytest.mark.parametrize(("in_policy", "rounding", "lost"), [
    (440, "ceil", 0),      # 88.0% exactly: nothing lost
    (439, "ceil", 1),      # 87.8%: 0.2 short, a started point
    (428, "ceil", 3),      # 85.6%: 2.4 short
    (428, "half_up", 2),   # 2.4 rounds to 2
    (427, "half_up", 3),   # 2.6 rounds to 3
    (427, "floor", 2),     # only whole points
    (427, "exact", 2.6),   # the gap itself
    (300, "ceil", 10),     # 60%: 28 points short, but the item has only 10 (扣完为止)
])
def test_rounding_as_the_scheme_says(fresh_db: sqlite3.Connection, in_policy: int, rounding: str,
                                     lost: float) -> None:
    snap = births_village(fresh_db, births=500, in_policy=in_policy)
    scheme = mini({"key": "1", "text": "计划生育率88%", "points": 10, "rule": [
        {"kind": "indicator", "indicator": "policy_birth_rate", "target": 88, "per_point": 1, "rounding": rounding}]})
    assert score(snap, scheme, period=SEPT, run_checks=False).item("1").lost == lost


@pytest.mark.parametrize(("gap", "rounding", "units"), [
    (Fraction(13, 5), "ceil", 3), (Fraction(13, 5), "half_up", 3), (Fraction(13, 5), "floor", 2),
    (Fraction(12, 5), "half_up", 2), (Fraction(5, 2), "half_up", 3), (Fraction(13, 5), "exact", Fraction(13, 5)),
    (Fraction(0), "ceil", 0), (Fraction(-3), "ceil", 0),      # at or beyond the target: nothing
])
def test_gap_units(gap: Fraction, rounding: str, units: Fraction) -> None:
    assert gap_units(gap, rounding) == units


def test_no_data_loses_nothing_and_says_so(fresh_db: sqlite3.Connection) -> None:
    snap = load_snapshot(fresh_db, as_of=TODAY)
    item = score(snap, "community_2009", period=SEPT, run_checks=False).item("A1")
    assert item.points == 10 and item.losses == ()
    assert any("无数据" in n for n in item.notes)


def test_lower_is_better_indicator(village) -> None:  # noqa: F811
    # birth rate must stay at or under a target: 260.87‰ against 200‰ is 60.87 points over -> 61 × 0.1
    snap, _ = village
    scheme = mini({"key": "1", "text": "出生率", "points": 10, "rule": [
        {"kind": "indicator", "indicator": "birth_rate", "target": 200, "per_point": 0.1}]})
    item = score(snap, scheme, period=SEPT, run_checks=False).item("1")
    assert item.lost == 6.1 and "高于目标 200‰" in item.losses[0].reason


# ---- per record: "无农业人口政策外多孩" ---------------------------------------------------------------------------

def test_count_rule_per_out_of_policy_multichild_birth(village) -> None:  # noqa: F811
    snap, v = village
    scheme = mini({"key": "1", "text": "无政策外多孩", "points": 15, "rule": [
        {"kind": "count", "label": "政策外多孩", "indicator": "out_of_policy_multichild_rate", "per": 5}]})
    item = score(snap, scheme, period=SEPT, run_checks=False).item("1")
    assert item.points == 10
    [loss] = item.losses
    assert loss.reason.startswith("政策外多孩 1 例") and loss.refs == (Ref("birth", v.births["赵三"], v.ids["赵敏"]),)


# ---- per finding: "逻辑错误每差错一项扣0.2分" ----------------------------------------------------------------------

def _findings(n: int, *, kind: str = "logic", severity: str = "error", start: int = 0) -> list[Finding]:
    return [Finding(code="T001", severity=severity, kind=kind, ledger="card", subject=Ref("household", start + i),
                    field="", message="测试") for i in range(n)]


@pytest.mark.parametrize(("findings", "points"), [
    ([], 10),
    (_findings(7), 8.6),                                      # 7 × 0.2 = 1.4
    (_findings(3) + _findings(2, kind="blank", start=10), 9),  # logic and 帐册差错 both 0.2 each
    (_findings(3) + _findings(4, severity="warning", start=10), 9.4),   # warnings are not errors
    (_findings(49), 0.2),
    (_findings(60), 0),                                       # 12 points due, the item has 10: never below zero
])
def test_logic_errors_cost_0_2_each_capped_at_the_item(fresh_db: sqlite3.Connection, findings, points) -> None:
    snap = load_snapshot(fresh_db, as_of=TODAY)
    item = score(snap, "community_2009", period=SEPT, findings=findings).item("B4")
    assert item.points == points
    assert item.capped == (len(findings) == 60)
    if findings:
        assert any("× 0.2 分" in loss.reason for loss in item.losses)


def test_findings_not_checked_are_not_scored(fresh_db: sqlite3.Connection) -> None:
    sheet = score(load_snapshot(fresh_db, as_of=TODAY), "community_2009", period=SEPT, run_checks=False)
    assert not sheet.findings_checked and any(f.code == "no_checks" for f in sheet.flags)
    assert sheet.item("B4").points == 10


def test_findings_rule_by_rule_code(fresh_db: sqlite3.Connection) -> None:
    scheme = mini({"key": "1", "text": "身份证号", "points": 2, "rule": [
        {"kind": "findings", "codes": ["I007"], "per": 0.5, "cap": 1}]})
    found = _findings(3) + [Finding("I007", "error", "blank", "card", Ref("person", i, i), "id_number", "空")
                            for i in range(1, 4)]
    item = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, findings=found).item("1")
    assert item.points == 1 and "本规则最多扣 1 分" in item.losses[0].reason
    assert item.losses[0].refs == tuple(Ref("person", i, i) for i in range(1, 4))


# ---- the article cap: 第四条 says 5, its items add to 7 ------------------------------------------------------------

def test_article_four_is_capped_at_its_points(fresh_db: sqlite3.Connection) -> None:
    scheme = scheme_by_name("village_2006")
    snap = load_snapshot(fresh_db, as_of=TODAY)
    art = score(snap, scheme, period=SEPT, run_checks=False).article("第四条")
    assert [i.points for i in art.items] == [3, 2, 2] and (art.points, art.maximum, art.capped_by) == (5, 5, 2)

    # 4.1: 知晓率 80% is 10 points under 90 -> 1 point; items 2 + 2 + 2 = 6, the article still scores 5
    record_assessment(fresh_db, scheme=scheme, period=SEPT, item="4.1", values={"rights": 80}, note="抽样20户",
                      today=TODAY)
    art = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, run_checks=False).article("第四条")
    assert [i.points for i in art.items] == [2, 2, 2] and art.points == 5
    # 4.2 loses both its points: 2 + 0 + 2 = 4, under the cap, so the article drops to 4
    record_assessment(fresh_db, scheme=scheme, period=SEPT, item="4.2", points={"r1": 2}, note="未开展活动",
                      today=TODAY)
    sheet = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, run_checks=False)
    assert sheet.article("第四条").points == 4 and sheet.article("第四条").capped_by == 0
    assert sheet.total == 99


# ---- entered figures and the clerk's own assessment ---------------------------------------------------------------

@pytest.mark.parametrize(("fee", "points"), [(75, 10), (74.5, 9), (70, 5), (62.5, 0)])
def test_entered_rate(fresh_db: sqlite3.Connection, fee: float, points: float) -> None:
    # 政策兑现率 75%, −1 per point below: 74.5 -> 1 lost, 70 -> 5, 62.5 -> 13, capped at 10
    scheme = scheme_by_name("community_2009")
    record_assessment(fresh_db, scheme=scheme, period=SEPT, item="A2", values={"fee": fee}, note="县财政专户回单",
                      today=TODAY)
    item = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, run_checks=False).item("A2")
    assert item.points == points and item.assessed is True


def test_assessed_options(fresh_db: sqlite3.Connection) -> None:
    scheme = scheme_by_name("community_2009")
    record_assessment(fresh_db, scheme=scheme, period=SEPT, item="B1", options={"group": 1, "method": 1},
                      note="领导小组未成立，无考核办法", today=TODAY)
    record_assessment(fresh_db, scheme=scheme, period=SEPT, item="B3", options={"abuse": 2},
                      note="两次行政不作为", today=TODAY)
    sheet = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, run_checks=False)
    assert sheet.item("B1").points == 1.5                       # 3 − 1 − 0.5
    assert [loss.reason.split("，")[0] for loss in sheet.item("B1").losses] == ["社区未成立领导小组", "无考核办法"]
    assert sheet.item("B3").points == 1                         # 3 − 1 × 2
    assert "× 2 次" in sheet.item("B3").losses[0].reason
    assert sheet.item("B2").assessed is False and sheet.item("B2").points == 3   # not assessed: full, flagged


def test_unassessed_counts_zero_when_the_scheme_says_so(fresh_db: sqlite3.Connection) -> None:
    scheme = mini({"key": "1", "text": "协会组织健全", "points": 1, "rule": [{"kind": "assessed"}]}, unassessed="zero")
    item = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, run_checks=False).item("1")
    assert item.points == 0 and "尚未自评，按零分计" in item.losses[0].reason


# ---- bonus --------------------------------------------------------------------------------------------------------

def test_bonus_adds_up_to_its_article(fresh_db: sqlite3.Connection) -> None:
    scheme = mini({"key": "B1", "text": "经验推广", "points": 2, "rule": [{"kind": "assessed"}]},
                  {"key": "B2", "text": "创新", "points": 2, "rule": [{"kind": "assessed"}]},
                  article_points=3, bonus=True)
    assert scheme.warnings                                      # 2 + 2 > 3: capped, not refused
    for key in ("B1", "B2"):
        record_assessment(fresh_db, scheme=scheme, period=SEPT, item=key, points={"r1": 2}, note="县级推广",
                          today=TODAY)
    sheet = score(load_snapshot(fresh_db, as_of=TODAY), scheme, period=SEPT, run_checks=False)
    assert sheet.bonus == 3 and sheet.total == 13 and sheet.maximum == 10     # 10 of the base + 3, above the maximum
    assert sheet.item("B1").points == 2 and sheet.item("B1").losses[0].reason.startswith("专干自评加 2 分")


def test_bonus_indicator_pays_beyond_the_target(village) -> None:  # noqa: F811
    snap, _ = village
    scheme = mini({"key": "B1", "text": "三查", "points": 1, "rule": [
        {"kind": "indicator", "indicator": "checkup_coverage", "target": 30, "per_point": 0.1}]}, bonus=True)
    item = score(snap, scheme, period=SEPT, run_checks=False).item("B1")   # 40% is 10 points beyond 30%
    assert item.points == 1 and "加 1 分" in item.losses[0].reason


# ---- computed veto conditions ---------------------------------------------------------------------------------------

def test_computed_veto_conditions(village) -> None:  # noqa: F811
    snap, _ = village
    data = {"scheme": {"key": "t", "name": "测试方案", "total": 10},
            "article": [{"key": "1", "no": "第一条", "title": "测试", "points": 10, "item": [
                {"key": "1", "text": "协会", "points": 10, "rule": [{"kind": "assessed"}]}]}],
            "veto": [{"key": "v1", "text": "出现政策外多孩", "kind": "count",
                      "indicator": "out_of_policy_multichild_rate"},
                     {"key": "v2", "text": "符合政策生育率低于60%", "kind": "indicator",
                      "indicator": "policy_birth_rate", "target": 60}]}
    scheme, problems = read_scheme(data)
    assert scheme is not None, problems
    sheet = score(snap, scheme, period=SEPT, run_checks=False)
    assert sheet.total == 10 and sheet.vetoed                      # a veto whatever the points
    assert [f.text for f in sheet.flags if f.code == "veto_event"] == [
        "一票否决：出现政策外多孩（政策外多孩 1 例，2025年10月—2026年9月累计）"]   # 66.7% is above 60%


def test_a_bad_month_is_refused_in_chinese(fresh_db: sqlite3.Connection) -> None:
    with pytest.raises(InputError, match="月份“2026-13”无效"):
        score(load_snapshot(fresh_db, as_of=TODAY), "community_2009", period="2026-13", run_checks=False)
