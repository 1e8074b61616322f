"""The township's month: its table is the sum of its villages' tables, its indicators are sums of numerators over
sums of denominators, each village is scored under the township's scheme and ranked with the seed's flags."""

from __future__ import annotations

from fractions import Fraction

import pytest

from fpdesk.export import read_month_file
from fpdesk.township import (
    import_files, month_scores, open_township_file, set_scheme, submissions, township_indicators, township_table,
)
from fpdesk.township.ranking import Scored, rank_villages
from tests.test_township_villages import (  # noqa: F401  (township_villages is a fixture)
    PERIOD, TODAY, township_file, township_villages,
)


@pytest.fixture(scope="module")
def township(township_villages, tmp_path_factory):
    conn = open_township_file(township_file(tmp_path_factory.mktemp("aggregate"), township_villages))
    import_files(conn, [v.october for v in township_villages], today=TODAY)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def files(township_villages):
    return {v.code: read_month_file(v.october) for v in township_villages}


def test_the_township_table_is_the_sum_of_the_village_tables_in_every_cell(township, files):
    table = township_table(township, PERIOD)
    assert table.problems == ()
    assert len(table.rows) == 40
    keys = [k for k, _ in table.fields]
    assert set(keys) >= set(next(iter(files.values())).monthly)
    for key in keys:
        assert table.value("", key) == sum(f.monthly.get(key, 0) for f in files.values()), key
        for row in table.rows:                  # each village's row is its own file's figure
            assert table.value(row.code, key) == files[row.code].monthly.get(key, 0), (row.code, key)


def test_the_township_table_keeps_its_own_sums(township):
    table = township_table(township, PERIOD)
    births = {k: table.value("", k) for k, _ in table.fields if k.startswith("births.")}
    assert births["births.total"] == sum(births[k] for k in ("births.first", "births.second", "births.third_plus",
                                                            "births.out_of_policy", "births.undetermined"))
    assert table.value("", "population.end") > 0


def test_a_township_indicator_is_the_sum_of_numerators_over_the_sum_of_denominators(township, files):
    ind = township_indicators(township, PERIOD)
    averaged_differs = False
    for i, col in enumerate(ind.columns):
        pairs = [f.indicators[col.key] for f in files.values() if col.key in f.indicators]
        num = sum(p[0] for p in pairs)
        den = sum(Fraction(str(p[1])) for p in pairs)
        total = ind.total.ratios[i]
        assert (total.numerator, Fraction(str(total.denominator))) == (num, den), col.key
        if den:
            assert total.value == pytest.approx(float(Fraction(num) * (1000 if col.unit == "‰" else 100) / den))
            rates = [r.ratios[i].value for r in ind.rows if r.ratios[i] is not None and r.ratios[i].value is not None]
            if rates and abs(sum(rates) / len(rates) - total.value) > 0.05:
                averaged_differs = True
        else:
            assert total.value is None and total.text == "无数据"
    assert averaged_differs       # the villages differ in size: an average of rates would be wrong


def test_under_the_villages_own_scheme_the_township_score_is_their_self_score(township):
    scores = month_scores(township, PERIOD)
    assert scores.scheme.key == "village_2026_example"
    own = {s.village_code: s.score_total for s in submissions(township, period=PERIOD)}
    assert len(scores.ranking) == 40
    for r in scores.ranking:
        assert r.total == pytest.approx(own[r.code], abs=0.011), r.name


def test_under_another_scheme_villages_are_scored_from_their_figures(township_villages, tmp_path):
    conn = open_township_file(township_file(tmp_path, township_villages[:5]))
    set_scheme(conn, "village_2006", from_period="2026-10", today=TODAY)
    import_files(conn, [v.october for v in township_villages[:5]], today=TODAY)
    scores = month_scores(conn, PERIOD)
    assert scores.scheme.key == "village_2006"
    sheet = next(iter(scores.sheets.values()))
    assert sheet.maximum == 100 and 0 < sheet.total <= 100
    notes = [n for i in sheet.items for n in i.notes]
    assert "村未按本方案自评，按满分计。" in notes          # qualitative items: the scheme's "unassessed = full"
    losses = [loss.reason for i in sheet.items for loss in i.losses]
    assert any("台账差错" in x for x in losses)            # per-finding items from the file's counts
    conn.close()


def test_the_ranking_is_best_first_with_the_flags(township):
    ranking = month_scores(township, PERIOD).ranking
    totals = [r.total for r in ranking]
    assert totals == sorted(totals, reverse=True)
    for r in ranking:
        assert r.vetoed == (r.total < 80)
        assert r.lagging == (not r.vetoed and r.total < 85 and r.from_bottom <= 3)


S = Fraction
# (case, scores, expected flags by name) — veto below 80, lagging = bottom three and below 85, ties share a place
RANKINGS = [
    ("none flagged", [("甲", S(95)), ("乙", S(90)), ("丙", S(88)), ("丁", S(86))], {}),
    ("bottom three under 85", [("甲", S(95)), ("乙", S(84)), ("丙", S(83)), ("丁", S(82)), ("戊", S(81))],
     {"丙": "后进村", "丁": "后进村", "戊": "后进村"}),
    ("below 80 is a veto, not lagging", [("甲", S(95)), ("乙", S(90)), ("丙", S(84)), ("丁", S(79.5))],
     {"丙": "后进村", "丁": "一票否决"}),
    ("a tie at the third place from the bottom", [("甲", S(95)), ("乙", S(84)), ("丙", S(84)), ("丁", S(83)),
                                                  ("戊", S(82))],
     {"乙": "后进村", "丙": "后进村", "丁": "后进村", "戊": "后进村"}),
    ("bottom three but 85 or more", [("甲", S(99)), ("乙", S(98)), ("丙", S(97)), ("丁", S(85))], {}),
]


@pytest.mark.parametrize("case, given, expected", RANKINGS, ids=[c[0] for c in RANKINGS])
def test_rank_villages(case, given, expected):
    ranked = rank_villages([Scored(code=n, name=n, total=t) for n, t in given], veto_below=S(80),
                           lagging_below=S(85))
    flags = {r.name: r.flag_text.split("（")[0] for r in ranked if r.flags}
    assert flags == expected
    ranks = {r.name: r.rank for r in ranked}
    assert ranks[given[0][0]] == 1


def test_tied_villages_share_a_place():
    ranked = rank_villages([Scored("a", "甲", S(90)), Scored("b", "乙", S(90)), Scored("c", "丙", S(80))],
                           veto_below=None, lagging_below=None)
    assert [(r.name, r.rank) for r in ranked] == [("甲", 1), ("乙", 1), ("丙", 3)]


def test_a_veto_event_the_village_recorded_is_a_veto():
    ranked = rank_villages([Scored("a", "甲", S(95), vetoes=("发生恶性案件",))], veto_below=S(80), lagging_below=S(85))
    assert ranked[0].vetoed and ranked[0].flag_text == "一票否决（发生恶性案件）"


# (case, table, the words) — the balance is stated, a gap reported, never refused
BALANCES = [
    ("balanced", {"population.start": 100, "births.total": 2, "deaths.total": 1, "moves_in.total": 3,
                  "moves_out.total": 1, "population.end": 103}, "期末人口 103 = 期初 100 + 出生 2 − 死亡 1 + 迁入 3 − 迁出 1（补报不计）：平衡。"),
    ("a late birth is in the start already", {"population.start": 100, "births.total": 2, "births.late": 1,
                                              "population.end": 101}, "出生 1"),
    ("a gap", {"population.start": 100, "population.end": 98}, "不平衡，差 -2"),
]


@pytest.mark.parametrize("case, table, words", BALANCES, ids=[c[0] for c in BALANCES])
def test_the_population_balance(case, table, words):
    from fpdesk.township.fields import balance_text

    assert words in balance_text(table)
