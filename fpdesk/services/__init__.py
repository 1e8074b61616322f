"""Core service functions: every change a clerk makes, each one transaction, audited, returning ``Changes``.

The UI, the importers and the demo generator all change the village file only through these.
"""

from fpdesk.services.corrections import correct_field
from fpdesk.services.exceptions import confirm_exception, withdraw_exception
from fpdesk.services.family import record_birth, record_divorce, record_marriage, record_widowhood
from fpdesk.services.health import (
    issue_certificate, pay_benefit, record_pregnancy_outcome, record_service, register_pregnancy, start_measure,
    stop_measure,
)
from fpdesk.services.people import (
    add_group, add_person, record_death, record_inflow, record_move_out, record_outflow, record_return,
    register_household, set_setting, setup_village,
)
from fpdesk.services.periods import submit_period, unlock_period

__all__ = [
    "add_group", "add_person", "confirm_exception", "correct_field", "issue_certificate", "pay_benefit",
    "record_birth", "record_death", "record_divorce", "record_inflow", "record_marriage", "record_move_out", "record_outflow",
    "record_pregnancy_outcome", "record_return", "record_service", "record_widowhood", "register_household",
    "register_pregnancy", "set_setting", "setup_village", "start_measure", "stop_measure", "submit_period",
    "unlock_period", "withdraw_exception",
]
