"""click in Chinese: its own words (Usage, Options, errors) and the placeholders of every
command, so ``--help`` and a mistyped command read in one language.

click passes every message it prints through ``gettext`` (``_()`` and ``ngettext`` in each
of its modules); ``install`` points those names at the catalogue below, which falls back to
click's English for anything it lacks. Placeholders (``[OPTIONS]``, ``FILE``, ``INTEGER``)
are not messages: ``localise`` gives each command of the tree Chinese ones.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator

import click
from rich.cells import cell_len

CATALOGUE: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "查看帮助：{command} {option}",
    "No such option {name!r}.": "没有 {name} 这个选项。",
    "No such command {name!r}.": "没有 {name} 这个命令。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 要 {nargs} 个值。",
    "Aborted!": "已取消。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename}：{message}",
    "Do you want to continue?": "继续吗？",
    "Confirm the action without prompting.": "不询问，直接执行。",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一样。",
    "Error: invalid input": "错误：输入不对",
    "Press any key to continue...": "按任意键继续……",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（运行时决定）",
    "deprecated": "已停用",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 的范围内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的是/否值，可用：{states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} is a file.": "{name} {filename} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename} 无法执行。",
    "{name} {filename!r} does not exist.": "{name} {filename} 不存在。",
}
"""click 8's messages (``_()`` in its source), in Chinese."""

PLURALS: dict[str, str] = {
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name} 后面要跟一个值。",
    "Did you mean {possibility}?": "是不是想输入 {possibility}？",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} does not match the format {format}.": "{value!r} 不合格式 {format}。",
    "Takes {nargs} values but 1 was given.": "要 {nargs} 个值，只给了 1 个。",
    "{len_type} values are required, but {len_value} was given.": (
        "要 {len_type} 个值，只给了 {len_value} 个。"
    ),
}
"""click's ``ngettext`` messages, by their singular (Chinese has one form for both)."""

PLURAL_FORMS: dict[str, str] = {
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要跟 {nargs} 个值。",
    "(Did you mean one of: {possibilities}?)": "（是不是想输入其中之一：{possibilities}？）",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不合格式 {formats}。",
    "Takes {nargs} values but {len} were given.": "要 {nargs} 个值，给了 {len} 个。",
    "{len_type} values are required, but {len_value} were given.": (
        "要 {len_type} 个值，给了 {len_value} 个。"
    ),
}

TYPE_NAMES: dict[type[click.ParamType], str] = {
    click.types.StringParamType: "文字",
    click.types.IntParamType: "整数",
    click.types.IntRange: "整数",
    click.types.FloatParamType: "数值",
    click.types.FloatRange: "数值",
    click.types.BoolParamType: "是/否",
    click.types.DateTime: "日期时间",
    click.types.File: "文件",
}
"""The names click gives its types, used as placeholders and in "not a valid …"."""

OPTIONS_METAVAR = "[选项]"
USAGE_PREFIX = "用法："
SUBCOMMAND_METAVAR = "命令 [参数]..."

_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    if count == 1:
        return PLURALS.get(singular, singular)
    return PLURAL_FORMS.get(plural, plural)


_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.")
"""A run of ASCII (a word, an option, a path), a run of spaces, or one other character:
a Chinese line may break between any two characters."""
_NO_LINE_START = set("，。；：、）」』》！？>)].,;:")
"""A token starting with one of these never begins a line: the token before it goes down
with it."""
_JOIN = re.compile(r"(?<=[^\x00-\x7f])\n\s*|\n\s*(?=[^\x00-\x7f])")
"""A line break beside a Chinese character joins without a space, as Chinese is written."""


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells (a Chinese character is two;
    click's own wrapping counts it as one, so Chinese help ran off the screen)."""
    lines: list[list[str]] = [[]]
    for token in _TOKEN.findall(_JOIN.sub("", text).replace("\n", " ")):
        line = lines[-1]
        if line and cell_len("".join(line)) + cell_len(token) > width:
            carried = [line.pop()] if token[0] in _NO_LINE_START and len(line) > 1 else []
            lines.append(carried)
            line = lines[-1]
        if line or not token.isspace():
            line.append(token)
    return [joined for line in lines if (joined := "".join(line).rstrip())]


class CellFormatter(click.HelpFormatter):
    """click's help layout measured in terminal cells, with Chinese headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 20)
        blocks: list[str] = []
        for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
            if paragraph.lstrip().startswith("\b"):
                kept = paragraph.lstrip()[1:].lstrip("\n").splitlines()
                blocks.append("\n".join(f"{indent}{line}" for line in kept))
                continue
            lead = paragraph[: len(paragraph) - len(paragraph.lstrip())].replace("\n", "")
            lines = wrap_cells(paragraph.strip(), width - len(lead))
            blocks.append("\n".join(f"{indent}{lead}{line}" for line in lines))
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_cells(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * first_col}{line}\n")


def install() -> None:
    """click's messages and help layout in Chinese from now on (idempotent)."""
    click.Context.formatter_class = CellFormatter
    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for param_type, label in TYPE_NAMES.items():
        param_type.name = label


def _commands(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _commands(sub)


def _placeholder(param: click.Parameter) -> str | None:
    """A Chinese placeholder for a path (click would say FILE or PATH); other types are
    named by ``TYPE_NAMES``, and an argument of another type names itself (metavar=…)."""
    if not isinstance(param.type, click.Path):
        return None
    kinds = {(True, False): "文件", (False, True): "文件夹"}
    word = kinds.get((param.type.file_okay, param.type.dir_okay), "路径")
    param.type.name = word  # its errors say 文件 … 不存在
    if isinstance(param, click.Argument):
        word += "..." if param.nargs != 1 else ""
        word = word if param.required else f"[{word}]"
    return word


def localise(root: click.Command) -> None:
    """Chinese placeholders for ``root`` and every command under it (idempotent)."""
    for command in _commands(root):
        if command.options_metavar:
            command.options_metavar = OPTIONS_METAVAR
        if isinstance(command, click.Group):
            optional = command.invoke_without_command
            command.subcommand_metavar = (
                SUBCOMMAND_METAVAR.replace("命令", "[命令]", 1) if optional else SUBCOMMAND_METAVAR
            )
        for param in command.params:
            if param.metavar is None and (word := _placeholder(param)) is not None:
                param.metavar = word
