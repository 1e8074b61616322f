"""Results carried over from one snapshot to the next, so that the live score after an edit redoes only what the
edit can have changed.

After an edit the session brings its snapshot up to date with ``refresh_snapshot``, which keeps every table and
every record group the edit did not touch: the very same objects. Records are frozen, so a result worked out from
some of them is still right for a later snapshot that holds the same objects. ``carried`` keeps each result with
the objects it was made from and hands it back while they are the same (``is``, never ``==``: an equal table
read again is a new object and is simply worked out again). The objects are held, so no other object can come to
share their identity. ``per_owner`` does the same person by person: a woman's figure is worked out again only
when her own records changed.

Only the latest result of each key is kept, and at most ``KEEP`` keys: what a score and its chart ask for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from operator import is_
from typing import Any, Callable, Hashable, Iterator, Mapping, Sequence, TypeVar

T = TypeVar("T")
KEEP = 256

_lock = threading.Lock()
_kept: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()


def _get(key: Hashable) -> tuple[tuple[Any, ...], Any] | None:
    with _lock:
        hit = _kept.get(key)
        if hit is not None:
            _kept.move_to_end(key)
        return hit


def _put(key: Hashable, sources: tuple[Any, ...], result: Any) -> None:
    with _lock:
        _kept[key] = (sources, result)
        _kept.move_to_end(key)
        while len(_kept) > KEEP:
            _kept.popitem(last=False)


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(map(is_, a, b))


def carried(key: Hashable, sources: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, or what it gave last time under ``key`` when ``sources`` are the same objects as then.

    key: names the computation and every plain value it depends on (a day, codes, a setting); sources: the
    records and lookups it reads (tuples and mappings of a snapshot, or results carried themselves)."""
    hit = _get(key)
    if hit is not None and _same(hit[0], sources):
        return hit[1]
    out = make()
    _put(key, sources, out)
    return out


def interned(key: Hashable, value: T) -> T:
    """``value``, or the equal value kept under ``key`` (the same object as last time): lets a value recomputed
    for each snapshot (the ids of the married women) stand as a source of ``carried``."""
    hit = _get(key)
    if hit is not None and hit[1] == value:
        return hit[1]
    _put(key, (), value)
    return value


def per_owner(key: Hashable, owners: Sequence[int], groups: Mapping[int, tuple[Any, ...]],
              value: Callable[[tuple[Any, ...]], T]) -> tuple[T, ...]:
    """``value(groups[o])`` for each of ``owners`` (``()`` for an owner without records), in their order.

    groups: each owner's records (``snap.services_of``). key: names ``value`` and every plain value it depends
    on. Each owner's value is carried over while her group is the same object; when neither the owners nor the
    lookup changed, the whole tuple is."""
    hit = _get(key)
    if hit is not None and hit[0][0] is owners and hit[0][1] is groups:
        return hit[1]
    mine = tuple(map(groups.get, owners))
    if hit is None:
        out = tuple(value(g or ()) for g in mine)
    elif hit[0][0] is owners:
        before, values = hit[0][2], hit[1]
        out = tuple(v if was is g else value(g or ()) for g, was, v in zip(mine, before, values))
    else:
        known = {o: (g, v) for o, g, v in zip(hit[0][0], hit[0][2], hit[1])}
        out = tuple(k[1] if (k := known.get(o)) is not None and k[0] is g else value(g or ())
                    for o, g in zip(owners, mine))
    _put(key, (owners, groups, mine), out)
    return out


def forget() -> None:
    """Drop everything kept (the village is closed: its records need not stay in memory)."""
    with _lock:
        _kept.clear()


@contextmanager
def fresh() -> Iterator[None]:
    """Inside, everything is worked out afresh and nothing is kept; what was kept before is kept again after.
    For a test that compares the carried results with results worked out from nothing, on one thread."""
    global _kept
    with _lock:
        saved, _kept = _kept, OrderedDict()
    try:
        yield
    finally:
        with _lock:
            _kept = saved
