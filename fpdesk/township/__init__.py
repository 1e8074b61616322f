"""The township side (乡镇): import the villages' monthly files, refuse bad ones plainly, aggregate, score, rank.

    conn = init_township("城关镇.sqlite", name="城关镇", villages=read_village_list("villages.csv"))
    conn = open_township_file("城关镇.sqlite")               # is_township_file(path) tells it from a village file
    preview = preview_import(conn, ["U盘/"])                 # new / replaces (更正报) / unchanged / rejected + why
    summary = apply_import(conn, preview)                     # each file whole or not at all
    status = month_status(conn, "2026-10")                    # reported on time, late, missing
    table = township_table(conn, "2026-10")                   # 月报表汇总 = Σ villages, sums checked
    scores = month_scores(conn, "2026-10")                    # each village under the township's scheme, ranked
    report = month_report(conn, "2026-10"); write_pdf(report, path); write_xlsx(report, path)

The township file is a SQLite file of its own (``resources/township_schema.sql`` + ``migrations``), not a village
file. Nothing here imports Qt.
"""

from fpdesk.township.aggregate import (
    IndicatorColumn, IndicatorRow, Ratio, TableRow, TownshipIndicators, TownshipTable, township_indicators,
    township_table,
)
from fpdesk.township.db import APPLICATION_ID, is_township_file, open_township_file
from fpdesk.township.errors import TownshipFileError, VillageListError
from fpdesk.township.importer import (
    ACTION_LABELS, IMPORTED, NEW, OUTCOME_LABELS, REJECTED, REPLACED, REPLACES, UNCHANGED, ImportOutcome,
    ImportPreview, ImportSummary, PreviewItem, apply_import, import_files, month_files, preview_import,
)
from fpdesk.township.ranking import Ranked, rank_villages
from fpdesk.township.report import MonthReport, month_report, write_pdf, write_xlsx, write_report
from fpdesk.township.scoring import MonthScores, month_scores, score_submission
from fpdesk.township.setup import (
    Township, init_township, scheme_for, set_deadline_day, set_scheme, township_info, villages,
)
from fpdesk.township.status import (
    MonthCount, MonthStatus, VillageMonth, month_status, reporting_over_time,
)
from fpdesk.township.store import Submission, in_force, periods, submissions
from fpdesk.township.villages import VillageEntry, parse_village_list, read_village_list

__all__ = [
    "ACTION_LABELS", "APPLICATION_ID", "IMPORTED", "ImportOutcome", "ImportPreview", "ImportSummary",
    "IndicatorColumn", "IndicatorRow", "MonthCount", "MonthReport", "MonthScores", "MonthStatus", "NEW",
    "OUTCOME_LABELS", "PreviewItem", "REJECTED", "REPLACED", "REPLACES", "Ranked", "Ratio", "Submission",
    "TableRow", "Township", "TownshipFileError", "TownshipIndicators", "TownshipTable", "UNCHANGED", "VillageEntry",
    "VillageListError", "VillageMonth", "apply_import", "import_files", "in_force", "init_township",
    "is_township_file", "month_files", "month_report", "month_scores", "month_status", "open_township_file",
    "parse_village_list", "periods", "preview_import", "rank_villages", "read_village_list", "reporting_over_time",
    "scheme_for", "score_submission", "set_deadline_day", "set_scheme", "submissions", "township_indicators",
    "township_info", "township_table", "villages", "write_pdf", "write_report", "write_xlsx",
]
