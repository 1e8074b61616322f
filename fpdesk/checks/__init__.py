"""Ledger logic checks (逻辑校验): every contradiction in the village's ledgers, each pointing at what to fix.

Each rule is a pure function of the village ``Snapshot`` returning ``Finding``s; the rules are in one tuple,
``CHECKS``; ``run_checks`` runs them. The rule texts (code, title, explanation, severity, kind, ledger) are data
in ``resources/rules.toml``: ``rules()`` lists them.

    from fpdesk.checks import run_checks
    for f in run_checks(snapshot):
        print(f.code, f.severity, f.ledger, f.subject, f.field, f.message)
"""

from fpdesk.checks.finding import ERROR, KINDS, SEVERITIES, WARNING, Finding, RuleText, finding, ledgers, rule, rules
from fpdesk.checks.registry import CHECKS, CODE_OF, PERIOD_CHECKS, run_checks

__all__ = [
    "CHECKS", "CODE_OF", "ERROR", "KINDS", "PERIOD_CHECKS", "SEVERITIES", "WARNING", "Finding", "RuleText", "finding",
    "ledgers", "rule", "rules", "run_checks",
]
