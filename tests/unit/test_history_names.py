"""The history screen's changes read as names: a field holding another record's id (the
library benchmark, the district) shows that record's name, never a UUID."""

from __future__ import annotations

import dataclasses
import re

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.store import Store

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def test_benchmark_and_district_changes_read_as_names(
    store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    eid = seeded["镇江市长江电器设备厂"]
    siemens = store.add_benchmark("西门子（中国）有限公司", address="北京")
    chint = store.add_benchmark("正泰集团股份有限公司", address="浙江温州")
    item = store.add_item(eid, ItemInput(benchmark_id=siemens.id, aspect="设备", indicator="x"))
    store.update_item(item.id, dataclasses.replace(item.to_input(), benchmark_id=chint.id))
    enterprise = store.get_enterprise(eid)
    store.update_enterprise(
        eid, dataclasses.replace(enterprise.to_input(), district_id=districts["润州区"])
    )
    changes = [entry.change for entry in store.history(eid)]
    assert "修改 标杆企业（库）：西门子（中国）有限公司 → 正泰集团股份有限公司" in changes
    assert "新增 标杆企业（库）：（空） → 西门子（中国）有限公司" in changes
    assert "修改 辖市区：京口区 → 润州区" in changes
    assert not [c for c in changes if UUID.search(c)]
