"""``fpdesk roster template | import | export`` from the command line."""

from __future__ import annotations

import pytest

from fpdesk import cli
from fpdesk.db import open_village_file
from fpdesk.roster import read_roster
from tests.conftest import file_content
from tests.roster_books import minimal, set_cell, write_book


@pytest.fixture(autouse=True)
def only_roster_commands(monkeypatch):
    """Other subcommands are written concurrently; these tests need only the roster one."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("fpdesk.commands.roster",))


def test_template(tmp_path, capsys):
    assert cli.main(["roster", "template", str(tmp_path / "模板.xlsx")]) == 0
    assert (tmp_path / "模板.xlsx").exists()
    assert "模板" in capsys.readouterr().out


def test_import_creates_the_village_file_and_prints_counts(tmp_path, capsys):
    book = write_book(tmp_path / "村.xlsx", minimal())
    db = tmp_path / "new.sqlite"
    assert cli.main(["roster", "import", "--db", str(db), str(book)]) == 0
    out = capsys.readouterr().out
    assert "人口 4 行" in out and "已导入：4 人，1 户" in out and "用时" in out
    conn = open_village_file(db)
    assert conn.execute("SELECT count(*) FROM person").fetchone()[0] == 4
    conn.close()


def test_import_with_problems_prints_one_line_each_and_writes_nothing(tmp_path, capsys):
    sheets = minimal()
    set_cell(sheets, "人口", 3, "出生日期", "1988-13-45")
    set_cell(sheets, "生育", 2, "母亲人员编号", "9")
    book = write_book(tmp_path / "村.xlsx", sheets)
    db = tmp_path / "new.sqlite"
    assert cli.main(["roster", "import", "--db", str(db), str(book)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "工作表 / 行 / 列 / 值 / 原因"
    assert lines[1].startswith("人口 / 第3行 / 出生日期 / 1988-13-45 / 不是有效日期")
    assert lines[2].startswith("生育 / 第2行 / 母亲人员编号 / 9 / 在“人口”工作表中找不到")
    assert len(lines) == 3
    assert "2 处问题" in captured.err
    assert not db.exists()  # the file it would have created is not left behind


def test_import_into_a_file_with_people_is_refused(tmp_path, capsys):
    book = write_book(tmp_path / "村.xlsx", minimal())
    db = tmp_path / "v.sqlite"
    assert cli.main(["roster", "import", "--db", str(db), str(book)]) == 0
    conn = open_village_file(db)
    before = file_content(conn)
    conn.close()
    assert cli.main(["roster", "import", "--db", str(db), str(book)]) == 2
    assert "已有 4 人" in capsys.readouterr().err
    conn = open_village_file(db)
    assert file_content(conn) == before
    conn.close()


def test_export(tmp_path, capsys):
    book = write_book(tmp_path / "村.xlsx", minimal())
    db = tmp_path / "v.sqlite"
    cli.main(["roster", "import", "--db", str(db), str(book)])
    assert cli.main(["roster", "export", "--db", str(db), str(tmp_path / "出.xlsx")]) == 0
    assert "4 人" in capsys.readouterr().out
    data = read_roster(tmp_path / "出.xlsx")
    assert [r["name"] for r in data.persons] == ["张伟", "李娜", "张小红", "黄梅"]


def test_export_of_a_missing_file_is_an_error(tmp_path, capsys):
    assert cli.main(["roster", "export", "--db", str(tmp_path / "none.sqlite"), str(tmp_path / "o.xlsx")]) == 2
    assert "找不到" in capsys.readouterr().err
