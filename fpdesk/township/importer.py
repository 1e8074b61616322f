"""Importing the villages' monthly files: a preview first, then each accepted file whole or not at all.

    preview = preview_import(conn, paths)          # reads and checks every file; writes nothing
    preview.items                                  # each: new / replaces (更正报) / unchanged / rejected + reason
    summary = apply_import(conn, preview)          # one transaction per file
    summary.text                                   # 导入 38 个，更正替换 1 个，相同未变 0 个，拒收 1 个

Safe to run twice: a file whose content is already in the township file (the same hash) changes nothing. A
correction (更正报: a higher correction number for the same village and month) replaces the submission in force,
which stays as history (``superseded_by``). A file older than what is in force, or a different file under the same
correction number, is refused with the reason — the township never guesses which of two reports is right.

Files of one batch are weighed in order of village, month and correction number, each against the township file as
the earlier ones would leave it, so an original and its correction can come on the same USB stick.
``progress(done, total, stage)`` and ``cancel()`` are ``ui.worker.run_with_progress``'s callbacks; cancelling keeps
the files already imported (each is whole) and leaves the rest out.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from fpdesk.dates import period_label
from fpdesk.export.reader import MonthFile
from fpdesk.township.admit import Admitted, Refused, admit
from fpdesk.township.setup import township_info, villages
from fpdesk.township.write import write_submission

NEW, REPLACES, UNCHANGED, REJECTED = "new", "replaces", "unchanged", "rejected"
ACTION_LABELS = {NEW: "新报", REPLACES: "更正报（替换原报）", UNCHANGED: "相同，不重复导入", REJECTED: "拒收"}
IMPORTED, REPLACED = "imported", "replaced"
OUTCOME_LABELS = {IMPORTED: "已导入", REPLACED: "已更正替换", UNCHANGED: "相同未变", REJECTED: "拒收"}
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class PreviewItem:
    """One file in the preview.

    path; action: "new", "replaces", "unchanged" or "rejected"; reason: why (Chinese) — for a refusal what is
    wrong, for a correction what it replaces, for an unchanged file what it is identical to.
    village_code, village_name, period, correction_no: from the file ("" / -1 when it could not be read).
    warnings: odd but accepted (Chinese). replaces: the submission a correction replaces.
    admitted: the verified file (None when refused).
    """

    path: Path
    action: str
    reason: str
    village_code: str = ""
    village_name: str = ""
    period: str = ""
    correction_no: int = -1
    warnings: tuple[str, ...] = ()
    replaces: int | None = None
    admitted: Admitted | None = field(default=None, repr=False, compare=False)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def accepted(self) -> bool:
        """Will be written when the preview is accepted."""
        return self.action in (NEW, REPLACES)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do. items: every file, in the order given; order: their indexes in the order they
    are weighed and written; today: the day the months were judged on; cancelled: reading was cancelled (the
    files not yet read are not in ``items``)."""

    items: tuple[PreviewItem, ...]
    order: tuple[int, ...]
    today: dt.date
    cancelled: bool = False

    def count(self, action: str) -> int:
        return sum(1 for i in self.items if i.action == action)

    @property
    def accepted(self) -> tuple[PreviewItem, ...]:
        return tuple(i for i in self.items if i.accepted)

    @property
    def text(self) -> str:
        """新报 38 个，更正报 1 个，相同 0 个，拒收 1 个."""
        return (f"新报 {self.count(NEW)} 个，更正报 {self.count(REPLACES)} 个，相同 {self.count(UNCHANGED)} 个，"
                f"拒收 {self.count(REJECTED)} 个")


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What became of one file: path; outcome "imported", "replaced", "unchanged" or "rejected"; reason (Chinese);
    village_code, village_name, period; submission: the submission written (None when nothing was); warnings:
    what was odd but accepted (Chinese)."""

    path: Path
    outcome: str
    reason: str
    village_code: str = ""
    village_name: str = ""
    period: str = ""
    submission: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """The import's result: outcomes in the order the files were given; cancelled: stopped before the end
    (``skipped`` files were left out, untouched)."""

    outcomes: tuple[ImportOutcome, ...]
    cancelled: bool = False
    skipped: tuple[Path, ...] = ()

    def _of(self, outcome: str) -> tuple[ImportOutcome, ...]:
        return tuple(o for o in self.outcomes if o.outcome == outcome)

    @property
    def imported(self) -> tuple[ImportOutcome, ...]:
        return self._of(IMPORTED)

    @property
    def replaced(self) -> tuple[ImportOutcome, ...]:
        return self._of(REPLACED)

    @property
    def unchanged(self) -> tuple[ImportOutcome, ...]:
        return self._of(UNCHANGED)

    @property
    def rejected(self) -> tuple[ImportOutcome, ...]:
        return self._of(REJECTED)

    @property
    def text(self) -> str:
        text = (f"导入 {len(self.imported)} 个，更正替换 {len(self.replaced)} 个，相同未变 {len(self.unchanged)} 个，"
                f"拒收 {len(self.rejected)} 个")
        if self.cancelled:
            text += f"；已取消，{len(self.skipped)} 个文件未处理"
        return text


def month_files(paths: Iterable[str | Path]) -> tuple[Path, ...]:
    """The files to import: each file given, and the .xlsx files in each folder given (not its subfolders;
    Excel's own lock files ``~$…`` left out). Duplicates once."""
    out: dict[Path, None] = {}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.suffix.lower() == ".xlsx" and not child.name.startswith("~$"):
                    out[child] = None
        else:
            out[path] = None
    return tuple(out)


# How the village program names its files (docs/export-format.md): 420102001001_2026-10[_更正1].xlsx
_FILE_NAME = re.compile(r"^(\d{12})_(\d{4}-\d{2})(?:_更正(\d+))?")


def _guess(path: Path, ours: dict) -> tuple[str, str, str, int]:
    """(code, name, period, correction) from the file's name, for a file that cannot be read: the township still
    learns which village to call. Empty when the name does not follow the village program's."""
    m = _FILE_NAME.match(path.name)
    if m is None or m[1] not in ours:
        return "", "", "", -1
    return m[1], ours[m[1]].name, m[2], int(m[3] or 0)


# ---- weighing a file against what the township holds ---------------------------------------------------------

@dataclass
class _Held:
    """One village's month as the township file holds it (or will, after the earlier files of the batch)."""

    current: tuple[int | None, int, str] | None            # (submission id, correction no, content hash)
    known: dict[str, str]                                  # content hash -> what it is, for "unchanged" reasons


def _held(conn: sqlite3.Connection, code: str, period: str) -> _Held:
    current = None
    known = {}
    for row in conn.execute("SELECT id, correction, content_sha256, file_name, imported_at, superseded_by"
                            " FROM submission WHERE village_code = ? AND period = ? ORDER BY id", (code, period)):
        what = _report_name(row["correction"])
        if row["superseded_by"] is None:
            current = (row["id"], row["correction"], row["content_sha256"])
            known[row["content_sha256"]] = (f"与 {row['imported_at'][:10]} 已导入的{what}（{row['file_name']}）内容相同，"
                                            f"不重复导入。")
        else:
            known[row["content_sha256"]] = (f"这是已被更正报替代的旧报表（{what}，{row['file_name']}），"
                                            f"现行的是更新的更正报，不再导入。")
    return _Held(current=current, known=known)


def _report_name(correction: int) -> str:
    return f"第{correction}次更正报" if correction else "首次报送"


def _weigh(item: PreviewItem, month: MonthFile, held: _Held) -> PreviewItem:
    """The action for an admitted file against what is held; updates ``held`` as writing it would."""
    digest = month.content_sha256
    label = f"{month.village_name}{period_label(month.period)}"
    if digest in held.known:
        return replace(item, action=UNCHANGED, reason=held.known[digest])
    if held.current is None:
        reason = "首次报送。" if month.correction_no == 0 else (
            f"{_report_name(month.correction_no)}；此前没有收到该村该月的报表，按新报导入。")
        held.current = (None, month.correction_no, digest)
        held.known[digest] = f"与本次导入的 {item.file_name} 内容相同，不重复导入。"
        return replace(item, action=NEW, reason=reason)
    sid, correction, _ = held.current
    if month.correction_no > correction:
        held.current = (None, month.correction_no, digest)
        held.known[digest] = f"与本次导入的 {item.file_name} 内容相同，不重复导入。"
        return replace(item, action=REPLACES, replaces=sid,
                       reason=f"{_report_name(month.correction_no)}，替换现行的{_report_name(correction)}"
                              f"（原报保留为历史）。")
    if month.correction_no == correction:
        return replace(item, action=REJECTED, reason=(
            f"{label}已导入{_report_name(correction)}，此文件报次相同但内容不同。请向村里确认哪一份是正式报表；"
            f"如需更正，请村里导出更正报。"))
    return replace(item, action=REJECTED, reason=(
        f"{label}已导入{_report_name(correction)}，此文件是{_report_name(month.correction_no)}，比现行的旧，"
        f"不能替换。"))


def _classify(conn: sqlite3.Connection, items: list[PreviewItem]) -> tuple[int, ...]:
    """Weigh the admitted items in batch order; returns that order (indexes into ``items``)."""
    def key(i: int) -> tuple:
        m = items[i].admitted.month if items[i].admitted else None
        return (0, m.village_code, m.period, m.correction_no, m.generated_at, i) if m else (1, "", "", 0, "", i)

    order = sorted(range(len(items)), key=key)
    held: dict[tuple[str, str], _Held] = {}
    for i in order:
        a = items[i].admitted
        if a is None:
            continue
        k = (a.month.village_code, a.month.period)
        if k not in held:
            held[k] = _held(conn, *k)
        items[i] = _weigh(items[i], a.month, held[k])
    return tuple(order)


def preview_import(conn: sqlite3.Connection, paths: Sequence[str | Path], *, today: dt.date | None = None,
                   progress: Progress | None = None, cancel: Cancel | None = None) -> ImportPreview:
    """Read and check every file and say what importing it would do. Writes nothing."""
    day = today or dt.date.today()
    township = township_info(conn)
    ours = {v.code: v for v in villages(conn)}
    files = month_files(paths)
    items: list[PreviewItem] = []
    cancelled = False
    for n, path in enumerate(files):
        if cancel is not None and cancel():
            cancelled = True
            break
        if progress is not None:
            progress(n, len(files), f"检查 {path.name}")
        found = admit(path, township=township, villages=ours, today=day)
        m = found.month
        base = PreviewItem(path=path, action=REJECTED, reason="", village_code=m.village_code if m else "",
                           village_name=m.village_name if m else "", period=m.period if m else "",
                           correction_no=m.correction_no if m else -1)
        if isinstance(found, Refused):
            if m is None:
                code, name, period, correction = _guess(path, ours)
                if code:
                    base = replace(base, village_code=code, village_name=name, period=period,
                                   correction_no=correction)
                    found = Refused(f"{found.reason}（按文件名，这是{name}{period_label(period)}的报表。）")
            items.append(replace(base, reason=found.reason))
        else:
            items.append(replace(base, warnings=found.warnings, admitted=found))
    if progress is not None and not cancelled:
        progress(len(files), len(files), "检查完毕")
    order = _classify(conn, items)
    return ImportPreview(items=tuple(items), order=order, today=day, cancelled=cancelled)


def apply_import(conn: sqlite3.Connection, preview: ImportPreview, *, now: dt.datetime | None = None,
                 progress: Progress | None = None, cancel: Cancel | None = None) -> ImportSummary:
    """Write the accepted files of ``preview``, one transaction each, weighing each again against the township
    file as it is now (another window may have imported meanwhile)."""
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    outcomes: dict[int, ImportOutcome] = {}
    todo = [i for i in preview.order if preview.items[i].accepted]
    skipped: list[Path] = []
    for done, i in enumerate(todo):
        item = preview.items[i]
        if cancel is not None and cancel():
            skipped = [preview.items[j].path for j in todo[done:]]
            break
        if progress is not None:
            progress(done, len(todo), f"导入 {item.file_name}")
        outcomes[i] = _write_one(conn, item, moment)
    if progress is not None and not skipped:
        progress(len(todo), len(todo), "导入完毕")
    result = []
    for i, item in enumerate(preview.items):
        if i in outcomes:
            result.append(outcomes[i])
        elif not item.accepted:
            result.append(ImportOutcome(path=item.path, outcome=item.action, reason=item.reason,
                                        village_code=item.village_code, village_name=item.village_name,
                                        period=item.period, warnings=item.warnings))
    return ImportSummary(outcomes=tuple(result), cancelled=bool(skipped) or preview.cancelled,
                         skipped=tuple(skipped))


def _write_one(conn: sqlite3.Connection, item: PreviewItem, moment: dt.datetime) -> ImportOutcome:
    assert item.admitted is not None
    month = item.admitted.month
    again = _weigh(item, month, _held(conn, month.village_code, month.period))
    base = ImportOutcome(path=item.path, outcome=again.action, reason=again.reason, village_code=item.village_code,
                         village_name=item.village_name, period=item.period, warnings=item.warnings)
    if not again.accepted:
        return base
    sid = write_submission(conn, item.admitted, replaces=again.replaces, imported_at=moment)
    return replace(base, outcome=IMPORTED if again.action == NEW else REPLACED, submission=sid)


def import_files(conn: sqlite3.Connection, paths: Sequence[str | Path], *, today: dt.date | None = None,
                 now: dt.datetime | None = None, progress: Progress | None = None,
                 cancel: Cancel | None = None) -> ImportSummary:
    """Preview and accept in one go (the command line): every acceptable file is imported."""
    preview = preview_import(conn, paths, today=today, progress=progress, cancel=cancel)
    summary = apply_import(conn, preview, now=now, progress=progress, cancel=cancel)
    if preview.cancelled:
        read = {item.path for item in preview.items}
        return replace(summary, cancelled=True,
                       skipped=summary.skipped + tuple(p for p in month_files(paths) if p not in read))
    return summary
