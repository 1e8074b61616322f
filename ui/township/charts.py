"""The township's charts (QtCharts), fed only with figures from the core: the villages' scores (bars, best at the
top, coloured and named by their flag) and the reporting over time (on time / late / missing per month)."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalStackedBarSeries, QStackedBarSeries, QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication

from fpdesk.township import MonthCount, Ranked

GREEN, AMBER, RED, GREY, BLUE = (QColor("#3f8f4f"), QColor("#d39a1c"), QColor("#c0392b"), QColor("#9a9a9a"),
                                 QColor("#3b6fb6"))


def _font(delta: float = 0, *, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() + delta)
    font.setBold(bold)
    return font


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(bold=True))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(_font(-1))
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


def _pts(x: Fraction | None) -> str:
    return "" if x is None else f"{float(x):g}"


def scores_view(ranking: Sequence[Ranked], *, veto_below: Fraction | None,
                lagging_below: Fraction | None) -> QChartView:
    """各村得分: one bar per village, best at the top; 一票否决 red, 后进村 amber, the rest blue — and the legend
    names each colour (colour never alone)."""
    sets = {"ok": QBarSet("得分"), "lagging": QBarSet(f"后进村（倒数三位且低于 {_pts(lagging_below)} 分）"),
            "veto": QBarSet(f"一票否决（低于 {_pts(veto_below)} 分）")}
    for key, colour in (("ok", BLUE), ("lagging", AMBER), ("veto", RED)):
        sets[key].setColor(colour)
        sets[key].setBorderColor(colour)
        sets[key].setLabelColor(QColor("#ffffff"))
    ordered = list(reversed(ranking))            # a horizontal chart draws its first category at the bottom
    for r in ordered:
        kind = "veto" if r.vetoed else "lagging" if r.lagging else "ok"
        for key, bar in sets.items():
            bar.append(r.total if key == kind else 0)
    series = QHorizontalStackedBarSeries()
    for key, bar in sets.items():
        if key == "ok" or any(bar.at(i) for i in range(bar.count())):
            series.append(bar)
    series.setBarWidth(0.75)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPosition(QHorizontalStackedBarSeries.LabelsPosition.LabelsInsideEnd)
    chart = _chart(f"各村得分（{len(ranking)} 个村）")
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append([f"{r.rank}. {r.name}" for r in ordered] or [""])
    names.setLabelsFont(_font(-1.5))
    names.setTruncateLabels(False)
    points = QValueAxis()
    low = min([r.total for r in ranking] + [float(veto_below or 100)])
    start = max(0, (int(low) // 10) * 10 - 10) if ranking else 0
    points.setRange(start, 100)
    points.setLabelFormat("%d")
    points.setTickCount((100 - start) // 10 + 1)         # a line every 10 points
    points.setLabelsFont(_font(-1.5))
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(points, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(names)
    series.attachAxis(points)
    view = _view(chart)
    view.setMinimumHeight(max(260, 22 * len(ranking) + 90))
    return view


def reporting_view(months: Sequence[MonthCount]) -> QChartView:
    """报送情况（按月）: villages that reported on time, late, not at all (deadline passed), or not yet."""
    sets = (QBarSet("按时报送"), QBarSet("逾期报送"), QBarSet("逾期未报"), QBarSet("未到截止、待报"))
    for bar, colour in zip(sets, (GREEN, AMBER, RED, GREY)):
        bar.setColor(colour)
        bar.setBorderColor(colour)
        bar.setLabelColor(QColor("#ffffff"))
    for m in months:
        for bar, value in zip(sets, (m.on_time, m.late, m.missing, m.awaiting)):
            bar.append(value)
    series = QStackedBarSeries()
    for bar in sets:
        series.append(bar)
    series.setBarWidth(min(0.6, 0.15 * max(1, len(months))))   # one month is a bar, not a wall
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    chart = _chart("各月报送情况（村数）")
    chart.addSeries(series)
    axis = QBarCategoryAxis()
    axis.append([f"{m.period[2:4]}年{int(m.period[5:])}月" for m in months] or [""])
    axis.setLabelsFont(_font(-1.5))
    axis.setTruncateLabels(False)
    count = QValueAxis()
    most = max([m.villages for m in months] + [1])
    step = next(s for s in (1, 2, 5, 10, 20, 50) if most / s <= 10)
    count.setRange(0, -(-most // step) * step)
    count.setTickType(QValueAxis.TickType.TicksDynamic)
    count.setTickAnchor(0)
    count.setTickInterval(step)
    count.setLabelFormat("%d")
    count.setLabelsFont(_font(-1.5))
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(count, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis)
    series.attachAxis(count)
    return _view(chart)
