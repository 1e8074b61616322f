"""Whether a village file may enter the township file at all, before anything is compared or written.

In order, each refusal with its reason in Chinese a clerk understands (and can act on):

  1. a readable, complete, unmodified monthly file of ours, of a format version we know (``read_month_file``:
     empty, truncated, renamed non-xlsx, edited by hand, newer version …);
  2. submitted (报送), not a draft;
  3. from one of the township's villages (by its 12-digit code; a file of another township's village says whose);
  4. for a sensible month: not after this month, not before the township file's first month, and not made
     before the month it reports began;
  5. its monthly table adds up (a total equal to its parts).

What is odd but not wrong (the village's name or township written differently, a file dated in the future by a
village computer's clock) is a warning shown in the preview, not a refusal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from fpdesk.dates import period_bounds, period_label, period_of
from fpdesk.errors import FpdeskError
from fpdesk.export.reader import MonthFile, read_month_file
from fpdesk.township import fields
from fpdesk.township.setup import Township
from fpdesk.township.villages import VillageEntry


@dataclass(frozen=True, slots=True)
class Admitted:
    """A file that passed every check: month (the verified file), generated (its generated_at), file_sha256,
    warnings (Chinese; shown in the preview)."""

    month: MonthFile
    generated: dt.datetime
    file_sha256: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Refused:
    """A file refused: reason (Chinese); month: the file when it could be read (for the preview's columns)."""

    reason: str
    month: MonthFile | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _generated(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _valid_period(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12


def admit(path: Path, *, township: Township, villages: Mapping[str, VillageEntry], today: dt.date) -> Admitted | Refused:
    """Read ``path`` and check it against the township (see the module docstring)."""
    try:
        month = read_month_file(path)
    except FpdeskError as exc:
        # the preview and the command line name the file in a column of their own
        return Refused(str(exc).replace(f"“{path.name}”", "该文件", 1))
    except OSError as exc:
        return Refused(f"“{path.name}”无法读取：{exc.strerror or exc}")
    who = f"{month.village_name}（{month.village_code}）"
    if not month.submitted:
        return Refused(f"这是{who}{_label(month.period)}的草稿，不是正式报送的月报。请村里在程序中“报送”后重新导出。",
                       month)
    village = villages.get(month.village_code)
    if village is None:
        if month.township and month.township != township.name:
            return Refused(f"这是“{month.township}”{who}的月报，不是本乡镇（{township.name}）的村，不能导入。", month)
        return Refused(f"村代码 {month.village_code}（{month.village_name}）不在本乡镇的村名单中。"
                       f"如是新设或改名的村，请先在村名单中添加。", month)
    if not _valid_period(month.period):
        return Refused(f"{who}文件的报告期“{month.period}”无效。", month)
    this_month = period_of(today)
    if month.period > this_month:
        return Refused(f"{who}文件的报告期是{_label(month.period)}，这个月还没有到（今天是 {today.isoformat()}）。"
                       f"请村里检查电脑日期和报告期后重新导出。", month)
    if month.period < township.start_period:
        return Refused(f"{who}文件的报告期是{_label(month.period)}，早于本乡镇汇总文件的起始月份"
                       f"{_label(township.start_period)}，不再接收。", month)
    generated = _generated(month.generated_at)
    if generated is None:
        return Refused(f"{who}文件的生成时间“{month.generated_at}”无法识别。", month)
    first_day, _ = period_bounds(month.period)
    if generated.date() < first_day:
        return Refused(f"{who}文件生成于 {generated.date().isoformat()}，早于报告期{_label(month.period)}开始，"
                       f"不可能是该月的月报。请村里检查电脑日期后重新导出。", month)
    gaps = fields.sum_problems(month.monthly)
    if gaps:
        return Refused(f"{who}文件的月报表合计与分项不符：{'；'.join(gaps)}。请村里检查后重新导出。", month)
    warnings = []
    if month.village_name != village.name:
        warnings.append(f"文件中的村名称是“{month.village_name}”，本乡镇村名单中为“{village.name}”（村代码相同，按代码导入）。")
    if month.township and month.township != township.name:
        warnings.append(f"文件中的乡镇是“{month.township}”，本乡镇为“{township.name}”（村代码在本乡镇名单中，按代码导入）。")
    if generated.date() > today:
        warnings.append(f"文件生成时间 {generated.isoformat(sep=' ')} 晚于今天，村里电脑的日期可能不对，报送是否逾期按此时间计。")
    try:
        digest = file_sha256(path)
    except OSError as exc:
        return Refused(f"“{path.name}”无法读取：{exc.strerror or exc}", month)
    return Admitted(month=month, generated=generated, file_sha256=digest, warnings=tuple(warnings))


def _label(period: str) -> str:
    return period_label(period) if _valid_period(period) else period
