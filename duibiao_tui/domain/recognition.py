"""Recognition of good benchmarking: 推介 of a case, 推荐申报 of the provincial award.

The notice asks districts to publicise good cases (简报, 座谈, 现场会) and to recommend the
best enterprises for the 江苏省质量奖, assessed against 卓越绩效评价准则 (GB/T 19580). A
recommendation may carry a self-assessment: points per category, stored with the edition
of the standard, because the 2004 and 2012 editions weigh the categories differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duibiao_tui.domain.dates import format_date, parse_due_date
from duibiao_tui.domain.reference import (
    PROMOTION_METHODS,
    RECOGNITION_KINDS,
    PromotionMethod,
    RecognitionKind,
)
from duibiao_tui.domain.text import clean, fold_width
from duibiao_tui.errors import FieldError, ValidationFailed

__all__ = [
    "EDITIONS",
    "PROMOTION",
    "RECOMMENDATION",
    "Category",
    "CleanRecognition",
    "Recognition",
    "RecognitionInput",
    "validate_recognition",
]

PROMOTION = RecognitionKind.PROMOTION
RECOMMENDATION = RecognitionKind.RECOMMENDATION
NOTE_MAX = 500


@dataclass(frozen=True)
class Category:
    clause: str
    name: str
    max_points: int


EDITIONS: dict[str, tuple[Category, ...]] = {
    "GB/T 19580-2004": (
        Category("4.1", "领导", 100),
        Category("4.2", "战略", 80),
        Category("4.3", "顾客与市场", 90),
        Category("4.4", "资源", 120),
        Category("4.5", "过程管理", 110),
        Category("4.6", "测量、分析与改进", 100),
        Category("4.7", "经营结果", 400),
    ),
    "GB/T 19580-2012": (
        Category("4.1", "领导", 110),
        Category("4.2", "战略", 90),
        Category("4.3", "顾客与市场", 90),
        Category("4.4", "资源", 130),
        Category("4.5", "过程管理", 100),
        Category("4.6", "测量、分析与改进", 80),
        Category("4.7", "结果", 400),
    ),
}
"""The seven categories and their points (1000 in all) per edition; 2004 applied in 2009."""
DEFAULT_EDITION = "GB/T 19580-2004"


@dataclass(frozen=True)
class RecognitionInput:
    """A recognition as typed in the dialog (strings, as the inputs hold them)."""

    kind: str
    method: str = ""
    event_date: str = ""
    award_year: str = ""
    outcome: str = ""
    note: str = ""
    edition: str = ""
    scores: dict[str, str] = field(default_factory=dict)
    """Points typed per clause (4.1 … 4.7); blank clauses are not stored."""


@dataclass(frozen=True)
class CleanRecognition:
    kind: RecognitionKind
    method: PromotionMethod | None
    event_date: str | None
    award_year: int | None
    outcome: str
    note: str
    edition: str | None
    scores: dict[str, float]


@dataclass(frozen=True)
class Recognition:
    """A stored recognition with its self-assessment (clause → points)."""

    id: str
    enterprise_id: str
    campaign_id: str | None
    kind: RecognitionKind
    method: PromotionMethod | None
    event_date: str | None
    award_year: int | None
    outcome: str
    note: str
    edition: str | None
    scores: dict[str, float]
    updated_at: str
    updated_by: str

    @property
    def total(self) -> float | None:
        return sum(self.scores.values()) if self.scores else None

    @property
    def summary(self) -> str:
        if self.kind == PROMOTION:
            return "　".join(x for x in (self.method or "", self.event_date or "", self.note) if x)
        total = f"自评 {self.total:g} 分" if self.total is not None else ""
        year = f"{self.award_year}年" if self.award_year else ""
        return "　".join(x for x in (year, self.outcome, total, self.note) if x)


def _points(text: str, category: Category) -> float | None:
    raw = fold_width(text).strip()
    if not raw:
        return None
    label = f"{category.clause} {category.name}"
    try:
        value = float(raw)
    except ValueError:
        raise FieldError(label, f"应为 0–{category.max_points} 的分数") from None
    if not 0 <= value <= category.max_points:
        raise FieldError(label, f"应在 0–{category.max_points} 之间，现为 {raw}")
    return value


def validate_recognition(data: RecognitionInput) -> CleanRecognition:
    """Every problem at once, per field, like the other forms."""
    errors: list[FieldError] = []
    if data.kind not in RECOGNITION_KINDS:
        errors.append(FieldError("类别", f"应为 {'、'.join(RECOGNITION_KINDS)} 之一"))
    method = clean(data.method) or None
    if data.kind == PROMOTION and method not in PROMOTION_METHODS:
        errors.append(FieldError("推介方式", f"应为 {'、'.join(PROMOTION_METHODS)} 之一"))
    event_date: str | None = None
    try:
        event_date = format_date(parse_due_date(data.event_date, "日期")) or None
    except FieldError as error:
        errors.append(error)
    award_year: int | None = None
    year_text = fold_width(data.award_year).strip().removesuffix("年")
    if year_text:
        if year_text.isascii() and year_text.isdigit() and 2000 <= int(year_text) <= 2100:
            award_year = int(year_text)
        else:
            errors.append(FieldError("申报年度", "应为四位年份，例如 2010"))
    elif data.kind == RECOMMENDATION:
        errors.append(FieldError("申报年度", "必填，例如 2010"))
    note = clean(data.note)
    if len(note) > NOTE_MAX:
        errors.append(FieldError("说明", f"最多 {NOTE_MAX} 字，现为 {len(note)} 字"))
    scores: dict[str, float] = {}
    edition = data.edition or None
    if any(v.strip() for v in data.scores.values()):
        if edition not in EDITIONS:
            errors.append(FieldError("评价准则版本", f"应为 {'、'.join(EDITIONS)} 之一"))
        else:
            for category in EDITIONS[edition]:
                try:
                    points = _points(data.scores.get(category.clause, ""), category)
                except FieldError as error:
                    errors.append(error)
                else:
                    if points is not None:
                        scores[category.clause] = points
    else:
        edition = None
    if errors:
        raise ValidationFailed(errors)
    return CleanRecognition(
        kind=RecognitionKind(data.kind),
        method=PromotionMethod(method) if data.kind == PROMOTION and method else None,
        event_date=event_date,
        award_year=award_year if data.kind == RECOMMENDATION else None,
        outcome=clean(data.outcome) if data.kind == RECOMMENDATION else "",
        note=note,
        edition=edition,
        scores=scores,
    )
