"""The bundled program's entry point: the same ``fpdesk`` command as the console script.

``fpdesk.exe`` is built without a console window, so on Windows a subcommand typed in a command prompt
(``fpdesk info --db 双河村.sqlite``) would print nothing. When there is no stdout, the launcher attaches to the
console of the prompt it was started from, if any; started from the Start menu there is none and nothing changes.
"""

from __future__ import annotations

import sys


def _attach_parent_console() -> None:
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    attach_parent_process = -1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return
    sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115 (lives as long as we do)
    sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115


def main() -> int:
    if len(sys.argv) > 1:  # a subcommand or an option; the plain double-click opens the window
        _attach_parent_console()
    from ui.cli import main as fpdesk_main

    return fpdesk_main()


if __name__ == "__main__":
    sys.exit(main())
