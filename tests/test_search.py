"""Search by name, pinyin initials, ID number or household number: one person (``matches``), or a table's rows
at once (``matching``), with the same answers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpdesk.search import matches, matching, search_key, search_text


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


# ---- a table's search: every row's text worked out once, then one substring test a row a keystroke -------------

PEOPLE = [  # (name, id_number, household_no, roster_no)
    ("张三", "420102199001010011", "0101", "R001"),
    ("单丽", "42010219880305002X", "0102", None),      # a heteronym surname; an ID number ending in X
    ("张三丰", None, None, None),                       # nothing but a name
    ("阿依古丽·买买提", "650102199505050022", "0103", None),   # · has no pinyin: initials do not run across it
    ("Anna 李", "", "0104", "r002"),                   # Latin letters are their own initials; spaces skipped
    ("单单单单单单单", "420102200001010010", "0105", None),   # more spellings than are listed: the slow way
]


@pytest.mark.parametrize(("typed", "found"), [
    ("张三", ["张三", "张三丰"]),
    ("zs", ["张三", "张三丰"]),
    ("s", ["张三", "单丽", "张三丰", "阿依古丽·买买提", "单单单单单单单"]),   # 提 reads shí too
    ("dl", ["单丽"]),                       # 单 as dān
    ("sl", ["单丽"]),                       # 单 as shàn
    ("gl", ["阿依古丽·买买提"]),
    ("lm", []),                             # 丽 · 买: not next to each other
    ("anna", ["Anna 李"]),
    ("nal", ["Anna 李"]),                   # across the space
    ("dsdsdsd", ["单单单单单单单"]),
    ("02x", ["单丽"]),                      # the X of an ID number, lower-cased like the query
    ("0101", ["张三", "单单单单单单单"]),      # a household number whole, or part of an ID number
    ("r001", ["张三"]),                      # the person's number (人员编号), whole
    ("r00", []),
    ("", [p[0] for p in PEOPLE]),
])
def test_matching_finds_the_same_people_as_matches(typed, found) -> None:
    texts = [search_text(name=n, id_number=i, household_no=h, roster_no=r) for n, i, h, r in PEOPLE]
    expected = [matches(typed, name=n, id_number=i, household_no=h, roster_no=r) for n, i, h, r in PEOPLE]
    assert matching(typed, texts) == expected
    assert [p[0] for p, ok in zip(PEOPLE, expected) if ok] == found


# names from characters that read several ways, characters without pinyin, Latin letters, digits and spaces
# (few of each, so that what is typed often hits what is there)
names = st.text(alphabet="张三单丽行长重·A a1", max_size=7)
numbers = st.one_of(st.none(), st.text(alphabet="01Xx", max_size=4))
queries = st.one_of(st.text(alphabet="zsdlhxcaX", min_size=1, max_size=3),       # letters: initials
                    st.text(alphabet="01xX单丽 ·\0", min_size=1, max_size=3))


@settings(max_examples=400, deadline=None)
@given(people=st.lists(st.tuples(names, numbers, numbers, numbers), max_size=6), typed=queries)
def test_matching_agrees_with_matches_for_any_name_and_query(people, typed) -> None:
    query = search_key(typed)
    texts = [search_text(name=n, id_number=i, household_no=h, roster_no=r) for n, i, h, r in people]
    assert matching(query, texts) == [matches(query, name=n, id_number=i, household_no=h, roster_no=r)
                                      for n, i, h, r in people]
