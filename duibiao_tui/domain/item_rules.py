"""The rules one row of the 情况表 must meet, as data: every problem at once, per field.

A row is one comparison: against which benchmark enterprise, on which of the notice's
aspects, which indicator, how the enterprise stands and what it will do by when. The form,
the importers and the store all pass rows through ``validate_item`` so no path stores an
aspect outside the notice's list, a verdict the database's CHECK would refuse, or a
完成时间 that reminders cannot sort.

Only 项目 and 指标内容 are required to save: officers fill the form on site as the
enterprise talks, and a half-filled row is better kept than lost. ``missing_for_visit``
says what is still open, so the officer can ask before leaving.
"""

from __future__ import annotations

from dataclasses import dataclass

from duibiao_tui.domain.dates import format_date, read_due
from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT, VERDICTS
from duibiao_tui.domain.text import clean, fold_width, safe_text
from duibiao_tui.errors import FieldError, ValidationFailed

__all__ = [
    "FIELD_ASPECT",
    "FIELD_BENCHMARK",
    "FIELD_BENCHMARK_LEVEL",
    "FIELD_DEPARTMENT",
    "FIELD_DUE",
    "FIELD_INDICATOR",
    "FIELD_MEASURES",
    "FIELD_REMARKS",
    "FIELD_RESULT",
    "INDICATOR_MAX",
    "MEASURES_MAX",
    "MEASURES_PRINT_MAX",
    "TEXT_MAX",
    "CleanItem",
    "ItemInput",
    "clean_multiline",
    "item_warnings",
    "missing_for_visit",
    "validate_item",
]

# Field names as the form's column headings, so messages and ``by_field`` keys match the UI.
FIELD_BENCHMARK = "标杆企业"
FIELD_ASPECT = "项目"
FIELD_INDICATOR = "指标内容"
FIELD_BENCHMARK_LEVEL = "标杆水平"
FIELD_RESULT = "对比结果"
FIELD_MEASURES = "提升计划和措施"
FIELD_DEPARTMENT = "落实部门"
FIELD_DUE = "完成时间"
FIELD_REMARKS = "备注"

INDICATOR_MAX = 200
MEASURES_MAX = 32_767
"""A 3–5 year improvement plan needs room: as much as one Excel cell holds, never cut. The
other cells of the paper form are short."""
MEASURES_PRINT_MAX = 1_000
"""Above this many characters a plan no longer prints whole in the form's cell (Excel shows
about 1,024 characters of a cell and a row is at most 409 points high): a warning, not a
refusal."""
TEXT_MAX = 200


@dataclass
class ItemInput:
    """What an officer typed (or a file held) for one row, before any rule has looked at it."""

    benchmark_id: str | None = None
    """Id of a benchmark_enterprise row, when the benchmark was picked from the list."""
    benchmark_text: str = ""
    """标杆(优秀)企业/地址 as written on the form."""
    aspect: str = ""
    aspect_other: str = ""
    """The officer's own name for the aspect when 项目 is 其他."""
    indicator: str = ""
    benchmark_level: str = ""
    """Free text; BENCHMARK_LEVELS are suggestions, not a closed list."""
    result_text: str = ""
    """对比结果 in the enterprise's words (e.g. "合格率低 1.2 个百分点")."""
    verdict: str = ""
    """领先 / 持平 / 落后, or blank."""
    measures: str = ""
    department: str = ""
    due_text: str = ""
    remarks: str = ""


@dataclass(frozen=True)
class CleanItem:
    """Column values of benchmark_item ready to store."""

    benchmark_id: str | None
    benchmark_text: str
    aspect: str
    """One of ASPECTS or OTHER_ASPECT."""
    aspect_other: str
    """Non-empty exactly when ``aspect`` is OTHER_ASPECT."""
    indicator: str
    benchmark_level: str
    result_text: str
    verdict: str | None
    measures: str
    """Multi-line: line breaks kept, trailing spaces of each line dropped."""
    department: str
    due_date: str | None
    """ISO date (YYYY-MM-DD), the last day of the period ``due_text`` names."""
    due_text: str
    remarks: str


def clean_multiline(text: str | None) -> str:
    """Keep the officer's line structure (numbered steps of a plan) but no invisible tails.

    Every line ending (``\\r\\n`` from Windows pastes, U+2028 from web pages) becomes
    ``\\n``, trailing spaces go from every line, and blank lines at the start and end are
    dropped; indentation and blank lines between steps stay.
    """
    if not text:
        return ""
    return "\n".join(line.rstrip() for line in safe_text(text).splitlines()).strip("\n")


def _canonical(value: str, choices: tuple[str, ...]) -> str | None:
    """The choice ``value`` means, tolerating IME width and stray spaces inside it."""
    key = "".join(fold_width(value).split())
    return next((choice for choice in choices if choice == key), None)


def validate_item(data: ItemInput) -> CleanItem:
    """Check and normalise one row; raise ``ValidationFailed`` listing every field error."""
    errors: list[FieldError] = []

    def limited(field: str, value: str, limit: int) -> str:
        if len(value) > limit:
            errors.append(FieldError(field, f"最多 {limit} 个字，现为 {len(value)} 个"))
        return value

    benchmark_id = (data.benchmark_id or "").strip() or None
    benchmark_text = limited(FIELD_BENCHMARK, clean(data.benchmark_text), TEXT_MAX)

    aspect_typed = clean(data.aspect)
    aspect = _canonical(aspect_typed, (*ASPECTS, OTHER_ASPECT))
    aspect_other = ""
    if not aspect_typed:
        errors.append(
            FieldError(FIELD_ASPECT, "必填，请从 12 个对标项目中选择，或选「其他」并写明")
        )
    elif aspect is None:
        shown = aspect_typed if len(aspect_typed) <= 20 else aspect_typed[:20] + "…"
        errors.append(
            FieldError(
                FIELD_ASPECT,
                f"「{shown}」不是通知列出的对标项目，请从列表中选择，或选「其他」并写明项目名称",
            )
        )
    elif aspect == OTHER_ASPECT:
        aspect_other = clean(data.aspect_other)
        if not aspect_other:
            errors.append(FieldError(FIELD_ASPECT, "选择「其他」时请写明项目名称"))
        else:
            limited(FIELD_ASPECT, aspect_other, TEXT_MAX)
    # With one of the twelve aspects chosen, text left in the 其他 box is stale: dropped.

    indicator = limited(FIELD_INDICATOR, clean(data.indicator), INDICATOR_MAX)
    if not indicator:
        errors.append(FieldError(FIELD_INDICATOR, "必填，请写明对比的指标，如 产品一次交验合格率"))

    benchmark_level = limited(FIELD_BENCHMARK_LEVEL, clean(data.benchmark_level), TEXT_MAX)
    result_text = limited(FIELD_RESULT, clean(data.result_text), TEXT_MAX)

    verdict_typed = clean(data.verdict)
    verdict = _canonical(verdict_typed, VERDICTS) if verdict_typed else None
    if verdict_typed and verdict is None:
        errors.append(FieldError(FIELD_RESULT, "结论应为 领先、持平 或 落后，也可留空"))

    measures = limited(FIELD_MEASURES, clean_multiline(data.measures), MEASURES_MAX)
    department = limited(FIELD_DEPARTMENT, clean(data.department), TEXT_MAX)

    due_text = clean(data.due_text)
    due_date: str | None = None
    try:  # free text (长期, 每季度) is kept with no date; only an impossible date is refused
        due_date = format_date(read_due(due_text, FIELD_DUE).date) or None
    except FieldError as error:
        errors.append(error)

    remarks = limited(FIELD_REMARKS, clean(data.remarks), TEXT_MAX)

    if errors:
        raise ValidationFailed(errors)
    assert aspect is not None  # every path that leaves it None recorded an error
    return CleanItem(
        benchmark_id=benchmark_id,
        benchmark_text=benchmark_text,
        aspect=aspect,
        aspect_other=aspect_other,
        indicator=indicator,
        benchmark_level=benchmark_level,
        result_text=result_text,
        verdict=verdict,
        measures=measures,
        department=department,
        due_date=due_date,
        due_text=due_text,
        remarks=remarks,
    )


def item_warnings(item: CleanItem) -> list[str]:
    """What is stored as written but deserves a word: a 完成时间 that names no date (kept,
    未定 in follow-up), a plan too long to print whole."""
    out: list[str] = []
    if item.due_text and item.due_date is None:
        out.append(f"{FIELD_DUE}{read_due(item.due_text).note}")
    if len(item.measures) > MEASURES_PRINT_MAX:
        out.append(
            f"{FIELD_MEASURES}共 {len(item.measures)} 字，已完整保存；超过 {MEASURES_PRINT_MAX} 字"
            "打印情况表时单元格可能显示不全"
        )
    return out


def missing_for_visit(item: CleanItem) -> list[str]:
    """Form fields still open that the officer should ask about before leaving the site.

    In the form's column order, as Chinese field names, for marking incomplete rows. A
    benchmark counts when picked from the list or written out; 对比结果 counts when either
    the words or the verdict are given.
    """
    missing: list[str] = []
    if not item.benchmark_id and not item.benchmark_text:
        missing.append(FIELD_BENCHMARK)
    if not item.benchmark_level:
        missing.append(FIELD_BENCHMARK_LEVEL)
    if not item.result_text and item.verdict is None:
        missing.append(FIELD_RESULT)
    if not item.measures:
        missing.append(FIELD_MEASURES)
    if not item.department:
        missing.append(FIELD_DEPARTMENT)
    if item.due_date is None:
        missing.append(FIELD_DUE)
    return missing
