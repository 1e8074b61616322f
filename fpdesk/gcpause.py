"""The cycle collector paused while many records are made.

Loading a village, checking it and scoring it make hundreds of thousands of small frozen records and tuples and
no reference cycles. Every collection their allocation sets off walks all young containers alive — after an
edit, the whole refreshed snapshot too — several times a run: a third of a 10,000-person load, seconds of a
1,000,000-person check. So those passes run with the collector paused; reference counting still frees
everything, and the collector is back as it was afterwards.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector inside (nested uses are fine: the outermost one turns it back on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
