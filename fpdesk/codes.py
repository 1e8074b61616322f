"""Code tables (代码表): the stored codes and their Chinese labels, read from resources/codes.toml."""

from __future__ import annotations

import tomllib
from functools import cache
from types import MappingProxyType
from typing import Mapping

from fpdesk.errors import InputError
from fpdesk.paths import resources_dir

# Chinese names of the code tables, for messages.
TABLE_NAMES: Mapping[str, str] = MappingProxyType({
    "sex": "性别", "marital_status": "婚姻状况", "method": "节育措施", "no_measure_reason": "未避孕原因",
    "measure_event": "节育事件", "certificate": "证件类型", "hukou": "户口性质", "residence": "居住状况",
    "relation": "与户主关系", "education": "文化程度", "policy_status": "政策属性", "blood_relation": "血缘关系",
    "health": "健康状况", "pregnancy_outcome": "孕产结果", "service_kind": "服务类型", "benefit_kind": "奖扶类型",
    "migration_kind": "流动类型", "change_type": "变动类型", "ethnicity": "民族",
})

NO_MEASURE = "000"
LONG_ACTING_METHODS = frozenset({"700", "300", "810", "820"})
STERILISATION_METHODS = frozenset({"810", "820"})
MALE, FEMALE = "1", "2"


@cache
def tables() -> Mapping[str, Mapping[str, str]]:
    """All code tables: {table: {code: label}} in file order."""
    with open(resources_dir() / "codes.toml", "rb") as f:
        raw = tomllib.load(f)
    return MappingProxyType({name: MappingProxyType(dict(entries)) for name, entries in raw.items()})


def table(name: str) -> Mapping[str, str]:
    """One code table, {code: label}."""
    return tables()[name]


def label(name: str, code: str | None) -> str:
    """The Chinese label of a code; an unknown code is shown as itself, a missing one as ""."""
    if code is None or code == "":
        return ""
    return tables()[name].get(code, code)


@cache
def _by_label(name: str) -> Mapping[str, str]:
    return MappingProxyType({lab: code for code, lab in tables()[name].items()})


def lookup(name: str, value: object) -> str | None:
    """The code for ``value`` given as a code or as its label; None if it is neither."""
    if value is None:
        return None
    text = str(value).strip()
    if isinstance(value, int) and name in ("method",):
        text = f"{value:03d}"
    entries = tables()[name]
    if text in entries:
        return text
    return _by_label(name).get(text)


def to_code(name: str, value: object, *, field: str, required: bool = False) -> str | None:
    """Validate a coded input: accepts the code or its label, returns the code, raises ``InputError`` otherwise."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if required:
            raise InputError(f"{TABLE_NAMES.get(name, name)}不能为空。", field=field)
        return None
    code = lookup(name, value)
    if code is None:
        choices = "、".join(tables()[name].values())
        raise InputError(f"{TABLE_NAMES.get(name, name)}“{value}”不是有效的选项，可选：{choices}。", field=field)
    return code


class Change:
    """Change types (变动类型) as stored in ``change_event.change_type``."""

    FIRST_MARRIAGE = "01"
    REMARRIAGE = "02"
    DIVORCE = "03"
    WIDOWED = "04"
    MOVE_IN = "05"
    MOVE_OUT = "06"
    INFLOW = "07"
    OUTFLOW = "08"
    DEATH = "09"
    BIRTH = "10"
    REMARRIED_FORMER = "11"
    RETURN = "12"
    MEASURE = "20"
    PREGNANCY_REGISTERED = "21"
    PREGNANCY_ENDED = "22"
    SERVICE = "23"
    BENEFIT = "24"
    CERTIFICATE = "25"

    # Rows of 报告单 part 1 (member changes); births are part 2.
    MEMBER_CHANGES = frozenset({"01", "02", "03", "04", "05", "06", "07", "08", "09", "11"})
