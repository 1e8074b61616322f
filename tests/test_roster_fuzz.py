"""Hostile workbooks: mutated cells, dropped sheets and columns, truncated and foreign files.

The roster importer either imports or reports problems in Chinese; it never raises anything else and never
writes part of a workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from fpdesk.db import open_village_file
from fpdesk.errors import FpdeskError
from fpdesk.roster import import_roster
from tests.conftest import file_content
from tests.roster_books import MINIMAL, minimal, write_book

EXAMPLES = int(os.environ.get("FPDESK_FUZZ_EXAMPLES", 60))
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

cell_values = st.one_of(
    st.none(), st.text(max_size=30), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["0000-00-00", "2026-02-30", "９９", "宫内节育器", "男", "女", "=1/0", "#N/A", "P1", "1", "2"]),
)


@st.composite
def mutated_books(draw) -> dict:
    sheets = minimal()
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        name = draw(st.sampled_from(sorted(sheets)))
        rows = sheets[name]
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop_column", "drop_sheet", "add_row", "header"]))
        if action == "cell" and len(rows) > 1:
            r = draw(st.integers(min_value=1, max_value=len(rows) - 1))
            c = draw(st.integers(min_value=0, max_value=len(rows[r]) - 1))
            rows[r][c] = draw(cell_values)
        elif action == "drop_column" and rows[0]:
            c = draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
            for row in rows:
                del row[c]
        elif action == "drop_sheet" and len(sheets) > 1:
            del sheets[name]
        elif action == "add_row":
            rows.append([draw(cell_values) for _ in rows[0]])
        elif action == "header" and rows[0]:
            rows[0][draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))] = draw(cell_values)
    return sheets


def _try(tmp_path: Path, book: Path) -> None:
    target = tmp_path / f"v{os.urandom(4).hex()}.sqlite"
    conn = open_village_file(target, create=True)
    before = file_content(conn)
    try:
        import_roster(conn, book)
    except FpdeskError as exc:
        assert str(exc)
        assert file_content(conn) == before, "a refused workbook must leave the village file as it was"
    finally:
        conn.close()


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(sheets=mutated_books())
def test_mutated_workbooks_import_or_are_refused_whole(tmp_path, sheets) -> None:
    book = tmp_path / f"b{os.urandom(4).hex()}.xlsx"
    try:
        write_book(book, sheets)
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl itself cannot write this value: not a workbook a clerk can have
        return
    _try(tmp_path, book)


@settings(max_examples=max(10, EXAMPLES // 3), deadline=None, suppress_health_check=HEALTH)
@given(cut=st.floats(min_value=0.0, max_value=0.99))
def test_truncated_workbooks_are_refused(tmp_path, cut) -> None:
    whole = write_book(tmp_path / "whole.xlsx", MINIMAL).read_bytes()
    book = tmp_path / f"cut{os.urandom(4).hex()}.xlsx"
    book.write_bytes(whole[: int(len(whole) * cut)])
    _try(tmp_path, book)


@settings(max_examples=max(10, EXAMPLES // 3), deadline=None, suppress_health_check=HEALTH)
@given(data=st.binary(max_size=4000))
def test_random_bytes_and_foreign_zips_are_refused(tmp_path, data) -> None:
    book = tmp_path / f"x{os.urandom(4).hex()}.xlsx"
    book.write_bytes(data)
    _try(tmp_path, book)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", data)
        z.writestr("[Content_Types].xml", b"<Types/>")
    book.write_bytes(buffer.getvalue())
    _try(tmp_path, book)


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), 1e300, "1e400", -5])
def test_an_impossible_amount_is_a_problem_not_a_crash(tmp_path, amount) -> None:
    # found by the fuzzer: an infinite or huge 金额 cell raised decimal.InvalidOperation
    sheets = minimal()
    sheets["奖扶"][1][3] = amount
    book = write_book(tmp_path / "amount.xlsx", sheets)
    conn = open_village_file(tmp_path / "v.sqlite", create=True)
    with pytest.raises(FpdeskError) as err:
        import_roster(conn, book)
    assert any(p.sheet == "奖扶" and p.column == "金额" for p in err.value.problems)
