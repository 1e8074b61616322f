"""The township window: villages with their reporting, import by drop / dialog with a preview and a result,
the aggregated table, the ranking with flags, the charts — and its pictures for the docs.

To refresh the pictures in the docs:

    FPDESK_SCREENSHOTS=docs/screenshots pytest -q tests/ui/test_township_window.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QMessageBox

from fpdesk.township import TownshipFileError, import_files, open_township_file
from tests.test_township_villages import (  # noqa: F401  (township_villages is a fixture)
    PERIOD, TODAY, content, correct_october, export, first_report_again, township_file, township_villages,
)
from ui.township import TownshipWindow, open_township_window
from ui.township.import_dialog import ImportDialog
from ui.township.session import TownshipSession


@pytest.fixture(scope="module")
def township_template(township_villages, tmp_path_factory) -> Path:
    """城关镇 in October: 36 villages on time, one late, one corrected, two not yet reported (last two)."""
    folder = tmp_path_factory.mktemp("township-ui")
    path = township_file(folder, township_villages)
    conn = open_township_file(path)
    late = first_report_again(township_villages[5], folder / "late", made_at=dt.datetime(2026, 11, 8, 15, 0))
    files = [v.october for v in township_villages[:-2] if v is not township_villages[5]] + [late]
    files.append(correct_october(township_villages[0], folder / "corr"))
    import_files(conn, files, today=TODAY)
    conn.close()
    return path


@pytest.fixture
def window(qapp, qtbot, township_template, tmp_path) -> TownshipWindow:
    path = tmp_path / "城关镇.sqlite"
    shutil.copy(township_template, path)
    w = open_township_window(path, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    return w


@pytest.fixture
def dialogs(monkeypatch):
    """Import dialogs are recorded; the preview is accepted unless a test says otherwise."""
    seen: dict = {"dialogs": [], "answer": QDialog.DialogCode.Accepted, "info": []}

    def exec_(self):
        seen["dialogs"].append(self)
        return seen["answer"]

    monkeypatch.setattr(ImportDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: seen["info"].append(text))
    return seen


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("FPDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _rows(view) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_window_shows_the_villages_and_their_reporting(window, township_villages):
    vs = township_villages
    assert window.windowTitle().startswith("城关镇 · 乡镇汇总")
    assert window.month_box.currentData() == PERIOD
    assert window.summary.text().endswith(f"已报 38/40（按时 37，逾期 1），未报 2：{vs[38].name}、{vs[39].name}</span>")
    rows = {r[0]: r[1] for r in _rows(window.villages)}
    assert len(rows) == 40
    assert rows[vs[0].name] == "✔ 按时报送（更正 1 次）"
    assert rows[vs[2].name] == "✔ 按时报送"
    assert rows[vs[5].name] == "⚠ 逾期 3 天"
    assert rows[vs[39].name] == "✖ 未报送"


def test_the_tables_and_charts_come_from_the_core(window):
    table = _rows(window.table_view)
    assert table[0][0] == "期初人口" and len(window.table_view.model().sourceModel().columns) == 2 + 38
    assert "各项合计与分项相符" in window.table_check.text()
    ranking = _rows(window.ranking_view)
    assert len(ranking) == 38 and ranking[0][0] == "1"
    assert [r for r in ranking if r[4].startswith("一票否决")] == [r for r in ranking if float(r[2]) < 80]
    scores = window.scores_chart.chart()
    assert scores.title() == "各村得分（38 个村）"
    assert scores.series()[0].barSets()[0].count() == 38
    trend = window.trend_chart.chart()
    assert [b.label() for b in trend.series()[0].barSets()] == ["按时报送", "逾期报送", "逾期未报", "未到截止、待报"]
    assert [b.at(0) for b in trend.series()[0].barSets()] == [37, 1, 2, 0]


def test_another_month(window):
    window.month_box.setCurrentIndex(window.month_box.findData("2026-09"))
    assert "已报 0/40" in window.summary.text()
    assert _rows(window.ranking_view) == []


def test_dropping_files_previews_then_imports(window, dialogs, township_villages, tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    for v in township_villages[-2:]:
        shutil.copy(v.october, folder / v.october.name)
    (folder / "坏文件.xlsx").write_bytes(b"")
    shutil.copy(township_villages[3].october, folder / township_villages[3].october.name)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    preview, result = dialogs["dialogs"]
    signs = sorted(r[0] for r in preview.texts())
    assert signs == ["✖ 拒收", "✚ 新报", "✚ 新报", "＝ 相同"]
    assert preview.accept_button.text() == "导入 2 个文件"
    assert "导入 2 个，更正替换 0 个，相同未变 1 个，拒收 1 个" in result.head.text()
    assert "已报 40/40" in window.summary.text()


def test_declining_the_preview_writes_nothing(window, dialogs, township_villages):
    dialogs["answer"] = QDialog.DialogCode.Rejected
    before = content(window.session.conn)
    assert window.import_paths([township_villages[-1].october]) is None
    assert content(window.session.conn) == before
    assert len(dialogs["dialogs"]) == 1


def test_the_report_is_written_from_the_window(window, dialogs, tmp_path):
    pdf, xlsx = window.write_report(tmp_path / "报表")
    assert pdf.exists() and xlsx.exists() and "已写出" in dialogs["info"][0]


def test_a_township_file_opens_in_one_window_only(window):
    with pytest.raises(TownshipFileError, match="已在另一个窗口"):
        TownshipSession.open(window.session.path)


@pytest.fixture
def with_history(window, township_villages, tmp_path):
    """August and September too, as a township would have them: most on time, a few late, a few missing."""
    files = []
    for month, late, missing in (("2026-08", {3, 17, 29}, {38}), ("2026-09", {5, 22}, {12, 38})):
        for n, v in enumerate(township_villages):
            if n in missing:
                continue
            db = tmp_path / "copies" / month / v.db.name
            db.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(v.db, db)
            due_month = int(month[5:]) + 1
            made = dt.datetime(2026, due_month, 8 if n in late else 3, 10, 0)
            files.append(export(db, tmp_path / "files" / month, period=month, made_at=made))
    import_files(window.session.conn, files, today=TODAY)
    window.session.refresh()
    return window


def test_pictures_of_the_township_window(with_history, dialogs, township_villages, shots, tmp_path):
    window = with_history
    window.show()
    for index, name in ((0, "township-window"), (1, "township-table"), (2, "township-indicators"),
                        (3, "township-ranking"), (4, "township-trend")):
        window.tabs.setCurrentIndex(index)
        picture = window.grab()
        assert (picture.width(), picture.height()) == (1366, 740)      # fits a 1366×768 laptop
        assert picture.save(str(shots / f"{name}.png"))
    window.tabs.setCurrentIndex(3)
    chart = window.scores_chart
    chart.resize(640, chart.minimumHeight())           # the whole chart, as it scrolls on the screen
    assert chart.grab().save(str(shots / "township-scores.png"))
    # the preview of a USB stick with the last two villages, a correction, a file seen before and three bad ones
    folder = tmp_path / "U盘"
    folder.mkdir()
    for v in township_villages[-2:]:
        shutil.copy(v.october, folder / v.october.name)
    shutil.copy(township_villages[7].october, folder / township_villages[7].october.name)
    correct_october(township_villages[9], folder)
    (folder / f"{township_villages[10].code}_{PERIOD}.xlsx").write_bytes(b"")
    data = township_villages[11].october.read_bytes()
    (folder / f"{township_villages[11].code}_{PERIOD}.xlsx").write_bytes(data[: len(data) // 2])
    (folder / "报表说明.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    dialogs["answer"] = QDialog.DialogCode.Rejected
    window.import_paths([folder])
    preview = dialogs["dialogs"][0]
    preview.show()
    preview.resize(1280, 420)
    assert preview.grab().save(str(shots / "township-preview.png"))
