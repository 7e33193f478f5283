"""Command palette (Ctrl+P): the app's commands and its enterprises, found by Chinese,
pinyin initials or full pinyin, in a palette that speaks Chinese.

Enterprises come from the store's own search (pinyin and polyphonic names work here as in
the list); commands are matched by the same rule (``domain.search.name_matches``), so
``sz`` finds 设置 as ``zjdq`` finds 镇江…电器.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, Hit, Hits, Provider
from textual.system_commands import SystemCommandsProvider
from textual.widgets.option_list import Option

from duibiao_tui.domain.models import EnterpriseQuery
from duibiao_tui.domain.search import Readings, char_readings, name_matches

if TYPE_CHECKING:
    from duibiao_tui.app import DuibiaoApp

MAX_HITS = 20
ENTERPRISE_SCORE = 0.9
"""The best enterprise ranks below a command whose category was typed (``sz`` is 设置
before any enterprise whose name holds s…z…) and above the rest."""
PLACEHOLDER = "输入命令或企业名称（可用拼音首字母，如 sz → 设置）…"
NO_MATCHES = "没有找到相符的命令或企业"


class Palette(CommandPalette):
    """Textual's palette with a Chinese prompt and a Chinese "nothing found"."""

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, less its English text: after a short pause with no hits, say so.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NO_MATCHES, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


@lru_cache(maxsize=256)
def _readings(name: str) -> Readings:
    return char_readings(name)


def command_score(query: str, name: str) -> float:
    """How well ``query`` names the command ``name`` (``类别: 说明``), 0 for not at all:
    its category (设置, 备份 …) by characters or pinyin first, then anything in the name."""
    category = name.split(":", 1)[0]
    if name_matches(query, category, _readings(category)):
        return 1.0
    if name_matches(query, name, _readings(name)):
        return 0.8
    return 0.0


class SystemCommands(SystemCommandsProvider):
    """``App.get_system_commands``, matched by pinyin as well as by Textual's fuzzy match."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            fuzzy = matcher.match(name)
            score = max(command_score(query, name), fuzzy)
            if score > 0:
                shown = matcher.highlight(name) if fuzzy > 0 else name
                yield Hit(score, shown, callback, text=name, help=help_text)


class EnterpriseCommands(Provider):
    """Uses the store's own search, so pinyin and polyphonic names work here as in the list
    (登记新企业 is among the app's commands)."""

    @property
    def duibiao(self) -> DuibiaoApp:
        return cast("DuibiaoApp", self.app)

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        rows = self.duibiao.store.search_enterprises(EnterpriseQuery(text=query))[:MAX_HITS]
        for rank, row in enumerate(rows):
            yield Hit(
                ENTERPRISE_SCORE - rank / (MAX_HITS * 2),
                f"企业: 打开 {row.name}",
                partial(self.duibiao.open_enterprise, row.id),
                text=f"企业: 打开 {row.name}",
                help=" · ".join(p for p in (row.district_name, row.industry, row.credit_code) if p),
            )
