"""Township mode of the desktop program (乡镇汇总): a window on a township file.

    from ui.township import open_township_window
    window = open_township_window("城关镇.sqlite")      # fpdesk.township.is_township_file(path) says which window
"""

from ui.township.window import TownshipWindow, open_township_window

__all__ = ["TownshipWindow", "open_township_window"]
