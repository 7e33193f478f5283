"""Two officers editing the same rows: no update is ever lost.

Two stores (two connections, as two app windows have) open the same row, change random
fields, and save one after the other. The second save keeps the first one's changes to
other fields and stops with a ConflictError where both changed a field differently; the
officer's choice is then saved. After every interleaving, each field holds exactly what
the rules say it must.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from duibiao_tui.domain.conflicts import ConflictError
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.store import Store

INTERLEAVINGS = 100
FIELDS = ("indicator", "benchmark_level", "result_text", "measures", "department", "remarks")


def edit(rng: random.Random, base: ItemInput, who: str) -> tuple[ItemInput, dict[str, str]]:
    picked = {f: f"{who}{rng.randint(0, 2)}" for f in rng.sample(FIELDS, rng.randint(1, 3))}
    changed = {f: v for f, v in picked.items() if getattr(base, f) != v}
    return dataclasses.replace(base, **changed), changed


def test_no_lost_update_over_random_interleavings(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    rng = random.Random(2009)
    eid = next(iter(seeded.values()))
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    other = Store.open(db_path, officer="李华")
    conflicts = clashing_pairs = lost = 0
    try:
        for _ in range(INTERLEAVINGS):
            opened_a, opened_b = store.get_item(item.id), other.get_item(item.id)
            base = opened_a.to_input()
            mine_a, changed_a = edit(rng, base, "甲")
            mine_b, changed_b = edit(rng, base, "乙")
            store.update_item(item.id, mine_a, base=base, base_version=opened_a.version)
            clash = {f for f in changed_a.keys() & changed_b.keys() if changed_a[f] != changed_b[f]}
            clashing_pairs += bool(clash)
            expected = {**dataclasses.asdict(base), **changed_a, **changed_b}
            try:
                other.update_item(item.id, mine_b, base=base, base_version=opened_b.version)
            except ConflictError as conflict:
                conflicts += 1
                assert {c.field for c in conflict.clashes} == clash
                values = dataclasses.asdict(conflict.merged)
                for field in clash:  # the officer decides, field by field
                    keep_theirs = rng.random() < 0.5
                    values[field] = changed_a[field] if keep_theirs else changed_b[field]
                    expected[field] = values[field]
                other.update_item(
                    item.id,
                    ItemInput(**values),
                    base=conflict.theirs,
                    base_version=conflict.version,
                )
            else:
                assert not clash, "a clash was saved without asking"
            final = dataclasses.asdict(store.get_item(item.id).to_input())
            lost += sum(final[f] != expected[f] for f in FIELDS)
    finally:
        other.close()
    assert lost == 0
    print(f"\ninterleavings {INTERLEAVINGS}: lost {lost}, conflicts {conflicts}/{clashing_pairs}")
    assert conflicts == clashing_pairs > 20  # every clashing second save saw its conflict


def test_saves_write_only_changed_fields(store: Store, seeded: dict[str, str]) -> None:
    eid = next(iter(seeded.values()))
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率", remarks="甲"))
    base = item.to_input()
    store.update_item(item.id, dataclasses.replace(base, remarks="乙"))
    audit = store.audit_for("benchmark_item", item.id)
    assert [
        (a["field"], a["old_value"], a["new_value"]) for a in audit if a["action"] == "update"
    ] == [("remarks", "甲", "乙")]


def test_same_version_saves_without_merge(store: Store, seeded: dict[str, str]) -> None:
    eid = next(iter(seeded.values()))
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    saved = store.update_item(
        item.id,
        dataclasses.replace(item.to_input(), indicator="数控化率 %"),
        base=item.to_input(),
        base_version=item.version,
    )
    assert saved.indicator == "数控化率 %" and saved.version == item.version + 1


@pytest.mark.parametrize("theirs_first", [True, False])
def test_other_fields_of_the_other_officer_survive(
    store: Store, seeded: dict[str, str], db_path: Path, theirs_first: bool
) -> None:
    eid = next(iter(seeded.values()))
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    other = Store.open(db_path, officer="李华")
    base = item.to_input()
    first, second = (other, store) if theirs_first else (store, other)
    first.update_item(item.id, dataclasses.replace(base, remarks="备注"), base=base, base_version=1)
    second.update_item(
        item.id, dataclasses.replace(base, department="质量部"), base=base, base_version=1
    )
    final = store.get_item(item.id)
    assert (final.remarks, final.department) == ("备注", "质量部")
    other.close()
