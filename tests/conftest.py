"""Shared fixtures: a real SQLite file under tmp_path, a fixed clock, the app on top."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from duibiao_tui.app import DuibiaoApp, make_app
from duibiao_tui.config import Config
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.store.store import Store

FIXED_NOW = "2009-10-08T09:30:00+08:00"


def fixed_clock() -> str:
    return FIXED_NOW


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user's database or settings."""
    monkeypatch.setenv("DUIBIAO_CONFIG", str(tmp_path / "config" / "config.json"))
    monkeypatch.setenv("DUIBIAO_DB", str(tmp_path / "env.db"))


@pytest.fixture
def no_draft_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forms write their draft on every change instead of half a second after the last one,
    so a test that waits for the draft waits for the write, not for a timer."""
    monkeypatch.setattr(DraftKeeping, "draft_delay_s", 0.0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "duibiao.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = Store.open(db_path, officer="王明", clock=fixed_clock)
    yield store
    store.close()


@pytest.fixture
def districts(store: Store) -> dict[str, str]:
    """District name → id."""
    return {d.name: d.id for d in store.districts()}


SAMPLE = [
    ("镇江市长江电器设备厂", "京口区", "91321102MA1XXXXX07", "38", "高低压开关柜", True, False),
    ("丹阳市华通光学眼镜有限公司", "丹阳市", "", "35", "树脂镜片", False, True),
    ("句容市宝华建材有限公司", "句容市", "", "30", "新型墙体材料", False, False),
    ("扬中市新坝电气股份有限公司", "扬中市", "", "38", "电力电缆桥架", True, True),
    ("镇江市重机机械有限公司", "润州区", "", "34", "起重机械", False, False),
    ("江苏恒顺醋业股份有限公司", "丹徒区", "", "14", "香醋", True, True),
]


@pytest.fixture
def seeded(store: Store, districts: dict[str, str]) -> dict[str, str]:
    """A handful of realistic enterprises; returns name → id."""
    ids = {}
    for name, district, code, division, products, brand, award in SAMPLE:
        enterprise = store.add_enterprise(
            EnterpriseInput(
                name=name,
                credit_code=code,
                district_id=districts[district],
                industry_division=division,
                main_products=products,
                famous_brand=brand,
                quality_award=award,
                award_name="江苏省质量奖" if award else "",
                award_year="2008" if award else "",
                phone="0511-85012345" if brand else "",
            )
        )
        ids[name] = enterprise.id
    return ids


@pytest.fixture
def config() -> Config:
    return Config(officer="王明")


@pytest.fixture
def app(store: Store, config: Config, tmp_path: Path) -> DuibiaoApp:
    """The app opened on the enterprise list (most tests start there); the real app opens on
    the dashboard (tests/functional/test_dashboard_keys.py covers that)."""
    return make_app(
        store,
        config=config,
        config_file=tmp_path / "config.json",
        db_label="测试.db",
        start_mode="enterprises",
    )
