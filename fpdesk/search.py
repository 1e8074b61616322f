"""Finding a person the way a clerk types: name, pinyin initials (zs → 张三), ID number or household number.

pypinyin is imported on the first search by initials, not with this module: loading its dictionaries takes a
fifth of a second, which the program's start should not wait for (the window calls ``warm_up`` once it is shown).
"""

from __future__ import annotations

from functools import lru_cache


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


def matches(query: str, *, name: str, id_number: str | None = "", household_no: str | None = "",
            roster_no: str | None = "") -> bool:
    """Does a person match what the clerk typed? ``query`` must already be ``search_key``-normalised."""
    if not query:
        return True
    if query in name:
        return True
    if query.isascii() and query.isalpha():
        return initials_match(query, name)
    lowered_id = (id_number or "").lower()
    return query in lowered_id or query == (household_no or "").lower() or query == (roster_no or "").lower()
