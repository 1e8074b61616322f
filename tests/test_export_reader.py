"""Reading a monthly report file back (what the township imports): every way a file can be wrong is refused with a
reason a clerk understands, and the content hash is the documented recipe."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from fpdesk import services
from fpdesk.errors import FpdeskError
from fpdesk.export import MonthFileError, export_month, read_month_file
from fpdesk.export import format as fmt
from fpdesk.export.xlsx import clean
from tests.conftest import TODAY


@pytest.fixture
def good(fresh_db, tmp_path) -> Path:
    """The export of a small village's October (one birth, one marriage)."""
    services.register_household(fresh_db, number="001", group="一组", today=dt.date(2020, 1, 1), members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    ids = [r[0] for r in fresh_db.execute("SELECT id FROM person ORDER BY id")]
    services.record_marriage(fresh_db, person=ids[1], spouse=ids[0], date="2026-10-02", today=TODAY)
    services.record_birth(fresh_db, mother=ids[1], child_name="张小明", sex="男", birth_date="2026-10-20", today=TODAY)
    return export_month(fresh_db, period="2026-10", out_dir=tmp_path / "out", today=TODAY).xlsx


def resign(path: Path, out: Path, edit) -> Path:
    """Edit a workbook and give it a correct hash again (what a careful forger, or a newer program, would do)."""
    wb = load_workbook(path)
    edit(wb)
    manifest = wb[fmt.MANIFEST]
    row = next(r for r in manifest.iter_rows(min_row=1) if r[0].value == fmt.HASH_KEY)
    row[2].value = ""
    row[2].value = fmt.content_hash((ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets)
    wb.save(out)
    return out


def set_manifest(key: str, value):
    def edit(wb):
        for row in wb[fmt.MANIFEST].iter_rows(min_row=3):
            if row[0].value == key:
                row[2].value = value
    return edit


def reason(path: Path) -> tuple[str, str]:
    with pytest.raises(MonthFileError) as err:
        read_month_file(path)
    assert isinstance(err.value, FpdeskError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value)), "a reason in Chinese"
    return err.value.reason, str(err.value)


def test_a_good_file_reads(good) -> None:
    month = read_month_file(good)
    assert (month.period, month.village_code, month.monthly["births.total"]) == ("2026-10", "420102001001", 1)
    assert month.monthly["marriages.women_first"] == 1
    assert month.column(fmt.BIRTHS, "身份证号") == ("420102********0127",)


def test_a_missing_file(tmp_path) -> None:
    assert reason(tmp_path / "nothing.xlsx")[0] == "missing"


def test_an_empty_file(tmp_path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert reason(path) == ("empty", "“empty.xlsx”是空文件（0 字节），可能复制没有完成。请让村里重新导出。")


@pytest.mark.parametrize("content, why", [
    (b"village,period\n1,2026-10\n", "不是 Excel 工作簿"),                       # a CSV renamed
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),      # an old .xls
])
def test_what_is_not_an_xlsx(tmp_path, content, why) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(content)
    kind, text = reason(path)
    assert kind == "not_xlsx" and why in text


def test_a_zip_that_is_no_workbook(tmp_path) -> None:
    path = tmp_path / "f.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert reason(path)[0] == "not_xlsx"


def test_a_truncated_file(good, tmp_path) -> None:
    data = good.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    kind, text = reason(path)
    assert kind == "damaged" and "不完整或已损坏" in text


def test_a_damaged_byte_inside(good, tmp_path) -> None:
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet4.xml")   # 月报表
    spot = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[spot] ^= 0xFF
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bytes(data))
    assert reason(path)[0] in ("damaged", "hash")


def test_a_workbook_of_another_kind(tmp_path) -> None:
    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.title = "人口"
    wb.save(path)
    assert reason(path)[0] == "format"


def test_an_unknown_format_name(good, tmp_path) -> None:
    path = resign(good, tmp_path / "f.xlsx", set_manifest("format", "someone-else"))
    kind, text = reason(path)
    assert kind == "format" and "someone-else" in text


def test_a_newer_version_asks_for_an_upgrade(good, tmp_path) -> None:
    path = resign(good, tmp_path / "f.xlsx", set_manifest("format_version", 2))
    kind, text = reason(path)
    assert kind == "version" and "请升级程序" in text


def test_a_missing_sheet(good, tmp_path) -> None:
    def drop(wb):
        del wb[fmt.INDICATORS]
    kind, text = reason(resign(good, tmp_path / "f.xlsx", drop))
    assert kind == "sheet" and "指标" in text


def test_rows_that_do_not_match_the_manifest(good, tmp_path) -> None:
    def add_row(wb):
        wb[fmt.BIRTHS].append([2, "一组", "某某"])
    kind, text = reason(resign(good, tmp_path / "f.xlsx", add_row))
    assert kind == "content" and "报告单二" in text


def test_a_renamed_column(good, tmp_path) -> None:
    def rename(wb):
        wb[fmt.MONTHLY]["C3"] = "人数"
    kind, text = reason(resign(good, tmp_path / "f.xlsx", rename))
    assert kind == "content" and "数量" in text


@pytest.mark.parametrize("key, value", [
    ("period", "2026-09"),          # the month changed by hand
    ("correction_no", 0),           # unchanged value: still the same file
])
def test_the_manifest_is_covered_by_the_hash(good, tmp_path, key, value) -> None:
    wb = load_workbook(good)
    set_manifest(key, value)(wb)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    if key == "correction_no":
        assert read_month_file(path).correction_no == 0
    else:
        assert reason(path)[0] == "hash"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.none()), min_size=1, max_size=8))
def test_the_hash_of_what_was_written_is_the_hash_of_what_is_read(values) -> None:
    row = [clean(v) for v in values]
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    for col, value in enumerate(row, start=1):
        cell = ws.cell(row=1, column=col, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    back = load_workbook(io.BytesIO(out.getvalue()), read_only=True, data_only=True)
    assert fmt.content_hash([("表", [row])]) == fmt.content_hash([("表", back.active.iter_rows(values_only=True))])


@pytest.mark.parametrize("value, text", [
    (None, ""), ("", ""), (5, "5"), (5.0, "5"), (9210.5, "9210.5"), (85.48, "85.48"), (0.1 + 0.2, "0.3"),
    (dt.date(2026, 10, 5), "2026-10-05"), (dt.datetime(2026, 10, 5), "2026-10-05"),
    (dt.datetime(2026, 10, 5, 9, 30), "2026-10-05T09:30:00"), (True, "TRUE"),
    ("a\tb\nc\\d", "a\\tb\\nc\\\\d"),
])
def test_cells_are_written_canonically_as_documented(value, text) -> None:
    assert fmt.canonical(value) == text
