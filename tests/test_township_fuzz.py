"""Hostile village files at the township: random bytes, cut files, zips that are no workbook, edited cells.

Every one is refused with a reason (or, if it is still a valid file of ours, imported whole); nothing else is
raised and a refused file leaves the township file exactly as it was.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from fpdesk.township import REJECTED, import_files, open_township_file
from tests.test_township_villages import (  # noqa: F401  (township_villages is a fixture)
    TODAY, content, township_file, township_villages,
)

EXAMPLES = int(os.environ.get("FPDESK_FUZZ_EXAMPLES", 60))
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture(scope="module")
def township(township_villages, tmp_path_factory):
    conn = open_township_file(township_file(tmp_path_factory.mktemp("fuzz-township"), township_villages))
    yield conn
    conn.close()


def _refused_without_trace(conn, path) -> None:
    before = content(conn)
    summary = import_files(conn, [path], today=TODAY)
    outcome = summary.outcomes[0]
    if outcome.outcome == REJECTED:
        assert outcome.reason, "a refusal says why"
        assert content(conn) == before


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(data=st.binary(max_size=3000), cut=st.floats(min_value=0, max_value=0.999))
def test_random_and_cut_files_are_refused(township, township_villages, tmp_path, data, cut) -> None:
    village = township_villages[0]
    junk = tmp_path / f"{village.code}_2026-10_{os.urandom(3).hex()}.xlsx"
    junk.write_bytes(data)
    _refused_without_trace(township, junk)
    whole = village.october.read_bytes()
    junk.write_bytes(whole[: int(len(whole) * cut)])
    _refused_without_trace(township, junk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", data)
        z.writestr("xl/workbook.xml", data)
    junk.write_bytes(buffer.getvalue())
    _refused_without_trace(township, junk)


@pytest.mark.slow
@settings(max_examples=max(10, EXAMPLES // 2), deadline=None, suppress_health_check=HEALTH)
@given(sheet_index=st.integers(min_value=0, max_value=20), row=st.integers(min_value=1, max_value=40),
       column=st.integers(min_value=1, max_value=12),
       value=st.one_of(st.none(), st.text(max_size=20), st.integers(), st.floats(allow_nan=False)))
def test_an_edited_cell_is_refused(township, township_villages, tmp_path, sheet_index, row, column, value) -> None:
    village = township_villages[1]
    edited = tmp_path / f"e{os.urandom(3).hex()}" / village.october.name
    edited.parent.mkdir()
    shutil.copy(village.october, edited)
    wb = load_workbook(edited)
    ws = wb.worksheets[sheet_index % len(wb.worksheets)]
    if isinstance(ws.cell(row, column), type(ws.cell(1, 1))):
        try:
            ws.cell(row, column).value = value
        except (ValueError, TypeError, AttributeError, IllegalCharacterError):
            return  # a merged cell or a value openpyxl cannot write: not a file anyone can have
    try:
        wb.save(edited)
    except Exception:  # noqa: BLE001 - openpyxl refuses to write it: not a file anyone can have
        return
    _refused_without_trace(township, edited)
