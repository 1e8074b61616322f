"""A finding (问题): one thing wrong in the ledgers, pointing at the record and field to fix.

The rule catalogue (code, title, explanation, severity, kind, ledger) is data in ``resources/rules.toml``, so the
UI, the docs and the score can list the rules; a check only says which rule it applies and what it found.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Mapping

from fpdesk.fields import field_label
from fpdesk.paths import resources_dir
from fpdesk.records import Ref

ERROR, WARNING = "error", "warning"
SEVERITIES: Mapping[str, str] = MappingProxyType({ERROR: "错误", WARNING: "提醒"})
# Township scoring counts errors by kind: 空项 (a required field is blank), 逻辑 (fields contradict each other),
# 规范 (a code or format is wrong), 及时 (a change was entered late).
KINDS: Mapping[str, str] = MappingProxyType({
    "blank": "空项", "logic": "逻辑错误", "conformity": "不规范", "timeliness": "不及时",
})


@dataclass(frozen=True, slots=True)
class RuleText:
    """One rule of the catalogue, as the clerk reads it.

    code: the stable rule code ("I003"); never reused for another rule.
    check: the name of the check function that applies it.
    title: one line, Chinese.
    explanation: what the rule demands and why, Chinese.
    severity: "error" (the ledger is wrong) or "warning" (probably wrong, or wrong but not refused).
    kind: "blank", "logic", "conformity" or "timeliness".
    ledger: the ledger its findings are listed under (a key of ``ledgers()``).
    """

    code: str
    check: str
    title: str
    explanation: str
    severity: str
    kind: str
    ledger: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check.

    code: the rule's code (see ``rule``).
    severity: "error" or "warning".
    kind: "blank", "logic", "conformity" or "timeliness".
    ledger: which ledger shows it (key of ``ledgers()``).
    subject: the record it is about; ``subject.person_id`` opens the person's card or register row.
    field: the column of ``subject.table`` to correct ("" when the record as a whole is at fault).
    message: Chinese: what is wrong and what would fix it.
    period: the report month ('2026-11') for findings about a month's report, else None.
    related: other records involved (the other person of a duplicate, the spouse, the register row).
    """

    code: str
    severity: str
    kind: str
    ledger: str
    subject: Ref
    field: str
    message: str
    period: str | None = None
    related: tuple[Ref, ...] = ()

    @property
    def person_id(self) -> int | None:
        """The person whose card or register row to open, if any."""
        return self.subject.person_id

    @property
    def key(self) -> str:
        """A stable identity ("I003:person:12:birth_date") for marking a finding as a confirmed exception."""
        return f"{self.code}:{self.subject.table}:{self.subject.id}:{self.field}" + (
            f":{self.period}" if self.period else "")

    @property
    def field_label(self) -> str:
        """The clerk's name for the field ("出生日期"), or "" when none."""
        return field_label(self.subject.table, self.field) if self.field else ""

    @property
    def title(self) -> str:
        """The rule's one-line title."""
        return rule(self.code).title


@cache
def _catalogue() -> tuple[Mapping[str, RuleText], Mapping[str, str]]:
    with open(resources_dir() / "rules.toml", "rb") as f:
        raw = tomllib.load(f)
    ledgers = MappingProxyType(dict(raw.pop("ledgers")))
    rules = {}
    for code, entry in raw.get("rule", {}).items():
        rules[code] = RuleText(code=code, check=entry["check"], title=entry["title"],
                               explanation=" ".join(entry["explanation"].split()), severity=entry["severity"],
                               kind=entry["kind"], ledger=entry["ledger"])
    return MappingProxyType(rules), ledgers


def rules() -> Mapping[str, RuleText]:
    """The rule catalogue, {code: RuleText}, in file order."""
    return _catalogue()[0]


def rule(code: str) -> RuleText:
    """One rule of the catalogue."""
    return _catalogue()[0][code]


def ledgers() -> Mapping[str, str]:
    """The ledgers findings are grouped under, {key: Chinese name}, in display order."""
    return _catalogue()[1]


def finding(code: str, subject: Ref, *, message: str, field: str = "", period: str | None = None,
            related: tuple[Ref, ...] = (), ledger: str | None = None) -> Finding:
    """A finding of rule ``code``; its severity, kind and ledger come from the catalogue."""
    r = rule(code)
    return Finding(code=code, severity=r.severity, kind=r.kind, ledger=ledger or r.ledger, subject=subject,
                   field=field, message=message, period=period, related=related)
