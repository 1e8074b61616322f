"""The rule registry and the runner.

``CHECKS`` is the one tuple of rules, in catalogue order; nobody appends to it (a caller who wants fewer rules
passes ``only``). The rules of one month — the change report, the monthly table, timeliness — take the month as a
keyword; the rest take the snapshot alone.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Collection, Iterable, Mapping

from fpdesk.gcpause import no_cyclic_gc
from fpdesk.checks import (
    contraception, cross_ledger, dates, duplicates, households, identity, marriage, monthly, pregnancy, timeliness,
)
from fpdesk.checks.facts import forget
from fpdesk.checks.finding import ERROR, Finding, ledgers, rules
from fpdesk.dates import parse_period
from fpdesk.snapshot import Snapshot

Check = Callable[..., list[Finding]]

CHECKS: tuple[Check, ...] = (
    identity.check_id_number_check_digit, identity.check_id_number_format, identity.check_id_number_birth_date,
    identity.check_id_number_sex, identity.check_id_number_unique, identity.check_birth_date_present,
    identity.check_card_id_number_present, identity.check_card_required_fields, identity.check_husband_id_number,
    identity.check_codes_known,
    households.check_person_has_household, households.check_household_head, households.check_household_group,
    dates.check_no_future_dates, dates.check_nothing_before_birth, dates.check_nothing_after_death,
    dates.check_marriage_age_possible, dates.check_legal_marriage_age, dates.check_mother_at_least_15,
    dates.check_birth_after_first_marriage, dates.check_birth_orders_consecutive, dates.check_birth_orders_unique,
    dates.check_twins_share_a_date, dates.check_birth_orders_follow_dates, dates.check_mother_under_50,
    dates.check_over_age_card,
    marriage.check_no_husband_after_divorce, marriage.check_first_marriage_date_present, marriage.check_spouses_agree,
    marriage.check_married_has_spouse, marriage.check_never_married_has_no_marriage,
    marriage.check_one_current_marriage, marriage.check_marriage_dates_in_order, marriage.check_spouse_opposite_sex,
    marriage.check_widowhood_recorded, marriage.check_first_marriage_date_matches,
    marriage.check_marital_change_date_present, marriage.check_status_matches_marriage,
    contraception.check_measure_has_start_date, contraception.check_no_measure_has_reason,
    contraception.check_reason_only_without_measure, contraception.check_measures_do_not_overlap,
    contraception.check_measure_dates_in_order, contraception.check_pregnant_with_long_acting,
    contraception.check_pregnant_with_measure, contraception.check_pregnant_reason_has_pregnancy,
    contraception.check_measure_after_birth, contraception.check_card_has_measure,
    contraception.check_no_birth_during_long_acting, contraception.check_card_records_on_women,
    contraception.check_measure_age,
    pregnancy.check_pregnancy_outcome_when_due, pregnancy.check_pregnancy_dates_in_order,
    pregnancy.check_pregnancy_outcome_complete, pregnancy.check_one_pregnancy_at_a_time,
    pregnancy.check_live_birth_on_card,
    cross_ledger.check_card_births_in_register, cross_ledger.check_births_in_change_report,
    cross_ledger.check_change_report_matches_records, cross_ledger.check_changes_in_change_report,
    cross_ledger.check_child_matches_birth, cross_ledger.check_board_matches_registers,
    monthly.check_births_add_up, monthly.check_operations_add_up, monthly.check_pregnancies_add_up,
    monthly.check_population_balances, monthly.check_month_starts_where_last_ended,
    monthly.check_submitted_month_unchanged, monthly.check_recorded_in_monthly_table,
    timeliness.check_changes_entered_in_time, timeliness.check_changes_reported_in_their_month,
    duplicates.check_person_entered_once, duplicates.check_child_entered_once, duplicates.check_child_has_one_mother,
    duplicates.check_marriage_entered_once, duplicates.check_change_reported_once,
)

# The rules about one report month: called with period= (None = last month and this month).
PERIOD_CHECKS: frozenset[Check] = frozenset({
    cross_ledger.check_card_births_in_register, cross_ledger.check_births_in_change_report,
    monthly.check_births_add_up, monthly.check_operations_add_up, monthly.check_pregnancies_add_up,
    monthly.check_population_balances, monthly.check_month_starts_where_last_ended,
    monthly.check_submitted_month_unchanged, timeliness.check_changes_entered_in_time,
    timeliness.check_changes_reported_in_their_month,
})

# Each rule's code, from the catalogue (resources/rules.toml names the function of every code).
_BY_NAME = {c.__name__: c for c in CHECKS}
CODE_OF: Mapping[Check, str] = MappingProxyType({_BY_NAME[r.check]: code for code, r in rules().items()
                                                 if r.check in _BY_NAME})


def run_checks(
    snap: Snapshot, *, only: Collection[str] | None = None, period: str | None = None,
) -> tuple[Finding, ...]:
    """Every finding of the rules in ``CHECKS`` (or only those whose code is in ``only``), sorted by ledger,
    severity (errors first), rule code and record.

    period: the report month ('2026-11') the month rules look at; by default last month and this month.
    """
    checks = CHECKS if only is None else tuple(c for c in CHECKS if CODE_OF[c] in only)
    found = run_rules(snap, checks, period=period)
    with no_cyclic_gc():  # (the sort's first allocation would set off a collection that walks the whole snapshot)
        return sort_findings(f for rule_found in found.values() for f in rule_found)


def run_rules(
    snap: Snapshot, checks: Iterable[Check], *, period: str | None = None,
) -> dict[Check, tuple[Finding, ...]]:
    """The findings of each of ``checks`` on ``snap``, rule by rule (``checks.incremental`` keeps them so)."""
    month = parse_period(period) if period else None
    out: dict[Check, tuple[Finding, ...]] = {}
    with no_cyclic_gc():
        try:
            for check in checks:
                out[check] = tuple(check(snap, period=month) if check in PERIOD_CHECKS else check(snap))
        finally:
            forget()  # what the rules shared is for this run only; the snapshot belongs to the caller
    return out


def sort_findings(found: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings in the order they are listed: see ``sort_key``."""
    return tuple(sorted(found, key=sort_key))


_LEDGER_ORDER = {key: i for i, key in enumerate(ledgers())}


def sort_key(f: Finding) -> tuple:
    """Ledger (in the catalogue's order), errors before warnings, rule code, then the record (and the message,
    so that the order never depends on the order the rules ran in)."""
    return (_LEDGER_ORDER.get(f.ledger, len(_LEDGER_ORDER)), f.severity != ERROR, f.code, f.period or "",
            f.subject.table, f.subject.id, f.field, f.message)
