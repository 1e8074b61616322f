"""The entry dialogs the main window offers in its 登记 menu and toolbar, in menu order.

Each entry is (menu text, shortcut or None, dialog class). Every class is constructed as
``Dialog(session, parent, today=None, **prefill)``; prefill names the service's parameters (``person=`` a
person id for most, ``mother=`` for a birth), so a card can open a dialog for the woman it shows.
"""

from __future__ import annotations

from ui.forms.base import ServiceDialog
from ui.forms.card import (
    BenefitDialog, CertificateDialog, MeasureDialog, PregnancyDialog, PregnancyOutcomeDialog, ServiceRecordDialog,
)
from ui.forms.changes import BirthDialog, DeathDialog, DivorceDialog, MarriageDialog, WidowhoodDialog
from ui.forms.correction import CorrectionDialog
from ui.forms.household import HouseholdDialog, HouseholdMoveInDialog
from ui.forms.moves import InflowDialog, MoveInDialog, MoveOutDialog, OutflowDialog, ReturnDialog

# A tuple: nobody appends to it. None = no shortcut. F1 (help), F5 and Ctrl+F (search) belong to the main window.
CHANGE_DIALOGS: tuple[tuple[str, str | None, type[ServiceDialog]], ...] = (
    ("出生登记", "F2", BirthDialog),
    ("结婚登记", "F3", MarriageDialog),
    ("离婚登记", None, DivorceDialog),
    ("丧偶登记", None, WidowhoodDialog),
    ("死亡登记", None, DeathDialog),
    ("迁入（加入已有户）", None, MoveInDialog),
    ("整户迁入", None, HouseholdMoveInDialog),
    ("迁出登记", None, MoveOutDialog),
    ("流出登记", None, OutflowDialog),
    ("返回登记", None, ReturnDialog),
    ("流入登记", None, InflowDialog),
    ("节育措施", "F6", MeasureDialog),
    ("孕情登记", "F7", PregnancyDialog),
    ("孕情结果", None, PregnancyOutcomeDialog),
    ("服务登记", "F8", ServiceRecordDialog),
    ("奖扶发放", None, BenefitDialog),
    ("发证登记", None, CertificateDialog),
    ("登记户（建档）", None, HouseholdDialog),
    ("更正…", "F9", CorrectionDialog),
)
