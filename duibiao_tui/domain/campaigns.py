"""Campaigns: the 2009 one is seeded; next years' are created by the officer.

A campaign is a notice with a 文号 and a deadline by which the forms are handed in; every
form row and status belongs to one, so a new year starts with empty forms and this year's
open measures can be carried into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from duibiao_tui.errors import FieldError, ValidationFailed

__all__ = ["CampaignInput", "CleanCampaign", "days_left", "deadline_words", "validate_campaign"]


@dataclass(frozen=True)
class CampaignInput:
    name: str
    doc_number: str = ""
    deadline: str = ""
    issuer: str = ""
    recipients: str = ""


@dataclass(frozen=True)
class CleanCampaign:
    name: str
    doc_number: str
    deadline: str
    year: int
    issuer: str
    recipients: str


def validate_campaign(data: CampaignInput) -> CleanCampaign:
    """Name and deadline are required; the year is the deadline's."""
    from duibiao_tui.domain.dates import parse_due_date  # not needed by the headline
    from duibiao_tui.domain.text import clean

    errors: list[FieldError] = []
    name = clean(data.name)
    if not name:
        errors.append(FieldError("活动名称", "必填，例如 2010年质量标杆对比活动"))
    elif len(name) > 100:
        errors.append(FieldError("活动名称", f"最多 100 字，现为 {len(name)} 字"))
    deadline: date | None = None
    try:
        deadline = parse_due_date(data.deadline, "报送截止日期")
    except FieldError as error:
        errors.append(error)
    else:
        if deadline is None:
            errors.append(FieldError("报送截止日期", "必填，例如 2010-10-20"))
    if errors:
        raise ValidationFailed(errors)
    assert deadline is not None
    return CleanCampaign(
        name,
        clean(data.doc_number),
        deadline.isoformat(),
        deadline.year,
        clean(data.issuer),
        clean(data.recipients),
    )


def days_left(deadline: str | None, today: date) -> int | None:
    """Days until the deadline (negative once it has passed); None without one."""
    return None if not deadline else (date.fromisoformat(deadline) - today).days


def deadline_words(deadline: str | None, today: date) -> str:
    days = days_left(deadline, today)
    if days is None:
        return "未定报送截止日期"
    if days > 0:
        return f"距报送截止（{deadline}）还有 {days} 天"
    if days == 0:
        return f"今天（{deadline}）报送截止"
    return f"报送已截止 {-days} 天（{deadline}）"
