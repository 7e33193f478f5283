"""One row of the 情况表, entered from the keyboard faster than in the Excel form.

Everything typed is kept as a draft in the database (half a second after the last key),
so leaving the screen, switching enterprise or a crash never loses a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields, replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Input, Label, Select, TextArea

from duibiao_tui.domain.aspects import match_aspects
from duibiao_tui.domain.conflicts import ConflictError
from duibiao_tui.domain.dates import format_date, parse_due_date
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.items import BenchmarkEnterprise
from duibiao_tui.domain.reference import ASPECTS, BENCHMARK_LEVELS, OTHER_ASPECT
from duibiao_tui.errors import (
    BusyError,
    DuibiaoError,
    DuplicateError,
    FieldError,
    ValidationFailed,
)
from duibiao_tui.screens.base import StoreAccess
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.store.items import ITEM_FIELD_GROUPS
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar

VERDICT_OPTIONS = [("领先（lx）", "领先"), ("持平（cp）", "持平"), ("落后（lh）", "落后")]
"""Pinyin initials in the labels let type-to-search pick a verdict from the keyboard."""

# (key, label shown, kind) in the form's column order; labels are the validators' names.
ROWS: tuple[tuple[str, str, str], ...] = (
    ("benchmark_text", "标杆企业", "input"),
    ("benchmark_address", "标杆地址", "input"),
    ("benchmark_level_class", "标杆类别", "level"),
    ("aspect", "项目", "input"),
    ("aspect_other", "其他项目名称", "input"),
    ("indicator", "指标内容", "input"),
    ("benchmark_level", "标杆水平", "input"),
    ("result_text", "对比结果", "input"),
    ("verdict", "结论", "verdict"),
    ("measures", "提升计划和措施", "textarea"),
    ("department", "落实部门", "input"),
    ("due_text", "完成时间", "input"),
    ("remarks", "备注", "input"),
)
PLACEHOLDERS = {
    "benchmark_text": "键入名称片段或拼音从标杆库查找（↓ 选择，Enter 接受）；新名称保存时加入标杆库",
    "aspect": "键入汉字、拼音首字母或序号，如 sb、gy、9",
    "indicator": "必填，如 产品一次交验合格率",
    "benchmark_level": "如 99.5%",
    "result_text": "如 低 2.1 个百分点",
    "department": "如 质量部",
    "due_text": "如 2010-06-30、2010年6月、2010年底",
}


class LiveSuggester(Suggester):
    """Completes from a list read anew for each suggestion: the library grows while typing."""

    def __init__(self, options: Callable[[], list[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.options = options

    async def get_suggestion(self, value: str) -> str | None:
        folded = value.casefold()
        return next((o for o in self.options() if o.casefold().startswith(folded)), None)


class ItemEditorScreen(FieldErrors, StoreAccess, Screen[str | None]):
    """Add or edit one row; dismisses with the saved item id, or None."""

    CSS_PATH = "forms.tcss"

    FIELD_KEYS = {
        "标杆企业": "benchmark_text",
        "项目": "aspect",
        "指标内容": "indicator",
        "标杆水平": "benchmark_level",
        "对比结果": "result_text",
        "提升计划和措施": "measures",
        "落实部门": "department",
        "完成时间": "due_text",
        "备注": "remarks",
    }
    HELP_TEXT = (
        "录入情况表的一行。Tab / Shift+Tab 在字段间移动。标杆企业从标杆库补全（键入名称片段、"
        "拼音首字母或全拼，↓ 在候选中移动，Enter 接受），新名称保存时自动加入标杆库。项目可键入汉字、拼音首字母（sb 设备、"
        "jljc 计量检测手段）或序号 1–12，离开该栏时取第一个匹配；选「其他」须写明项目名称。"
        "完成时间可写 2010-06-30、2010/6/30、2010.6.30、2010年6月30日、2010年6月（月底）、"
        "2010年底。Ctrl+S 保存，Ctrl+N 保存并录下一行（保留标杆企业与项目），Esc 放弃（先询问）。"
        "键入的内容随时存为草稿，离开或崩溃后可恢复。"
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", tooltip="保存本行", id="item-save"),
        Binding(
            "ctrl+n",
            "save_next",
            "保存并下一行",
            tooltip="保存，并以相同标杆与项目开始下一行",
            id="item-save-next",
        ),
        Binding("escape", "leave", "放弃", tooltip="放弃本行（先询问）", id="item-leave"),
    ]

    def __init__(
        self,
        enterprise_id: str,
        *,
        item_id: str | None = None,
        values: ItemInput | None = None,
        draft_id: str | None = None,
    ) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.item_id = item_id
        self.initial = values or ItemInput()
        self.draft_id = draft_id
        self.saved_ids: list[str] = []
        self._draft_timer: Timer | None = None
        self._loading = True
        self._opened: dict[str, str] = {}
        self._filled_from_library: tuple[str, str | None] | None = None
        """The text fields as they were filled on opening; unchanged ones keep the stored
        values (``current_input``)."""
        self.library_names = [b.name for b in self.store.benchmarks()]
        """Names the 标杆企业 field completes from; grows when this editor adds one."""
        self._row_done = False
        self._saving_next = False
        self.draft_unsaved = False
        """The last draft could not be written: what is typed lives only on screen."""
        """Set once the row is saved or discarded: nothing is left to keep as a draft."""
        self.base: ItemInput | None = None
        self.base_version: int | None = None
        """The stored row as it was when opened: saving merges with anyone's later save."""
        if item_id:
            stored = self.store.get_item(item_id)
            self.base, self.base_version = stored.to_input(), stored.version

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        enterprise = self.store.get_enterprise(self.enterprise_id)
        title = "修改对标项目" if self.item_id else "新增对标项目"
        yield Label(f"{enterprise.name}　·　{title}", id="item-title", classes="screen-title")
        with VerticalScroll(id="item-fields", can_focus=False):
            for key, label, kind in ROWS:
                with Horizontal(classes="form-row", id=f"row-{key}"):
                    yield Label(label, classes="form-label")
                    with Vertical(classes="form-cell"):
                        yield self._widget(key, kind)
                        hint = Label("", id=f"hint-{key}", classes="field-hint")
                        hint.display = False
                        yield hint
                        yield Label("", id=f"err-{key}", classes="field-error")
        from duibiao_tui.widgets.name_complete import NameAutoComplete

        yield NameAutoComplete("#f-benchmark_text", lambda: self.library_names)
        yield KeyFooter()

    def _widget(self, key: str, kind: str) -> Input | Select[str] | TextArea:
        widget_id = f"f-{key}"
        if kind == "textarea":
            area = TextArea(self.initial.measures, id=widget_id, soft_wrap=True, compact=True)
            area.show_line_numbers = False
            return area
        if kind == "verdict":
            value = (
                self.initial.verdict
                if self.initial.verdict in {"领先", "持平", "落后"}
                else Select.NULL
            )
            return Select(
                VERDICT_OPTIONS, value=value, prompt="（未定）", id=widget_id, compact=True
            )
        if kind == "level":
            return Select(
                [(level, level) for level in BENCHMARK_LEVELS],
                prompt="（未定）",
                id=widget_id,
                compact=True,
            )
        suggester = None
        if key == "department":
            suggester = LiveSuggester(lambda: self.store.departments_for(self.enterprise_id))
        value = self._shown_initially(key)
        return TextInput(
            value or "",
            placeholder=PLACEHOLDERS.get(key, ""),
            id=widget_id,
            suggester=suggester,
            compact=True,
        )

    def _shown_initially(self, key: str) -> str:
        """What a text field shows when the editor opens. A row linked to the benchmark
        library may keep no text of its own: its 标杆企业 field shows the entry's name."""
        if key == "benchmark_address":
            return ""
        if key == "benchmark_text" and not self.initial.benchmark_text.strip():
            linked = self._linked_benchmark()
            return linked.name if linked else ""
        return str(getattr(self.initial, key, "") or "")

    def _linked_benchmark(self) -> BenchmarkEnterprise | None:
        if not self.initial.benchmark_id:
            return None
        try:
            return self.store.get_benchmark(self.initial.benchmark_id)
        except DuibiaoError:  # merged away or deleted: the save will say so
            return None

    def on_mount(self) -> None:
        if self.initial.benchmark_id:
            self._show_benchmark(self.store.get_benchmark(self.initial.benchmark_id))
        self._update_aspect_hint(self.initial.aspect)
        self._update_due_hint(self.initial.due_text)
        self.query_one("#row-aspect_other").display = self.initial.aspect == OTHER_ASPECT
        focus = (
            "#f-indicator"
            if self.initial.aspect and self.initial.benchmark_text
            else "#f-benchmark_text"
        )
        self.query_one(focus).focus()
        self._opened = self._field_texts()
        self.call_after_refresh(self._loaded)

    def _loaded(self) -> None:
        self._loading = False

    def _field_texts(self) -> dict[str, str]:
        return {
            key: self.query_one(f"#f-{key}", Input).value
            for key, _, kind in ROWS
            if kind == "input"
        }

    # -- the values ------------------------------------------------------------------

    def current_input(self) -> ItemInput:
        """The row as typed; the benchmark id is set when the name is one from the library."""
        text = self._field_texts()
        opened = self._opened
        untouched = {key for key, value in text.items() if opened.get(key) == value}
        verdict = self.query_one("#f-verdict", Select).value
        if "benchmark_text" in untouched:  # as opened: the link and the text stay as stored
            benchmark_id, benchmark_text = self.initial.benchmark_id, self.initial.benchmark_text
        else:
            benchmark = self._library_match(text["benchmark_text"])
            benchmark_id = benchmark.id if benchmark else None
            benchmark_text = text["benchmark_text"]
        return ItemInput(
            benchmark_id=benchmark_id,
            benchmark_text=benchmark_text,
            aspect=self.initial.aspect
            if "aspect" in untouched
            else self._resolved_aspect(text["aspect"]),
            aspect_other=text["aspect_other"],
            indicator=text["indicator"],
            benchmark_level=text["benchmark_level"],
            result_text=text["result_text"],
            verdict=verdict if isinstance(verdict, str) else "",
            measures=self.query_one("#f-measures", TextArea).text,
            department=text["department"],
            due_text=text["due_text"],
            remarks=text["remarks"],
        )

    @property
    def has_typing(self) -> bool:
        """Whether anything differs from how the screen opened."""
        current, initial = asdict(self.current_input()), asdict(self.initial)
        return any((current[f.name] or "") != (initial[f.name] or "") for f in fields(ItemInput))

    def _library_match(self, name: str) -> BenchmarkEnterprise | None:
        name = name.strip()
        if not name or name not in self.library_names:
            return None
        return next((b for b in self.store.benchmarks(name) if b.name == name), None)

    @staticmethod
    def _resolved_aspect(typed: str) -> str:
        typed = typed.strip()
        if not typed or typed in ASPECTS or typed == OTHER_ASPECT:
            return typed
        matches = match_aspects(typed)
        return matches[0] if matches else typed

    # -- live hints ------------------------------------------------------------------

    def _show_benchmark(self, benchmark: BenchmarkEnterprise | None) -> None:
        if benchmark is None:
            return
        self.query_one("#f-benchmark_address", Input).value = benchmark.address
        level = self.query_one("#f-benchmark_level_class", Select)
        level.value = benchmark.level if benchmark.level else Select.NULL
        self._filled_from_library = (benchmark.address, benchmark.level or None)
        self._hint(
            "benchmark_text",
            f"标杆库：{benchmark.label}{'　' + benchmark.level if benchmark.level else ''}",
        )

    def _forget_library_fill(self) -> None:
        """A name that is not the library entry any more: the address and class that entry
        filled in do not belong to it (what the officer typed there stays)."""
        if self._filled_from_library is None:
            return
        address, level = self._filled_from_library
        self._filled_from_library = None
        address_input = self.query_one("#f-benchmark_address", Input)
        if address_input.value == address:
            address_input.value = ""
        level_select = self.query_one("#f-benchmark_level_class", Select)
        if level_select.value == level:
            level_select.value = Select.NULL

    def _hint(self, key: str, text: str) -> None:
        """The grey line under a field; hidden when there is nothing to say."""
        hint = self.query_one(f"#hint-{key}", Label)
        hint.update(text)
        hint.display = bool(text)

    def _update_aspect_hint(self, typed: str) -> None:
        typed = typed.strip()
        matches = match_aspects(typed) if typed else []
        if not typed or typed in ASPECTS or typed == OTHER_ASPECT:
            self._hint("aspect", "")
        elif matches:
            more = "　…" if len(matches) > 6 else ""
            self._hint("aspect", "→ " + "　".join(matches[:6]) + more + "（离开本栏时取第一个）")
        else:
            self._hint("aspect", "没有匹配的项目；可选「其他」(qt) 并写明")

    def _update_due_hint(self, typed: str) -> None:
        from duibiao_tui.domain.dates import ImpossibleDate

        try:
            due = parse_due_date(typed)
        except ImpossibleDate as error:  # 2010年2月30日: a date that cannot exist
            self._hint("due_text", error.reason)
            return
        except FieldError:  # free text (长期, 每季度): saved as written, with no date
            self._hint("due_text", "→ 未定（按原文保存）")
            return
        self._hint("due_text", f"→ {format_date(due)}" if due else "")

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        self.field_edited(event.input.id)
        key = (event.input.id or "").removeprefix("f-")
        if key == "aspect":
            self._update_aspect_hint(event.value)
        elif key == "due_text":
            self._update_due_hint(event.value)
        elif key == "benchmark_text":
            match = self._library_match(event.value)
            if match:
                self._show_benchmark(match)
            else:
                self._forget_library_fill()
                self._hint(
                    "benchmark_text", "新标杆企业，保存时加入标杆库" if event.value.strip() else ""
                )
        self._schedule_draft()

    @on(Input.Blurred, "#f-aspect")
    def settle_aspect(self, event: Input.Blurred) -> None:
        """Leaving 项目 with ``sb`` typed turns it into 设备, as the hint promised."""
        resolved = self._resolved_aspect(event.value)
        if resolved != event.value:
            event.input.value = resolved
        self.query_one("#row-aspect_other").display = resolved == OTHER_ASPECT

    @on(TextArea.Changed)
    @on(Select.Changed)
    def changed(self) -> None:
        self._schedule_draft()

    # -- drafts ----------------------------------------------------------------------

    def _schedule_draft(self) -> None:
        if self._loading:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if DraftKeeping.draft_delay_s <= 0:
            self.save_draft()
            return
        self._draft_timer = self.set_timer(DraftKeeping.draft_delay_s, self.save_draft)

    def save_draft(self) -> None:
        """Keep what is typed; called shortly after each change and when leaving."""
        if self._row_done or not self.has_typing:
            return
        values = self.current_input()
        values.aspect = self.query_one("#f-aspect", Input).value
        try:
            self.draft_id = self.store.save_draft(self.enterprise_id, values, item_id=self.item_id)
        except DuibiaoError as error:  # disk full, file busy: the typing stays on screen
            if not self.draft_unsaved:
                self.notify(f"草稿暂未写入：{error.message}", title=error.title, severity="warning")
            self.draft_unsaved = True
            return
        self.draft_unsaved = False

    def on_screen_suspend(self) -> None:
        self.save_draft()

    def on_unmount(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()

    # -- actions ---------------------------------------------------------------------

    def _save(self) -> str | None:
        self.clear_errors()
        data = self.current_input()
        try:
            name_typed = self._field_texts()["benchmark_text"] != self._opened.get("benchmark_text")
            if data.benchmark_text.strip() and data.benchmark_id is None and name_typed:
                # a name typed here joins the library; a row's own text left as it was
                # stays its own text (saving it unchanged changes nothing)
                level = self.query_one("#f-benchmark_level_class", Select).value
                created = self.store.add_benchmark(
                    data.benchmark_text.strip(),
                    address=self.query_one("#f-benchmark_address", Input).value.strip(),
                    level=level if isinstance(level, str) else None,
                )
                data = replace(data, benchmark_id=created.id)
                self.library_names.append(created.name)
                self.notify(f"已加入标杆库：{created.label}")
            if self.item_id:
                saved = self.store.update_item(
                    self.item_id,
                    data,
                    draft_id=self.draft_id,
                    base=self.base,
                    base_version=self.base_version,
                )
            else:
                saved = self.store.add_item(self.enterprise_id, data, draft_id=self.draft_id)
        except (ValidationFailed, DuplicateError) as failure:
            self.show_failure(failure)
            return None
        except ConflictError as conflict:
            self._resolve(conflict)
            return None
        except BusyError as error:
            self.retry_when_free(self._retry_save, error)
            return None
        except DuibiaoError as error:
            self.show_error(error)
            return None
        self.saved_after_wait()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.draft_id = None  # deleted in the same transaction as the save
        self.saved_ids.append(saved.id)
        return saved.id

    def _resolve(self, conflict: ConflictError) -> None:
        """Show both versions; fill the form with the merge the officer chose, to check and
        save again (now based on the other officer's version)."""
        from duibiao_tui.screens.conflict_dialog import THEIRS, ConflictDialog

        def chosen(choices: dict[str, str] | None) -> None:
            if choices is None:
                return
            values = asdict(conflict.merged)
            theirs = asdict(conflict.theirs)
            for field_name, side in choices.items():
                if side == THEIRS:
                    group = next((g for g in ITEM_FIELD_GROUPS if field_name in g), (field_name,))
                    values.update({n: theirs[n] for n in group})
            self.fill(ItemInput(**values))
            self.base, self.base_version = conflict.theirs, conflict.version
            self.notify("已合并双方的修改，请检查后按 Ctrl+S 保存", title="保存冲突")

        labels = {key: label for key, label, _ in ROWS}
        self.app.push_screen(ConflictDialog(conflict, labels), chosen)

    def fill(self, values: ItemInput) -> None:
        """Put ``values`` into the form's fields (after a merge)."""
        for key, _, kind in ROWS:
            if kind == "input" and hasattr(values, key):
                self.query_one(f"#f-{key}", Input).value = getattr(values, key) or ""
        self.query_one("#f-measures", TextArea).text = values.measures
        verdict = self.query_one("#f-verdict", Select)
        verdict.value = (
            values.verdict if values.verdict in {"领先", "持平", "落后"} else Select.NULL
        )

    def _retry_save(self) -> None:
        (self.action_save_next if self._saving_next else self.action_save)()

    def action_save(self) -> None:
        if self._row_done:
            return  # saved and closing: a retry or a second Ctrl+S must not add it again
        self._saving_next = False
        saved = self._save()
        if saved:
            self.notify("已保存本行")
            self._row_done = True
            self.dismiss(saved)

    def action_save_next(self) -> None:
        """Save, then start the next row with the same benchmark and aspect."""
        self._saving_next = True
        keep = self.current_input()
        saved_id = self._save()
        if saved_id is None:
            return
        stored = self.store.get_item(saved_id)  # a new benchmark name is in the library now
        self.item_id = None
        self.base = self.base_version = None
        self.initial = ItemInput(
            benchmark_id=stored.benchmark_id,
            benchmark_text=stored.benchmark_text,
            aspect=keep.aspect,
            aspect_other=keep.aspect_other,
            department=keep.department,
        )
        for key, _, kind in ROWS:
            if kind == "input" and key not in {
                "benchmark_text",
                "benchmark_address",
                "aspect",
                "aspect_other",
                "department",
            }:
                self.query_one(f"#f-{key}", Input).value = ""
        self.query_one("#f-measures", TextArea).text = ""
        self.query_one("#f-verdict", Select).value = Select.NULL
        self.query_one("#item-title", Label).update(
            f"{self.store.get_enterprise(self.enterprise_id).name}　·　新增对标项目（已连续保存 {len(self.saved_ids)} 行）"
        )
        linked = self._linked_benchmark()
        if linked is not None:
            self._show_benchmark(linked)
        self._opened = self._field_texts()
        self.query_one("#f-indicator", Input).focus()
        self.notify(f"已保存，继续录入下一行（第 {len(self.saved_ids)} 行已存）")

    def action_leave(self) -> None:
        if not self.has_typing:
            self._discard_and_close()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard_and_close()

        from duibiao_tui.screens.dialogs import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog("本行有未保存的内容，放弃？", confirm_label="放弃本行", danger=True),
            answered,
        )

    def _discard_and_close(self) -> None:
        self._row_done = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.draft_id:
            self.store.discard_draft(self.draft_id)
        self.dismiss(self.saved_ids[-1] if self.saved_ids else None)
