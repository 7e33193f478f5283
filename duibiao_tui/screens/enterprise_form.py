"""Add or edit one enterprise: one line per field, errors next to the field they concern."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from duibiao_tui.domain import industry
from duibiao_tui.domain.conflicts import ConflictError
from duibiao_tui.domain.models import Enterprise, EnterpriseInput
from duibiao_tui.errors import BusyError, DuibiaoError, DuplicateError, ValidationFailed
from duibiao_tui.screens.base import StoreAccess
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.drafts import DraftKeeping, field_value
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.toggles import Checkbox


@dataclass(frozen=True)
class FieldSpec:
    key: str
    """Attribute of EnterpriseInput this widget edits."""
    label: str
    """The field's Chinese name; validators use the same name in their messages."""
    kind: str = "input"
    placeholder: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "名称", placeholder="企业全称，必填"),
    FieldSpec("credit_code", "统一社会信用代码", placeholder="18 位；旧组织机构代码或注册号也可"),
    FieldSpec("district_id", "辖市区", "select"),
    FieldSpec("address", "地址"),
    FieldSpec("industry_section", "行业门类", "select"),
    FieldSpec("industry_division", "行业大类", "select"),
    FieldSpec("industry_text", "所在行业（原文）", placeholder="按表上写法照录"),
    FieldSpec("main_products", "主导产品"),
    FieldSpec("contact_name", "联系人/填报人"),
    FieldSpec("phone", "电话", placeholder="如 0511-85012345 转8012 或 13912345678"),
    FieldSpec("famous_brand", "名牌企业", "checkbox"),
    FieldSpec("quality_award", "质量奖企业", "checkbox"),
    FieldSpec("award_name", "奖项名称", placeholder="如 江苏省质量奖"),
    FieldSpec("award_year", "获奖年份", placeholder="如 2008"),
    FieldSpec("notes", "备注", "textarea"),
)


class EnterpriseFormScreen(DraftKeeping, FieldErrors, StoreAccess, Screen[str | None]):
    """Returns the saved enterprise's id, or None when the officer leaves without saving."""

    DRAFT_KIND = "enterprise"

    CSS_PATH = "forms.tcss"

    FIELD_KEYS = {spec.label: spec.key for spec in FIELDS}
    HELP_TEXT = (
        "登记或修改一家企业。Tab / Shift+Tab 在字段间移动，下拉框可直接键入查找"
        "（如行业大类键入 38）。Ctrl+S 保存；有错误时，错误显示在对应字段下方。"
        "统一社会信用代码可含空格、连字符、小写或全角字符，保存时自动规范化；"
        "2015 年以前的企业可填 9 位组织机构代码或 15 位注册号。"
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", tooltip="校验并保存本企业", id="form-save"),
        Binding("escape", "leave", "返回", tooltip="返回；有未保存的修改时先询问", id="form-leave"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(
        self, enterprise: Enterprise | None = None, *, default_district: str | None = None
    ):
        super().__init__()
        self.enterprise = enterprise
        self.initial = (
            enterprise.to_input() if enterprise else EnterpriseInput(district_id=default_district)
        )
        self.base: EnterpriseInput | None = self.initial if enterprise else None
        self.base_version: int | None = enterprise.version if enterprise else None
        """The record as opened: a save merges with anyone's later save (ConflictError)."""
        self.saved_id: str | None = None
        """Set once the save went through and the form is closing."""

    @property
    def draft_key(self) -> str:
        if self.enterprise:
            return self.enterprise.id
        return f"new:{self.initial.district_id or ''}"

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        title = f"修改企业：{self.enterprise.name}" if self.enterprise else "登记新企业"
        yield Label(title, id="form-title", classes="screen-title")
        with VerticalScroll(id="form-fields", can_focus=False):
            for spec in FIELDS:
                with Horizontal(classes="form-row", id=f"row-{spec.key}"):
                    yield Label(spec.label, classes="form-label")
                    with Vertical(classes="form-cell"):
                        yield self._widget_for(spec)
                        yield Label("", id=f"err-{spec.key}", classes="field-error")
        yield KeyFooter()

    def _widget_for(self, spec: FieldSpec) -> Input | Select[str] | Checkbox | TextArea:
        value = getattr(self.initial, spec.key)
        widget_id = f"f-{spec.key}"
        if spec.kind == "checkbox":
            return Checkbox(spec.label, bool(value), id=widget_id, compact=True)
        if spec.kind == "textarea":
            area = TextArea(str(value or ""), id=widget_id, soft_wrap=True, compact=True)
            area.show_line_numbers = False
            return area
        if spec.kind == "select":
            options = self._options_for(spec.key)
            known = {v for _, v in options}
            return Select(
                options,
                value=value if value in known else Select.NULL,
                prompt="（未选择）",
                id=widget_id,
                compact=True,
            )
        return TextInput(str(value or ""), placeholder=spec.placeholder, id=widget_id, compact=True)

    def _options_for(self, key: str, section: str | None = None) -> list[tuple[str, str]]:
        if key == "district_id":
            return [(d.label, d.id) for d in self.store.districts()]
        if key == "industry_section":
            return [(s.label, s.code) for s in industry.sections()]
        section = section or self.initial.industry_section or None
        return [(d.label, d.code) for d in industry.divisions(section)]

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    # -- values ----------------------------------------------------------------------

    def current_input(self) -> EnterpriseInput:
        """What the form holds now, as the same record type the store takes.

        A field still showing what it was opened with gives back the stored value itself
        (a Select cannot show every stored value, e.g. a 大类 of another 门类): a field the
        officer did not touch never changes.
        """
        values: dict[str, object] = {}
        opened = self._draft_opened or {}
        for spec in FIELDS:
            widget = self.query_one(f"#f-{spec.key}")
            widget_id = f"f-{spec.key}"
            if widget_id in opened and opened[widget_id] == field_value(widget):
                values[spec.key] = getattr(self.initial, spec.key)
            elif isinstance(widget, Checkbox):
                values[spec.key] = widget.value
            elif isinstance(widget, TextArea):
                values[spec.key] = widget.text
            elif isinstance(widget, Select):
                values[spec.key] = (
                    widget.value
                    if isinstance(widget.value, str)
                    else (None if spec.key == "district_id" else "")
                )
            elif isinstance(widget, Input):
                values[spec.key] = widget.value
        return EnterpriseInput(**values)  # type: ignore[arg-type]

    @property
    def is_dirty(self) -> bool:
        current, initial = self.current_input(), self.initial
        return any(
            (getattr(current, f.name) or "") != (getattr(initial, f.name) or "")
            for f in fields(EnterpriseInput)
        )

    @on(Input.Blurred, "#f-credit_code")
    def check_code(self, event: Input.Blurred) -> None:
        """Leaving the code: its problems now, not after the form has closed — an error
        under the field, an advisory (e.g. the inner organisation code's check) as 提示."""
        from duibiao_tui.domain.identifiers import parse_identifier

        label = self.query_one("#err-credit_code", Label)
        try:
            ident = parse_identifier(event.value)
        except DuibiaoError as error:
            label.update(getattr(error, "reason", error.message))
            label.add_class("-shown")
            return
        notes = list(ident.warnings) if ident else []
        label.update("提示：" + "；".join(notes) if notes else "")
        label.set_class(bool(notes), "-shown")

    @on(Select.Changed, "#f-industry_section")
    def narrow_divisions(self, event: Select.Changed) -> None:
        """Picking a 门类 limits the 大类 list to that 门类."""
        division_select: Select[str] = self.query_one("#f-industry_division", Select)
        section = event.value if isinstance(event.value, str) else None
        current = division_select.value
        options = self._options_for("industry_division", section)
        division_select.set_options(options)
        if isinstance(current, str) and current in {v for _, v in options}:
            division_select.value = current

    @on(Select.Changed, "#f-industry_division")
    def follow_division(self, event: Select.Changed) -> None:
        """Picking a 大类 first fills in its 门类."""
        if not isinstance(event.value, str):
            return
        division = industry.division(event.value)
        section_select: Select[str] = self.query_one("#f-industry_section", Select)
        if division and section_select.value != division.section:
            section_select.value = division.section

    # -- actions ---------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saved_id is not None:
            return  # saved and closing: a retry or a second Ctrl+S must not add it again
        self.clear_errors()
        data = self.current_input()
        try:
            if self.enterprise:
                saved = self.store.update_enterprise(
                    self.enterprise.id, data, base=self.base, base_version=self.base_version
                )
            else:
                saved = self.store.add_enterprise(data)
        except (ValidationFailed, DuplicateError) as failure:
            self.show_failure(failure)
            return
        except ConflictError as conflict:
            self._resolve(conflict)
            return
        except BusyError as error:
            self.retry_when_free(self.action_save, error)
            return
        except DuibiaoError as error:  # disk full, read-only: the typing stays in the form
            self.show_error(error)
            return
        self.saved_after_wait()
        for warning in saved.warnings:
            self.notify(warning, title="请核对", severity="warning", timeout=10)
        self.notify(f"已保存：{saved.name}")
        self.saved_id = saved.id
        self.dismiss(saved.id)

    def _resolve(self, conflict: ConflictError) -> None:
        """Both versions side by side; the form then holds the merge to check and save."""
        from duibiao_tui.screens.conflict_dialog import THEIRS, ConflictDialog

        def chosen(choices: dict[str, str] | None) -> None:
            if choices is None:
                return
            values = asdict(conflict.merged)
            theirs = asdict(conflict.theirs)
            for name, side in choices.items():
                if side == THEIRS:
                    values[name] = theirs[name]
                    if name == "industry_division":
                        values["industry_section"] = theirs["industry_section"]
            self.fill(EnterpriseInput(**values))
            self.base, self.base_version = conflict.theirs, conflict.version
            self.notify("已合并双方的修改，请检查后按 Ctrl+S 保存", title="保存冲突")

        labels = {spec.key: spec.label for spec in FIELDS}
        self.app.push_screen(ConflictDialog(conflict, labels), chosen)

    def fill(self, values: EnterpriseInput) -> None:
        """Put ``values`` into the form's fields (after a merge)."""
        for spec in FIELDS:
            widget = self.query_one(f"#f-{spec.key}")
            value = getattr(values, spec.key)
            if isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, TextArea):
                widget.text = str(value or "")
            elif isinstance(widget, Select):
                if spec.key == "industry_division":
                    section = values.industry_section or None
                    widget.set_options(self._options_for("industry_division", section))
                try:
                    widget.value = value if value else Select.NULL
                except InvalidSelectValueError:
                    widget.value = Select.NULL
            elif isinstance(widget, Input):
                widget.value = str(value or "")

    def action_leave(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.throw_typing_away()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("有未保存的修改，放弃并返回？", confirm_label="放弃修改", danger=True),
            answered,
        )
