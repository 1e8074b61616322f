"""fpdesk: the village family-planning ledgers (一牌一单一卡两册), their checks, score and reports.

This package is the core. It never imports Qt: the desktop front end lives in the ``ui`` package on top of it.
"""

__version__ = "0.1.0"
APP_NAME = "fpdesk"
APP_TITLE = "村级计生台账"
