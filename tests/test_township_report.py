"""The township's monthly report (PDF and XLSX) and the ``fpdesk township`` commands."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from fpdesk.cli import main
from fpdesk.township import (
    import_files, month_report, month_scores, open_township_file, township_table, write_report,
)
from tests.pdf_reader import pdf_pages, pdf_text
from tests.test_township_villages import (  # noqa: F401  (township_villages is a fixture)
    PERIOD, TODAY, content, correct_october, township_file, township_villages, villages_csv,
)

PAGE_OF = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")


@pytest.fixture(scope="module")
def township(township_villages, tmp_path_factory):
    """40 villages, the first one's October corrected, the last one missing."""
    folder = tmp_path_factory.mktemp("report")
    conn = open_township_file(township_file(folder, township_villages))
    files = [v.october for v in township_villages[:-1]] + [correct_october(township_villages[0], folder / "c")]
    import_files(conn, files, today=TODAY)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def written(township, tmp_path_factory):
    report = month_report(township, PERIOD, today=TODAY)
    return report, write_report(report, tmp_path_factory.mktemp("out"))


def test_the_report_files_are_named_by_township_and_month(written):
    report, (pdf, xlsx) = written
    assert (pdf.name, xlsx.name) == ("城关镇_2026-10_汇总.pdf", "城关镇_2026-10_汇总.xlsx")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"WenQuanYiMicroHei" in data and b"/FontFile2" in data   # font embedded


def test_the_pdf_has_every_part_and_numbered_pages(written):
    report, (pdf, _) = written
    text = pdf_text(pdf)
    for title in ("报送情况", "乡镇计划生育月报表（各村汇总）", "各村月报表", "各村考核指标", "目标管理责任制考核排名",
                  "更正记录"):
        assert title in text
    assert "已报 39/40" in text and "未报 1" in text
    pages = PAGE_OF.findall(text)
    assert pages and all(int(x) <= int(y) for x, y in pages)
    each = text.split("\f")[:-1]                # pdf_text ends every page with a form feed
    assert len(each) == pdf_pages(pdf) and all(len(PAGE_OF.findall(page)) == 1 for page in each), \
        "every page says which page of its part it is"
    assert "校验：各项合计与分项相符" in text


def test_the_workbook_holds_the_township_table_and_the_ranking(written, township):
    report, (_, xlsx) = written
    wb = load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["报送情况", "乡镇月报表", "各村月报表", "指标", "考核排名", "更正记录"]
    table = township_table(township, PERIOD)
    rows = list(wb["乡镇月报表"].iter_rows(min_row=4, values_only=True))
    assert {r[0]: r[2] for r in rows} == {k: table.value("", k) for k, _ in table.fields}
    ranking = list(wb["考核排名"].iter_rows(min_row=4, values_only=True))
    assert len(ranking) == 39
    assert [r[3] for r in ranking] == [x.total for x in month_scores(township, PERIOD).ranking]
    history = list(wb["更正记录"].iter_rows(min_row=4, values_only=True))
    assert len(history) == 1 and history[0][3] == 0        # the first report, replaced by its correction
    villages = list(wb["各村月报表"].iter_rows(min_row=4, values_only=True))
    assert villages[-1][1] == "合计" and len(villages) == 40


def test_the_report_of_a_month_nobody_reported(township, tmp_path):
    report = month_report(township, "2026-09", today=TODAY)
    pdf, xlsx = write_report(report, tmp_path)
    assert "未报 40" in report.status.summary
    assert "本月没有村报送" in pdf_text(pdf)


# ---- the command line --------------------------------------------------------------------------------------------

def test_cli_init_import_status_report(township_villages, tmp_path, capsys):
    vs = township_villages[:3]
    csv = villages_csv(tmp_path / "villages.csv", vs)
    db = tmp_path / "城关镇.sqlite"
    assert main(["township", "init", "--db", str(db), "--name", "城关镇", "--villages", str(csv)]) == 0
    assert "已建立乡镇汇总文件" in capsys.readouterr().out

    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"")
    files = [str(v.october) for v in vs[:2]] + [str(bad)]
    assert main(["township", "import", "--db", str(db), "--today", TODAY.isoformat(), *files]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("已导入") and vs[0].october.name in out[0] and f"{vs[0].name} 2026年10月" in out[0]
    assert out[2].startswith("拒收") and "坏文件.xlsx" in out[2] and "空文件" in out[2]
    assert out[-1] == "合计：导入 2 个，更正替换 0 个，相同未变 0 个，拒收 1 个。"

    # the same good files again: nothing changes, nothing refused, status 0
    conn = open_township_file(db)
    before = content(conn)
    conn.close()
    assert main(["township", "import", "--db", str(db), "--today", TODAY.isoformat(), *files[:2]]) == 0
    assert "相同未变 2 个" in capsys.readouterr().out
    conn = open_township_file(db)
    assert content(conn) == before
    conn.close()

    assert main(["township", "status", "--db", str(db), "--month", "2026-10", "--today", TODAY.isoformat()]) == 0
    status = capsys.readouterr().out
    assert "已报 2/3（按时 2，逾期 0），未报 1" in status and vs[2].name in status and "第 1 名" in status

    out_dir = tmp_path / "报表"
    assert main(["township", "report", "--db", str(db), "--month", "2026-10", "--out", str(out_dir)]) == 0
    assert (out_dir / "城关镇_2026-10_汇总.pdf").exists() and (out_dir / "城关镇_2026-10_汇总.xlsx").exists()


def test_cli_errors_are_plain(tmp_path, capsys):
    csv = tmp_path / "v.csv"
    csv.write_text("村代码,村名称\n4.20102E+11,东河村\n", encoding="utf-8")
    assert main(["township", "init", "--db", str(tmp_path / "t.sqlite"), "--name", "城关镇", "--villages",
                 str(csv)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：村名单“v.csv”有 1 处错误") and "科学计数法" in err
    assert not (tmp_path / "t.sqlite").exists()
    assert main(["township", "status", "--db", str(tmp_path / "none.sqlite"), "--month", "2026-10"]) == 2
    assert "找不到乡镇汇总文件" in capsys.readouterr().err


def test_cli_import_preview_writes_nothing(township_villages, tmp_path, capsys):
    db = tmp_path / "t.sqlite"
    csv = villages_csv(tmp_path / "v.csv", township_villages[:2])
    assert main(["township", "init", "--db", str(db), "--name", "城关镇", "--villages", str(csv)]) == 0
    conn = open_township_file(db)
    before = content(conn)
    conn.close()
    capsys.readouterr()
    files = [str(v.october) for v in township_villages[:2]]
    assert main(["township", "import", "--db", str(db), "--preview", "--today", TODAY.isoformat(), *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("新报") and out[-1] == "预览（未写入）：新报 2 个，更正报 0 个，相同 0 个，拒收 0 个。"
    conn = open_township_file(db)
    assert content(conn) == before
    conn.close()
