"""An enterprise's recognitions: 推介 of a good case and 推荐申报 of the provincial award.

The list dialog (``r`` on the enterprise page) adds, edits and deletes them; the edit dialog
shows the fields of the kind chosen, and for a recommendation an optional self-assessment
against the seven categories of 卓越绩效评价准则 with the category's maximum beside each
input and the total kept up to date as points are typed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from duibiao_tui.domain.recognition import (
    DEFAULT_EDITION,
    EDITIONS,
    PROMOTION,
    RECOMMENDATION,
    Recognition,
    RecognitionInput,
)
from duibiao_tui.domain.reference import PROMOTION_METHODS, RECOGNITION_KINDS
from duibiao_tui.domain.text import fold_width
from duibiao_tui.errors import DuibiaoError, ValidationFailed
from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

CLAUSES = tuple(c.clause for c in EDITIONS[DEFAULT_EDITION])
"""4.1 … 4.7: the same seven clauses in every edition (their names and points differ)."""


def score_key(clause: str) -> str:
    """Widget key of a clause's input: '4.1' → 's41' (ids cannot hold dots)."""
    return "s" + clause.replace(".", "")


def score_fields() -> dict[str, str]:
    """'4.1 领导' (as the validator names it, in any edition) → widget key."""
    return {
        f"{c.clause} {c.name}": score_key(c.clause)
        for categories in EDITIONS.values()
        for c in categories
    }


def points_of(text: str) -> float | None:
    """The number typed, or None while it is blank or not a number yet."""
    try:
        return float(fold_width(text).strip())
    except ValueError:
        return None


def short_time(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


class RecognitionEditDialog(DraftKeeping, FieldErrors, DuibiaoModal[str | None]):
    """Add or edit one recognition; returns its id, or None when cancelled."""

    CSS_PATH = "review.tcss"
    FIELD_KEYS = {
        "类别": "kind",
        "推介方式": "method",
        "日期": "event_date",
        "申报年度": "award_year",
        "说明": "note",
        "评价准则版本": "edition",
        **score_fields(),
    }
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="recognition-save"),
        Binding("escape", "cancel", "取消", id="recognition-cancel"),
    ]

    def __init__(
        self, enterprise_id: str, recognition: Recognition | None = None, kind: str = PROMOTION
    ) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.recognition = recognition
        self.kind = recognition.kind if recognition else kind

    DRAFT_KIND = "recognition"

    @property
    def draft_key(self) -> str:
        return f"{self.enterprise_id}:{self.recognition.id if self.recognition else 'new'}"

    def _row(
        self, key: str, label: str, widget: Input | Select[str], *, suffix: bool = False
    ) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{key}"):
            yield Label(label, classes="form-label", id=f"label-{key}")
            with Vertical(classes="form-cell"):
                yield widget
                yield Label("", id=f"err-{key}", classes="field-error")
            if suffix:
                yield Label("", classes="form-suffix", id=f"max-{key}")

    def compose(self) -> ComposeResult:
        r = self.recognition
        edition = (r.edition if r else None) or DEFAULT_EDITION
        name = self.store.get_enterprise(self.enterprise_id).name
        with Vertical(id="recognition-box", classes="dialog"):
            yield Label(f"{'修改' if r else '新增'}推介/推荐申报：{name}", classes="dialog-title")
            with VerticalScroll(id="recognition-fields", can_focus=False):
                yield from self._row(
                    "kind",
                    "类别",
                    Select(
                        [(k, k) for k in RECOGNITION_KINDS],
                        value=self.kind,
                        allow_blank=False,
                        id="f-kind",
                        compact=True,
                    ),
                )
                with Vertical(id="promotion-fields"):
                    yield from self._row(
                        "method",
                        "推介方式*",
                        Select(
                            [(m, m) for m in PROMOTION_METHODS],
                            value=(r.method if r and r.method else Select.NULL),
                            prompt="（请选择）",
                            id="f-method",
                            compact=True,
                        ),
                    )
                    yield from self._row(
                        "event_date",
                        "日期",
                        TextInput(
                            (r.event_date or "") if r else "",
                            placeholder="如 2009-11-05",
                            id="f-event_date",
                            compact=True,
                        ),
                    )
                with Vertical(id="recommendation-fields"):
                    yield from self._row(
                        "award_year",
                        "申报年度*",
                        TextInput(
                            str(r.award_year) if r and r.award_year else "",
                            placeholder="如 2010",
                            id="f-award_year",
                            compact=True,
                        ),
                    )
                    yield from self._row(
                        "outcome",
                        "结果",
                        TextInput(
                            r.outcome if r else "",
                            placeholder="如 已推荐、获奖、未获奖",
                            id="f-outcome",
                            compact=True,
                        ),
                    )
                yield from self._row(
                    "note",
                    "说明",
                    TextInput(r.note if r else "", id="f-note", compact=True, max_length=500),
                )
                with Vertical(id="assessment-fields"):
                    yield Label("自评（可不填）：按卓越绩效评价准则各类目打分", classes="dim")
                    yield from self._row(
                        "edition",
                        "准则版本",
                        Select(
                            [(e, e) for e in EDITIONS],
                            value=edition,
                            allow_blank=False,
                            id="f-edition",
                            compact=True,
                        ),
                    )
                    for clause in CLAUSES:
                        points = r.scores.get(clause) if r else None
                        yield from self._row(
                            score_key(clause),
                            clause,
                            TextInput(
                                f"{points:g}" if points is not None else "",
                                id=f"f-{score_key(clause)}",
                                compact=True,
                                classes="score",
                            ),
                            suffix=True,
                        )
                    yield Label("", id="score-total")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "保存 (Ctrl+S)", id="recognition-save", variant="primary", compact=True
                )
                yield Button("取消 (Esc)", id="recognition-cancel", compact=True)

    def on_mount(self) -> None:
        self.show_kind()
        self.show_edition()
        # n and m already said which kind: start on its first field, so a year typed at
        # once lands in 申报年度 instead of on the 类别 drop-down, which ignores typing
        first = "#f-method" if self._select_value("#f-kind") == PROMOTION else "#f-award_year"
        self.query_one(first).focus()

    def _select_value(self, selector: str) -> str:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else ""

    @on(Select.Changed, "#f-kind")
    def show_kind(self) -> None:
        self.kind = self._select_value("#f-kind") or PROMOTION
        promotion = self.kind == PROMOTION
        self.query_one("#promotion-fields").display = promotion
        self.query_one("#recommendation-fields").display = not promotion
        self.query_one("#assessment-fields").display = not promotion

    @on(Select.Changed, "#f-edition")
    def show_edition(self) -> None:
        """Each category's name and maximum beside its input, for the edition chosen."""
        edition = self._select_value("#f-edition") or DEFAULT_EDITION
        for category in EDITIONS[edition]:
            key = score_key(category.clause)
            self.query_one(f"#label-{key}", Label).update(f"{category.clause} {category.name}")
            self.query_one(f"#max-{key}", Label).update(f"满分 {category.max_points}")
            self.query_one(f"#f-{key}", Input).placeholder = f"0–{category.max_points}"
        self.show_total()

    @on(Input.Changed, ".score")
    def show_total(self) -> None:
        edition = self._select_value("#f-edition") or DEFAULT_EDITION
        most = sum(c.max_points for c in EDITIONS[edition])
        values = [points_of(self.query_one(f"#f-{score_key(c)}", Input).value) for c in CLAUSES]
        given = [v for v in values if v is not None]
        total = self.query_one("#score-total", Label)
        if given:
            total.update(f"自评合计 {sum(given):g} 分（满分 {most}，已填 {len(given)}/7 类）")
        else:
            total.update(f"自评合计 —（满分 {most}）")

    def values(self) -> RecognitionInput:
        def text(key: str) -> str:
            return self.query_one(f"#f-{key}", Input).value

        if self.kind == PROMOTION:
            return RecognitionInput(
                kind=PROMOTION,
                method=self._select_value("#f-method"),
                event_date=text("event_date"),
                note=text("note"),
            )
        return RecognitionInput(
            kind=RECOMMENDATION,
            award_year=text("award_year"),
            outcome=text("outcome"),
            note=text("note"),
            edition=self._select_value("#f-edition"),
            scores={c: text(score_key(c)) for c in CLAUSES},
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#recognition-save")
    def action_save(self) -> None:
        self.clear_errors()
        try:
            if self.recognition:
                saved = self.store.update_recognition(self.recognition.id, self.values())
            else:
                saved = self.store.add_recognition(self.enterprise_id, self.values())
        except ValidationFailed as failure:
            self.show_failure(failure)
            return
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.dismiss(saved.id)

    @on(Button.Pressed, "#recognition-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class RecognitionDialog(DuibiaoModal[None]):
    """The enterprise's 推介 and 推荐申报: n adds, Enter/e edits, d deletes, u undoes."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#recognition-table"
    BINDINGS = [
        Binding("n", "add(True)", "新增推介", id="recognition-add"),
        Binding("m", "add(False)", "新增推荐申报", id="recognition-add-award"),
        Binding("e", "edit", "修改", id="recognition-edit"),
        Binding("delete,d", "remove", "删除", id="recognition-remove"),
        Binding("u", "undo", "撤销", id="recognition-undo"),
        Binding("escape,q", "close", "关闭", id="recognition-close"),
    ]

    def __init__(self, enterprise_id: str) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.recognitions: list[Recognition] = []
        self.removed: list[str] = []

    def compose(self) -> ComposeResult:
        name = self.store.get_enterprise(self.enterprise_id).name
        table = VirtualTable(
            [
                Column("kind", "类别", 8),
                Column("summary", "内容"),
                Column("updated", "最近修改", 24),
            ],
            id="recognition-table",
        )
        table.placeholder = "（还没有记录：n 新增推介，m 新增推荐申报）"
        with Vertical(id="recognitions-box", classes="dialog"):
            yield Label(f"推介与推荐申报：{name}", classes="dialog-title")
            yield table
            yield Label(
                "n 新增推介　m 新增推荐申报　Enter/e 修改　d 删除　u 撤销　Esc 关闭",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.reload()

    def reload(self, *, keep: str | None = None) -> None:
        table = self.query_one(VirtualTable)
        keep = keep or table.cursor_key
        self.recognitions = self.store.recognitions_for(self.enterprise_id)
        table.set_rows(
            [r.id for r in self.recognitions],
            [
                (r.kind, r.summary, f"{short_time(r.updated_at)} {r.updated_by}")
                for r in self.recognitions
            ],
        )
        if keep:
            table.move_cursor_to_key(keep)

    def _current(self) -> Recognition | None:
        key = self.query_one(VirtualTable).cursor_key
        return next((r for r in self.recognitions if r.id == key), None)

    def action_add(self, promotion: bool) -> None:
        kind = PROMOTION if promotion else RECOMMENDATION
        self.app.push_screen(RecognitionEditDialog(self.enterprise_id, kind=kind), self._saved)

    @on(VirtualTable.RowSelected, "#recognition-table")
    def action_edit(self) -> None:
        current = self._current()
        if current:
            self.app.push_screen(RecognitionEditDialog(self.enterprise_id, current), self._saved)

    def _saved(self, recognition_id: str | None) -> None:
        if recognition_id:
            self.reload(keep=recognition_id)
            self.notify("已保存", title="推介/推荐申报")

    def action_remove(self) -> None:
        current = self._current()
        if current is None:
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.remove_recognition(current.id)
            except DuibiaoError as error:
                self.show_error(error)
                return
            self.removed.append(current.id)
            self.reload()
            self.notify(f"已删除{current.kind}记录，按 u 撤销", title="已删除")

        self.app.push_screen(
            ConfirmDialog(
                f"删除这条{current.kind}记录（{current.summary or '无说明'}）？可按 u 撤销。",
                confirm_label="删除",
                danger=True,
            ),
            answered,
        )

    def action_undo(self) -> None:
        if not self.removed:
            self.notify("没有可撤销的删除")
            return
        recognition_id = self.removed.pop()
        try:
            self.store.restore_recognition(recognition_id)
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.reload(keep=recognition_id)
        self.notify("已恢复")

    def action_close(self) -> None:
        self.dismiss(None)
