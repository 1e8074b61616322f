"""Exporting a month (导出月报): the PDF for printing, the A3 board poster and the workbook for the township, made
from one snapshot, written atomically; with ``submit`` the month is submitted (报送) and locked.

    result = export_month(conn, period="2026-10", out_dir=Path("U盘"), submit=True)
    result.xlsx, result.pdf, result.poster, result.correction_no

For the desktop program the work is split so the slow part runs off the GUI thread: ``render_month`` (pure:
snapshot in, bytes out) and ``save_month`` (writes temporary files, runs ``on_commit`` — the submission — and only
then gives the files their names).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from fpdesk.checks import Finding
from fpdesk.dates import parse_period
from fpdesk.errors import FpdeskError, InputError
from fpdesk.export import format as fmt
from fpdesk.export.content import STAGES, Cancel, MonthContent, Progress, checkpoint, month_content
from fpdesk.ops import Changes
from fpdesk.services.periods import submit_period
from fpdesk.snapshot import Snapshot, load_snapshot

POSTER_SUFFIX = "_公示牌A3.pdf"


@dataclass(frozen=True, slots=True)
class RenderedMonth:
    """A month's files, made but not yet written.

    content: what they hold; stem: the file name without suffix ("420102001001_2026-10_更正1");
    files: (file name, bytes) — the workbook, the PDF and the A3 poster; rows: data rows per workbook sheet.
    """

    content: MonthContent
    stem: str
    files: tuple[tuple[str, bytes], ...]
    rows: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote.

    period; correction_no (0 = first submission); submitted; xlsx, pdf, poster: the files written.
    rows: data rows per sheet; errors, warnings, confirmed: the month's check findings.
    changes: the submission (``submit_period``), or None for a draft. seconds: how long it took.
    """

    period: str
    correction_no: int
    submitted: bool
    xlsx: Path
    pdf: Path
    poster: Path
    rows: Mapping[str, int]
    errors: int
    warnings: int
    confirmed: int
    changes: Changes | None
    seconds: float


def render_month(
    snap: Snapshot, *, period: str, findings: Sequence[Finding] | None = None, correction_no: int | None = None,
    submitted: bool = False, generated_at: dt.datetime | None = None, progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> RenderedMonth:
    """Make the month's three files in memory (see ``content.month_content`` for the arguments)."""
    # reportlab and openpyxl take ~0.3 s to import: loaded when a month is first made, not with the program
    from fpdesk.export.pdf_board import board_poster
    from fpdesk.export.pdf_forms import month_pdf
    from fpdesk.export.xlsx import build_grids, row_counts, write_workbook

    period = parse_period(period)
    content = month_content(snap, period=period, findings=findings, correction_no=correction_no,
                            submitted=submitted, generated_at=generated_at, progress=progress, cancel=cancel)

    def step(done: int, stage: str) -> None:
        checkpoint(progress, cancel, done, stage)

    stem = fmt.file_stem(content.village.code, period, content.correction_no)
    step(3, "写入 Excel 文件")
    grids = build_grids(content)
    workbook = write_workbook(content, grids)
    step(4, "生成 PDF 报表")
    pdf = month_pdf(content)
    step(5, "生成公示牌（A3）")
    poster = board_poster(content)
    step(6, "保存文件")
    files = ((stem + ".xlsx", workbook), (stem + ".pdf", pdf), (stem + POSTER_SUFFIX, poster))
    return RenderedMonth(content, stem, files, row_counts(grids))


def save_month(
    rendered: RenderedMonth, out_dir: str | Path, *, on_commit: Callable[[], None] | None = None,
) -> tuple[Path, ...]:
    """Write the files into ``out_dir``: each to a temporary file first (written through to the disk); then
    ``on_commit()`` (the submission, which may refuse); then each gets its name by an atomic rename. If anything
    fails before the renames, no file of the month is left behind and nothing is submitted; a file with its final
    name is always complete."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FpdeskError(f"无法使用文件夹“{folder}”：{exc.strerror or exc}。请换一个文件夹（如U盘或桌面）。") from exc
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in rendered.files:
            final = folder / name
            temp = folder / f".{name}.{os.getpid()}.tmp"
            with open(temp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            staged.append((temp, final))
        if on_commit is not None:
            on_commit()
        for temp, final in staged:
            os.replace(temp, final)
    except OSError as exc:
        raise FpdeskError(f"无法写入“{folder}”：{exc.strerror or exc}。请检查U盘是否已插好、是否写保护、空间是否足够。") from exc
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
    return tuple(final for _, final in staged)


def export_month(
    source: sqlite3.Connection | Snapshot, *, period: str, out_dir: str | Path, submit: bool = False,
    findings: Sequence[Finding] | None = None, user: str = "", today: dt.date | None = None,
    progress: Progress | None = None, cancel: Cancel | None = None,
) -> ExportResult:
    """Export the month ``period`` of a village into ``out_dir``: ``{村代码}_{YYYY-MM}.xlsx``, ``.pdf`` and
    ``_公示牌A3.pdf`` (``..._更正{n}...`` once the month was submitted before).

    source: the village file's connection (a snapshot is loaded as of ``today``), or a snapshot.
    submit: 报送 — record the submission and lock the month (needs a connection); the files say submitted.
    """
    started = time.perf_counter()
    period = parse_period(period)
    if submit and not isinstance(source, sqlite3.Connection):
        raise InputError("报送需要打开村数据文件（用快照只能导出草稿）。", field="submit")
    snap = source if isinstance(source, Snapshot) else load_snapshot(source, as_of=today)
    rendered = render_month(snap, period=period, findings=findings, submitted=submit, progress=progress,
                            cancel=cancel)
    submitted: list[Changes] = []

    def commit() -> None:
        assert isinstance(source, sqlite3.Connection)
        submitted.append(submit_period(source, period=period, correction_no=rendered.content.correction_no,
                                       user=user, today=today))

    paths = save_month(rendered, out_dir, on_commit=commit if submit else None)
    if progress is not None:
        progress(STAGES, STAGES, "完成")
    c = rendered.content
    return ExportResult(
        period=period, correction_no=c.correction_no, submitted=submit, xlsx=paths[0], pdf=paths[1],
        poster=paths[2], rows=rendered.rows, errors=c.errors, warnings=c.warnings, confirmed=len(c.confirmed),
        changes=submitted[0] if submitted else None, seconds=time.perf_counter() - started,
    )

