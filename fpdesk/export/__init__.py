"""The monthly report forms (月报): printed like the paper forms (PDF) and exported for the township (XLSX).

    result = export_month(conn, period="2026-10", out_dir=folder, submit=True)   # 导出 and 报送
    month = read_month_file(result.xlsx)                                        # what the township reads

The file format is docs/export-format.md; ``format`` holds its names and the content hash, ``reader`` reads and
verifies a file, ``content`` gathers a month once, ``forms`` gives each form's rows, ``xlsx`` / ``pdf_forms`` /
``pdf_board`` write them, ``month`` puts the files on disk and submits.

The names below are loaded on first use: reading a file (the township) or the format's keys must not pull in
reportlab, which takes time to import and is only needed to print.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "FORMAT_NAME": "format", "FORMAT_VERSION": "format", "content_hash": "format", "file_stem": "format",
    "sum_gaps": "format",
    "MonthFile": "reader", "MonthFileError": "reader", "read_month_file": "reader",
    "ExportCancelled": "content", "MonthContent": "content", "mask_id_number": "content", "month_content": "content",
    "next_correction_no": "content",
    "ExportResult": "month", "RenderedMonth": "month", "export_month": "month", "render_month": "month",
    "save_month": "month",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'fpdesk.export' has no attribute {name!r}")
    return getattr(import_module(f"fpdesk.export.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
