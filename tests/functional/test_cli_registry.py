"""Every subcommand is reachable from the installed entry point, with help and an example."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from duibiao_tui.cli import main
from duibiao_tui.cli import zh as cli_zh


@pytest.mark.parametrize(
    "args",
    [
        ["backup"],
        ["restore"],
        ["package"],
        ["merge"],
        ["import", "form"],
        ["import", "enterprises"],
        ["export", "form"],
        ["demo"],
        ["where"],
    ],
)
def test_help_everywhere(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "--db" in result.output


@pytest.mark.parametrize(
    "args", [["backup"], ["restore"], ["package"], ["merge"], ["import", "form"]]
)
def test_help_has_an_example(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert "duibiao-tui " in result.output.split("选项：")[0]


def test_top_level_help_shows_db_and_demo() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    options = result.output.split("选项：")[1].split("命令：")[0]
    assert "--db" in options and "--demo" in options


def test_top_level_db_is_handed_to_the_command(tmp_path: Path) -> None:
    top, own = tmp_path / "top.db", tmp_path / "own.db"
    result = CliRunner().invoke(main, ["--db", str(top), "where"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(top)
    result = CliRunner().invoke(main, ["--db", str(top), "where", "--db", str(own)])
    assert result.stdout.strip() == str(own)  # the command's own --db wins


def test_top_level_db_reaches_nested_commands(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(main, ["--db", str(missing), "export", "summary"])
    assert result.exit_code == 1
    assert str(missing) in result.stderr and not missing.exists()


def test_top_level_demo_only_opens_the_app() -> None:
    result = CliRunner().invoke(main, ["--demo", "where"])
    assert result.exit_code == 2
    assert "--demo 只用于打开程序" in result.output


def test_top_level_db_and_demo_open_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str | None, bool]] = []
    monkeypatch.setattr("duibiao_tui.opening.open_app", lambda db, demo: opened.append((db, demo)))
    db = str(tmp_path / "x.db")
    assert CliRunner().invoke(main, ["--db", db, "--demo"]).exit_code == 0
    assert CliRunner().invoke(main, ["--db", db, "open"]).exit_code == 0
    assert opened == [(db, True), (db, False)]


def test_help_columns_line_up_in_terminal_cells() -> None:
    """Chinese placeholders (文件, 路径) are two cells a character: the help column still
    starts at one place, and wrapped Chinese stays within the width."""
    result = CliRunner().invoke(main, ["export", "form", "--help"], terminal_width=80)
    rows = result.output.split("选项：\n")[1].splitlines()
    starts = set()
    for row in rows:
        option, _, help_text = row.strip().partition("  ")
        if option.startswith("-") and help_text.strip():
            starts.add(cell_len(row) - cell_len(help_text.lstrip()))
    assert len(starts) == 1, result.output
    long_help = CliRunner().invoke(main, ["import", "form", "--help"], terminal_width=80)
    paragraphs = long_help.output.split("\n\n")[1:3]
    assert all(cell_len(line) <= 80 for p in paragraphs for line in p.splitlines())


def _fields(template: str) -> set[str]:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    return names | set(re.findall(r"%\((\w+)\)s", template))


def test_every_chinese_message_formats_with_what_click_gives() -> None:
    """A translation naming a field click does not pass would raise at the officer."""
    pairs = [*cli_zh.CATALOGUE.items(), *cli_zh.PLURALS.items(), *cli_zh.PLURAL_FORMS.items()]
    assert [(en, zh) for en, zh in pairs if not _fields(zh) <= _fields(en)] == []
