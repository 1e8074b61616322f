"""Opening, creating and migrating the village file; the core stays free of Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fpdesk import migrations
from fpdesk.db import connect, create_schema, open_village_file
from fpdesk.errors import VillageFileError


def test_a_baseline_file_is_migrated_on_open_and_keeps_its_data(tmp_path) -> None:
    path = tmp_path / "old.sqlite"
    conn = connect(path)
    create_schema(conn)                       # a file as the first release wrote it: baseline only
    conn.execute("INSERT INTO village(id, code, name) VALUES (1, '420102001001', '老村')")
    conn.execute("INSERT INTO person(name, sex, birth_date) VALUES ('张三', '1', '1980-01-01')")
    conn.close()

    conn = open_village_file(path)
    names = [r[0] for r in conn.execute("SELECT name FROM schema_migration ORDER BY name")]
    assert names == [migrations.BASELINE] + [name for name, _ in migrations.MIGRATIONS]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("SELECT value FROM setting WHERE key = 'deadline_day'").fetchone()[0] == "5"
    assert conn.execute("SELECT name FROM person").fetchone()[0] == "张三"
    conn.close()
    # opening again applies nothing twice
    conn = open_village_file(path)
    assert migrations.apply_pending(conn) == []
    conn.close()


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch) -> None:
    path = tmp_path / "old.sqlite"
    conn = connect(path)
    create_schema(conn)
    conn.close()

    def broken(c):
        c.execute("INSERT INTO setting(key, value) VALUES ('half', 'done')")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", (("0002_broken", broken),))
    with pytest.raises(RuntimeError):
        open_village_file(path)
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM setting").fetchone()[0] == 0


def test_file_settings_wal_and_foreign_keys(tmp_path) -> None:
    conn = open_village_file(tmp_path / "v.sqlite", create=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(Exception):
        conn.execute("INSERT INTO birth(mother_id, child_name, child_sex, birth_date, birth_order)"
                      " VALUES (999, '某', '1', '2020-01-01', 1)")


@pytest.mark.parametrize(("column", "value"), [
    ("birth_date", "2023-02-30"),   # no such day
    ("birth_date", "2023/02/01"),   # stored dates are always ISO
    ("sex", "男"),                   # codes, not labels, are stored
])
def test_the_database_refuses_malformed_values(fresh_db, column, value) -> None:
    row = {"name": "某", "sex": "1", "birth_date": "1990-01-01", column: value}
    with pytest.raises(Exception):
        fresh_db.execute("INSERT INTO person(name, sex, birth_date) VALUES (?, ?, ?)",
                         (row["name"], row["sex"], row["birth_date"]))


@pytest.mark.parametrize(("content", "message"), [
    (b"", "空文件"),
    (b"this is a spreadsheet, not a database" * 50, "不是村数据文件"),
])
def test_a_file_that_is_not_a_village_file_is_refused_in_chinese(tmp_path, content, message) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    with pytest.raises(VillageFileError) as err:
        open_village_file(path)
    assert message in str(err.value)


def test_another_sqlite_database_is_not_a_village_file(tmp_path) -> None:
    path = tmp_path / "other.sqlite"
    conn = connect(path)
    conn.execute("CREATE TABLE notes(x)")
    conn.close()
    with pytest.raises(VillageFileError) as err:
        open_village_file(path)
    assert "缺少数据表" in str(err.value)


def test_a_missing_file_is_reported(tmp_path) -> None:
    with pytest.raises(VillageFileError) as err:
        open_village_file(tmp_path / "nope.sqlite")
    assert "找不到" in str(err.value)


def test_a_file_from_a_newer_program_is_refused(tmp_path) -> None:
    path = tmp_path / "new.sqlite"
    open_village_file(path, create=True).close()
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(VillageFileError) as err:
        open_village_file(path)
    assert "更新版本" in str(err.value)


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, importlib, pkgutil, fpdesk\n"
        "for m in pkgutil.walk_packages(fpdesk.__path__, 'fpdesk.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'ui')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
