"""A disk that refuses a write — full, read-only, failing at COMMIT — gives a clear Chinese message and loses
nothing: the action is not saved, everything saved before it is intact, and the clerk can retry once there is
room."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fpdesk import ops, services
from fpdesk.errors import StorageError
from tests.conftest import TODAY, file_content
from tests.test_services import D, family  # noqa: F401  (the family fixture)

BIG = "很长的备注" * 4000   # 60 kB: needs new pages, so a full file cannot take it

# Calls that must grow the file (each carries BIG in a free-text field).
GROWING = {
    "add_group": lambda c, f: services.add_group(c, name="三组", head_name=BIG, today=TODAY),
    "register_household": lambda c, f: services.register_household(
        c, number="009", address=BIG, today=TODAY, members=[{"name": "陈军", "sex": "男", "birth_date": "1985-01-01"}]),
    "record_outflow": lambda c, f: services.record_outflow(c, person=f.husband, date=D, place=BIG, today=TODAY),
    "record_service": lambda c, f: services.record_service(c, person=f.wife, kind="查环", date=D, result=BIG,
                                                           today=TODAY),
    "start_measure": lambda c, f: services.start_measure(c, person=f.wife, method="810", start_date=D,
                                                         institution=BIG, today=TODAY),
    "record_pregnancy_outcome": lambda c, f: services.record_pregnancy_outcome(
        c, pregnancy=f.pregnancy, outcome="人工流产", end_date=D, place=BIG, today=TODAY),
    "issue_certificate": lambda c, f: services.issue_certificate(c, person=f.wife, kind="0108", number=BIG,
                                                                 issued_date=D, today=TODAY),
    "correct_field": lambda c, f: services.correct_field(c, table="person", record=f.wife, field="note", value=BIG,
                                                         today=TODAY),
    "set_setting": lambda c, f: services.set_setting(c, key="scheme_note", value=BIG, today=TODAY),
}


def fill_disk(conn: sqlite3.Connection) -> None:
    """From now on the file may not grow by a single page (as on a full disk)."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


@pytest.mark.parametrize("name", sorted(GROWING))
def test_a_full_disk_saves_nothing_says_so_and_the_retry_works(fresh_db, family, name) -> None:  # noqa: F811
    call = GROWING[name]
    before = file_content(fresh_db)
    fill_disk(fresh_db)
    with pytest.raises(StorageError) as err:
        call(fresh_db, family)
    assert err.value.reason == "full" and "磁盘空间已满" in str(err.value)
    assert not fresh_db.in_transaction
    assert file_content(fresh_db) == before
    fresh_db.execute("PRAGMA max_page_count = 1073741823")  # the clerk freed some space
    changes = call(fresh_db, family)
    assert fresh_db.execute("SELECT action FROM operation WHERE id = ?", (changes.op_id,)).fetchone()[0] == name


def test_a_full_disk_in_a_batch_rolls_back_the_whole_batch(fresh_db, family) -> None:  # noqa: F811
    before = file_content(fresh_db)
    fill_disk(fresh_db)
    with pytest.raises(StorageError):
        with ops.batch(fresh_db):
            services.record_service(fresh_db, person=family.wife, kind="查环", date=D, today=TODAY)
            services.record_service(fresh_db, person=family.wife, kind="查孕", date=D, result=BIG, today=TODAY)
    assert not fresh_db.in_transaction
    assert file_content(fresh_db) == before


def test_a_read_only_file_saves_nothing_and_says_so(tmp_path) -> None:
    from fpdesk.db import open_village_file

    path = tmp_path / "v.sqlite"
    conn = open_village_file(path, create=True)
    services.setup_village(conn, code="420102001001", name="双河村", today=TODAY)
    conn.close()
    # what SQLite does with a file on a write-protected stick: opens it read-only
    ro = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, isolation_level=None)
    before = file_content(ro)
    with pytest.raises(StorageError) as err:
        services.add_group(ro, name="一组", today=TODAY)
    assert err.value.reason == "readonly" and "只读" in str(err.value)
    assert not ro.in_transaction and file_content(ro) == before
    ro.close()


# The disk fills up while SQLite writes the transaction out at COMMIT (the usual way a real disk fills: the file
# size limit makes the write fail, as ENOSPC would). Runs in its own process: the limit is per process.
COMMIT_FAILS = textwrap.dedent("""
    import datetime as dt, os, resource, signal, sys
    from fpdesk import services
    from fpdesk.db import open_village_file
    from fpdesk.errors import StorageError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    path, today = sys.argv[1], dt.date(2026, 11, 23)
    conn = open_village_file(path, create=True)
    services.setup_village(conn, code="420102001001", name="双河村", today=today)
    limit = os.path.getsize(path) + os.path.getsize(path + "-wal") + 60000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    for i in range(1, 1000):
        try:
            changes = services.add_group(conn, name=f"{i}组", head_name="户长" * 300, today=today)
        except StorageError as exc:
            print("REFUSED", i, exc.reason, conn.in_transaction, type(exc.__cause__).__name__, flush=True)
            break
        print("SAVED", i, changes.op_id, flush=True)
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    changes = services.add_group(conn, name=f"{i}组", head_name="户长" * 300, today=today)
    print("RETRIED", i, changes.op_id, flush=True)
    os._exit(0)   # like a crash: no close, no checkpoint
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_disk_full_at_commit_loses_nothing(tmp_path) -> None:
    from fpdesk.db import open_village_file

    path = tmp_path / "v.sqlite"
    done = subprocess.run([sys.executable, "-c", COMMIT_FAILS, str(path)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=60)
    lines = [line.split() for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stderr
    refused = next(parts for parts in lines if parts[0] == "REFUSED")
    assert refused[2] in ("full", "io") and refused[3] == "False", refused   # nothing left half-open
    saved = [int(parts[2]) for parts in lines if parts[0] in ("SAVED", "RETRIED")]
    assert len(saved) >= 2
    conn = open_village_file(path)
    assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    assert {r[0] for r in conn.execute("SELECT op_id FROM audit_log WHERE table_name = 'village_group'")} == set(saved)
    names = [r[0] for r in conn.execute("SELECT name FROM village_group ORDER BY id")]
    assert names == [f"{i}组" for i in range(1, int(refused[1]) + 1)]   # the refused one only once: the retry
    conn.close()
