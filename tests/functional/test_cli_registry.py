"""Every subcommand is reachable from the installed entry point, with help and an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from duibiao_tui.cli import main


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
