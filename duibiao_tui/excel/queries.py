"""The flat tables of the summary, public and CSV exports, and the filters of one export.

The tables and their SELECTs are the store's read model (``store.export_tables``: the
SQL lives behind the store); this module names the scope of an export from what the
command line or the screen says, and brings the masking of public exports to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from duibiao_tui.domain.reference import REVIEW_STATUSES
from duibiao_tui.domain.text import fold_width
from duibiao_tui.errors import DuibiaoError, NotFoundError
from duibiao_tui.store.export_tables import (
    ExportScope,
    FlatTable,
    StatusCounts,
)

if TYPE_CHECKING:
    from duibiao_tui.domain.listing import Campaign
    from duibiao_tui.store.store import Store

__all__ = ["find_campaign", "flat_tables", "make_scope", "status_counts"]


def find_campaign(store: Store, text: str) -> Campaign:
    """The campaign a ``--campaign`` option names: its name, 文号, year or id."""
    wanted = "".join(fold_width(text).split())
    campaigns = store.campaigns()
    for campaign in campaigns:
        if wanted in (campaign.id, campaign.name, campaign.doc_number):
            return campaign
    matches = [
        c
        for c in campaigns
        if (wanted.isascii() and wanted.isdigit() and c.year == int(wanted))
        or (wanted and wanted in c.name)
    ]
    if len(matches) == 1:
        return matches[0]
    names = "、".join(c.name for c in campaigns)
    if matches:
        raise NotFoundError(f"「{text}」对应多个活动，请写全名：{names}")
    raise NotFoundError(f"没有活动「{text}」；可选：{names}")


def make_scope(
    store: Store,
    *,
    district_id: str | None = None,
    status: str | None = None,
    campaign_id: str | None = None,
) -> ExportScope:
    """Check the filters against the database and return them as one value."""
    campaign = store.get_campaign(campaign_id) if campaign_id else store.active_campaign()
    status = status or ""
    if status and status not in REVIEW_STATUSES:
        raise DuibiaoError(f"没有状态「{status}」；可选：{'、'.join(REVIEW_STATUSES)}", "状态不对")
    district_name = ""
    if district_id:
        found = [d for d in store.districts() if d.id == district_id]
        if not found:
            raise NotFoundError("该辖市区不存在")
        district_name = found[0].name
    return ExportScope(campaign, store.today(), district_id or None, district_name, status)


def flat_tables(store: Store, scope: ExportScope, *, public: bool = False) -> list[FlatTable]:
    """企业名单, 对标项目, 提升措施跟踪, 推介与推荐 for ``scope``, in that order; a public
    export's free text goes through a ``masking.Masker`` of the names the database knows."""
    if not public:
        return store.export_tables(scope)
    from duibiao_tui.excel.masking import FREE_TEXT_COLUMNS, Masker, known_names

    masker = Masker(known_names(store))
    return store.export_tables(scope, public=True, masker=masker, masked_labels=FREE_TEXT_COLUMNS)


def status_counts(store: Store, scope: ExportScope) -> StatusCounts:
    """The figures of the 汇总 sheet in the scope."""
    return store.status_counts(scope)
