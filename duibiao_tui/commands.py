"""Command palette (Ctrl+P): jump to an enterprise by name, pinyin initials or credit code."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from duibiao_tui.domain.models import EnterpriseQuery

if TYPE_CHECKING:
    from duibiao_tui.app import DuibiaoApp

MAX_HITS = 20


class EnterpriseCommands(Provider):
    """Uses the store's own search, so pinyin and polyphonic names work here as in the list."""

    @property
    def duibiao(self) -> DuibiaoApp:
        return cast("DuibiaoApp", self.app)

    async def discover(self) -> Hits:
        yield DiscoveryHit("企业: 新增", self.duibiao.action_add_enterprise, help="登记新企业")

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        rows = self.duibiao.store.search_enterprises(EnterpriseQuery(text=query))[:MAX_HITS]
        for rank, row in enumerate(rows):
            yield Hit(
                1.0 - rank / (MAX_HITS * 2),
                f"企业: 打开 {row.name}",
                partial(self.duibiao.open_enterprise, row.id),
                text=f"企业: 打开 {row.name}",
                help=" · ".join(p for p in (row.district_name, row.industry, row.credit_code) if p),
            )
