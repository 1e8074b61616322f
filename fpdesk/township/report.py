"""The township's monthly report (乡镇月报汇总): reporting, the township's monthly table and each village's,
the indicators, the score ranking with its flags, gathered once and printed as PDF and written as XLSX.

    report = month_report(conn, "2026-10")
    pdf, xlsx = write_report(report, out_dir)       # 城关镇_2026-10_汇总.pdf / .xlsx
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fpdesk import __version__
from fpdesk.dates import parse_period, period_label
from fpdesk.errors import FpdeskError
from fpdesk.score.scheme import COUNT, INDICATOR
from fpdesk.township import fields
from fpdesk.township.aggregate import TownshipIndicators, TownshipTable, township_indicators, township_table
from fpdesk.township.scoring import MonthScores, month_scores
from fpdesk.township.setup import Township, township_info
from fpdesk.township.status import MonthStatus, month_status
from fpdesk.township.store import Submission, submissions

# Indicators every township report shows, whatever the scheme (statistics year to date).
CORE_INDICATORS = ("birth_rate", "natural_growth_rate", "policy_birth_rate", "sex_ratio_at_birth",
                   "contraceptive_prevalence", "long_acting_rate", "checkup_coverage", "data_accuracy")


@dataclass(frozen=True, slots=True)
class MonthReport:
    """Everything the township prints for a month.

    township; period; status (reporting); table (月报表汇总); indicators (every indicator, every span);
    key_indicators: the printed selection — the core ones and those the scheme scores, over the scheme's spans;
    scores (sheets and ranking); corrections: submissions of the month replaced by a correction (history);
    generated_at; app_version.
    """

    township: Township
    period: str
    status: MonthStatus
    table: TownshipTable
    indicators: TownshipIndicators
    key_indicators: TownshipIndicators
    scores: MonthScores
    corrections: tuple[Submission, ...]
    generated_at: dt.datetime
    app_version: str

    @property
    def title(self) -> str:
        return f"{self.township.name}{period_label(self.period)}人口和计划生育月报汇总"

    @property
    def stem(self) -> str:
        """The report's file name without suffix: 城关镇_2026-10_汇总."""
        safe = "".join(ch for ch in self.township.name if ch not in '\\/:*?"<>|').strip() or "乡镇"
        return f"{safe}_{self.period}_汇总"


def key_indicator_keys(scores: MonthScores) -> tuple[str, ...]:
    """The core indicators over the statistics year to date, then those the scheme's rules read (their spans)."""
    keys = [fields.indicator_key(k, "ytd") for k in CORE_INDICATORS]
    for item in scores.scheme.items:
        for rule in item.rules:
            if rule.kind in (INDICATOR, COUNT) and rule.indicator:
                keys.append(fields.indicator_key(rule.indicator, rule.span or scores.scheme.span))
    return tuple(dict.fromkeys(k for k in keys if fields.indicator_parts(k)[1] in fields.SPANS))


def month_report(conn: sqlite3.Connection, period: str, *, today: dt.date | None = None,
                 now: dt.datetime | None = None) -> MonthReport:
    """Gather the month ``period`` of the township file."""
    month = parse_period(period)
    scores = month_scores(conn, month)
    history = tuple(s for s in submissions(conn, period=month, in_force=False))
    return MonthReport(
        township=township_info(conn), period=month, status=month_status(conn, month, today=today),
        table=township_table(conn, month), indicators=township_indicators(conn, month),
        key_indicators=township_indicators(conn, month, keys=key_indicator_keys(scores)), scores=scores,
        corrections=history, generated_at=(now or dt.datetime.now()).replace(microsecond=0), app_version=__version__)


def write_pdf(report: MonthReport, path: str | Path) -> Path:
    """The report as a PDF (A4; the CJK font embedded; 第 x 页 共 y 页)."""
    from fpdesk.township.report_pdf import report_pdf

    return _write(Path(path), report_pdf(report))


def write_xlsx(report: MonthReport, path: str | Path) -> Path:
    """The report as a workbook (one sheet per table)."""
    from fpdesk.township.report_xlsx import report_workbook

    return _write(Path(path), report_workbook(report))


def write_report(report: MonthReport, out_dir: str | Path) -> tuple[Path, Path]:
    """Both files into ``out_dir``: ``{乡镇}_{YYYY-MM}_汇总.pdf`` and ``.xlsx``."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FpdeskError(f"无法使用文件夹“{folder}”：{exc.strerror or exc}。") from exc
    return (write_pdf(report, folder / f"{report.stem}.pdf"), write_xlsx(report, folder / f"{report.stem}.xlsx"))


def _write(path: Path, data: bytes) -> Path:
    """Write atomically (a temporary file, then its name): a file with the final name is always complete."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except PermissionError as exc:
        raise FpdeskError(f"无法写入“{path}”：文件可能正在 Excel 或 PDF 阅读器中打开，请关闭后重试。") from exc
    except OSError as exc:
        raise FpdeskError(f"无法写入“{path}”：{exc.strerror or exc}。") from exc
    finally:
        temp.unlink(missing_ok=True)
    return path
