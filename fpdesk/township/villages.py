"""The township's list of villages (村名单): read from a CSV of 村代码,村名称 as township offices keep it in Excel.

Excel on a Chinese Windows saves CSV in GBK, later versions in UTF-8 with a BOM; some offices type a full-width
comma or save as tab-separated text; Excel turns a 12-digit code into 4.20102E+11 unless the column is text.
Each of these is read or explained; every bad line is reported at once, by its line number, in Chinese.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from fpdesk.township.errors import VillageListError

FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SCIENTIFIC = re.compile(r"^\s*\d(\.\d+)?[eE]\+?\d+\s*$")
HEADER_WORDS = ("村代码", "代码", "村名称", "名称", "村名", "code", "name")


@dataclass(frozen=True, slots=True)
class VillageEntry:
    """One village of the township.

    code: 12-digit 统计用区划代码 (村代码); name: 村名称; position: its place in the township's list (1, 2, …).
    """

    code: str
    name: str
    position: int


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise VillageListError(f"{name}是空文件。")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise VillageListError(f"{name}是 Excel 工作簿，不是 CSV 文本。请在 Excel 中“另存为”“CSV（逗号分隔）”后再用。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise VillageListError(f"{name}不是文本文件（无法按 UTF-8 或 GBK 读取）。")


def _rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    delimiter = max((",", "，", "\t", ";"), key=sample.count)   # ties (none at all): the comma, listed first
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def parse_village_list(data: bytes, *, source: str = "") -> tuple[VillageEntry, ...]:
    """The villages in a CSV (bytes as read from disk): columns 村代码, 村名称; a header line is optional.

    Raises ``VillageListError`` listing every bad line: a code that is not 12 digits, a code Excel turned into
    scientific notation, a missing name, a code or a name that appears twice.
    """
    listed = f"村名单“{source}”" if source else "村名单"
    rows = [r for r in _rows(_decode(data, listed)) if any(r)]
    if rows and any(w in (rows[0][0] if rows[0] else "").lower() for w in HEADER_WORDS):
        first_line = 2
        rows = rows[1:]
    else:
        first_line = 1
    if not rows:
        raise VillageListError(f"{listed}没有村（每行应为：村代码,村名称）。")
    problems: list[str] = []
    entries: list[VillageEntry] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for n, row in enumerate(rows, first_line):
        code = (row[0] if row else "").translate(FULL_WIDTH_DIGITS).replace(" ", "")
        name = " ".join(row[1].split()) if len(row) > 1 else ""
        where = f"第 {n} 行"
        if _SCIENTIFIC.match(code):
            problems.append(f"{where}：村代码“{code}”被 Excel 显示成了科学计数法，位数已丢失。"
                            f"请把村代码一列设为“文本”、重新输入12位代码后再保存。")
            continue
        if len(code) != 12 or not (code.isascii() and code.isdigit()):
            problems.append(f"{where}：村代码“{code}”应为12位数字（统计用区划代码）。")
            continue
        if not name:
            problems.append(f"{where}：村代码 {code} 缺少村名称（每行应为：村代码,村名称）。")
            continue
        if code in seen_codes:
            problems.append(f"{where}：村代码 {code} 与第 {seen_codes[code]} 行重复。")
            continue
        if name in seen_names:
            problems.append(f"{where}：村名称“{name}”与第 {seen_names[name]} 行重复。")
            continue
        seen_codes[code], seen_names[name] = n, n
        entries.append(VillageEntry(code=code, name=name, position=len(entries) + 1))
    if problems:
        raise VillageListError(f"{listed}有 {len(problems)} 处错误，未建立乡镇：", problems=tuple(problems))
    return tuple(entries)


def read_village_list(path: str | Path) -> tuple[VillageEntry, ...]:
    """The villages in the CSV file ``path`` (see ``parse_village_list``)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise VillageListError(f"找不到村名单文件：{file}") from None
    except IsADirectoryError:
        raise VillageListError(f"“{file}”是文件夹，不是村名单文件。") from None
    except OSError as exc:
        raise VillageListError(f"无法读取村名单文件“{file}”：{exc.strerror or exc}") from None
    return parse_village_list(data, source=file.name)
