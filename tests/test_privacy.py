"""Privacy: the program password is never stored (only a salted scrypt hash), changing it is audited without the
hash, the idle lock is a setting, and ``redact`` masks ID and phone numbers in text bound for a log."""

from __future__ import annotations

import pytest

from fpdesk import privacy
from fpdesk.errors import InputError
from tests.conftest import TODAY, file_content

PASSWORD = "双河村口令2026"


def raw_bytes(conn) -> bytes:
    """Everything on disk for the village file: the file and its WAL."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    data = open(path, "rb").read()
    try:
        data += open(path + "-wal", "rb").read()
    except FileNotFoundError:
        pass
    return data


def test_without_a_password_the_program_opens(fresh_db) -> None:
    assert not privacy.has_password(fresh_db)
    assert privacy.verify_password(fresh_db, "")


def test_only_a_salted_hash_is_stored_and_the_audit_says_only_that_it_was_set(fresh_db) -> None:
    changes = privacy.set_password(fresh_db, new=PASSWORD, today=TODAY)
    stored = fresh_db.execute("SELECT value FROM setting WHERE key = 'password_hash'").fetchone()[0]
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert PASSWORD.encode("utf-8") not in raw_bytes(fresh_db)
    audit = fresh_db.execute("SELECT field, old_value, new_value FROM audit_log WHERE op_id = ?",
                             (changes.op_id,)).fetchall()
    assert [tuple(r) for r in audit] == [("password_hash", "未设置", "已设置")]
    op = fresh_db.execute("SELECT action, summary FROM operation WHERE id = ?", (changes.op_id,)).fetchone()
    assert tuple(op) == ("set_password", "设置程序密码")
    assert stored not in "".join(file_content(fresh_db)).replace(f"'{stored}'", "", 1)  # only in the setting


def test_the_same_password_gets_a_different_salt_each_time() -> None:
    assert privacy.hash_password(PASSWORD) != privacy.hash_password(PASSWORD)


@pytest.mark.parametrize(("attempt", "opens"), [
    (PASSWORD, True),
    ("双河村口令２０２６", True),   # full-width digits from a Chinese input method: the same password
    ("双河村口令2025", False),
    ("", False),
    (None, False),
    (2026, False),
])
def test_verify(fresh_db, attempt, opens) -> None:
    privacy.set_password(fresh_db, new=PASSWORD, today=TODAY)
    assert privacy.verify_password(fresh_db, attempt) is opens


def test_changing_or_clearing_needs_the_current_password(fresh_db) -> None:
    privacy.set_password(fresh_db, new=PASSWORD, today=TODAY)
    before = file_content(fresh_db)
    for call in (lambda: privacy.set_password(fresh_db, new="新口令1234", current="错误", today=TODAY),
                 lambda: privacy.set_password(fresh_db, new="新口令1234", today=TODAY),
                 lambda: privacy.clear_password(fresh_db, current="错误", today=TODAY)):
        with pytest.raises(InputError) as err:
            call()
        assert err.value.field == "current" and "原密码不正确" in str(err.value)
    assert file_content(fresh_db) == before
    changes = privacy.set_password(fresh_db, new="新口令1234", current=PASSWORD, today=TODAY)
    assert changes.summary == "修改程序密码"
    assert privacy.verify_password(fresh_db, "新口令1234") and not privacy.verify_password(fresh_db, PASSWORD)
    privacy.clear_password(fresh_db, current="新口令1234", today=TODAY)
    assert not privacy.has_password(fresh_db) and privacy.verify_password(fresh_db, "anything")


@pytest.mark.parametrize(("new", "message"), [
    ("", "至少4个字符"),
    ("  12  ", "至少4个字符"),
    ("x" * 300, "不能超过"),
    ("abc\x00def", "无效字符"),
    (12345678, "应为文字"),
])
def test_a_bad_new_password_is_refused(fresh_db, new, message) -> None:
    before = file_content(fresh_db)
    with pytest.raises(InputError) as err:
        privacy.set_password(fresh_db, new=new, today=TODAY)
    assert message in str(err.value) and err.value.field == "new"
    assert file_content(fresh_db) == before


def test_a_damaged_hash_opens_nothing(fresh_db) -> None:
    fresh_db.execute("INSERT INTO setting(key, value) VALUES ('password_hash', 'scrypt$1$x')")
    assert privacy.has_password(fresh_db) and not privacy.verify_password(fresh_db, PASSWORD)


def test_idle_lock_minutes(fresh_db) -> None:
    assert privacy.idle_lock_minutes(fresh_db) == 0
    privacy.set_idle_lock_minutes(fresh_db, minutes="15", today=TODAY)
    assert privacy.idle_lock_minutes(fresh_db) == 15
    before = file_content(fresh_db)
    for bad in ("-1", "十分钟", 10**6, None):
        with pytest.raises(InputError) as err:
            privacy.set_idle_lock_minutes(fresh_db, minutes=bad, today=TODAY)
        assert err.value.field == "minutes"
    assert file_content(fresh_db) == before


@pytest.mark.parametrize(("text", "shown"), [
    ("李娜 420102199205030127 登记", "李娜 ****************** 登记"),
    ("身份证42010219920503012X号", "身份证******************号"),
    ("身份证４２０１０２１９９２０５０３０１２７", "身份证******************"),   # full-width digits
    ("old id 420102920503012", "old id ***************"),                       # 15-digit ID
    ("电话13812345678，座机027-8888888", "电话***********，座机027-8888888"),
    ("ValueError: birth_order 3 at line 214 in 2026-11-23", "ValueError: birth_order 3 at line 214 in 2026-11-23"),
])
def test_redact_masks_id_and_phone_numbers(text, shown) -> None:
    assert privacy.redact(text) == shown
