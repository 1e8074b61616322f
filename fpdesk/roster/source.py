"""Opening a workbook the clerk picked, whatever it turns out to be, and reading its cells as plain values.

A clerk's "xlsx" may be a text file renamed, an old .xls, a password-protected file, an empty or half-copied file.
Each of these becomes one ``Problem`` in Chinese, never a traceback: openpyxl raises a dozen different exception
types on damaged input, so everything openpyxl does is fenced here, and the rest of the reader sees only values.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from fpdesk.roster.model import Cancel, ImportCancelled, Problem, Progress

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: an old .xls, or an encrypted .xlsx
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_STEP = 500  # rows between progress reports and cancel checks
STAGE_READ = "读取花名册"


@dataclass(frozen=True, slots=True)
class RawSheet:
    """A sheet's cells as values.

    name: the sheet name as written in the file.
    rows: every row from row 1 (the header) on, as tuples of cell values (ragged; gaps are empty tuples).
    """

    name: str
    rows: tuple[tuple[Any, ...], ...]


def _file_problem(reason: str, path: Path) -> Problem:
    return Problem("", None, "", path.name, reason)


def _sniff(path: Path, data: bytes) -> Problem | None:
    """A problem with what the file is, judged from its bytes; None when it looks like a zip (xlsx)."""
    if not data:
        return _file_problem("文件是空的（0 字节），不是 Excel 工作簿。请重新保存或复制该文件。", path)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            return _file_problem("文件设有打开密码，程序无法读取。请在 Excel 或 WPS 中取消密码后另存，再导入。", path)
        return _file_problem("这是旧版 Excel（.xls）文件。请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入。", path)
    if not data.startswith(_ZIP_MAGIC):
        return _file_problem("不是 Excel 工作簿（.xlsx）文件（可能是文本文件、图片或其他格式改了扩展名）。", path)
    return None


def open_sheets(
    path: str | Path, wanted: set[str], *, progress: Progress | None = None, cancel: Cancel | None = None,
) -> tuple[dict[str, RawSheet], tuple[str, ...], list[Problem]]:
    """Read the sheets whose (stripped) names are in ``wanted``.

    Returns (sheets by stripped name, names of the other sheets, problems). Any problem here is about the file as a
    whole, and then no sheet is returned.
    """
    file = Path(path)
    if not file.is_file():
        return {}, (), [_file_problem("找不到该文件，请确认文件位置。", file)]
    try:
        with file.open("rb") as f:
            data = f.read()
    except OSError:
        return {}, (), [_file_problem("无法打开该文件（可能正被其他程序占用或没有读取权限）。请关闭 Excel/WPS 后重试。", file)]
    sniffed = _sniff(file, data)
    if sniffed:
        return {}, (), [sniffed]
    try:
        return _read(io.BytesIO(data), wanted, progress=progress, cancel=cancel)
    except ImportCancelled:
        raise
    except Exception:  # noqa: BLE001 -- openpyxl's many exception types on damaged files, see module docstring
        return {}, (), [_file_problem(
            "文件已损坏或不完整，无法按 Excel 工作簿读取（可能没有复制完整）。请在 Excel 或 WPS 中打开检查，另存后再导入。",
            file)]


def _read(
    stream: io.BytesIO, wanted: set[str], *, progress: Progress | None, cancel: Cancel | None,
) -> tuple[dict[str, RawSheet], tuple[str, ...], list[Problem]]:
    wb = load_workbook(stream, read_only=True, data_only=True)
    try:
        found = {ws.title.strip(): ws for ws in wb.worksheets}
        chosen = {name: ws for name, ws in found.items() if name in wanted}
        others = tuple(ws.title for name, ws in found.items() if name not in wanted)
        total = sum(ws.max_row or 0 for ws in chosen.values())  # from the file's own dimension tag: a guess
        done = 0
        sheets: dict[str, RawSheet] = {}
        for name, ws in chosen.items():
            ws.reset_dimensions()  # some writers record a wrong size; read every row there is
            rows = []
            for row in ws.iter_rows(values_only=True):
                rows.append(row)
                done += 1
                if done % _STEP == 0:
                    if cancel is not None and cancel():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(done, max(total, done), STAGE_READ)
            sheets[name] = RawSheet(ws.title, tuple(rows))
        if progress is not None:
            progress(done, done, STAGE_READ)
        return sheets, others, []
    finally:
        wb.close()
