"""Build the installable program: a one-folder bundle, then a Windows setup program or a Linux tar.gz.

    pip install -e '.[build]'
    python build_installer.py                 # dist/fpdesk/ and the installer or archive beside it
    python build_installer.py --no-package    # the bundle only

The bundle is made by PyInstaller from ``installer/launcher.py`` (which runs ``ui.cli.main``, so the
bundled ``fpdesk`` takes the same arguments: ``--demo``, ``--db FILE``, ``demo``, ``info`` ...). It is windowed
(no console window on Windows) and carries ``resources/`` (font, code tables, rules, scoring schemes, icons) and
``db_schema.sql``, which ``fpdesk.paths`` finds under ``sys._MEIPASS``.

On Windows the bundle is then wrapped by Inno Setup (``installer/fpdesk.iss``; ISCC.exe found on PATH, in the
usual install folders, or named by the ISCC environment variable) into ``fpdesk-<version>-setup.exe``. Elsewhere
the bundle is packed as ``fpdesk-<version>-<os>-<machine>.tar.gz``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTALLER_DIR = ROOT / "installer"
ICON_DIR = ROOT / "resources" / "icons"
NAME = "fpdesk"

# Qt modules the program does not use. PyInstaller only bundles what is imported, so these are a guard: should a
# library pull one in, the bundle does not silently grow by its libraries (WebEngine alone is ~200 MB). Not listed,
# because they are used or planned: QtCore, QtGui, QtWidgets, QtPrintSupport (printing the forms), QtSvg, QtCharts
# (the board's charts) and QtPdf. Remove a module from here before importing it in ui/.
EXCLUDED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth", "QtConcurrent",
    "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer",
    "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio",
    "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)
# Python packages that are in the development environment but never in the program. (PIL stays: reportlab imports
# it, and the month's forms are reportlab PDFs.)
EXCLUDED_PACKAGES = ("tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "IPython", "setuptools", "pip")
# Package metadata the About box reads its version numbers from (importlib.metadata).
METADATA = ("fpdesk", "PySide6-Essentials", "shiboken6", "sqlite-utils", "reportlab", "openpyxl", "python-stdnum",
            "pypinyin")
# Of Qt's own translations only Chinese is kept: the program speaks nothing else.
KEEP_TRANSLATION_SUFFIXES = ("_zh_CN.qm",)
# Qt plugins PyInstaller collects for QtGui that a desktop program on a laptop never loads (globs under
# PySide6/Qt/plugins): the on-screen keyboard for kiosks (it drags in QML and Qt Quick, ~30 MB), the GTK theme (it needs the system's GTK, which a bundle cannot match), and the backends and input
# drivers of embedded devices. Kept: xcb and wayland (Linux desktops), windows, offscreen and minimal, and the
# ibus and compose input contexts that Chinese input methods on Linux go through.
UNUSED_QT_PLUGINS = (
    "platforminputcontexts/*qtvirtualkeyboardplugin*", "platformthemes/*gtk3*",
    "egldeviceintegrations/*", "generic/*", "platforms/*qeglfs*", "platforms/*qlinuxfb*", "platforms/*qminimalegl*",
    "platforms/*qvnc*", "platforms/*qvkkhrdisplay*",
)
# The libraries only those plugins use (globs on file names anywhere in the bundle). The installer test checks
# with ldd that every Qt library and plugin left still finds all the Qt libraries it links to.
UNUSED_QT_LIBRARIES = (
    "*Qt6Qml*", "*Qt6Quick*", "*Qt6VirtualKeyboard*", "*Qt6EglFS*", "*Qt6EglFs*",
)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from fpdesk import __version__

    return __version__


def command_modules() -> tuple[str, ...]:
    """Every module of the program's own packages. Some are imported by name at run time (the CLI's subcommands,
    ``fpdesk.export``'s lazily loaded writers), which PyInstaller cannot see; listing them all costs nothing."""
    import pkgutil

    import fpdesk
    import ui
    from fpdesk.cli import COMMAND_MODULES

    found = {m.name for package, prefix in ((fpdesk, "fpdesk."), (ui, "ui."))
             for m in pkgutil.walk_packages(package.__path__, prefix)}
    return tuple(sorted(found | set(COMMAND_MODULES)))


def ensure_icon() -> None:
    if not (ICON_DIR / "fpdesk.png").exists() or not (ICON_DIR / "fpdesk.ico").exists():
        subprocess.run([sys.executable, str(INSTALLER_DIR / "make_icon.py")], check=True)


def windows_version_file(work: Path, ver: str) -> Path:
    """The version resource of fpdesk.exe (what Explorer shows under Properties → Details)."""
    from fpdesk import APP_TITLE

    numbers = tuple(int(part) for part in (ver.split(".") + ["0"] * 4)[:4] if part.isdigit())
    strings = {
        "CompanyName": NAME, "FileDescription": APP_TITLE, "FileVersion": ver, "InternalName": NAME,
        "LegalCopyright": "GPL-3.0-or-later", "OriginalFilename": f"{NAME}.exe", "ProductName": APP_TITLE,
        "ProductVersion": ver,
    }
    table = ", ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,\n"
        "                    fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        f"  kids=[StringFileInfo([StringTable('080404b0', [{table}])]),\n"
        "        VarFileInfo([VarStruct('Translation', [0x0804, 1200])])])\n"
    )
    path = work / "version_info.txt"
    path.write_text(text, encoding="utf-8")
    return path


def pyinstaller_args(*, dist: Path, work: Path, ver: str) -> list[str]:
    sep = os.pathsep
    args = [
        str(INSTALLER_DIR / "launcher.py"),
        "--name", NAME,
        "--onedir", "--windowed", "--noconfirm", "--clean", "--noupx",
        "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), "--specpath", str(work),
        "--paths", str(ROOT),
        "--add-data", f"{ROOT / 'resources'}{sep}resources",
        "--add-data", f"{ROOT / 'db_schema.sql'}{sep}.",
        "--icon", str(ICON_DIR / ("fpdesk.ico" if sys.platform == "win32" else "fpdesk.png")),
    ]
    for module in command_modules():
        args += ["--hidden-import", module]
    for module in EXCLUDED_QT:
        args += ["--exclude-module", f"PySide6.{module}"]
    for module in EXCLUDED_PACKAGES:
        args += ["--exclude-module", module]
    for dist_name in METADATA:
        args += ["--copy-metadata", dist_name]
    if sys.platform == "win32":
        args += ["--version-file", str(windows_version_file(work, ver))]
    return args


def prune(bundle: Path) -> int:
    """Drop what PyInstaller collects but the program never loads; returns the bytes saved."""
    doomed = [qm for qm in bundle.rglob("translations/*.qm") if not qm.name.endswith(KEEP_TRANSLATION_SUFFIXES)]
    for plugins in bundle.rglob("plugins"):
        if plugins.is_dir() and plugins.parent.name == "Qt":
            doomed += [p for pattern in UNUSED_QT_PLUGINS for p in plugins.glob(pattern)]
    doomed += [p for pattern in UNUSED_QT_LIBRARIES for p in bundle.rglob(pattern) if not p.is_dir()]
    saved = 0
    for path in set(doomed):
        if path.is_symlink():
            path.unlink()
        elif path.is_dir():
            saved += folder_size(path)[0]
            shutil.rmtree(path)
        elif path.exists():
            saved += path.stat().st_size
            path.unlink()
    for folder in sorted(bundle.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()  # a plugin folder left empty
    return saved


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def make_tarball(bundle: Path, dist: Path, ver: str) -> Path:
    machine = platform.machine().lower() or "unknown"
    target = dist / f"{NAME}-{ver}-{sys.platform.rstrip('0123456789')}-{machine}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{NAME}-{ver}")
    return target


def find_iscc() -> Path | None:
    candidates = [os.environ.get("ISCC"), shutil.which("ISCC"), shutil.which("iscc")]
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs")):
        if base:
            candidates.append(os.path.join(base, "Inno Setup 6", "ISCC.exe"))
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def make_setup(bundle: Path, dist: Path, ver: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit("没有找到 Inno Setup 6 的 ISCC.exe：请安装 Inno Setup 6（https://jrsoftware.org/isdl.php），"
                         "或用环境变量 ISCC 指明它的位置。")
    subprocess.run([str(iscc), f"/DAppVersion={ver}", f"/DBundleDir={bundle}", f"/DOutputDir={dist}",
                    str(INSTALLER_DIR / "fpdesk.iss")], check=True)
    return dist / f"{NAME}-{ver}-setup.exe"


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the fpdesk bundle and its installer (or tar.gz).")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (default: build/)")
    parser.add_argument("--no-package", action="store_true", help="build the bundle only, no installer or tar.gz")
    args = parser.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("PyInstaller is not installed: pip install -e '.[build]'", file=sys.stderr)
        return 2

    dist, work = args.dist.resolve(), args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    ver = version()
    started = time.perf_counter()
    ensure_icon()
    subprocess.run([sys.executable, "-m", "PyInstaller", *pyinstaller_args(dist=dist, work=work, ver=ver)],
                   check=True, cwd=ROOT)
    bundle = dist / NAME
    saved = prune(bundle)
    bundled_at = time.perf_counter()
    size, count = folder_size(bundle)
    print(f"bundle:  {bundle}  {mb(size)} in {count} files ({mb(saved)} of unused Qt plugins and translations left out), "
          f"built in {bundled_at - started:.1f} s")

    if not args.no_package:
        package = make_setup(bundle, dist, ver) if sys.platform == "win32" else make_tarball(bundle, dist, ver)
        print(f"package: {package}  {mb(package.stat().st_size)}, made in {time.perf_counter() - bundled_at:.1f} s")
    print(f"total:   {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
