"""The score as the clerk lives with it: her own assessments kept in the village file, the veto and lagging flags,
the change one edit makes, the village's own scheme and month, and ``fpdesk score``."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from fpdesk import services
from fpdesk.cli import main
from fpdesk.errors import InputError
from fpdesk.score import (
    DEFAULT_SCHEME, assessments, clear_assessment, diff, record_assessment, scheme_by_name, score, score_by_month,
    setting_key, statistics_year_months, village_period, village_scheme, village_score,
)
from fpdesk.snapshot import load_snapshot
from tests.conftest import TODAY
from tests.test_indicators import build_village

V2006 = scheme_by_name("village_2006")
EXAMPLE = scheme_by_name("village_2026_example")


def _score(conn: sqlite3.Connection, scheme=V2006, period: str = "2026-11", **kw):
    return score(load_snapshot(conn, as_of=TODAY), scheme, period=period, run_checks=False, **kw)


# ---- assessments kept in the village file -------------------------------------------------------------------------

def test_an_assessment_is_a_village_setting(fresh_db: sqlite3.Connection) -> None:
    record_assessment(fresh_db, scheme=V2006, period="2026-11", item="8.2", points={"r1": 0.5},
                      note="活动记录不全", today=TODAY)
    stored = fresh_db.execute("SELECT value FROM setting WHERE key = ?",
                              (setting_key("village_2006", "2026-11", "8.2"),)).fetchone()[0]
    assert json.loads(stored) == {"note": "活动记录不全", "on": "2026-11-23", "options": {}, "points": {"r1": 0.5},
                                  "values": {}}
    # written like any edit: one audited operation
    assert fresh_db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'setting' AND field = ?",
                            (setting_key("village_2006", "2026-11", "8.2"),)).fetchone()[0] == 1
    item = _score(fresh_db).item("8.2")
    assert (item.points, item.assessed) == (0.5, True)
    assert item.losses[0].reason == "专干自评扣 0.5 分：活动记录不全"


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"item": "99.9"}, "item", "没有考核项目“99.9”"),
    ({"item": "8.2", "points": {"r1": 2}}, "points", "自评分应在 0 到 1 之间"),
    ({"item": "8.2", "points": {"r1": 0.5}}, "note", "扣分（或加分）须填写说明"),
    ({"item": "3.2", "options": {"case": 2}}, "options", "次数应为 0或 1"),
    ({"item": "3.2", "options": {"nope": 1}}, "options", "没有扣分选项“nope”"),
    ({"item": "4.1", "values": {"rights": 120}, "note": "x"}, "values", "应在 0 到 100 之间"),
    ({"item": "4.1", "points": {"rights": 1}, "note": "x"}, "points", "没有可直接填写分数的自评规则"),
    ({"item": "4.1", "values": {"rights": 85}}, "note", "填报的数字须注明来源"),
    ({"item": "veto.v1", "veto": True}, "note", "登记一票否决事件时须填写说明"),
    ({"item": "veto.v9", "veto": True, "note": "x"}, "item", "没有一票否决条件"),
    ({"item": "8.2", "period": "2026-13"}, "period", "月份“2026-13”无效"),
])
def test_assessments_are_checked(fresh_db: sqlite3.Connection, kwargs: dict, field: str, message: str) -> None:
    args = {"scheme": V2006, "period": "2026-11", "today": TODAY, **kwargs}
    with pytest.raises(InputError, match=message) as err:
        record_assessment(fresh_db, **args)
    assert err.value.field == field
    assert fresh_db.execute("SELECT count(*) FROM setting WHERE key LIKE 'score.%'").fetchone()[0] == 0


def test_an_assessment_holds_for_the_rest_of_the_statistics_year(fresh_db: sqlite3.Connection) -> None:
    record_assessment(fresh_db, scheme="village_2006", period="2026-10", item="10.1", points={"r1": 1}, note="书记未参加",
                      today=TODAY)
    snap = load_snapshot(fresh_db, as_of=TODAY)
    assert assessments(snap.settings, "village_2006", "2027-09")["10.1"].period == "2026-10"
    assert "10.1" not in assessments(snap.settings, "village_2006", "2026-09")      # the year before
    assert "10.1" not in assessments(snap.settings, "village_2006", "2027-10")      # the next year
    assert "10.1" not in assessments(snap.settings, "community_2009", "2026-12")    # another scheme
    clear_assessment(fresh_db, scheme=V2006, period="2026-12", item="10.1", today=TODAY)
    assert _score(fresh_db, period="2026-11").item("10.1").points == 1
    assert _score(fresh_db, period="2027-01").item("10.1").assessed is False


# ---- flags ----------------------------------------------------------------------------------------------------------

def _lose(conn: sqlite3.Connection, items: dict[str, float]) -> None:
    for key, points in items.items():
        record_assessment(conn, scheme=V2006, period="2026-11", item=key, points={"r1": points}, note="自评",
                          today=TODAY)


def test_below_80_is_a_one_vote_veto(fresh_db: sqlite3.Connection) -> None:
    assert _score(fresh_db).total == 100 and not _score(fresh_db).vetoed
    _lose(fresh_db, {"9.1": 5, "8.3": 2, "10.1": 2, "10.2": 2, "7.4": 1, "8.1": 1, "8.2": 1, "8.4": 1,
                     "8.5": 1, "10.3": 1, "7.5": 0.5})
    sheet = _score(fresh_db)
    assert sheet.total == 82.5 and not sheet.vetoed
    assert [f.code for f in sheet.flags if f.level != "info"] == ["lagging"]
    assert "低于 85 分" in sheet.flags[0].text
    _lose(fresh_db, {"4.3": 2})                     # 第四条 3 + 2 + 0 = 5: absorbed by the article's cap
    assert _score(fresh_db).total == 82.5
    _lose(fresh_db, {"4.2": 2, "4.3": 2})            # 3 + 0 + 0 = 3: two lost
    sheet = _score(fresh_db)
    assert sheet.total == 80.5 and not sheet.vetoed
    record_assessment(fresh_db, scheme=V2006, period="2026-11", item="3.2", options={"case": 1}, note="查实一例",
                      today=TODAY)
    sheet = _score(fresh_db)
    assert sheet.total == 78.5 and sheet.vetoed
    assert sheet.flags[0].text == "总分 78.5 分，低于 80 分：一票否决。"


def test_a_veto_event_can_be_recorded(fresh_db: sqlite3.Connection) -> None:
    record_assessment(fresh_db, scheme=V2006, period="2026-11", item="veto.v1", veto=True,
                      note="县考核发现瞒报出生2例", today=TODAY)
    sheet = _score(fresh_db)
    assert sheet.total == 100 and sheet.vetoed
    assert [f.text for f in sheet.flags if f.code == "veto_event"] == [
        "一票否决：因省、州、县考核出现工作差错影响大局（专干登记：县考核发现瞒报出生2例）"]
    record_assessment(fresh_db, scheme=V2006, period="2026-11", item="veto.v1", veto=False, today=TODAY)
    assert not _score(fresh_db).vetoed


def test_the_example_scheme_says_it_is_an_example(fresh_db: sqlite3.Connection) -> None:
    sheet = _score(fresh_db, EXAMPLE)
    assert sheet.example and any(f.code == "example" for f in sheet.flags)


# ---- the change one edit makes ------------------------------------------------------------------------------------

def test_correcting_one_blank_raises_the_score_by_its_deduction(fresh_db: sqlite3.Connection) -> None:
    # 2026 example 5.2: 空项、不规范 0.1 each. Filling in 李娜's education removes one blank finding (and she still
    # has others, so the accuracy items do not move): the total rises by exactly 0.1.
    build_village(fresh_db)
    li_na = fresh_db.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0]
    before = score(load_snapshot(fresh_db, as_of=TODAY), EXAMPLE, period="2026-09")
    assert before.findings_checked
    services.correct_field(fresh_db, table="person", record=li_na, field="education", value="20", today=TODAY)
    after = score(load_snapshot(fresh_db, as_of=TODAY), EXAMPLE, period="2026-09")
    change = diff(before, after)
    assert change.delta == 0.1 and change.text == "▲ +0.1"
    assert [(c.key, c.delta) for c in change.items] == [("5.2", 0.1)]
    assert after.total == round(before.total + 0.1, 2)


def test_diff_of_a_loss(fresh_db: sqlite3.Connection) -> None:
    before = _score(fresh_db)
    _lose(fresh_db, {"8.2": 0.4})
    change = diff(before, _score(fresh_db))
    assert change.text == "▼ −0.4" and change.items[0].article_no == "第八条"
    assert diff(before, before).text == "" and diff(before, before).items == ()


def test_a_recorded_veto_shows_in_the_diff(fresh_db: sqlite3.Connection) -> None:
    before = _score(fresh_db)
    record_assessment(fresh_db, scheme=V2006, period="2026-11", item="veto.v1", veto=True, note="事件",
                      today=TODAY)
    change = diff(before, _score(fresh_db))
    assert change.delta == 0 and [f.code for f in change.flags_added] == ["veto_event"]


# ---- the village's own scheme and month ------------------------------------------------------------------------------

def test_village_settings_choose_scheme_and_month(fresh_db: sqlite3.Connection) -> None:
    snap = load_snapshot(fresh_db, as_of=dt.date(2026, 12, 3))
    assert village_scheme(snap).key == DEFAULT_SCHEME
    assert village_period(snap) == "2026-11"                # November's report is due on 5 December
    assert village_period(load_snapshot(fresh_db, as_of=dt.date(2026, 12, 8))) == "2026-12"
    services.set_setting(fresh_db, key="score_scheme", value="village_2006", today=TODAY)
    services.set_setting(fresh_db, key="score_period", value="2026-09", today=TODAY)
    snap = load_snapshot(fresh_db, as_of=TODAY)
    sheet = village_score(snap, findings=())
    assert (sheet.scheme_key, sheet.period) == ("village_2006", "2026-09")


# ---- fpdesk score ---------------------------------------------------------------------------------------------------

@pytest.fixture
def village_file(tmp_path: Path, fresh_db: sqlite3.Connection) -> Path:
    build_village(fresh_db)
    return Path(fresh_db.execute("PRAGMA database_list").fetchone()[2])


def test_cli_json(village_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", "--db", str(village_file), "--scheme", "community_2009", "--period", "2026-09",
                 "--as-of", "2026-11-23", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["scheme"], data["period"], data["maximum"]) == ("community_2009", "2026-09", 100)
    a1 = data["articles"][0]["items"][0]
    assert a1["key"] == "A1" and a1["points"] == 0                 # 66.7% against 88%: 22 points short
    assert a1["indicators"][0]["numerator"] == 2 and a1["indicators"][0]["denominator"] == 3
    assert all(set(r) == {"table", "id", "person_id"} for r in a1["losses"][0]["refs"])
    assert "李娜" not in json.dumps(data, ensure_ascii=False)       # ids only, no names


def test_cli_text(village_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--db", str(village_file), "--scheme", "village_2006", "--period", "2026-09",
                 "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "第四条 抓好宣传教育　5 / 5" in out and "按本条 5 分封顶" in out
    assert "提醒（方案）：第四条" in out and "总分：" in out


def test_cli_list_and_errors(village_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--list"]) == 0
    assert "village_2026_example" in capsys.readouterr().out
    assert main(["score", "--db", str(village_file), "--scheme", "nope"]) == 2
    assert "没有名为“nope”的考核方案" in capsys.readouterr().err


def test_score_by_month_for_the_chart(fresh_db: sqlite3.Connection) -> None:
    assert statistics_year_months("2026-11") == ("2026-10", "2026-11")
    assert statistics_year_months("2026-09")[0] == "2025-10" and len(statistics_year_months("2026-09")) == 12
    build_village(fresh_db)
    snap = load_snapshot(fresh_db, as_of=TODAY)
    months = score_by_month(snap, "community_2009", period="2026-09", findings=())
    assert [m.period for m in months][:3] == ["2025-10", "2025-11", "2025-12"]
    by_month = {m.period: m.total for m in months}
    # Until December nobody was born: no data, nothing lost. In January 赵三 is born out of policy: A1 (88%) is
    # 0 of 1, all 10 lost; A3: his mother has no long-acting measure until her sterilisation on 10 February, all
    # 10 lost. In February A3 is whole again, but 郑红 arrives with no place recorded: B6's 信息录入率 is 0 of 1,
    # 95 points short × 0.1 = 9.5 lost.
    assert by_month["2025-12"] - by_month["2026-01"] == 20
    assert by_month["2026-02"] - by_month["2026-01"] == 10 - 9.5
    assert months[-1].total == score(snap, "community_2009", period="2026-09", findings=()).total
