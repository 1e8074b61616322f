"""Reading a monthly report file (月报文件) back: what the township imports.

    month = read_month_file("420102001001_2026-10.xlsx")
    month.village_code, month.period, month.correction_no, month.submitted
    month.monthly["births.total"], month.indicators["policy_birth_rate.ytd"], month.score_total

The file must be complete and unmodified: the format name and version are checked, every sheet must be there
with its headers, the row counts must match the manifest, and the content hash must match (docs/export-format.md).
Anything else raises ``MonthFileError`` with a reason a clerk understands.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from fpdesk.errors import FpdeskError
from fpdesk.export import format as fmt

# MonthFileError.reason values.
MISSING, EMPTY, NOT_XLSX, DAMAGED, UNKNOWN_FORMAT, NEWER_VERSION, MISSING_SHEET, BAD_CONTENT, HASH_MISMATCH = (
    "missing", "empty", "not_xlsx", "damaged", "format", "version", "sheet", "content", "hash",
)


class MonthFileError(FpdeskError):
    """A monthly report file that cannot be accepted. ``str(err)`` says why, in Chinese.

    reason: "missing", "empty", "not_xlsx", "damaged" (truncated or broken), "format" (not this format),
    "version" (a newer version), "sheet" (a sheet missing), "content" (headers, counts or values wrong),
    "hash" (edited by hand or damaged).
    path: the file.
    """

    def __init__(self, message: str, *, reason: str, path: Path) -> None:
        super().__init__(message)
        self.reason = reason
        self.path = path


@dataclass(frozen=True, slots=True)
class MonthFile:
    """One monthly report file, verified.

    path; format, format_version; village_code, village_name, township, county; period ('2026-10');
    correction_no (0 = first submission); submitted (报送, else a draft); generated_at ('2026-11-03T09:12:00');
    as_of (the day the data stood for); app_version; id_numbers_masked; content_sha256.
    manifest: every manifest field as read, {key: value}.
    row_counts: data rows per manifest key ("rows.changes" ...).
    findings_errors, findings_warnings, findings_confirmed: the check findings when the file was made.
    finding_counts: findings per rule code, {code: (count, of which confirmed)}.
    monthly: the monthly table, {key: int}; board: the board, {key: int | float | str | None}.
    indicators: {"policy_birth_rate.ytd": (numerator, denominator)}.
    score_scheme, score_total, score_maximum; score_items: {"1.1": (points, maximum)}; score_articles likewise.
    headers: each sheet's column headers; rows: each sheet's data rows (dates as ``datetime.date``).
    """

    path: Path
    format: str
    format_version: int
    village_code: str
    village_name: str
    township: str
    county: str
    period: str
    correction_no: int
    submitted: bool
    generated_at: str
    as_of: dt.date | None
    app_version: str
    id_numbers_masked: bool
    content_sha256: str
    manifest: Mapping[str, Any]
    row_counts: Mapping[str, int]
    findings_errors: int
    findings_warnings: int
    findings_confirmed: int
    finding_counts: Mapping[str, tuple[int, int]]
    monthly: Mapping[str, int]
    board: Mapping[str, Any]
    indicators: Mapping[str, tuple[int, int | float]]
    score_scheme: str
    score_total: float
    score_maximum: float
    score_items: Mapping[str, tuple[float, float]]
    score_articles: Mapping[str, tuple[float, float]]
    headers: Mapping[str, tuple[str, ...]]
    rows: Mapping[str, tuple[tuple[Any, ...], ...]]

    @property
    def sum_gaps(self) -> tuple[str, ...]:
        """Totals of the monthly table that are not the sum of their parts (empty for a correct file)."""
        return fmt.sum_gaps(self.monthly)

    def column(self, sheet: str, header: str) -> tuple[Any, ...]:
        """The values of one column of a sheet, found by its header."""
        index = self.headers[sheet].index(header)
        return tuple(row[index] if index < len(row) else None for row in self.rows[sheet])


def _fail(path: Path, reason: str, message: str) -> MonthFileError:
    return MonthFileError(f"“{path.name}”{message}", reason=reason, path=path)


def _open_zip(path: Path) -> None:
    """Refuse what is not an intact xlsx container, telling apart the usual accidents."""
    if not path.exists():
        raise _fail(path, MISSING, "不存在。")
    if path.is_dir():
        raise _fail(path, NOT_XLSX, "是文件夹，不是月报文件。")
    size = path.stat().st_size
    if size == 0:
        raise _fail(path, EMPTY, "是空文件（0 字节），可能复制没有完成。请让村里重新导出。")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(path, NOT_XLSX, "是旧版 Excel（.xls）或 WPS 文件，不是本程序导出的月报文件（.xlsx）。")
    if not head.startswith(b"PK"):
        raise _fail(path, NOT_XLSX, "不是 Excel 工作簿（.xlsx），不是本程序导出的月报文件。")
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            names = set(z.namelist())
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise _fail(path, DAMAGED, "不完整或已损坏（可能复制或下载中断），无法读取。请让村里重新导出。") from exc
    if bad is not None:
        raise _fail(path, DAMAGED, "已损坏（其中的数据校验不通过），无法读取。请让村里重新导出。")
    if "xl/workbook.xml" not in names:
        raise _fail(path, NOT_XLSX, "不是 Excel 工作簿（.xlsx），不是本程序导出的月报文件。")


def _trimmed(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows with trailing empty cells and trailing empty rows removed."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(tuple(cells))
    while out and not out[-1]:
        out.pop()
    return out


def _plain(value: Any) -> Any:
    """Dates as ``date``; integral floats as ``int`` (Excel stores every number as a float)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook  # openpyxl takes 0.1 s to import: only when a file is read

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, InvalidFileException … for a broken file
        raise _fail(path, DAMAGED, "无法按 Excel 工作簿读取（文件已损坏或不是本程序导出的文件）。") from exc
    try:
        return {ws.title: _trimmed(list(ws.iter_rows(values_only=True))) for ws in wb.worksheets}
    except Exception as exc:
        raise _fail(path, DAMAGED, "读取时出错（文件不完整或已损坏）。请让村里重新导出。") from exc
    finally:
        wb.close()


def _int(value: Any) -> int | None:
    value = _plain(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _manifest(path: Path, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for row in rows[fmt.MANIFEST_FIRST_ROW - 1:]:
        if row and isinstance(row[0], str) and row[0]:
            found[row[0]] = _plain(row[2]) if len(row) > 2 else None
    name = found.get("format")
    if name != fmt.FORMAT_NAME:
        raise _fail(path, UNKNOWN_FORMAT, f"不是本程序导出的月报文件（格式“{name or '无'}”，应为“{fmt.FORMAT_NAME}”）。")
    version = _int(found.get("format_version"))
    if version is None:
        raise _fail(path, UNKNOWN_FORMAT, "的格式版本无法识别。")
    if version > fmt.FORMAT_VERSION:
        raise _fail(path, NEWER_VERSION, f"的文件格式版本 {version} 比本程序支持的版本 {fmt.FORMAT_VERSION} 新，请升级程序后再导入。")
    if version < 1:
        raise _fail(path, UNKNOWN_FORMAT, f"的文件格式版本 {version} 无法识别。")
    missing = [key for key, _ in fmt.MANIFEST_FIELDS if key not in found]
    if missing:
        raise _fail(path, BAD_CONTENT, f"的清单缺少：{'、'.join(missing)}。")
    return found


def _data(path: Path, sheet: str, rows: list[tuple[Any, ...]], count: int | None) -> tuple[tuple[str, ...], tuple]:
    header_row = rows[fmt.HEADER_ROW - 1] if len(rows) >= fmt.HEADER_ROW else ()
    headers = tuple("" if h is None else str(h) for h in header_row)
    lacking = [h for h in fmt.HEADERS[sheet] if h not in headers]
    if lacking:
        raise _fail(path, BAD_CONTENT, f"的工作表“{sheet}”缺少列：{'、'.join(lacking)}。")
    data = tuple(tuple(_plain(v) for v in row) for row in rows[fmt.FIRST_DATA_ROW - 1:])
    if count is None or count != len(data):
        raise _fail(path, BAD_CONTENT, f"的工作表“{sheet}”有 {len(data)} 行数据，清单中记为 {count}。")
    return headers, data


def _keyed(headers: tuple[str, ...], rows: tuple, key: str, *values: str) -> dict[str, tuple]:
    ki, vi = headers.index(key), [headers.index(v) for v in values]
    return {row[ki]: tuple(row[i] if i < len(row) else None for i in vi) for row in rows if len(row) > ki}


def _number(path: Path, sheet: str, key: str, value: Any, *, whole: bool = False) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
        raise _fail(path, BAD_CONTENT, f"的工作表“{sheet}”中“{key}”的值“{value}”不是{'整数' if whole else '数字'}。")
    return value


def read_month_file(path: str | Path) -> MonthFile:
    """Read and verify a monthly report file; ``MonthFileError`` when it cannot be accepted."""
    path = Path(path)
    _open_zip(path)
    sheets = _read_sheets(path)
    for name in fmt.SHEET_ORDER:
        if name not in sheets:
            if name == fmt.MANIFEST:
                raise _fail(path, UNKNOWN_FORMAT, "没有“清单”工作表，不是本程序导出的月报文件。")
            raise _fail(path, MISSING_SHEET, f"缺少工作表“{name}”，文件不完整。")
    manifest = _manifest(path, sheets[fmt.MANIFEST])
    expected = str(manifest.get(fmt.HASH_KEY) or "").strip().lower()
    actual = fmt.content_hash(sheets.items())
    if expected != actual:
        raise _fail(path, HASH_MISMATCH, "的文件内容被修改过或已损坏（内容校验码不符）。请让村里重新导出后报送，"
                                         "不要用 Excel 或 WPS 打开修改后再保存。")

    counts = {key: _int(manifest.get(key)) for _, key in fmt.DATA_SHEETS}
    headers, rows = {}, {}
    for sheet, key in fmt.DATA_SHEETS:
        headers[sheet], rows[sheet] = _data(path, sheet, sheets[sheet], counts[key])

    monthly = {k: _number(path, fmt.MONTHLY, k, v[0], whole=True)
               for k, v in _keyed(headers[fmt.MONTHLY], rows[fmt.MONTHLY], "键", "数量").items()}
    board = {k: v[0] for k, v in _keyed(headers[fmt.BOARD], rows[fmt.BOARD], "键", "数值").items()}
    indicators = {k: (_number(path, fmt.INDICATORS, k, v[0], whole=True), _number(path, fmt.INDICATORS, k, v[1]))
                  for k, v in _keyed(headers[fmt.INDICATORS], rows[fmt.INDICATORS], "键", "分子", "分母").items()}
    score = _keyed(headers[fmt.SCORE], rows[fmt.SCORE], "键", "得分", "分值")
    items = {k.removeprefix("item."): (_number(path, fmt.SCORE, k, v[0]), _number(path, fmt.SCORE, k, v[1]))
             for k, v in score.items() if k.startswith("item.")}
    articles = {k.removeprefix("article."): (_number(path, fmt.SCORE, k, v[0]), _number(path, fmt.SCORE, k, v[1]))
                for k, v in score.items() if k.startswith("article.")}
    findings = {k: (_number(path, fmt.FINDINGS, k, v[0], whole=True), _number(path, fmt.FINDINGS, k, v[1], whole=True))
                for k, v in _keyed(headers[fmt.FINDINGS], rows[fmt.FINDINGS], "代码", "问题数", "其中已确认例外").items()}

    def text(key: str) -> str:
        value = manifest.get(key)
        return "" if value is None else str(value)

    def whole(key: str) -> int:
        value = _int(manifest.get(key))
        if value is None:
            raise _fail(path, BAD_CONTENT, f"的清单中“{key}”不是整数。")
        return value

    as_of = manifest.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            as_of = None
    freeze = MappingProxyType
    return MonthFile(
        path=path, format=text("format"), format_version=whole("format_version"),
        village_code=text("village_code"), village_name=text("village_name"), township=text("township"),
        county=text("county"), period=text("period"), correction_no=whole("correction_no"),
        submitted=whole("submitted") == 1, generated_at=text("generated_at"),
        as_of=as_of if isinstance(as_of, dt.date) else None, app_version=text("app_version"),
        id_numbers_masked=whole("id_numbers_masked") == 1, content_sha256=expected, manifest=freeze(manifest),
        row_counts=freeze({key: counts[key] for _, key in fmt.DATA_SHEETS}),
        findings_errors=whole("findings.errors"), findings_warnings=whole("findings.warnings"),
        findings_confirmed=whole("findings.confirmed"), finding_counts=freeze(findings), monthly=freeze(monthly),
        board=freeze(board), indicators=freeze(indicators), score_scheme=text("score_scheme"),
        score_total=float(_number(path, fmt.MANIFEST, "score_total", manifest.get("score_total")) or 0),
        score_maximum=float(_number(path, fmt.MANIFEST, "score_maximum", manifest.get("score_maximum")) or 0),
        score_items=freeze(items), score_articles=freeze(articles), headers=freeze(headers), rows=freeze(rows),
    )
