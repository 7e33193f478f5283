"""Records of the 情况表 the store hands to screens: benchmark enterprises, rows, drafts.

Nothing here knows about SQLite or Textual. The rows are what the form shows, in the
form's terms (序号, 标杆(优秀)企业/地址, 项目 …), so screens and exports format them without
asking the store again. The benchmark library's own rules live here too, beside the row
rules of ``item_rules``, so an importer can check a library entry without a database.
"""

from __future__ import annotations

from dataclasses import dataclass

from duibiao_tui.domain.item_rules import CleanItem, ItemInput, missing_for_visit
from duibiao_tui.domain.reference import (
    BENCHMARK_LEVELS,
    OTHER_ASPECT,
    BenchmarkLevel,
    MeasureState,
    Verdict,
)
from duibiao_tui.domain.text import clean, fold_width, name_key
from duibiao_tui.errors import FieldError, ValidationFailed

__all__ = [
    "BENCHMARK_ADDRESS_MAX",
    "BENCHMARK_NAME_MAX",
    "BENCHMARK_NOTES_MAX",
    "FIELD_BENCHMARK_ADDRESS",
    "FIELD_BENCHMARK_LEVEL_CLASS",
    "FIELD_BENCHMARK_NAME",
    "FIELD_BENCHMARK_NOTES",
    "BenchmarkEnterprise",
    "BenchmarkItem",
    "CleanBenchmark",
    "ItemDraft",
    "validate_benchmark",
]

# Field names of the library's edit form, so messages name what the officer sees.
FIELD_BENCHMARK_NAME = "标杆企业名称"
FIELD_BENCHMARK_ADDRESS = "地址"
FIELD_BENCHMARK_LEVEL_CLASS = "标杆类别"
FIELD_BENCHMARK_NOTES = "备注"

BENCHMARK_NAME_MAX = 100
BENCHMARK_ADDRESS_MAX = 200
BENCHMARK_NOTES_MAX = 500


@dataclass(frozen=True)
class BenchmarkEnterprise:
    """One entry of the shared library of 标杆(优秀)企业 that rows point at."""

    id: str
    name: str
    address: str
    level: BenchmarkLevel | None
    """国际先进 / 国内领先 / 行业标杆 / 地区优秀, or None when not classified."""
    notes: str
    merged_into_id: str | None
    """Set when this entry was merged into another: rows now point at that one."""
    item_count: int = 0
    """Live rows (all campaigns) that compare against this benchmark."""

    @property
    def label(self) -> str:
        """How pickers and lists show the entry: the address tells namesakes apart."""
        return f"{self.name}（{self.address}）" if self.address else self.name


@dataclass(frozen=True)
class BenchmarkItem:
    """One row of the 情况表 as stored, with the benchmark's current name and address."""

    id: str
    enterprise_id: str
    campaign_id: str
    seq: int
    """序号: 1..n over the live rows of one enterprise in one campaign."""
    benchmark_id: str | None
    benchmark_name: str
    """Name of the library entry ``benchmark_id`` points at ("" without one)."""
    benchmark_address: str
    benchmark_text: str
    """标杆(优秀)企业/地址 as written, for rows without a library entry (imports, old forms)."""
    aspect: str
    aspect_other: str
    indicator: str
    benchmark_level: str
    result_text: str
    verdict: Verdict | None
    measures: str
    department: str
    due_date: str | None
    due_text: str
    remarks: str
    version: int
    updated_at: str
    updated_by: str
    measure_state: MeasureState = MeasureState.NOT_STARTED
    done_date: str | None = None
    done_note: str = ""
    flagged: bool = False
    flag_comment: str = ""
    carried_over_from: str | None = None
    """The row of an earlier campaign this open measure was carried over from."""

    @property
    def aspect_label(self) -> str:
        """项目 as the form prints it: the officer's own name when 其他 was chosen."""
        if self.aspect == OTHER_ASPECT and self.aspect_other:
            return self.aspect_other
        return self.aspect

    @property
    def benchmark_label(self) -> str:
        """标杆(优秀)企业/地址 as the form's column shows it: name/address from the library,
        the text as written otherwise (the library entry may be renamed later; rows follow)."""
        if self.benchmark_id and self.benchmark_name:
            if self.benchmark_address:
                return f"{self.benchmark_name}/{self.benchmark_address}"
            return self.benchmark_name
        return self.benchmark_text

    @property
    def missing(self) -> tuple[str, ...]:
        """Fields the officer should still ask about on site (see ``missing_for_visit``)."""
        return tuple(missing_for_visit(self._clean()))

    def _clean(self) -> CleanItem:
        return CleanItem(
            benchmark_id=self.benchmark_id,
            benchmark_text=self.benchmark_text,
            aspect=self.aspect,
            aspect_other=self.aspect_other,
            indicator=self.indicator,
            benchmark_level=self.benchmark_level,
            result_text=self.result_text,
            verdict=self.verdict,
            measures=self.measures,
            department=self.department,
            due_date=self.due_date,
            due_text=self.due_text,
            remarks=self.remarks,
        )

    def to_input(self) -> ItemInput:
        """The values an edit form starts from.

        Exactly the stored values, so saving an untouched form changes nothing; 完成时间
        falls back to the ISO date for rows whose typed text was not kept (imports).
        """
        return ItemInput(
            benchmark_id=self.benchmark_id,
            benchmark_text=self.benchmark_text,
            aspect=self.aspect,
            aspect_other=self.aspect_other,
            indicator=self.indicator,
            benchmark_level=self.benchmark_level,
            result_text=self.result_text,
            verdict=self.verdict or "",
            measures=self.measures,
            department=self.department,
            due_text=self.due_text or self.due_date or "",
            remarks=self.remarks,
        )


@dataclass(frozen=True)
class ItemDraft:
    """An unsaved row kept so that nothing typed is lost; offered back when the form reopens."""

    id: str
    enterprise_id: str
    campaign_id: str
    item_id: str | None
    """The row being edited, or None for a new row."""
    values: ItemInput
    updated_at: str


@dataclass(frozen=True)
class CleanBenchmark:
    """Column values of benchmark_enterprise ready to store."""

    name: str
    name_key: str
    address: str
    level: BenchmarkLevel | None
    notes: str


def validate_benchmark(
    name: str, address: str = "", level: str | None = None, notes: str = ""
) -> CleanBenchmark:
    """Check and normalise a library entry; raise ``ValidationFailed`` listing every problem.

    Only the name is required: officers add a benchmark on the spot while filling a row and
    complete the address or class later in the library screen.
    """
    errors: list[FieldError] = []

    def limited(field: str, value: str, limit: int) -> str:
        if len(value) > limit:
            errors.append(FieldError(field, f"最多 {limit} 个字，现为 {len(value)} 个"))
        return value

    clean_name = limited(FIELD_BENCHMARK_NAME, clean(name), BENCHMARK_NAME_MAX)
    if not clean_name:
        errors.append(
            FieldError(FIELD_BENCHMARK_NAME, "必填，请写明标杆企业全称，如 正泰集团股份有限公司")
        )
    clean_address = limited(FIELD_BENCHMARK_ADDRESS, clean(address), BENCHMARK_ADDRESS_MAX)
    clean_notes = limited(FIELD_BENCHMARK_NOTES, clean(notes), BENCHMARK_NOTES_MAX)
    typed_level = "".join(fold_width(level or "").split())
    clean_level = BenchmarkLevel(typed_level) if typed_level in BENCHMARK_LEVELS else None
    if typed_level and clean_level is None:
        errors.append(
            FieldError(
                FIELD_BENCHMARK_LEVEL_CLASS, f"应为 {'、'.join(BENCHMARK_LEVELS)} 之一，也可留空"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return CleanBenchmark(
        name=clean_name,
        name_key=name_key(clean_name),
        address=clean_address,
        level=clean_level,
        notes=clean_notes,
    )
