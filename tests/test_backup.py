"""Backups: automatic rolling copies, a checked copy to a USB stick, a preview that changes nothing, and a
restore that first saves the file it replaces."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fpdesk import backup, migrations, services
from fpdesk.backup import BackupEntry, RetentionPolicy, backups_to_keep
from fpdesk.db import connect, open_village_file
from fpdesk.errors import BackupError, FileLockedError
from fpdesk.filelock import open_exclusive
from tests.conftest import TODAY, file_content

NOW = dt.datetime(2026, 11, 23, 17, 30)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    """Backups go under the user data folder: a fresh one per test."""
    monkeypatch.setenv("FPDESK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def village(tmp_path):
    """An open village file with a household in it."""
    path = tmp_path / "双河村.sqlite"
    v = open_exclusive(path, create=True)
    services.setup_village(v.conn, code="420102001001", name="双河村", clerk="李芳", today=TODAY)
    services.add_group(v.conn, name="一组", today=TODAY)
    services.register_household(v.conn, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02"},
        {"name": "李娜", "id_number": "420102199205030127"},
    ])
    yield v
    if v.lock.held:
        v.close()


def content_of(path: Path) -> list[str]:
    conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    try:
        return file_content(conn)
    finally:
        conn.close()


def add_service(v, day: str = "2026-11-20") -> None:
    wife = v.conn.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0]
    services.record_service(v.conn, person=wife, kind="查环", date=day, today=TODAY)


# ---------------------------------------------------------------------------------------------------------------
# automatic backups


def test_an_automatic_backup_is_a_whole_single_file_copy_in_the_user_folder(village, home) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    assert made == home / "backups" / "双河村" / "双河村_20261123-173000_open.sqlite"
    assert content_of(made) == file_content(village.conn)
    assert not made.with_name(made.name + "-wal").exists()   # one file, nothing beside it
    assert [p.name for p in made.parent.iterdir()] == [made.name]
    assert backup.last_backup_time(village.path) == NOW


def test_no_backup_is_made_when_nothing_changed(village) -> None:
    first = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    assert backup.auto_backup(village.conn, village.path, reason="close", now=NOW + dt.timedelta(hours=2)) is None
    add_service(village)
    second = backup.auto_backup(village.conn, village.path, reason="close", now=NOW + dt.timedelta(hours=3))
    assert second is not None and second != first
    assert [e.reason for e in backup.list_backups(village.path)] == ["close", "open"]


def test_a_change_that_keeps_the_file_size_is_still_backed_up(village) -> None:
    # one letter of a name: the same pages, one byte different
    backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    pages = village.conn.execute("PRAGMA page_count").fetchone()[0]
    village.conn.execute("UPDATE person SET name = '张玮' WHERE name = '张伟'")
    assert village.conn.execute("PRAGMA page_count").fetchone()[0] == pages
    made = backup.auto_backup(village.conn, village.path, reason="close", now=NOW + dt.timedelta(hours=1))
    assert made is not None and content_of(made) == file_content(village.conn)


def test_a_backup_that_no_longer_matches_the_file_is_not_relied_on(village) -> None:
    # the newest copy was damaged on disk after it was written: the file gets a fresh one
    first = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    data = bytearray(first.read_bytes())
    data[-1] ^= 0xFF
    first.write_bytes(bytes(data))
    made = backup.auto_backup(village.conn, village.path, reason="close", now=NOW + dt.timedelta(hours=1))
    assert made is not None and content_of(made) == file_content(village.conn)


def test_the_daily_backup_is_made_once_a_day(village) -> None:
    backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    add_service(village)
    assert backup.auto_backup(village.conn, village.path, reason="daily", now=NOW + dt.timedelta(hours=5)) is None
    made = backup.auto_backup(village.conn, village.path, reason="daily", now=NOW + dt.timedelta(hours=7))
    assert made is not None and made.name.endswith("20261124-003000_daily.sqlite")


def test_two_backups_in_one_second_do_not_overwrite_each_other(village) -> None:
    first = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    add_service(village)
    second = backup.auto_backup(village.conn, village.path, reason="close", now=NOW)
    assert first.exists() and second.exists() and first != second


def test_a_stray_temporary_file_from_an_interrupted_backup_is_cleared(village) -> None:
    folder = backup.backup_dir(village.path)
    folder.mkdir(parents=True)
    stray = folder / ".双河村_20261101-080000_close.sqlite.999.tmp"
    stray.write_bytes(b"half a copy")
    backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    assert not stray.exists()
    assert all(e.path.name.endswith(".sqlite") for e in backup.list_backups(village.path))


def test_old_backups_are_thinned_out_and_other_files_left_alone(village) -> None:
    folder = backup.backup_dir(village.path)
    folder.mkdir(parents=True)
    mine = folder / "说明.txt"
    mine.write_text("the clerk's own note")
    for days in range(60):
        (folder / f"双河村_{NOW - dt.timedelta(days=days, hours=1):%Y%m%d-%H%M%S}_close.sqlite").write_bytes(b"x")
    backup.auto_backup(village.conn, village.path, reason="open", now=NOW,
                       policy=RetentionPolicy(recent=3, days=7, months=2))
    kept = backup.list_backups(village.path)
    # the new one and today's older one (recent), the 6 days before (days), and the newest of October (months)
    assert [f"{e.made_at:%m-%d %H}" for e in kept] == [
        "11-23 17", "11-23 16", "11-22 16", "11-21 16", "11-20 16", "11-19 16", "11-18 16", "11-17 16", "10-31 16"]
    assert mine.exists()


def entries(*spec: tuple[str, int]) -> list[BackupEntry]:
    """Backups from ('2026-11-23 08:00', size) pairs, newest first."""
    made = [BackupEntry(Path(f"b{i}.sqlite"), dt.datetime.fromisoformat(when), "close", size)
            for i, (when, size) in enumerate(spec)]
    return sorted(made, key=lambda e: e.made_at, reverse=True)


@pytest.mark.parametrize(("spec", "policy", "kept"), [
    # the newest `recent`, whatever their day
    ([("2026-11-23 08:00", 1), ("2026-11-23 09:00", 1), ("2026-11-23 10:00", 1)],
     RetentionPolicy(recent=2, days=0, months=0), {"2026-11-23 10:00", "2026-11-23 09:00"}),
    # one per day: the newest of each day
    ([("2026-11-22 08:00", 1), ("2026-11-22 18:00", 1), ("2026-11-21 08:00", 1)],
     RetentionPolicy(recent=0, days=3, months=0), {"2026-11-22 18:00", "2026-11-21 08:00"}),
    # days older than the window go, unless they are the newest of their month
    ([("2026-11-01 08:00", 1), ("2026-10-15 08:00", 1), ("2026-10-14 08:00", 1), ("2025-01-01 08:00", 1)],
     RetentionPolicy(recent=0, days=3, months=2), {"2026-11-01 08:00", "2026-10-15 08:00"}),
    # the size limit drops the oldest first, but never the newest
    ([("2026-11-23 10:00", 3 << 20), ("2026-11-23 09:00", 3 << 20), ("2026-11-23 08:00", 3 << 20)],
     RetentionPolicy(recent=3, days=1, months=1, max_total_mb=7), {"2026-11-23 10:00", "2026-11-23 09:00"}),
    ([("2026-11-23 10:00", 9 << 20)], RetentionPolicy(max_total_mb=1), {"2026-11-23 10:00"}),
])
def test_retention(spec, policy, kept) -> None:
    all_ = entries(*spec)
    keep = backups_to_keep(all_, now=NOW, policy=policy)
    assert {f"{e.made_at:%Y-%m-%d %H:%M}" for e in all_ if e.path in keep} == kept


def test_the_default_policy_keeps_a_sensible_number_within_the_size_limit() -> None:
    # four years of a backup on every open and close, twice a day, 20 MB each
    spec = [((NOW - dt.timedelta(hours=12 * i)).isoformat(), 20 << 20) for i in range(4 * 365 * 2)]
    keep = backups_to_keep(entries(*spec), now=NOW, policy=backup.DEFAULT_POLICY)
    assert 20 <= len(keep) <= 25  # 500 MB / 20 MB, newest first: the last 10, then one a day
    assert sum(20 << 20 for _ in keep) <= 500 << 20


# ---------------------------------------------------------------------------------------------------------------
# 备份到… (USB stick)


def test_backup_to_a_folder_makes_a_dated_checked_copy(village, tmp_path) -> None:
    usb = tmp_path / "U盘"
    usb.mkdir()
    info = backup.backup_to(village.conn, usb)
    assert info.path.parent == usb and info.path.name.startswith("双河村_") and info.reason == "manual"
    assert (info.village_name, info.village_code, info.persons, info.households) == ("双河村", "420102001001", 2, 1)
    assert content_of(info.path) == file_content(village.conn)
    assert [p.name for p in usb.iterdir()] == [info.path.name]


def test_backup_to_a_file_replaces_it_only_with_a_checked_copy(village, tmp_path, monkeypatch) -> None:
    target = tmp_path / "copy.sqlite"
    backup.backup_to(village.conn, target)
    old = target.read_bytes()
    add_service(village)

    def broken(path, expected):
        raise BackupError("备份校验失败（副本已损坏）")

    monkeypatch.setattr(backup, "_check_copy", broken)
    with pytest.raises(BackupError):
        backup.backup_to(village.conn, target)
    assert target.read_bytes() == old                       # the previous copy is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    monkeypatch.undo()
    backup.backup_to(village.conn, target)
    assert content_of(target) == file_content(village.conn)


def test_backup_to_a_missing_stick_says_so(village, tmp_path) -> None:
    with pytest.raises(BackupError) as err:
        backup.backup_to(village.conn, tmp_path / "E盘" / "copy.sqlite")
    assert "U盘" in str(err.value)


def test_backup_to_a_full_stick_says_so_and_leaves_nothing(village, tmp_path, monkeypatch) -> None:
    real_connect = sqlite3.connect

    def tiny_stick(path, *args, **kwargs):
        conn = real_connect(path, *args, **kwargs)
        if str(path).endswith(".tmp"):
            conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(backup.sqlite3, "connect", tiny_stick)
    with pytest.raises(BackupError) as err:
        backup.backup_to(village.conn, tmp_path / "copy.sqlite")
    assert "空间不足" in str(err.value)
    assert list(tmp_path.glob("*copy*")) == []


# ---------------------------------------------------------------------------------------------------------------
# preview


def test_describing_a_backup_changes_nothing(village, tmp_path) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="close", now=NOW)
    stat, data = made.stat(), made.read_bytes()
    info = backup.describe_backup(made)
    assert (info.made_at, info.reason, info.persons, info.births, info.schema_version) == (
        NOW, "close", 2, 0, migrations.SCHEMA_VERSION)
    assert info.last_change.startswith(TODAY.isoformat())
    assert "双河村（420102001001）" in info.summary() and "人员 2 人" in info.summary()
    assert made.read_bytes() == data and made.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]


def test_describing_a_live_village_file_reads_its_wal_and_touches_nothing(village) -> None:
    add_service(village)  # committed, still in -wal: the connection is open
    wal = village.path.with_name(village.path.name + "-wal")
    files = {p.name: p.read_bytes() for p in village.path.parent.iterdir() if p.is_file()}
    assert wal.name in files and len(files[wal.name]) > 0
    info = backup.describe_backup(village.path)
    assert info.persons == 2 and info.events == 1
    assert {p.name: p.read_bytes() for p in village.path.parent.iterdir() if p.is_file()} == files


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 a workbook, not a database" * 20])
def test_a_file_that_is_no_backup_is_refused_in_chinese(tmp_path, content) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    with pytest.raises(BackupError) as err:
        backup.describe_backup(path)
    assert "不是村数据文件" in str(err.value)


# ---------------------------------------------------------------------------------------------------------------
# restore


def test_restore_end_to_end(village, tmp_path) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    saved_then = file_content(village.conn)
    add_service(village)
    services.add_group(village.conn, name="二组", today=TODAY)
    later = file_content(village.conn)
    village.conn.close()

    result = backup.restore(village.path, made, lock=village.lock, now=NOW + dt.timedelta(hours=1))
    village.lock.release()
    assert result.restored.persons == 2 and result.restored.events == 0
    conn = open_village_file(village.path)
    assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    assert file_content(conn) == saved_then          # the file holds exactly the backup
    conn.close()
    assert content_of(result.saved_current) == later  # and what it held before is one click away
    assert result.saved_current.name.endswith("_restore.sqlite")
    # the copy saved before the restore can itself be restored
    backup.restore(village.path, result.saved_current)
    conn = open_village_file(village.path)
    assert file_content(conn) == later
    conn.close()


def test_restore_over_a_file_left_by_a_crash_keeps_its_last_changes_in_the_saved_copy(tmp_path, village) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    village.close()
    # another program writes a change and dies without closing: the change is only in -wal
    crash = textwrap.dedent("""
        import datetime as dt, os, sys
        from fpdesk import services
        from fpdesk.db import open_village_file
        conn = open_village_file(sys.argv[1])
        services.add_group(conn, name="崩溃前的组", today=dt.date(2026, 11, 23))
        os._exit(9)
    """)
    subprocess.run([sys.executable, "-c", crash, str(village.path)], cwd=Path(__file__).resolve().parent.parent)
    wal = village.path.with_name(village.path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0

    result = backup.restore(village.path, made)
    assert not wal.exists()  # the old file's WAL must not be laid over the restored file
    saved = sqlite3.connect(result.saved_current.as_uri() + "?mode=ro", uri=True)
    assert saved.execute("SELECT count(*) FROM village_group WHERE name = '崩溃前的组'").fetchone()[0] == 1
    saved.close()
    conn = open_village_file(village.path)
    assert conn.execute("SELECT count(*) FROM village_group WHERE name = '崩溃前的组'").fetchone()[0] == 0
    assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    conn.close()


def test_restore_is_refused_while_another_program_has_the_file_open(village, tmp_path) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    add_service(village)
    before = file_content(village.conn)
    with pytest.raises(FileLockedError):
        backup.restore(village.path, made)   # village (this "other window") still holds it
    assert file_content(village.conn) == before


def test_restore_is_refused_while_a_connection_is_still_open(village, tmp_path) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    add_service(village)
    before = file_content(village.conn)
    with pytest.raises(BackupError) as err:
        backup.restore(village.path, made, lock=village.lock)   # but village.conn was not closed
    assert "仍在使用" in str(err.value)
    assert file_content(village.conn) == before


def test_restore_of_a_damaged_file_saves_it_byte_for_byte(village, tmp_path) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    village.close()
    damaged = b"SQLite format 3\x00" + os.urandom(8000)
    village.path.write_bytes(damaged)
    result = backup.restore(village.path, made)
    assert result.saved_current.read_bytes() == damaged
    assert result.restored.village_name == "双河村"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b"not a database" * 100), "不是村数据文件"),
    (lambda p: p.unlink(), "找不到"),
])
def test_restore_from_a_bad_backup_leaves_the_file_as_it_was(village, make, message) -> None:
    made = backup.auto_backup(village.conn, village.path, reason="open", now=NOW)
    make(made)
    village.conn.close()
    before = village.path.read_bytes()
    with pytest.raises(BackupError) as err:
        backup.restore(village.path, made, lock=village.lock)
    assert message in str(err.value)
    assert village.path.read_bytes() == before


def test_restore_from_a_newer_program_is_refused(village, tmp_path) -> None:
    newer = tmp_path / "newer.sqlite"
    backup.backup_to(village.conn, newer)
    conn = connect(newer)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    village.conn.close()
    with pytest.raises(BackupError) as err:
        backup.restore(village.path, newer, lock=village.lock)
    assert "更新版本" in str(err.value)
