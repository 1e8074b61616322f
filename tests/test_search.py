"""Search by name, pinyin initials, ID number or household number."""

import pytest

from fpdesk.search import matches, search_key


@pytest.mark.parametrize(("typed", "expected"), [
    ("张三", True),            # the name itself
    ("zs", True),              # pinyin initials
    ("ZS", True),              # case does not matter
    ("sf", True),              # initials of consecutive characters inside the name
    ("zf", False),             # not consecutive
    ("4201", True),            # part of the ID number
    ("007", True),             # the household number, exactly
    ("07", False),             # a household number is matched whole, not by part
    ("李", False),
    ("", True),                # an empty search shows everyone
])
def test_matches(typed, expected) -> None:
    assert matches(search_key(typed), name="张三丰", id_number="420102199001010011", household_no="007") is expected


def test_heteronym_surname_found_by_either_initial() -> None:
    assert matches("sl", name="单丽") and matches("dl", name="单丽")
