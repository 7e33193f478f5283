"""The demo fill: enterprises, their 情况表 and the desk work, in one transaction.

Enterprises are registered a thousand at a time by ``store.bulk.write_enterprises`` (the
checks and values of ``add_enterprise``, written in batches) and rows go through the store's
bulk rows, with the forms' validation, so demo data can never hold a value the app would
refuse. A province (40,000 enterprises, ~1.3 million rows) is one transaction too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from duibiao_tui.demo.enterprise_tables import Line
from duibiao_tui.demo.enterprises import EnterpriseGenerator, reference_line, reserve_taken
from duibiao_tui.demo.item_tables import ITEM_SHARE
from duibiao_tui.demo.items import ItemGenerator, library_ids
from duibiao_tui.demo.review import fill_review_demo
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.listing import District
from duibiao_tui.store.bulk import EnterpriseWrite, EnterpriseWriteRefused
from duibiao_tui.store.store import Store

__all__ = ["DEFAULT_ENTERPRISES", "PROGRESS_EVERY", "REFERENCE_NAME", "fill_demo"]

DEFAULT_ENTERPRISES = 60

REFERENCE_NAME = "镇江市长江电器设备厂"
"""The reference example for polyphonic search (市长 / 长江); added when 10 or more are asked."""
_REFERENCE_DISTRICT = "京口区"
_REFERENCE_MIN = 10

PROGRESS_EVERY = 50

_FLUSH_EVERY = 5000
"""Rows kept in memory before they are written in one bulk add."""

_ENTERPRISE_BATCH = 1000
"""Enterprises registered in one ``store.bulk.write_enterprises`` (it reads the register
once per call)."""


class _FormBatch:
    """Forms gathered and handed to ``store.bulk.add_item_forms`` some thousand rows at a
    time: few statements, and memory stays flat for a city."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[tuple[str, Sequence[ItemInput]]] = []
        self.rows = 0

    def add(self, enterprise_id: str, rows: Sequence[ItemInput]) -> None:
        self.pending.append((enterprise_id, rows))
        self.rows += len(rows)
        if self.rows >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.store.bulk.add_item_forms(self.pending)
        self.pending, self.rows = [], 0


def fill_demo(
    store: Store,
    *,
    enterprises: int = DEFAULT_ENTERPRISES,
    seed: int = 2009,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``enterprises`` demo enterprises in one transaction; returns how many were added.

    About 85 % of them get a filled-in 情况表 (5–60 rows, ~38 on average) against a
    benchmark library of every level, which is added once and reused by later fills; those
    forms then go through the review (``demo.review``: every status, flags, measure
    progress, recognitions).
    On an empty database the same ``seed`` gives the same names, districts, codes, phones,
    rows and order every time (row ids are fresh uuid4s). Names and codes already in the
    database are avoided, so filling twice adds more enterprises instead of failing.
    ``progress(done, total)`` is called every 50 enterprises and once at the end. Any
    error rolls the whole fill back.

    Rows pass ``validate_item`` like the form's, but are written in bulk with one audit row
    each (not one per field): 3,000 enterprises make ~100,000 rows.
    """
    if enterprises < 0:
        raise ValueError("enterprises must be >= 0")
    districts = store.districts()
    if enterprises and not districts:
        raise ValueError("the database has no districts")
    gen = EnterpriseGenerator(random.Random(seed), districts)
    reserve_taken(store, gen)
    plan = gen.district_plan(enterprises)
    reference_at: int | None = None
    if enterprises >= _REFERENCE_MIN:
        candidates = (i for i, d in enumerate(plan) if d.name == _REFERENCE_DISTRICT)
        reference_at = next(candidates, None)
        if reference_at is not None and not gen.claim_name(REFERENCE_NAME):
            reference_at = None  # already there from an earlier fill

    _fill(store, gen, plan, reference_at, seed, progress)
    if progress is not None and enterprises == 0:
        progress(0, 0)
    return len(plan)


def _fill(
    store: Store,
    gen: EnterpriseGenerator,
    plan: Sequence[District],
    reference_at: int | None,
    seed: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    enterprises = len(plan)
    with store.write():
        items = ItemGenerator(random.Random(f"items-{seed}"), library_ids(store))
        writer = _FormBatch(store)
        with_forms: list[str] = []
        for start in range(0, enterprises, _ENTERPRISE_BATCH):
            # The enterprises and their rows draw from two generators of their own, so
            # drawing a batch of enterprises before its rows gives the same content as
            # drawing them in turn.
            batch = range(start, min(start + _ENTERPRISE_BATCH, enterprises))
            lines: list[Line] = []
            writes: list[EnterpriseWrite] = []
            for at in batch:
                district = plan[at]
                if at == reference_at:
                    line = reference_line()
                    data = gen.details(district, line, REFERENCE_NAME)
                else:
                    line = gen.line_for(district)
                    data = gen.details(district, line, gen.name_for(district, line))
                lines.append(line)
                writes.append(EnterpriseWrite(data))
            try:
                ids = store.bulk.write_enterprises(writes)
            except EnterpriseWriteRefused as refused:
                raise refused.error from refused
            for at, line, enterprise_id in zip(batch, lines, ids, strict=True):
                if at == reference_at or items.rng.random() < ITEM_SHARE:
                    writer.add(enterprise_id, items.form(line.key))
                    with_forms.append(enterprise_id)
                done = at + 1
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == enterprises):
                    progress(done, enterprises)
        writer.flush()
        fill_review_demo(store, with_forms, seed)
