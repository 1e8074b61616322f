"""Charts where a clerk would rather look than read (QtCharts), fed only with figures from the core."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalStackedBarSeries, QStackedBarSeries, QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication

from fpdesk.ledgers.charts import MonthBirths, PyramidBand

MALE_COLOUR, FEMALE_COLOUR = QColor("#3b6fb6"), QColor("#d0577b")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(QApplication.font())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(QApplication.font())
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _axis_font() -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(8.0, font.pointSizeF() - 2))
    return font


def _view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(200)
    return view


def _nice_max(value: int) -> int:
    for step in (5, 10, 20, 50, 100, 200, 500, 1000):
        if value <= step * 10:
            return max(step, (value + step - 1) // step * step)
    return value


def pyramid_view(bands: Sequence[PyramidBand]) -> QChartView:
    """人口金字塔: males to the left, females to the right, the youngest at the bottom."""
    males, females = QBarSet("男"), QBarSet("女")
    males.setColor(MALE_COLOUR)
    females.setColor(FEMALE_COLOUR)
    for band in bands:
        males.append(-band.males)
        females.append(band.females)
    series = QHorizontalStackedBarSeries()
    series.append(males)
    series.append(females)
    series.setBarWidth(0.9)
    chart = _chart("人口金字塔（户籍人口）")
    chart.addSeries(series)
    ages = QBarCategoryAxis()
    ages.append([f"{b.low}+" if b is bands[-1] else str(b.low) for b in bands])  # short labels are never elided
    ages.setTruncateLabels(False)
    ages.setTitleText("年龄")
    ages.setTitleFont(_axis_font())
    ages.setLabelsFont(_axis_font())
    widest = _nice_max(max([max(b.males, b.females) for b in bands] + [1]))
    people = QValueAxis()
    people.setRange(-widest, widest)
    people.setLabelFormat("%d")
    people.setTickCount(5)
    people.setLabelsFont(_axis_font())
    chart.addAxis(ages, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(people, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(ages)
    series.attachAxis(people)
    return _view(chart)


def births_view(months: Sequence[MonthBirths]) -> QChartView:
    """Births by month, boys and girls stacked."""
    boys, girls = QBarSet("男"), QBarSet("女")
    boys.setColor(MALE_COLOUR)
    girls.setColor(FEMALE_COLOUR)
    for m in months:
        boys.append(m.males)
        girls.append(m.females)
    series = QStackedBarSeries()
    series.append(boys)
    series.append(girls)
    chart = _chart("近12个月出生（人）")
    chart.addSeries(series)
    axis = QBarCategoryAxis()
    axis.append([str(int(m.period[5:])) for m in months])
    axis.setTruncateLabels(False)
    axis.setTitleText("月份")
    axis.setTitleFont(_axis_font())
    axis.setLabelsFont(_axis_font())
    counts = QValueAxis()
    counts.setRange(0, max([m.total for m in months] + [4]))
    counts.setLabelFormat("%d")
    counts.setLabelsFont(_axis_font())
    counts.setTickCount(min(5, max([m.total for m in months] + [4]) + 1))
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis)
    series.attachAxis(counts)
    return _view(chart)
