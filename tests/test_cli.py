"""The ``fpdesk`` command line: every subcommand listed by ``--help``, each parsed by its own module, and the
desktop program started without loading any of them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from fpdesk import cli

NAMES = [cli.command_name(m) for m in cli.COMMAND_MODULES]


def test_help_lists_every_subcommand_with_what_it_does(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert NAMES == ["demo", "info", "roster", "score", "check", "export", "township"]
    for name in NAMES:
        line = next((line for line in out.splitlines() if line.split()[:1] == [name]), None)
        assert line is not None, f"{name} missing from fpdesk --help"
        assert cli.COMMAND_HELP[name] in line


@pytest.mark.parametrize("name", NAMES)
def test_the_listing_is_what_the_subcommands_own_parser_says(name) -> None:
    # the list is written out in cli.py so that --help imports no module: it must not drift from the modules
    assert cli.build_parser(name).format_help() == cli.build_parser().format_help()


@pytest.mark.parametrize(("argv", "expected"), [
    (["demo", "--help"], "--persons"),                     # a subcommand's own options
    (["roster", "template", "--help"], "OUT.xlsx"),         # … and a sub-subcommand's
    (["township", "--help"], "report"),
])
def test_a_subcommands_help_is_its_own(capsys, argv, expected) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["--bogus"], "unrecognized arguments: --bogus"),       # top-level mistakes are still refused
    (["bogus"], "invalid choice: 'bogus'"),
    (["info"], "--db"),                                     # a subcommand's required option
    (["demo", "--db", "x.sqlite", "--bogus"], "unrecognized arguments: --bogus"),
])
def test_mistakes_are_refused_with_status_2(capsys, argv, message) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 2
    assert message in capsys.readouterr().err


def test_a_subcommand_runs_from_its_module(tmp_path, capsys) -> None:
    path = tmp_path / "村.sqlite"
    assert cli.main(["demo", "--db", str(path), "--persons", "300", "--seed", "3"]) == 0
    assert cli.main(["info", "--db", str(path)]) == 0
    assert "人员" in capsys.readouterr().out


def test_opening_the_desktop_program_loads_no_subcommand() -> None:
    # A fresh interpreter: what starting the program loads, before the window code takes over.
    code = textwrap.dedent("""
        import sys
        from fpdesk import cli
        asked = {}
        status = cli.main(["--db", "村.sqlite"], desktop=lambda **kwargs: asked.update(kwargs) or 0)
        loaded = sorted(m for m in sys.modules
                        if m.startswith("fpdesk.commands.") or m.split(".")[0] in ("openpyxl", "pypinyin"))
        print(status, asked, loaded)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0 {'db': '村.sqlite', 'demo': False} []"
