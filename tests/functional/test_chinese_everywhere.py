"""Every word an officer can see is Chinese: the footer, F1's help, the key panel and the
palette of every desk, the key labels of every screen and widget class, and every
command's ``--help`` and usage errors. Latin is allowed only where it is a key name, a
file name, an option, a code or a command the officer types.

The walk is over what the app has (its modes, its screen and widget modules, its command
tree), so a screen or command added later is held to the same rule.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from collections.abc import Iterator

import click
import pytest
import textual.widgets
from click.testing import CliRunner
from rich.console import Console
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input

import duibiao_tui.screens
import duibiao_tui.widgets
from duibiao_tui.app import DuibiaoApp
from duibiao_tui.cli import main
from duibiao_tui.commands import ENTERPRISE_SCORE, command_score
from duibiao_tui.domain.search import name_matches
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.settings import SettingsDialog
from duibiao_tui.store.store import Store
from tests.helpers import SIZE, settle, wait_until

KEY_NAMES = frozenset(
    "ctrl shift alt super meta esc escape enter tab space home end pgup pgdn pageup "
    "pagedown del delete backspace ins insert up down left right".split()
)
CODES = frozenset(
    "duibiao tui excel csv xlsx xls ods utf bom gbk uuid sqlite exports backups".split()
)
"""Names an officer reads as they are: the program, file formats, encodings, the folders
the app writes to."""


def _command_names(command: click.Command) -> Iterator[str]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield name
            yield from _command_names(sub)


ALLOWED = KEY_NAMES | CODES | frozenset(_command_names(main))

_NOT_WORDS = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*"  # options: --db, -o
    r"|\$[A-Z_]+"  # environment variables: $DUIBIAO_DB
    r"|[\x21-\x7e]*[/\\][\x21-\x7e]*"  # paths: exports/, ~/.local/…
    r"|[\w-]*\.[A-Za-z0-9]+\b"  # file names and extensions: district.db, .xlsx
    r"|[\x21-\x7e]*\d[\x21-\x7e]*"  # codes: F1, A4, 91321102MA1X4QEE5C
    r"|\w+_\w+"  # settings: backups_keep
    r"|'[^'\n]*'"  # what the officer typed, quoted back: '已' 不是 …
)
_WORD = re.compile(r"[A-Za-z]{2,}")


def latin_words(text: str) -> list[str]:
    """The Latin words in ``text`` that are none of the allowed kinds. A lower-case word
    that is pinyin of the Chinese beside it (by the app's own rule) is an example of what
    to type: ``sz → 设置``, ``zjdq 找到 镇江…电器``."""
    rest = _NOT_WORDS.sub(" ", text)
    chinese = re.sub(r"[\x00-\x7f]+", " ", text)
    return [
        word
        for word in _WORD.findall(rest)
        if word.lower() not in ALLOWED and not (word.islower() and name_matches(word, chinese))
    ]


def test_the_check_tells_english_from_keys_files_and_codes() -> None:
    assert latin_words("^p palette  esc Dismiss menu") == ["palette", "Dismiss", "menu"]
    assert latin_words("Usage: duibiao-tui [OPTIONS]") == ["Usage", "OPTIONS"]
    assert latin_words("Search for commands…") == ["Search", "for", "commands"]
    assert latin_words("sz → 设置，jljc → 计量检测手段") == []
    assert latin_words("sz → 备份") == ["sz"]
    fine = (
        "--db 文件  F1 帮助  Ctrl+S 保存  shift+tab 上一栏  ^pgup 向左翻页  "
        "exports/情况表-<名称>.xlsx  district.db  $DUIBIAO_DB  91321102MA1X4QEE5C  "
        "UTF-8 带 BOM，Excel 可直接打开  duibiao-tui export form --all  a 全选"
    )
    assert latin_words(fine) == []


# -- every class's key labels and help text ----------------------------------------------


def _import_all(package: object) -> None:
    for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):  # type: ignore[attr-defined]
        importlib.import_module(module.name)


def _classes() -> Iterator[type[DOMNode]]:
    stack = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.add(cls)
            yield cls
            stack.extend(cls.__subclasses__())


def test_every_key_label_of_every_screen_and_widget_is_chinese() -> None:
    """Textual's widgets (all of them, loaded in any order) and every screen and widget of
    the app: descriptions, tooltips and key-panel headings."""
    for package in (textual.widgets, duibiao_tui.screens, duibiao_tui.widgets):
        _import_all(package)
    english: list[str] = []
    for cls in _classes():
        if cls.__module__.startswith("tests."):
            continue
        merged = cls._merged_bindings
        bindings = [b for group in merged.key_to_bindings.values() for b in group] if merged else []
        texts = [text for b in bindings for text in (b.description, b.tooltip)]
        texts.append(cls.BINDING_GROUP_TITLE or "")
        texts.append(getattr(cls, "HELP_TEXT", "") or "")
        english.extend(f"{cls.__qualname__}: {t!r}" for t in texts if latin_words(t))
    assert english == []


# -- what each desk shows ------------------------------------------------------------------


def rendered_text(widget: Widget) -> str:
    """What ``widget`` and the widgets in it draw, as text (scrolled out of view or not)."""
    parts = []
    for node in (widget, *widget.query("*")):
        shown = node.render()
        if isinstance(shown, (str, Text, Content)):
            parts.append(str(shown))
    return "\n".join(parts)


def footer_text(app: DuibiaoApp) -> str:
    footers = [w for w in app.screen.query("*") if type(w).__name__.endswith("Footer")]
    assert footers, f"{type(app.screen).__name__} has no footer"
    return "\n".join(rendered_text(footer) for footer in footers)


def dialog_text(screen: Screen[object]) -> str:
    return "\n".join(rendered_text(child) for child in screen.children)


def key_panel_text(app: DuibiaoApp) -> str:
    from textual.widgets._key_panel import BindingsTable

    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    for table in app.screen.query(BindingsTable):
        console.print(table.render_bindings_table())
    return console.export_text()


def palette_text(palette: CommandPalette) -> str:
    commands = palette.query_one(CommandList)
    prompts = [commands.get_option_at_index(i).prompt for i in range(commands.option_count)]
    prompts = [str(getattr(prompt, "renderable", prompt)) for prompt in prompts]  # Align
    return "\n".join([palette.query_one(Input).placeholder, *prompts])


async def _what_the_screen_shows(app: DuibiaoApp, pilot) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The footer, F1's help, the key panel and the palette of the screen in front."""
    name = type(app.screen).__name__
    if isinstance(app.screen, ModalScreen):  # a dialog: all it says; no footer of its own
        seen = {f"{name} dialog": dialog_text(app.screen)}
    else:
        seen = {f"{name} footer": footer_text(app)}
        assert "f1" in seen[f"{name} footer"].lower()  # the footer was read, not missed
    before = app.screen
    await pilot.press("f1")
    await settle(pilot)
    if app.screen is not before or not isinstance(before, ModalScreen):  # a dialog may not
        assert type(app.screen).__name__ == "HelpDialog"
        seen[f"{name} F1"] = dialog_text(app.screen)
        assert "帮助" in seen[f"{name} F1"]
        await pilot.press("escape")
        await settle(pilot)
    app.action_show_help_panel()
    await settle(pilot)
    seen[f"{name} keys"] = key_panel_text(app)
    assert seen[f"{name} keys"].strip()
    app.action_hide_help_panel()
    await pilot.press("ctrl+p")
    await wait_until(  # the palette gathers its commands in a worker
        pilot,
        lambda: isinstance(app.screen, CommandPalette) and "设置" in palette_text(app.screen),
        "the palette's commands",
    )
    assert isinstance(app.screen, CommandPalette)
    seen[f"{name} palette"] = palette_text(app.screen)
    assert "设置" in seen[f"{name} palette"]  # the commands were listed, not missed
    await pilot.press("escape")
    await settle(pilot)
    return seen


async def test_every_desk_and_the_page_speak_chinese(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    shown: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:
        for mode in app.MODES:
            app.action_desk(mode)
            await settle(pilot)
            shown.update(await _what_the_screen_shows(app, pilot))
        app.open_enterprise(seeded["镇江市长江电器设备厂"])
        await settle(pilot)
        assert isinstance(app.screen, EnterprisePageScreen)
        shown.update(await _what_the_screen_shows(app, pilot))
    assert len(shown) == 4 * (len(app.MODES) + 1)
    english = {where: latin_words(text) for where, text in shown.items() if latin_words(text)}
    assert english == {}


NOT_SCREENS = ("退出", "按键", "窗口", "帮助", "总览", "审核", "措施")
"""Palette commands that open no screen of their own: quit, Textual's key panel and
maximize, F1, and the desks (walked above)."""


async def test_every_screen_the_palette_opens_speaks_chinese(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    shown: dict[str, str] = {}
    opened: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        for command in list(app.get_system_commands(app.screen)):
            if command.title.startswith(NOT_SCREENS):
                continue
            app.action_desk("dashboard")
            await settle(pilot)
            command.callback()
            await settle(pilot)
            opened.append(type(app.screen).__name__)  # a dialog, a screen, or a desk's view
            shown.update(await _what_the_screen_shows(app, pilot))
            while len(app.screen_stack) > 1:
                app.pop_screen()
                await pilot.pause()
    assert {"ExportScreen", "ImportScreen", "BackupsScreen", "MergeScreen"} <= set(opened)
    assert {"SettingsDialog", "CampaignDialog"} <= set(opened)
    english = {where: latin_words(text) for where, text in shown.items() if latin_words(text)}
    assert english == {}


# -- the palette finds commands by pinyin --------------------------------------------------


@pytest.mark.parametrize("typed", ["设置", "sz", "shezhi", "SZ"])
def test_a_command_is_found_by_characters_initials_or_full_pinyin(typed: str) -> None:
    assert command_score(typed, "设置: 办事员与默认辖市区") == 1.0
    assert command_score(typed, "设置: 办事员与默认辖市区") > ENTERPRISE_SCORE  # ahead of 市长…
    assert command_score(typed, "备份: 查看、立即备份、恢复") == 0.0


async def test_sz_in_the_palette_opens_the_settings(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    """Before any enterprise whose name also reads s…z… (苏州, 镇江市…)."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("s", "z")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        listed = palette.query_one(CommandList)
        await wait_until(
            pilot,
            lambda: listed.option_count and "设置" in str(listed.get_option_at_index(0).prompt),
            "设置 first",
        )
        first = str(listed.get_option_at_index(0).prompt)
        assert first.startswith("设置")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsDialog)


async def test_the_palette_says_nothing_found_in_chinese(app: DuibiaoApp, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"qqqqxx")
        await wait_until(pilot, lambda: "没有找到" in palette_text(app.screen), "没有找到")  # type: ignore[arg-type]
        text = palette_text(app.screen)  # type: ignore[arg-type]
        assert "没有找到" in text and latin_words(text) == []


# -- the command line ----------------------------------------------------------------------


def _command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[list[str]]:
    yield list(path)
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _command_paths(sub, (*path, name))


COMMAND_PATHS = list(_command_paths(main))


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "duibiao-tui")
def test_every_command_help_and_usage_error_is_chinese(path: list[str]) -> None:
    help_text = CliRunner().invoke(main, [*path, "--help"], prog_name="duibiao-tui")
    assert help_text.exit_code == 0, help_text.output
    wrong = CliRunner().invoke(main, [*path, "--no-such-option"], prog_name="duibiao-tui")
    assert wrong.exit_code == 2
    assert latin_words(help_text.output) == []
    assert latin_words(wrong.output) == []


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--enterprises", "abc"],
        ["export", "summary", "--status", "已"],
        ["import", "form"],
        ["restore", "/no/such/backup.db"],
        ["export", "汇总"],
        ["--version"],
    ],
)
def test_click_errors_and_version_are_chinese(args: list[str]) -> None:
    result = CliRunner().invoke(main, args, prog_name="duibiao-tui")
    assert result.output.strip()
    assert latin_words(result.output) == [], result.output
