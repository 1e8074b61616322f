"""Resident ID numbers (居民身份证号, GB 11643): read the birth date and sex, check the check digit.

A wrong number is a warning, never a wall: county systems stopped refusing them, and a clerk must be able to
record a person whose card has a typo. The checks report it.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from stdnum.cn import ric

from fpdesk.codes import FEMALE, MALE


class IdInfo(NamedTuple):
    """What an ID number says (a named tuple: the check reads every number of the village, and a tuple is made
    several times faster than a frozen dataclass).

    number: the number as cleaned (upper-case X, no spaces).
    well_formed: 18 characters, 17 digits then a digit or X, with a real birth date.
    check_ok: the check digit is right (only meaningful when well_formed).
    birth_date: the birth date in the number, or None.
    sex: "1" male or "2" female from the 17th digit, or None.
    """

    number: str
    well_formed: bool
    check_ok: bool
    birth_date: dt.date | None
    sex: str | None

    @property
    def problem(self) -> str:
        """A Chinese description of what is wrong, or "" when the number is valid."""
        if not self.well_formed:
            return "身份证号应为18位（前17位数字，末位为数字或X），且含有效出生日期。"
        if not self.check_ok:
            return "身份证号校验位不正确，请核对证件。"
        return ""


# Full-width digits (and the X of an ID number), as a Chinese input method types them.
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def clean(number: str | None) -> str:
    """Strip spaces, make full-width digits and a trailing x plain; a number cell's '.0' is dropped."""
    if number is None:
        return ""
    text = str(number).strip().replace(" ", "")
    if not text.isascii():  # (translating is character by character: most numbers are typed in ASCII)
        text = text.translate(_FULL_WIDTH)
    text = text.upper()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def inspect_id(number: str | None) -> IdInfo:
    """Everything an ID number says about its holder, without refusing a bad one."""
    text = clean(number)
    # ASCII digits only: str.isdigit() also passes ² and other digits int() cannot read.
    body_ok = len(text) == 18 and text.isascii() and text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")
    birth = None
    if body_ok:
        try:
            birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
        except ValueError:
            birth = None
    if not body_ok or birth is None:
        return IdInfo(text, False, False, None, None)
    sex = MALE if int(text[16]) % 2 == 1 else FEMALE
    return IdInfo(text, True, ric.calc_check_digit(text) == text[17], birth, sex)


def make_id_number(*, region: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """A well-formed ID number (used by the demo village and tests): 6-digit region, date, sequence, check digit."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (sex == MALE):
        seq = (seq + 1) % 1000
    body = f"{region}{birth_date:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")
