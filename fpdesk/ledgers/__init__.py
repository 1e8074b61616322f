"""The ledgers (一牌一单一卡两册) as read-only views of a ``Snapshot``.

board (公示牌), change_report (报告单 + 月报表), card (档案卡), registers (管理册), service_book (服务册), and
population: the shared definitions of who counts (户籍人口, 已婚育龄妇女, 现有子女). Pure functions: no database
connection, no Qt; each is one pass over the snapshot using its lookups.
"""

from fpdesk.ledgers.board import Board, board
from fpdesk.ledgers.card import WomanCard, woman_card, woman_cards
from fpdesk.ledgers.change_report import ChangeReport, MonthlyTable, monthly_change_report
from fpdesk.ledgers.registers import (
    births_register, certificate_register, contraception_register, migrant_register, population_register,
    pregnancy_register,
)
from fpdesk.ledgers.service_book import benefits_paid, service_book, supplies_handed_out

__all__ = [
    "Board", "ChangeReport", "MonthlyTable", "WomanCard", "benefits_paid", "births_register", "board",
    "certificate_register", "contraception_register", "migrant_register", "monthly_change_report",
    "population_register", "pregnancy_register", "service_book", "supplies_handed_out", "woman_card", "woman_cards",
]
