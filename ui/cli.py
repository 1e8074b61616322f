"""The ``fpdesk`` console script: the core's CLI, with the desktop program for a plain ``fpdesk``.

The core (``fpdesk.cli``) never imports Qt; this module hands it the window, imported only when asked for.
"""

from __future__ import annotations

from typing import Sequence

from fpdesk import cli


def run_desktop(*, db: str | None, demo: bool) -> int:
    from ui.app import run  # Qt is loaded only for the desktop program

    return run(db=db, demo=demo)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, desktop=run_desktop)


if __name__ == "__main__":  # python -m ui.cli (the benchmarks start the program this way)
    raise SystemExit(main())
