"""Look-ups for the command line and imports, and the promise that Excel libraries stay
out of the app's start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from duibiao_tui.errors import NotFoundError
from duibiao_tui.excel.lookup import (
    AmbiguousName,
    find_district,
    live_enterprise_ids,
    match_district,
    resolve_enterprise,
)
from duibiao_tui.store.store import Store


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("京口区", "京口区"),
        ("京口", "京口区"),
        ("镇江市京口区", "京口区"),
        ("江苏省镇江市润州区", "润州区"),
        ("321102", "京口区"),
        ("丹阳", "丹阳市"),
        ("丹阳市", "丹阳市"),
        ("丹徒县", "丹徒区"),
        ("镇江新区", "镇江新区"),
        ("新区", "镇江新区"),
        (" 句 容 ", "句容市"),
    ],
)
def test_match_district(store: Store, text: str, name: str) -> None:
    found = match_district(store.districts(), text)
    assert found is not None and found.name == name


@pytest.mark.parametrize("text", ["", "火星区", "镇江市", "区"])
def test_no_district(store: Store, text: str) -> None:
    assert match_district(store.districts(), text) is None


def test_find_district_lists_the_choices(store: Store) -> None:
    with pytest.raises(NotFoundError, match="京口区、润州区"):
        find_district(store, "火星")


def test_resolve_enterprise(store: Store, seeded: dict[str, str]) -> None:
    assert resolve_enterprise(store, "91321102MA1XXXXX07") == seeded["镇江市长江电器设备厂"]
    assert resolve_enterprise(store, "9132 1102 ma1x xxxx 07") == seeded["镇江市长江电器设备厂"]
    assert (
        resolve_enterprise(store, "江苏恒顺醋业股份有限公司") == seeded["江苏恒顺醋业股份有限公司"]
    )
    assert resolve_enterprise(store, "恒顺") == seeded["江苏恒顺醋业股份有限公司"]
    with pytest.raises(AmbiguousName) as caught:
        resolve_enterprise(store, "有限公司")
    assert "句容市宝华建材有限公司（句容市）" in caught.value.message
    with pytest.raises(NotFoundError):
        resolve_enterprise(store, "不存在")


def test_live_enterprise_ids(
    store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    assert set(live_enterprise_ids(store)) == set(seeded.values())
    assert live_enterprise_ids(store, districts["扬中市"]) == [seeded["扬中市新坝电气股份有限公司"]]
    store.remove_enterprise(seeded["扬中市新坝电气股份有限公司"])
    assert live_enterprise_ids(store, districts["扬中市"]) == []


def test_excel_libraries_are_not_imported_by_the_package_or_the_cli() -> None:
    code = (
        "import sys\n"
        "import duibiao_tui.cli, duibiao_tui.excel.enterprise_import, duibiao_tui.excel.form_export\n"
        "import duibiao_tui.excel.readers, duibiao_tui.excel.lookup\n"
        "bad = [m for m in ('openpyxl', 'python_calamine') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
