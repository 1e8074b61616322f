"""What a month's forms hold, gathered once from one snapshot: the PDF and the workbook print the same figures.

``month_content`` runs the month's checks (unless given their findings), the change report, the board at the
month's end, the score sheet and the indicators, and applies the privacy setting: ID numbers in printed lists are
masked (420102********0127) unless the village setting ``mask_id_numbers`` is "0".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from fpdesk import __version__
from fpdesk.checks import ERROR, Finding, run_checks
from fpdesk.dates import period_bounds, period_label
from fpdesk.errors import FpdeskError, InputError
from fpdesk.export.format import SPANS
from fpdesk.indicators import Calculator, IndicatorValue, span_for
from fpdesk.indicators import INDICATORS as INDICATOR_REGISTRY
from fpdesk.ledgers.board import Board, board
from fpdesk.ledgers.change_report import ChangeReport, monthly_change_report
from fpdesk.ledgers.common import place_of
from fpdesk.records import Village
from fpdesk.score import ScoreSheet, score, village_scheme
from fpdesk.snapshot import Snapshot

MASK_SETTING = "mask_id_numbers"
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
STAGES = 7   # steps reported through ``progress`` while a month is prepared and written


class ExportCancelled(FpdeskError):
    """The clerk cancelled the export: no file was written."""

    def __init__(self) -> None:
        super().__init__("已取消导出，没有写入任何文件。")


def checkpoint(progress: Progress | None, cancel: Cancel | None, done: int, stage: str) -> None:
    """Report a stage of an export, or stop it (``ExportCancelled``) when the clerk has cancelled."""
    if cancel is not None and cancel():
        raise ExportCancelled()
    if progress is not None:
        progress(done, STAGES, stage)


def mask_id_number(number: str) -> str:
    """An ID number as printed lists show it: the first 6 and last 4 characters (420102********0127)."""
    text = (number or "").strip()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


# ID-number-shaped runs inside a finding's message (18 characters or the old 15 digits).
_ID_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")


def mask_in_text(text: str) -> str:
    """``text`` with every ID number in it masked."""
    return _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text)


@dataclass(frozen=True, slots=True)
class MonthContent:
    """One month's forms, ready to print or write.

    period ('2026-10'), period_label ('2026年10月'); village (code, name, township, county, clerk, phone).
    as_of: the day the data stood for; board_day: the day of the board's figures (the month's last day, or
    as_of for a month not yet over).
    report: the change report and monthly table; board: the board on board_day; sheet: the score sheet;
    indicators: every indicator over each span of ``format.SPANS``, by indicator then span.
    findings: the month's check findings; confirmed: those confirmed as exceptions, {key: the clerk's note}.
    errors, warnings: unconfirmed findings by severity.
    correction_no (0 = first submission), submitted (报送, else a draft); generated_at; app_version.
    mask_ids: ID numbers are masked in the lists. persons: the snapshot's persons by id (names for findings).
    snapshot: the snapshot it was made from.
    """

    period: str
    period_label: str
    village: Village
    as_of: dt.date
    board_day: dt.date
    report: ChangeReport
    board: Board
    sheet: ScoreSheet
    indicators: tuple[IndicatorValue, ...]
    findings: tuple[Finding, ...]
    confirmed: Mapping[str, str]
    errors: int
    warnings: int
    correction_no: int
    submitted: bool
    generated_at: dt.datetime
    app_version: str
    mask_ids: bool
    snapshot: Snapshot

    def id_number(self, number: str | None) -> str:
        """An ID number as the lists print it (masked unless the village setting says otherwise)."""
        return mask_id_number(number or "") if self.mask_ids else (number or "")

    def finding_text(self, f: Finding) -> str:
        """A finding's message as printed (ID numbers masked like the lists)."""
        return mask_in_text(f.message) if self.mask_ids else f.message

    def finding_subject(self, f: Finding) -> str:
        """Whose record a finding is about, as the findings list names it ("张三（户 012）"), or ""."""
        person = self.snapshot.person_by_id.get(f.subject.person_id) if f.subject.person_id else None
        if person is None:
            return ""
        place = place_of(self.snapshot, person)
        return person.name + (f"（户 {place.household_no}）" if place.household_no else "")

    @property
    def status_text(self) -> str:
        """更正报（第1次）/ 草稿（未报送）/ "" for a first submission."""
        parts = []
        if self.correction_no:
            parts.append(f"更正报（第{self.correction_no}次）")
        if not self.submitted:
            parts.append("草稿（未报送）")
        return "　".join(parts)

    @property
    def place_text(self) -> str:
        """县（区）、乡镇、村 and the period, as the forms' second line shows them."""
        v = self.village
        bits = [f"县（区）：{v.county}" if v.county else "", f"乡镇：{v.township}" if v.township else "",
                f"村：{v.name}（{v.code}）", f"报告期：{self.period_label}"]
        return "　　".join(b for b in bits if b)


def next_correction_no(snap: Snapshot, period: str) -> int:
    """The correction number an export of ``period`` gets now: 0 before the month was ever submitted, else one
    more than its last submission's (every export after a submission is a numbered 更正报)."""
    lock = next((lock for lock in snap.locks if lock.period == period), None)
    return 0 if lock is None else lock.correction_no + 1


def _board_on(snap: Snapshot, period: str) -> Board:
    _, last = period_bounds(period)
    day = min(last, snap.as_of)
    return board(snap if day == snap.as_of else dataclasses.replace(snap, as_of=day))


def month_content(
    snap: Snapshot, *, period: str, findings: Sequence[Finding] | None = None, correction_no: int | None = None,
    submitted: bool = False, generated_at: dt.datetime | None = None, progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> MonthContent:
    """Gather the month ``period`` ('2026-10') of ``snap`` for printing and export.

    findings: the month's check findings when already computed (``run_checks(snap, period=period)``).
    correction_no: default ``next_correction_no``. submitted: the file is made for submission (报送).
    progress(done, total, stage) and cancel() as ``ui.worker.run_with_progress`` passes them.
    """
    if snap.village is None:
        raise InputError("尚未填写村信息（村代码、村名称），无法生成报表。请先在“村信息”中填写。", field="village")

    def step(done: int, stage: str) -> None:
        checkpoint(progress, cancel, done, stage)

    step(0, "逻辑检查")
    found = tuple(findings) if findings is not None else run_checks(snap, period=period)
    step(1, "报告单和月报表")
    report = monthly_change_report(snap, period)
    month_board = _board_on(snap, period)
    step(2, "自评得分和指标")
    sheet = score(snap, village_scheme(snap), period=period, findings=found)
    calc = Calculator(snap, found)
    spans = [span_for(period, kind) for kind in SPANS]
    values = tuple(calc.value(ind.key, span) for ind in INDICATOR_REGISTRY for span in spans)
    confirmed = {f.key: snap.exceptions[f.key] for f in found if f.key in snap.exceptions}
    _, last = period_bounds(period)
    return MonthContent(
        period=period, period_label=period_label(period), village=snap.village, as_of=snap.as_of,
        board_day=min(last, snap.as_of), report=report, board=month_board, sheet=sheet, indicators=values,
        findings=found, confirmed=confirmed,
        errors=sum(1 for f in found if f.severity == ERROR and f.key not in confirmed),
        warnings=sum(1 for f in found if f.severity != ERROR and f.key not in confirmed),
        correction_no=next_correction_no(snap, period) if correction_no is None else correction_no,
        submitted=submitted, generated_at=(generated_at or dt.datetime.now()).replace(microsecond=0),
        app_version=__version__, mask_ids=snap.settings.get(MASK_SETTING, "1").strip() != "0", snapshot=snap,
    )
