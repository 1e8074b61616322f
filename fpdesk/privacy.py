"""Privacy (个人信息保护): the program password, the idle lock, and keeping personal data out of logs.

The password
    Optional. Only a salted scrypt hash is stored (setting ``password_hash``: ``scrypt$n$r$p$salt$hash``, base64),
    never the password. Setting, changing and clearing it are audited actions, but the audit row says only
    “已设置” / “未设置”: an old hash in the history would be one more thing to attack and is of no use to anyone.
    It is a door lock, not encryption: it keeps a passer-by out of the program; the file itself is a plain SQLite
    file, which is why it must stay on the clerk's machine (see docs/domain.md, Privacy).
    Passwords are compared after NFKC normalisation, so digits typed full-width by a Chinese input method
    (１２３４) are the same password as 1234.

The idle lock
    Setting ``idle_lock_minutes`` (0 = never): the program asks for the password again after that long without
    input. The UI runs the timer; the core only keeps the setting.

Logs
    The rule: a log line may carry exception types, code locations, record ids, table and field names, codes
    and counts — never a record's values (names, ID numbers, birth dates, addresses, phone numbers), never the
    text of an exception raised with record values in it (a ``FpdeskError`` message quotes what the clerk typed;
    a SQLite error can quote a value), never SQL parameters. ``redact`` is the second line of defence for text
    that goes to a log anyway: it masks anything shaped like an ID number or a mobile number.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
import sqlite3
import unicodedata
from typing import Any

from fpdesk.db import get_setting
from fpdesk.errors import InputError
from fpdesk.ops import Changes, operation
from fpdesk.services import set_setting

PASSWORD_KEY = "password_hash"
IDLE_KEY = "idle_lock_minutes"
MIN_LENGTH = 4
MAX_LENGTH = 256
MAX_IDLE_MINUTES = 24 * 60
# scrypt cost: 16 MiB and about 0.1 s on an old laptop; recorded in each hash, so it can be raised later.
_N, _R, _P = 2**14, 8, 1
_SET, _UNSET = "已设置", "未设置"


def _normalise(password: Any, *, field: str) -> bytes:
    if not isinstance(password, str):
        raise InputError("密码应为文字。", field=field)
    text = unicodedata.normalize("NFKC", password)
    if "\x00" in text:
        raise InputError("密码中含有无效字符。", field=field)
    return text.encode("utf-8")


def hash_password(password: str) -> str:
    """The stored form of a password: ``scrypt$n$r$p$salt$hash`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(_normalise(password, field="password"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def _matches(password: Any, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        got = hashlib.scrypt(_normalise(password, field="password"), salt=base64.b64decode(salt, validate=True),
                             n=int(n), r=int(r), p=int(p), dklen=len(expected), maxmem=2**26)
    except (ValueError, TypeError, InputError):
        return False
    return hmac.compare_digest(got, expected)


def has_password(conn: sqlite3.Connection) -> bool:
    """Whether the program asks for a password to open this village file."""
    return bool(get_setting(conn, PASSWORD_KEY))


def verify_password(conn: sqlite3.Connection, password: Any) -> bool:
    """True when ``password`` opens the program (always True when no password is set)."""
    stored = get_setting(conn, PASSWORD_KEY)
    if not stored:
        return True
    return _matches(password, stored)


def _write_password(conn: sqlite3.Connection, *, action: str, summary: str, stored: str | None, user: str,
                    today: dt.date | None) -> Changes:
    old = get_setting(conn, PASSWORD_KEY)
    with operation(conn, action, user=user, today=today, summary=summary) as op:
        if stored is None:
            conn.execute("DELETE FROM setting WHERE key = ?", (PASSWORD_KEY,))
        else:
            conn.execute(
                "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (PASSWORD_KEY, stored),
            )
        op.audit_setting(PASSWORD_KEY, _SET if old else _UNSET, _SET if stored else _UNSET)
    assert op.result
    return op.result


def _require_current(conn: sqlite3.Connection, current: Any) -> None:
    if has_password(conn) and not verify_password(conn, current if current is not None else ""):
        raise InputError("原密码不正确。", field="current")


def set_password(
    conn: sqlite3.Connection, *, new: Any, current: Any = None, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Set or change the program password (设置/修改密码); changing it needs the current one."""
    _require_current(conn, current)
    text = _normalise(new, field="new").decode("utf-8")
    if len(text.strip()) < MIN_LENGTH:
        raise InputError(f"密码至少{MIN_LENGTH}个字符。", field="new")
    if len(text) > MAX_LENGTH:
        raise InputError(f"密码不能超过{MAX_LENGTH}个字符。", field="new")
    verb = "修改" if has_password(conn) else "设置"
    return _write_password(conn, action="set_password", summary=f"{verb}程序密码", stored=hash_password(text),
                           user=user, today=today)


def clear_password(
    conn: sqlite3.Connection, *, current: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Remove the program password (取消密码); needs the current one."""
    if not has_password(conn):
        raise InputError("当前没有设置密码。", field="current")
    _require_current(conn, current)
    return _write_password(conn, action="clear_password", summary="取消程序密码", stored=None, user=user,
                           today=today)


def idle_lock_minutes(conn: sqlite3.Connection) -> int:
    """Minutes without input before the program locks (0 = never). A damaged value counts as 0."""
    try:
        minutes = int(get_setting(conn, IDLE_KEY) or 0)
    except ValueError:
        return 0
    return minutes if 0 <= minutes <= MAX_IDLE_MINUTES else 0


def set_idle_lock_minutes(
    conn: sqlite3.Connection, *, minutes: Any, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Set the idle lock (闲置锁定), in minutes; 0 turns it off."""
    try:
        value = int(str(minutes).strip())
    except ValueError:
        raise InputError(f"闲置锁定时间“{minutes}”应为分钟数（0 表示不锁定）。", field="minutes") from None
    if not 0 <= value <= MAX_IDLE_MINUTES:
        raise InputError(f"闲置锁定时间应在 0 到 {MAX_IDLE_MINUTES} 分钟之间。", field="minutes")
    return set_setting(conn, key=IDLE_KEY, value=str(value), user=user, today=today)


# ID numbers (18 characters, or the old 15 digits) and anything longer made of digits (bank cards, numbers run
# together), and mainland mobile numbers. Full-width digits count too: Chinese input methods type them.
_D = "0-9０-９"
_SENSITIVE_RE = re.compile(rf"(?<![{_D}])(?:[{_D}]{{14,}}[{_D}XxＸｘ]|1[3-9][{_D}]{{9}})(?![{_D}])")


def redact(text: str) -> str:
    """``text`` with every ID-number-like and mobile-number-like string masked, for logs and crash reports."""
    return _SENSITIVE_RE.sub(lambda m: "*" * len(m.group()), text)
