"""The review of a 情况表 as a state machine: which status may follow which, and what each
step needs.

The notice asks districts to collect the forms by a deadline and check them; a form that
falls short goes back to the enterprise and comes in again. Keeping the allowed steps as
data (``TRANSITIONS``) lets the store refuse a wrong step with a message, the screens offer
only the steps that are possible, and the tests walk every pair.

    未报送 → 已报送 → (审核中) → 已通过
                    ↘ 退回修改 → 已报送 …
    已通过 → 已修改 (automatically, when the form is edited) → reviewed again
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from duibiao_tui.domain.dates import parse_due_date
from duibiao_tui.domain.reference import REVIEW_STATUSES, ReviewStatus
from duibiao_tui.domain.text import clean
from duibiao_tui.errors import DuibiaoError, FieldError, ValidationFailed

__all__ = [
    "APPROVED",
    "CHANGED",
    "FIELD_COMMENT",
    "FIELD_RECEIVED",
    "IN_REVIEW",
    "NOT_SUBMITTED",
    "RETURNED",
    "SUBMITTED",
    "Receipt",
    "Transition",
    "TransitionRefused",
    "check_transition",
    "status_after_edit",
    "targets_from",
    "parse_receipt_date",
    "validate_receipt",
]

NOT_SUBMITTED = ReviewStatus.NOT_SUBMITTED
SUBMITTED = ReviewStatus.SUBMITTED
IN_REVIEW = ReviewStatus.IN_REVIEW
APPROVED = ReviewStatus.APPROVED
RETURNED = ReviewStatus.RETURNED
CHANGED = ReviewStatus.CHANGED

FIELD_COMMENT = "意见"
FIELD_RECEIVED = "收到日期"
FIELD_HANDED_IN_BY = "报送人"
COMMENT_MAX = 1000


class TransitionRefused(DuibiaoError):
    """A status step the review does not allow (e.g. approving a form never handed in)."""

    title = "不能改为该状态"


@dataclass(frozen=True)
class Transition:
    source: ReviewStatus
    target: ReviewStatus
    label: str
    """What the step is called on a button or in the palette."""
    needs_comment: bool = False
    records_receipt: bool = False
    """The step is a hand-in: it records the date received, by whom, which copies."""


TRANSITIONS: tuple[Transition, ...] = (
    Transition(NOT_SUBMITTED, SUBMITTED, "登记报送", records_receipt=True),
    Transition(SUBMITTED, IN_REVIEW, "开始审核"),
    Transition(SUBMITTED, APPROVED, "审核通过"),
    Transition(SUBMITTED, RETURNED, "退回修改", needs_comment=True),
    Transition(SUBMITTED, NOT_SUBMITTED, "撤销报送登记", needs_comment=True),
    Transition(IN_REVIEW, APPROVED, "审核通过"),
    Transition(IN_REVIEW, RETURNED, "退回修改", needs_comment=True),
    Transition(RETURNED, SUBMITTED, "重新报送", records_receipt=True),
    Transition(APPROVED, RETURNED, "撤销通过并退回", needs_comment=True),
    Transition(CHANGED, IN_REVIEW, "开始审核"),
    Transition(CHANGED, APPROVED, "审核通过"),
    Transition(CHANGED, RETURNED, "退回修改", needs_comment=True),
)
"""Every step an officer may take. 已通过 → 已修改 is not here: only an edit makes it."""

AUTOMATIC = Transition(APPROVED, CHANGED, "审核通过后修改")


def targets_from(status: ReviewStatus) -> list[Transition]:
    """The steps an officer can take from ``status``, in the order they are offered."""
    return [t for t in TRANSITIONS if t.source == status]


def check_transition(source: ReviewStatus, target: ReviewStatus, comment: str = "") -> Transition:
    """The allowed step ``source`` → ``target``; refused with a reason otherwise.

    A comment is required where the enterprise or a colleague needs to know why
    (退回修改 above all: the enterprise must know what to fix).
    """
    if source not in REVIEW_STATUSES or target not in REVIEW_STATUSES:
        raise TransitionRefused(
            f"未知的状态：{source if source not in REVIEW_STATUSES else target}"
        )
    if source == target:
        raise TransitionRefused(f"状态已是「{target}」")
    for step in TRANSITIONS:
        if step.source == source and step.target == target:
            if step.needs_comment and not clean(comment):
                raise ValidationFailed(
                    [FieldError(FIELD_COMMENT, f"「{step.label}」须填写意见，说明原因或要修改什么")]
                )
            if len(comment) > COMMENT_MAX:
                raise ValidationFailed(
                    [FieldError(FIELD_COMMENT, f"最多 {COMMENT_MAX} 字，现为 {len(comment)} 字")]
                )
            return step
    if target == CHANGED:
        raise TransitionRefused("「已修改」由修改已通过的情况表自动产生，不能手工设置")
    allowed = "、".join(t.target for t in targets_from(source)) or "无"
    raise TransitionRefused(f"「{source}」不能直接改为「{target}」；可改为：{allowed}")


def status_after_edit(status: ReviewStatus) -> ReviewStatus | None:
    """The status a form takes when its rows are edited: an approved form must be looked
    at again (已修改); every other status stays as it is (None)."""
    return CHANGED if status == APPROVED else None


@dataclass(frozen=True)
class Receipt:
    """How a form came in: the notice asks for two copies, one to the city's 质量处 and
    one to the district's 质量科; officers record which ones arrived."""

    received_date: date
    handed_in_by: str = ""
    copy_city: bool = False
    copy_district: bool = False


RECEIPT_EXAMPLES = "2009-10-18、2009年10月18日 或 10月18日"
_DAY_OF_YEAR = re.compile(r"(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*[日号]?")


def parse_receipt_date(text: str, today: date | None = None) -> date | None:
    """The day a form came in: a full date, or a day without its year (``10月22日``, as
    officers write it on the envelope) — the year is this year's, or last year's when the
    day has not come yet this year. None when blank; FieldError naming 收到日期 otherwise."""
    typed = clean(unicodedata.normalize("NFKC", text or ""))
    if not typed:
        return None
    if today is not None and (m := _DAY_OF_YEAR.fullmatch(typed)):
        month, day = int(m[1]), int(m[2])
        for year in (today.year, today.year - 1):
            try:
                found = date(year, month, day)
            except ValueError:
                raise FieldError(
                    FIELD_RECEIVED, f"没有 {month}月{day}日 这一天，请写成 {RECEIPT_EXAMPLES}"
                ) from None
            if found <= today:
                return found
    try:
        return parse_due_date(typed, FIELD_RECEIVED)
    except FieldError:
        raise FieldError(
            FIELD_RECEIVED, f"「{typed[:20]}」不是日期，请写成 {RECEIPT_EXAMPLES}"
        ) from None


def validate_receipt(
    received: str,
    handed_in_by: str = "",
    *,
    copy_city: bool,
    copy_district: bool,
    today: date | None = None,
) -> Receipt:
    """A hand-in as typed: the date is required (``parse_receipt_date``)."""
    errors: list[FieldError] = []
    received_date: date | None = None
    try:
        received_date = parse_receipt_date(received, today)
    except FieldError as error:
        errors.append(error)
    else:
        if received_date is None:
            errors.append(FieldError(FIELD_RECEIVED, f"必填，例如 {RECEIPT_EXAMPLES}"))
    who = clean(handed_in_by)
    if len(who) > 50:
        errors.append(FieldError(FIELD_HANDED_IN_BY, f"最多 50 字，现为 {len(who)} 字"))
    if errors:
        raise ValidationFailed(errors)
    assert received_date is not None
    return Receipt(received_date, who, copy_city, copy_district)


@dataclass(frozen=True)
class Submission:
    """Where one enterprise's form stands in one campaign (未报送 when nothing happened)."""

    enterprise_id: str
    campaign_id: str
    status: ReviewStatus = NOT_SUBMITTED
    received_date: str | None = None
    handed_in_by: str = ""
    copy_city: bool = False
    copy_district: bool = False
    reviewer: str = ""
    last_comment: str = ""
    id: str | None = None
    """None until the first step is recorded."""

    @property
    def copies(self) -> str:
        """Which of the notice's two copies arrived, in words."""
        got = [
            n for n, ok in (("市质量处", self.copy_city), ("区质量科", self.copy_district)) if ok
        ]
        return "、".join(got) if got else "未登记份数"


@dataclass(frozen=True)
class ReviewEvent:
    """One step in a form's history: who, when, from → to, why."""

    at: str
    officer: str
    source: str
    target: str
    comment: str


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review desk: an enterprise with its form's status and counts."""

    enterprise_id: str
    name: str
    district_name: str
    status: ReviewStatus
    received_date: str
    reviewer: str
    last_comment: str
    items: int
    flagged: int
    overdue: int


@dataclass(frozen=True)
class ReviewQuery:
    text: str = ""
    district_id: str | None = None
    status: ReviewStatus | None = None
    campaign_id: str | None = None
