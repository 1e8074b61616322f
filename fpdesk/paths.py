"""Where the program finds its resources and keeps the clerk's files."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: next to the packages in a checkout, inside the bundle when frozen."""
    override = os.environ.get("FPDESK_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def schema_path() -> Path:
    """The baseline schema ``db_schema.sql``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "db_schema.sql"
    return Path(__file__).resolve().parent.parent / "db_schema.sql"


def user_data_dir() -> Path:
    """The clerk's data folder (village file, backups, logs); created on first use."""
    override = os.environ.get("FPDESK_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "fpdesk"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "fpdesk"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "fpdesk"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_village_path() -> Path:
    """The clerk's own village file."""
    return user_data_dir() / "village.sqlite"


def demo_village_path() -> Path:
    """The demo village opened by ``fpdesk --demo``."""
    return user_data_dir() / "demo.sqlite"
