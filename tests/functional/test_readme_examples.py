"""Every ``duibiao-tui …`` line in the code blocks of the README and the guide in ``docs/``
runs as written on the demo database.

The examples run in reading order (the README, then the guide's pages in ``GUIDE`` order) in
one folder, as an officer following the guide would (later ones read what earlier ones
wrote: ``import form`` reads the 情况表 that ``export form`` wrote), against a fresh demo
database made as ``duibiao-tui --demo`` makes it. They run in-process through click's
CliRunner on ``duibiao_tui.cli.main``, the group the installed command hands every
subcommand to (``launch.main``), with the shell's part done as a shell does it: the comment
dropped, the words split, globs expanded.
"""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from duibiao_tui.cli import main
from duibiao_tui.demo_file import fill_demo_if_empty

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GUIDE = ["command-line.md", "exporting.md", "importing.md", "merging.md"]
"""The pages of docs/ with examples, in reading order (exporting writes what importing reads)."""

SKIP = {
    "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/duibiao-tui --demo": (
        "sets up a virtual environment, then opens the interactive app"
    ),
    "duibiao-tui": "opens the interactive app",
    "duibiao-tui --db district.db": "opens the interactive app",
    "duibiao-tui --demo": "opens the interactive app",
}
"""Lines that cannot run in a test, each with why. Every one must still be in the README or
the guide."""

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def readme_examples(text: str) -> list[str]:
    """The lines of the README's shell blocks that run ``duibiao-tui``, comments dropped."""
    lines = []
    for language, body in _FENCE.findall(text):
        if language not in ("bash", "sh", "shell", ""):
            continue
        for line in body.splitlines():
            if "duibiao-tui" not in line:
                continue
            command = " ".join(shlex.split(line, comments=True))
            words = re.split(r"\s*&&\s*", command)
            if any(part.split(" ")[0].endswith("duibiao-tui") for part in words if part):
                lines.append(command)
    return lines


def shell_words(line: str) -> list[str]:
    """The arguments a shell would pass after ``duibiao-tui``: globs expanded (a pattern
    that matches nothing stays as written, as in bash)."""
    words = shlex.split(line, comments=True)[1:]
    out: list[str] = []
    for word in words:
        matches = sorted(glob.glob(word)) if any(ch in word for ch in "*?[") else []
        out.extend(matches or [word])
    return out


def all_examples() -> list[str]:
    """The examples of the README, then of each page of the guide, in reading order."""
    examples = readme_examples(README.read_text(encoding="utf-8"))
    for page in GUIDE:
        examples += readme_examples((ROOT / "docs" / page).read_text(encoding="utf-8"))
    return examples


def test_examples_are_read_from_the_readme() -> None:
    examples = all_examples()
    assert len(examples) >= 30
    assert "duibiao-tui export form 镇江市长江电器设备厂" in examples
    assert [skipped for skipped in SKIP if skipped not in examples] == []  # no stale skips
    # a page of docs/ with examples but not in GUIDE would never run
    unlisted = [
        page.name
        for page in sorted((ROOT / "docs").glob("*.md"))
        if page.name not in GUIDE and readme_examples(page.read_text(encoding="utf-8"))
    ]
    assert unlisted == []


def test_every_readme_example_runs_on_the_demo_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "officer"
    folder.mkdir()
    database = folder / "duibiao.db"
    monkeypatch.setenv("DUIBIAO_DB", str(database))
    monkeypatch.chdir(folder)
    fill_demo_if_empty(database)

    def no_app(db_path: str | None, demo: bool) -> None:
        raise AssertionError("this example opens the interactive app: add it to SKIP")

    monkeypatch.setattr("duibiao_tui.opening.open_app", no_app)
    failures = []
    ran = 0
    for line in all_examples():
        if line in SKIP:
            continue
        result = CliRunner().invoke(main, shell_words(line), prog_name="duibiao-tui")
        ran += 1
        if result.exit_code != 0:
            failures.append(f"{line}\n  exit {result.exit_code}: {result.output.strip()}")
            if result.exception and not isinstance(result.exception, SystemExit):
                failures.append(f"  {result.exception!r}")
    assert failures == []
    assert ran >= 25  # the examples were found and run, not skipped over
