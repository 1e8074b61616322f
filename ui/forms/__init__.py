"""The entry dialogs: one per change a clerk records, built in code on one small form framework (``base``).

``CHANGE_DIALOGS`` lists them for the main window's 登记 menu and toolbar.
"""

from ui.forms.base import Field, Section, ServiceDialog
from ui.forms.card import (
    BenefitDialog, CertificateDialog, MeasureDialog, PregnancyDialog, PregnancyOutcomeDialog, ServiceRecordDialog,
)
from ui.forms.changes import BirthDialog, DeathDialog, DivorceDialog, MarriageDialog, WidowhoodDialog
from ui.forms.correction import CorrectionDialog
from ui.forms.household import HouseholdDialog, HouseholdMoveInDialog
from ui.forms.moves import InflowDialog, MoveInDialog, MoveOutDialog, OutflowDialog, ReturnDialog
from ui.forms.registry import CHANGE_DIALOGS

__all__ = [
    "CHANGE_DIALOGS", "BenefitDialog", "BirthDialog", "CertificateDialog", "CorrectionDialog", "DeathDialog",
    "DivorceDialog", "Field", "HouseholdDialog", "HouseholdMoveInDialog", "InflowDialog", "MarriageDialog",
    "MeasureDialog", "MoveInDialog", "MoveOutDialog", "OutflowDialog", "PregnancyDialog", "PregnancyOutcomeDialog",
    "ReturnDialog", "Section", "ServiceDialog", "ServiceRecordDialog", "WidowhoodDialog",
]
