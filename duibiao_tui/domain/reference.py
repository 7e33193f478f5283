"""Fixed reference data of the campaign: districts, the 2009 campaign, the twelve aspects.

Seed rows get UUIDs derived from their natural keys (uuid5), so every district database
seeded by any copy of duibiao-tui carries the same ids and merges without collisions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

SEED_NAMESPACE = uuid.UUID("5b0f6a52-3c1e-4f4e-9a57-2009173d1b0a")


def seed_id(kind: str, natural_key: str) -> str:
    """A stable UUID for a seeded row, the same in every database."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"{kind}:{natural_key}"))


@dataclass(frozen=True)
class DistrictSeed:
    code: str | None
    """GB/T 2260 code; None for a functional zone that has none."""
    name: str
    kind: str
    """市辖区 / 县级市 / 功能区."""
    stats_code: str | None = None
    """Code national statistics use for a zone (镇江新区: 321171); never a GB/T 2260 code."""
    history: str = ""


ZHENJIANG_DISTRICTS: tuple[DistrictSeed, ...] = (
    DistrictSeed("321102", "京口区", "市辖区", history="1984 年起（1983 年为城区）"),
    DistrictSeed("321111", "润州区", "市辖区", history="1984 年起（1983 年为郊区）"),
    DistrictSeed("321112", "丹徒区", "市辖区", history="2002 年起；此前为丹徒县 321121"),
    DistrictSeed("321181", "丹阳市", "县级市", history="1989 年起（丹阳县 321122）"),
    DistrictSeed("321182", "扬中市", "县级市", history="1994 年起（扬中县 321124）"),
    DistrictSeed("321183", "句容市", "县级市", history="1995 年起（句容县 321123）"),
    DistrictSeed(None, "镇江新区", "功能区", stats_code="321171", history="功能区，非行政区划"),
)


def district_seed_id(seed: DistrictSeed) -> str:
    return seed_id("district", seed.code or seed.name)


@dataclass(frozen=True)
class CampaignSeed:
    name: str
    doc_number: str
    issuer: str
    year: int
    deadline: str
    recipients: str


CAMPAIGN_2009 = CampaignSeed(
    name="2009年质量标杆对比活动",
    doc_number="镇质监质发[2009]173号",
    issuer="江苏省镇江质量技术监督局",
    year=2009,
    deadline="2009-10-20",
    recipients="一式两份，分别报镇江质监局质量处和所在地质监部门质量科",
)

CAMPAIGN_2009_ID = "4c2e343f-2648-575d-9629-05bfd3643fba"
"""``seed_id("campaign", CAMPAIGN_2009.doc_number)``, written out: computing it at import
would load hashlib into every start (tests/unit/test_closed_sets.py checks it)."""

ASPECTS: tuple[str, ...] = (
    "设备",
    "工艺",
    "产品设计",
    "产品品种",
    "档次",
    "性能",
    "可靠性",
    "标准水平",
    "计量检测手段",
    "生产过程的质量控制",
    "检验把关",
    "质量管理制度",
)
"""The twelve aspects of the notice, in its order and wording."""

OTHER_ASPECT = "其他"


class BenchmarkLevel(StrEnum):
    """级别 of a library entry (its CHECK in the schema); a StrEnum so mypy sees a misspelling."""

    INTERNATIONAL = "国际先进"
    NATIONAL = "国内领先"
    INDUSTRY = "行业标杆"
    REGIONAL = "地区优秀"


class Verdict(StrEnum):
    """对比结论 of a row: how the enterprise stands against its benchmark."""

    AHEAD = "领先"
    LEVEL = "持平"
    BEHIND = "落后"


class ReviewStatus(StrEnum):
    """Where a 情况表 stands in the review (domain/review.py has the steps between them)."""

    NOT_SUBMITTED = "未报送"
    SUBMITTED = "已报送"
    IN_REVIEW = "审核中"
    APPROVED = "已通过"
    RETURNED = "退回修改"
    CHANGED = "已修改"


class MeasureState(StrEnum):
    """Progress of a row's 提升计划和措施."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "进行中"
    DONE = "已完成"


class RecognitionKind(StrEnum):
    """推介 (promoted at a meeting) or 推荐申报 (put forward for the award)."""

    PROMOTION = "推介"
    RECOMMENDATION = "推荐申报"


class PromotionMethod(StrEnum):
    """How a 推介 was done."""

    BULLETIN = "简报"
    FORUM = "座谈"
    SITE_MEETING = "现场会"


# The closed sets as tuples, in the notice's order: the frozen migrations and the screens
# iterate them. A member equals, hashes and formats as its Chinese string.
BENCHMARK_LEVELS: tuple[BenchmarkLevel, ...] = tuple(BenchmarkLevel)
VERDICTS: tuple[Verdict, ...] = tuple(Verdict)
REVIEW_STATUSES: tuple[ReviewStatus, ...] = tuple(ReviewStatus)
MEASURE_STATES: tuple[MeasureState, ...] = tuple(MeasureState)
RECOGNITION_KINDS: tuple[RecognitionKind, ...] = tuple(RecognitionKind)
PROMOTION_METHODS: tuple[PromotionMethod, ...] = tuple(PromotionMethod)
