"""One enterprise's page: the 情况表 header fields now, its benchmark rows in a later slice."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from duibiao_tui.domain.models import Enterprise
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.screens.base import StoreAccess
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
from duibiao_tui.store.store import industry_label
from duibiao_tui.widgets.title_bar import TitleBar


def short_time(stamp: str) -> str:
    """'2009-10-08T09:30:00+08:00' → '2009-10-08 09:30', as officers write times."""
    return stamp[:16].replace("T", " ")


def header_table(enterprise: Enterprise) -> Table:
    """The enterprise's fields as the 情况表 header shows them, two label/value pairs a line."""
    table = Table.grid(padding=(0, 2), expand=True)
    for _ in range(2):
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
    industry = industry_label(
        enterprise.industry_section, enterprise.industry_division, enterprise.industry_text
    )
    if enterprise.industry_division:
        industry = f"{enterprise.industry_division} {industry}"
    if enterprise.industry_text and enterprise.industry_text not in industry:
        industry += f"（原文：{enterprise.industry_text}）"
    phone = enterprise.phone_raw
    if enterprise.phone_e164 and enterprise.phone_e164 not in phone:
        phone += f"（{enterprise.phone_e164}）"
    flags = "、".join(
        f
        for f, on in (
            ("名牌企业", enterprise.famous_brand),
            (
                f"质量奖企业（{enterprise.award_name or '奖项未填'}"
                f"{' ' + str(enterprise.award_year) if enterprise.award_year else ''}）",
                enterprise.quality_award,
            ),
        )
        if on
    )
    pairs = [
        ("对标单位", enterprise.name),
        ("辖市区", enterprise.district_name or "未指定"),
        ("地址", enterprise.address),
        ("所在行业", industry),
        ("主导产品", enterprise.main_products),
        ("统一社会信用代码", enterprise.uscc or "—"),
        ("组织机构代码", enterprise.org_code or "—"),
        ("工商注册号", enterprise.reg_no or "—"),
        ("单位填报人", enterprise.contact_name),
        ("电话", phone),
        ("荣誉", flags or "—"),
        ("备注", enterprise.notes or "—"),
    ]
    for i in range(0, len(pairs), 2):
        (k1, v1), (k2, v2) = pairs[i], pairs[i + 1]
        table.add_row(k1, Text(v1 or "—"), k2, Text(v2 or "—"))
    return table


class EnterprisePageScreen(StoreAccess, Screen[str | None]):
    """Shows one enterprise; dismisses with "removed" when the officer deletes it here."""

    HELP_TEXT = (
        "企业页：情况表表头（对标单位、地址、所在行业、主导产品、单位填报人、电话）及登记信息。"
        "e 修改，Delete 删除（可撤销），Esc 返回列表。"
    )
    BINDINGS = [
        Binding("e", "edit", "修改", tooltip="修改本企业", id="page-edit"),
        Binding("delete,d", "remove", "删除", tooltip="删除本企业（可撤销）", id="page-remove"),
        Binding("escape", "back", "返回", id="page-back"),
        Binding("question_mark", "app.help", "帮助"),
    ]

    def __init__(self, enterprise_id: str) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("", id="page-title", classes="screen-title")
        yield Static(id="page-header")
        yield Static("情况表对标项目将在此处列出。", id="page-items", classes="dim")
        yield Static(id="page-stamps", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_page()

    def refresh_page(self) -> None:
        enterprise = self.store.get_enterprise(self.enterprise_id)
        campaign = self.store.active_campaign()
        self.query_one("#page-title", Label).update(
            f"{enterprise.name}　·　{campaign.name}（{campaign.doc_number}，截止 {campaign.deadline}）"
        )
        self.query_one("#page-header", Static).update(header_table(enterprise))
        self.query_one("#page-stamps", Static).update(
            f"登记：{short_time(enterprise.created_at)} {enterprise.created_by}　"
            f"最近修改：{short_time(enterprise.updated_at)} {enterprise.updated_by}"
            f"（第 {enterprise.version} 版）"
        )

    def action_edit(self) -> None:
        enterprise = self.store.get_enterprise(self.enterprise_id)

        def saved(result: str | None) -> None:
            if result:
                self.refresh_page()

        self.app.push_screen(EnterpriseFormScreen(enterprise), saved)

    def action_remove(self) -> None:
        enterprise = self.store.get_enterprise(self.enterprise_id)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.remove_enterprise(self.enterprise_id)
            except DuibiaoError as error:
                self.show_error(error)
                return
            self.dismiss("removed")

        self.app.push_screen(
            ConfirmDialog(
                f"删除「{enterprise.name}」？删除后可按 u 撤销或在已删除列表中恢复。",
                confirm_label="删除",
                danger=True,
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)
