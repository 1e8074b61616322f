"""Finding a person the way a clerk types: name, pinyin initials (zs → 张三), ID number or household number.

``matches`` decides one person. A table decides all its rows on every keystroke: ``search_text`` works out once,
per person, the strings ``matching`` then searches (the name's initials spelt out, the ID number lower-cased), so a
keystroke over 10,000 people is one substring test each — not the initials and lower-casing over again.

pypinyin is imported on the first search by initials, not with this module: loading its dictionaries takes a
fifth of a second, which the program's start should not wait for (the window calls ``warm_up`` once it is shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Sequence


def warm_up() -> None:
    """Load the pinyin dictionaries now, so that the clerk's first search by initials does not wait for them."""
    import pypinyin  # noqa: F401


@lru_cache(maxsize=20000)
def _char_initial(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    from pypinyin import Style, pinyin

    # heteronyms: a surname like 单 (shan/dan) should be found by either initial
    options = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    return "".join(sorted(set(options[0]))) if options else ""


@lru_cache(maxsize=50000)
def initials(text: str) -> tuple[str, ...]:
    """Pinyin initials of each character: 张三 → ('z', 's'); a heteronym gives all its initials ('ds' for 单)."""
    return tuple(_char_initial(ch) for ch in text if not ch.isspace())


def initials_match(query: str, name: str) -> bool:
    """True when ``query`` (lower-case letters) spells the initials of consecutive characters of ``name``."""
    letters = initials(name)
    n = len(query)
    for start in range(len(letters) - n + 1):
        if all(query[i] in letters[start + i] for i in range(n)):
            return True
    return False


def search_key(query: str) -> str:
    """Normalise what was typed: trimmed, lower-case."""
    return query.strip().lower()


def _by_letters(query: str) -> bool:
    # letters alone are initials (or part of a name); anything else also looks in the ID and household numbers
    return query.isascii() and query.isalpha()


def matches(query: str, *, name: str, id_number: str | None = "", household_no: str | None = "",
            roster_no: str | None = "") -> bool:
    """Does a person match what the clerk typed? ``query`` must already be ``search_key``-normalised."""
    if not query:
        return True
    if query in name:
        return True
    if _by_letters(query):
        return initials_match(query, name)
    lowered_id = (id_number or "").lower()
    return query in lowered_id or query == (household_no or "").lower() or query == (roster_no or "").lower()


# Between the strings a SearchText joins: no typed query holds it (one that does is matched by ``matches``), so a
# query found in the joined text is found in one of them, never across two.
_GAP = "\0"
# A name whose initials can be spelt more ways than this (heteronym after heteronym: only a long text) is matched
# by ``initials_match`` instead of having every spelling listed.
SPELLINGS_MAX = 64


@dataclass(frozen=True, slots=True)
class SearchText:
    """What a person is found by, worked out once (``search_text``) for every keystroke after (``matching``).

    name: the name as given.
    id_number: the ID number, lower-case ("" when none).
    household_no: the household number (户号), lower-case ("" when none).
    roster_no: the person's number (人员编号), lower-case ("" when none).
    spelt: the name and every spelling of its initials, joined by ``_GAP`` (written | here: 张三 → 张三|zs,
        单丽 → 单丽|cl|dl|sl); None when there are more than ``SPELLINGS_MAX`` spellings.
    typed: the name and the lower-case ID number joined by ``_GAP``: what a query of other than letters is found in.
    """

    name: str
    id_number: str
    household_no: str
    roster_no: str
    spelt: str | None
    typed: str


@lru_cache(maxsize=50000)
def _spelt(name: str) -> str | None:
    """The name, then every way to spell its initials, one letter a character (a character without pinyin, as ·,
    a gap no query letter matches), joined by ``_GAP``; None when there are more than ``SPELLINGS_MAX`` ways."""
    letters = initials(name)
    if set(map(len, letters)) <= {1}:  # most names: one reading a character, one spelling
        return f"{name}{_GAP}{''.join(letters)}"
    options = [choices or _GAP for choices in letters]
    count = 1
    for choices in options:
        count *= len(choices)
        if count > SPELLINGS_MAX:
            return None
    return _GAP.join([name, *map("".join, product(*options))])


def search_text(*, name: str, id_number: str | None = "", household_no: str | None = "",
                roster_no: str | None = "") -> SearchText:
    """What ``matching`` searches for a person: the same fields ``matches`` takes."""
    id_lower = (id_number or "").lower()
    return SearchText(name=name, id_number=id_lower, household_no=(household_no or "").lower(),
                      roster_no=(roster_no or "").lower(), spelt=_spelt(name), typed=f"{name}{_GAP}{id_lower}")


def matching(query: str, texts: Sequence[SearchText]) -> list[bool]:
    """For each person, does he or she match ``query`` (``search_key``-normalised)? The same answers as
    ``matches``, each a substring test or two."""
    if not query:
        return [True] * len(texts)
    if _GAP in query:
        return [matches(query, name=t.name, id_number=t.id_number, household_no=t.household_no,
                        roster_no=t.roster_no) for t in texts]
    if _by_letters(query):
        # spelt holds the name and its spellings: ``query in name or initials_match`` in one test
        return [query in t.spelt if t.spelt is not None else query in t.name or initials_match(query, t.name)
                for t in texts]
    return [query in t.typed or query == t.household_no or query == t.roster_no for t in texts]
