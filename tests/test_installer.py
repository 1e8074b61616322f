"""The installable program: build_installer.py makes a bundle that runs on its own, from a folder with nothing else.

The slow tests build the real one-folder bundle with PyInstaller (about half a minute) and run the bundled
``fpdesk`` on a demo village: the command line, then the window, offscreen and (when Xvfb is there) on X11.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import build_installer
from fpdesk import __version__
from fpdesk.cli import COMMAND_MODULES

ROOT = Path(build_installer.__file__).resolve().parent
EXE = "fpdesk.exe" if sys.platform == "win32" else "fpdesk"


# ---- the build's configuration (fast) ---------------------------------------------------------------------------

def test_every_subcommand_module_is_a_hidden_import(tmp_path) -> None:
    args = build_installer.pyinstaller_args(dist=tmp_path / "dist", work=tmp_path / "work", ver=__version__)
    hidden = {args[i + 1] for i, a in enumerate(args) if a == "--hidden-import"}
    assert set(COMMAND_MODULES) <= hidden
    assert "--windowed" in args and "--onedir" in args
    data = [args[i + 1] for i, a in enumerate(args) if a == "--add-data"]
    assert any(d.startswith(str(ROOT / "resources")) for d in data)
    assert any(d.startswith(str(ROOT / "db_schema.sql")) for d in data)


def test_the_windows_version_resource_is_well_formed(tmp_path) -> None:
    # PyInstaller reads this file by evaluating it; its Windows-only module cannot load here, so stand-ins check
    # that it is valid Python calling only the classes PyInstaller provides.
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct")
    calls: list[tuple[str, tuple]] = []

    def stand_in(name):
        return lambda *args, **kwargs: calls.append((name, args)) or (name, args, kwargs)

    text = build_installer.windows_version_file(tmp_path, __version__).read_text(encoding="utf-8")
    eval(text, {"__builtins__": {}}, {n: stand_in(n) for n in names})  # noqa: S307 (our own generated file)
    strings = dict(args for name, args in calls if name == "StringStruct")
    assert strings["FileVersion"] == __version__ and strings["OriginalFilename"] == "fpdesk.exe"


def test_the_inno_setup_script_keeps_the_data_folder_and_speaks_chinese() -> None:
    raw = (ROOT / "installer" / "fpdesk.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads UTF-8 only with a byte-order mark"
    iss = raw.decode("utf-8-sig")
    assert "ChineseSimplified.isl" in iss
    assert "{autodesktop}" in iss and "{group}" in iss and "{uninstallexe}" in iss
    assert "[UninstallDelete]\n" not in iss.replace("\r\n", "\n"), "nothing beyond the installed files is removed"
    assert "userappdata" not in iss.split("[Code]")[0], "the data folder is only mentioned, never deleted"


# ---- the bundle (slow) ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -e '.[build]')")
    out = tmp_path_factory.mktemp("installer")
    command = [sys.executable, str(ROOT / "build_installer.py"), "--dist", str(out / "dist"), "--work",
               str(out / "work")]
    if sys.platform == "win32":
        command.append("--no-package")  # Inno Setup is not on a test machine
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(result.stdout)
    return out / "dist"


@pytest.fixture(scope="module")
def program_env(tmp_path_factory) -> dict[str, str]:
    """The bundled program's environment: its own data and settings folders, no screen, nothing from the checkout."""
    home = tmp_path_factory.mktemp("bundle-home")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FPDESK_RESOURCES", "FPDESK_EXIT_AFTER_SHOW")}
    env.update(FPDESK_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"), QT_QPA_PLATFORM="offscreen",
               HOME=str(home))
    return env


@pytest.fixture(scope="module")
def demo_village(built, program_env, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bundle-village") / "双河村.sqlite"
    result = run_bundled(built, program_env, "demo", "--db", str(path), "--persons", "300")
    assert result.returncode == 0, result.stderr
    assert "演示村已生成" in result.stdout
    return path


def run_bundled(dist: Path, env: dict[str, str], *args: str, timeout: float = 120,
                wrapper: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    exe = dist / "fpdesk" / EXE
    return subprocess.run([*wrapper, str(exe), *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=env, timeout=timeout, cwd=dist)


@pytest.mark.slow
def test_the_bundle_carries_the_resources_the_program_reads(built) -> None:
    internal = built / "fpdesk" / "_internal"
    for part in ("resources/codes.toml", "resources/rules.toml", "resources/fonts/wqy-microhei.ttc",
                 "resources/fonts/wqy-microhei.COPYRIGHT.txt", "resources/icons/fpdesk.png", "db_schema.sql"):
        assert (internal / part).is_file(), part
    assert list((internal / "resources" / "schemes").glob("*.toml"))
    # The About box reads the libraries' versions from their metadata.
    assert list(internal.glob("pyside6_essentials-*.dist-info")) and list(internal.glob("pypinyin-*.dist-info"))
    # Only Chinese of Qt's translations, and none of the kiosk keyboard's QML.
    assert not [p for p in internal.rglob("*.qm") if not p.name.endswith("_zh_CN.qm")]
    assert not list(internal.rglob("*Qt6Quick*")) and not list(internal.rglob("*qtvirtualkeyboard*"))


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the archive is the Linux package")
def test_the_linux_package_is_a_tarball_of_the_bundle(built) -> None:
    archive = built / f"fpdesk-{__version__}-linux-{os.uname().machine.lower()}.tar.gz"
    assert archive.is_file()
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert f"fpdesk-{__version__}/fpdesk" in names
    assert f"fpdesk-{__version__}/_internal/resources/codes.toml" in names


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="needs Linux and ldd")
def test_every_qt_library_left_in_the_bundle_finds_the_qt_libraries_it_needs(built) -> None:
    # Pruning unused plugins must not take a library that a kept one links to: xcb is never run by the
    # offscreen test, so this is where a missing one would show.
    internal = built / "fpdesk" / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    missing = []
    for path in internal.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        missing += [f"{path.name}: {line.strip()}" for line in out.splitlines()
                    if "not found" in line and ("Qt6" in line or "pyside" in line or "shiboken" in line)]
    assert not missing


@pytest.mark.slow
def test_the_bundled_command_line_makes_and_reads_a_demo_village(built, program_env, demo_village) -> None:
    version = run_bundled(built, program_env, "--version")
    assert version.stdout.strip() == f"fpdesk {__version__}"
    info = run_bundled(built, program_env, "info", "--db", str(demo_village))
    assert info.returncode == 0, info.stderr
    assert "双河村" in info.stdout and "已婚育龄妇女" in info.stdout
    check = run_bundled(built, program_env, "check", "--db", str(demo_village))
    assert check.returncode in (0, 1), check.stderr  # 1 = problems found, which the demo village has on purpose
    assert "按类别" in check.stdout
    # the month's forms need reportlab (and its PIL) inside the bundle
    out = demo_village.parent / "forms"
    export = run_bundled(built, program_env, "export", "--db", str(demo_village), "--month", "2026-10",
                         "--out", str(out))
    assert export.returncode == 0, export.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".pdf", ".xlsx"]


@pytest.mark.slow
def test_the_bundled_program_opens_the_demo_village_window(built, program_env, demo_village) -> None:
    env = dict(program_env, FPDESK_EXIT_AFTER_SHOW="1")
    result = run_bundled(built, env, "--db", str(demo_village), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "fpdesk: window shown: 双河村 - 村级计生台账" in result.stdout
    assert "visible=True" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="xvfb-run is not installed")
def test_the_bundled_program_opens_its_window_on_x11(built, program_env, demo_village) -> None:
    env = dict(program_env, FPDESK_EXIT_AFTER_SHOW="1", QT_QPA_PLATFORM="xcb")
    result = run_bundled(built, env, "--db", str(demo_village), timeout=60, wrapper=("xvfb-run", "-a"))
    assert result.returncode == 0, result.stderr
    assert "fpdesk: window shown: 双河村" in result.stdout
