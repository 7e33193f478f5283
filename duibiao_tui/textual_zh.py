"""Textual's own key labels in Chinese: the footer, F1 and the key panel show no English.

Textual's widgets (Input, DataTable, Select, the command palette, the scroll containers …)
declare their bindings with English descriptions, and Textual has no translation hook. The
labels are swapped where they are declared, in each class's ``BINDINGS``: once for the
classes already loaded, and for every class defined later (Textual loads its widgets
lazily) as it is created, before Textual merges the bindings of its bases. A description
missing from the table stays as Textual wrote it; the test over every screen finds it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

BINDING_LABELS: dict[str, str] = {
    # textual.screen.Screen and textual.app.App
    "Focus Next": "下一栏",
    "Focus Previous": "上一栏",
    "Copy selected text": "复制选中的文字",
    "Quit": "退出",
    "Quit the app and return to the command prompt.": "退出程序",
    # the command palette
    "Exit the command palette": "关闭命令面板",
    "Go to bottom": "到最后",
    "Go to top": "到最前",
    "Next command": "下一条",
    "Previous command": "上一条",
    "Next page": "下一页",
    "Previous page": "上一页",
    # scrolling containers
    "Scroll Up": "向上滚动",
    "Scroll Down": "向下滚动",
    "Scroll Left": "向左滚动",
    "Scroll Right": "向右滚动",
    "Scroll Home": "滚到最前",
    "Scroll End": "滚到最后",
    "Page Up": "上一页",
    "Page Down": "下一页",
    "Page Left": "向左翻页",
    "Page Right": "向右翻页",
    # Input
    "Move cursor left": "光标左移",
    "Move cursor left and select": "左移并选择",
    "Move cursor left a word": "左移一个词",
    "Move cursor left a word and select": "左移一个词并选择",
    "Move cursor right": "光标右移",
    "Move cursor right and select": "右移并选择",
    "Move cursor right a word": "右移一个词",
    "Move cursor right a word and select": "右移一个词并选择",
    "Move cursor right or accept the completion suggestion": "光标右移或接受建议",
    "Go to start": "到行首",
    "Go to end": "到行尾",
    "Select line start": "选到行首",
    "Select line end": "选到行尾",
    "Delete character left": "删除左边一个字",
    "Delete character right": "删除右边一个字",
    "Delete left to start of word": "删除左边一个词",
    "Delete right to start of word": "删除右边一个词",
    "Delete all to the left": "删除左边全部",
    "Delete all to the right": "删除右边全部",
    "Cut selected text": "剪切选中的文字",
    "Paste text from the clipboard": "粘贴",
    "Select all": "全选",
    "Submit": "确定",
    # TextArea
    "Cursor up": "上移",
    "Cursor down": "下移",
    "Cursor left": "左移",
    "Cursor right": "右移",
    "Cursor up select": "上移并选择",
    "Cursor down select": "下移并选择",
    "Cursor left select": "左移并选择",
    "Cursor right select": "右移并选择",
    "Cursor word left": "左移一个词",
    "Cursor word right": "右移一个词",
    "Cursor left word select": "左移一个词并选择",
    "Cursor right word select": "右移一个词并选择",
    "Cursor line start": "到行首",
    "Cursor line end": "到行尾",
    "Cursor line start select": "选到行首",
    "Cursor line end select": "选到行尾",
    "Cursor page up": "上一页",
    "Cursor page down": "下一页",
    "Delete line": "删除本行",
    "Delete to line start": "删除到行首",
    "Delete to line end": "删除到行尾",
    "Select line": "选择本行",
    "Copy": "复制",
    "Cut": "剪切",
    "Paste": "粘贴",
    "Undo": "撤销",
    "Redo": "重做",
    # DataTable, OptionList, ListView, Tree
    "Select": "选择",
    "Page up": "上一页",
    "Page down": "下一页",
    "Top": "到顶部",
    "Bottom": "到底部",
    "Home": "到行首",
    "End": "到行尾",
    "Up": "上移",
    "Down": "下移",
    "First": "第一项",
    "Last": "最后一项",
    "Cursor Up": "上移",
    "Cursor Down": "下移",
    "Cursor to parent": "到上一级",
    "Cursor to next ancestor": "到下一个上级",
    "Cursor to previous sibling": "到上一个同级",
    "Cursor to next sibling": "到下一个同级",
    "Expand or collapse all": "全部展开或收起",
    # Select, Checkbox, RadioSet, Switch, Tabs, Button, Collapsible, Link
    "Show menu": "打开列表",
    "Dismiss menu": "关闭列表",
    "Toggle": "切换",
    "Toggle option": "勾选或取消",
    "Next option": "下一项",
    "Previous option": "上一项",
    "Next tab": "下一页签",
    "Previous tab": "上一页签",
    "Press button": "按下按钮",
    "Toggle collapsible": "展开或收起",
    "Open link": "打开链接",
    # textual-autocomplete
    "Hide dropdown": "收起候选列表",
}
"""Textual's binding descriptions (and tooltips), as Textual 8 writes them, in Chinese."""

GROUP_TITLES: dict[str, str] = {"Input": "输入框", "Collapsible": "折叠区"}
"""The headings the key panel puts over a widget's keys (``BINDING_GROUP_TITLE``)."""


def _relabelled(binding: Any) -> Any:
    """One ``BINDINGS`` entry (a Binding or a tuple) with Chinese description and tooltip."""
    if isinstance(binding, tuple):
        if len(binding) == 3 and binding[2] in BINDING_LABELS:
            return (*binding[:2], BINDING_LABELS[binding[2]])
        return binding
    if not isinstance(binding, Binding):
        return binding
    description = BINDING_LABELS.get(binding.description, binding.description)
    tooltip = BINDING_LABELS.get(binding.tooltip, binding.tooltip)
    if (description, tooltip) == (binding.description, binding.tooltip):
        return binding
    return dataclasses.replace(binding, description=description, tooltip=tooltip)


def _relabel_own(cls: type[DOMNode]) -> bool:
    """Relabel what ``cls`` itself declares; True when anything changed."""
    changed = False
    own = cls.__dict__.get("BINDINGS")
    if own:
        labelled = [_relabelled(binding) for binding in own]
        if any(new is not old for new, old in zip(labelled, own, strict=True)):
            cls.BINDINGS = labelled
            changed = True
    title = cls.__dict__.get("BINDING_GROUP_TITLE")
    if title in GROUP_TITLES:
        cls.BINDING_GROUP_TITLE = GROUP_TITLES[title]
    return changed


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    seen: set[type[DOMNode]] = set()
    stack = [cls]
    while stack:
        current = stack.pop()
        for sub in current.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                yield sub


_installed = False


def install() -> None:
    """Relabel every class loaded so far and every one defined from now on (idempotent).

    A relabelled class's merged bindings, and those of the classes below it, are merged
    again; widgets created after this call carry the Chinese labels."""
    global _installed
    if _installed:
        return
    _installed = True
    original = DOMNode.__dict__["__init_subclass__"].__func__

    def __init_subclass__(cls: type[DOMNode], **kwargs: Any) -> None:
        _relabel_own(cls)
        original(cls, **kwargs)

    DOMNode.__init_subclass__ = classmethod(__init_subclass__)  # type: ignore[assignment]
    loaded: list[type[DOMNode]] = [DOMNode, *_subclasses(DOMNode)]
    for cls in loaded:
        _relabel_own(cls)
    for cls in loaded:
        cls._merged_bindings = cls._merge_bindings()
