"""Making the township file: the list of villages from a CSV (every bad line told plainly), the file told apart from
a village file, its own schema and migrations, the deadline day and the scheme in force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.db import open_village_file
from fpdesk.errors import InputError
from fpdesk.score import SchemeError
from fpdesk.township import (
    APPLICATION_ID, TownshipFileError, VillageListError, init_township, is_township_file, open_township_file,
    parse_village_list, read_village_list, scheme_for, set_deadline_day, set_scheme, township_info, villages,
)
from fpdesk.township import migrations
from fpdesk.township.setup import BACKLOG_MONTHS

TODAY = dt.date(2026, 11, 23)
TWO = [("420102001201", "东河村"), ("420102001202", "西山村")]


def _csv(rows, *, header: bool = True, sep: str = ",") -> str:
    return ("村代码,村名称\n" if header else "") + "".join(f"{c}{sep}{n}\n" for c, n in rows)


# (case, bytes of the CSV, the villages read)
GOOD_LISTS = [
    ("UTF-8 with BOM and header (Excel 2016+)", _csv(TWO).encode("utf-8-sig"), TWO),
    ("GBK without header (Excel on Chinese Windows)", _csv(TWO, header=False).encode("gbk"), TWO),
    ("tab-separated", _csv(TWO, sep="\t").encode("utf-8"), TWO),
    ("full-width comma and digits", "４２０１０２００１２０１，东河村\n420102001202，西山村\n".encode("utf-8"), TWO),
    ("blank lines and spaces", b"\n 420102001201 , \xe4\xb8\x9c\xe6\xb2\xb3\xe6\x9d\x91 \n\n420102001202,\xe8\xa5\xbf\xe5\xb1\xb1\xe6\x9d\x91\n",
     TWO),
]


@pytest.mark.parametrize("case, data, expected", GOOD_LISTS, ids=[c[0] for c in GOOD_LISTS])
def test_village_lists_as_offices_save_them(case, data, expected):
    entries = parse_village_list(data)
    assert [(v.code, v.name) for v in entries] == expected
    assert [v.position for v in entries] == [1, 2]


# (case, bytes, words the message must contain)
BAD_LISTS = [
    ("code shown as 4.20102E+11 by Excel", b"4.20102E+11,\xe4\xb8\x9c\xe6\xb2\xb3\xe6\x9d\x91\n", "科学计数法"),
    ("code of 11 digits", _csv([("42010200120", "东河村")]).encode(), "第 2 行：村代码“42010200120”应为12位数字"),
    ("the same code twice", _csv([TWO[0], ("420102001201", "南湾村")]).encode(), "第 3 行：村代码 420102001201 与第 2 行重复"),
    ("the same name twice", _csv([TWO[0], ("420102001203", "东河村")]).encode(), "村名称“东河村”与第 2 行重复"),
    ("a code without a name", _csv([("420102001201", "")]).encode(), "缺少村名称"),
    ("an empty file", b"", "是空文件"),
    ("only the header", "村代码,村名称\n".encode(), "没有村"),
    ("an Excel workbook instead of CSV", b"PK\x03\x04rest", "是 Excel 工作簿，不是 CSV"),
]


@pytest.mark.parametrize("case, data, words", BAD_LISTS, ids=[c[0] for c in BAD_LISTS])
def test_a_bad_village_list_says_what_is_wrong(case, data, words):
    with pytest.raises(VillageListError) as err:
        parse_village_list(data, source="villages.csv")
    assert words in str(err.value)


def test_every_bad_line_is_reported_at_once():
    data = _csv([("1234", "甲村"), ("420102001201", ""), ("4.2E+11", "乙村")]).encode()
    with pytest.raises(VillageListError) as err:
        parse_village_list(data)
    assert len(err.value.problems) == 3
    assert "有 3 处错误" in str(err.value)


def test_a_missing_village_list(tmp_path):
    with pytest.raises(VillageListError, match="找不到村名单文件"):
        read_village_list(tmp_path / "nope.csv")


@pytest.fixture
def township(tmp_path) -> Path:
    path = tmp_path / "城关镇.sqlite"
    init_township(path, name=" 城关镇 ", villages=parse_village_list(_csv(TWO).encode()), county="江岸区",
                  today=TODAY).close()
    return path


def test_init_makes_a_township_file(township):
    conn = open_township_file(township)
    info = township_info(conn)
    assert (info.name, info.county, info.deadline_day, info.created_on) == ("城关镇", "江岸区", 5, TODAY)
    assert info.start_period == "2025-11"      # twelve months back: last year's backlog is still taken
    assert BACKLOG_MONTHS == 12
    assert [(v.code, v.name) for v in villages(conn)] == TWO
    assert scheme_for(conn, "2026-10").key == "village_2026_example"
    assert {r[0] for r in conn.execute("SELECT name FROM schema_migration")} == {migrations.BASELINE}
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert info.due("2026-10") == dt.date(2026, 11, 5)
    conn.close()


def test_a_township_file_is_told_apart_from_a_village_file(township, tmp_path):
    village = tmp_path / "village.sqlite"
    open_village_file(village, create=True).close()
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database", encoding="utf-8")
    assert is_township_file(township)
    assert not is_township_file(village)
    assert not is_township_file(text)
    assert not is_township_file(tmp_path / "missing.sqlite")
    assert not is_township_file(tmp_path)
    with pytest.raises(TownshipFileError, match="是村数据文件，不是乡镇汇总文件"):
        open_township_file(village)
    with pytest.raises(TownshipFileError, match="不是乡镇汇总文件"):
        open_township_file(text)


def test_init_never_overwrites_and_leaves_nothing_on_failure(township, tmp_path):
    with pytest.raises(TownshipFileError, match="已存在，不会覆盖"):
        init_township(township, name="城关镇", villages=parse_village_list(_csv(TWO).encode()))
    target = tmp_path / "new.sqlite"
    with pytest.raises(InputError, match="请填写乡镇名称"):
        init_township(target, name=" ", villages=parse_village_list(_csv(TWO).encode()))
    with pytest.raises(InputError, match="报送截止日"):
        init_township(target, name="城关镇", villages=parse_village_list(_csv(TWO).encode()), deadline_day=31)
    with pytest.raises(SchemeError):
        init_township(target, name="城关镇", villages=parse_village_list(_csv(TWO).encode()), scheme="no_such")
    assert not target.exists()


def test_the_deadline_day_and_the_scheme_in_force(township, tmp_path):
    conn = open_township_file(township)
    set_deadline_day(conn, 3)
    assert township_info(conn).due("2026-12") == dt.date(2027, 1, 3)
    with pytest.raises(InputError):
        set_deadline_day(conn, 0)
    set_scheme(conn, "village_2006", from_period="2026-10", today=TODAY)
    assert scheme_for(conn, "2026-09").key == "village_2026_example"
    assert scheme_for(conn, "2026-10").key == "village_2006"
    assert scheme_for(conn, "2027-03").key == "village_2006"
    conn.close()


def test_the_townships_own_scheme_is_kept_whole_in_its_file(township, tmp_path):
    from fpdesk.score.loader import schemes_dir

    own = tmp_path / "本镇细则.toml"
    own.write_text((schemes_dir() / "village_2006.toml").read_text(encoding="utf-8")
                   .replace('key = "village_2006"', 'key = "chengguan_2026"'), encoding="utf-8")
    conn = open_township_file(township)
    set_scheme(conn, own, from_period="2026-11", today=TODAY)
    own.unlink()                                   # the file may be lost: the township file has it
    assert scheme_for(conn, "2026-11").key == "chengguan_2026"
    conn.close()


def test_a_township_file_from_a_newer_program_is_refused(township):
    from fpdesk.db import connect

    conn = connect(township)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(TownshipFileError, match="由更新版本的程序创建"):
        open_township_file(township)
