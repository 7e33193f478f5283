"""Time saving one 情况表 row: ``Store.add_item`` and ``Store.update_item`` in a full file.

Issue 3 ("Scale"): saving a row is a single short transaction, under 10 ms store time with
100,000 rows in the file. Store time is ``perf_counter`` around the store call, so it
includes validation, the ``BEGIN IMMEDIATE`` transaction, the audit rows, the commit (with
``synchronous = FULL``, an fsync of the WAL) and re-reading the saved row; not the screen.

    .venv/bin/python bench/save_item.py [--db bench/results/items3000.db] [--saves 300]

Without --db the 3,000-enterprise demo (seed 1, ~100,000 rows) is built at the default path
on the first run (~25 s) and reused afterwards. Every run adds its saves to that file.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.store import Store

BENCH = Path(__file__).resolve().parent
DEFAULT_DB = BENCH / "results" / "items3000.db"
TARGET_MS = 10.0
BIG_FORM = 200


def build(path: Path) -> None:
    print(f"building {path} (3,000 enterprises, seed 1) ...", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "duibiao_tui", "demo", "--db", str(path),
         "--enterprises", "3000", "--seed", "1"],
        check=True,
    )  # fmt: skip
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def report(label: str, samples: list[float]) -> float:
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[8]
    verdict = "ok" if median < TARGET_MS else "OVER TARGET"
    print(
        f"{label:<34} n={len(samples):<4} median {median:6.2f} ms   p90 {p90:6.2f} ms   "
        f"max {max(samples):6.2f} ms   [{verdict}]"
    )
    return median


def new_row(rng: random.Random, benchmarks: list[str], n: int) -> ItemInput:
    """A complete row as the editor saves it (every field filled, a date to parse)."""
    return ItemInput(
        benchmark_id=rng.choice(benchmarks),
        aspect=rng.choice(("设备", "工艺", "检验把关", "质量管理制度")),
        indicator=f"基准测试指标 {n}",
        benchmark_level="98.5%",
        result_text="低 2.1 个百分点",
        verdict="落后",
        measures="1. 修订关键工序作业指导书\n2. 开展工艺纪律专项检查，每月考核",
        department="质量部",
        due_text=rng.choice(("2011年底", "2012年6月", "2010-12-31")),
        remarks="",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--saves", type=int, default=300, help="timed saves of each kind")
    parser.add_argument("--seed", type=int, default=173)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db)

    store = Store.open(args.db, officer="基准测试")
    conn = store.conn
    rng = random.Random(args.seed)
    items = conn.execute("SELECT count(*) FROM benchmark_item").fetchone()[0]
    enterprises = conn.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    audit = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    print(f"database: {args.db} ({enterprises} enterprises, {items} rows, {audit} audit rows)")
    with_items = [r[0] for r in conn.execute("SELECT DISTINCT enterprise_id FROM benchmark_item")]
    benchmarks = [b.id for b in store.benchmarks()]

    # Warm-up: first-use imports (the rules, sqlite-utils) and page cache, not timed.
    for n in range(5):
        store.add_item(rng.choice(with_items), new_row(rng, benchmarks, n))

    adds = [
        timed(lambda n=n: store.add_item(rng.choice(with_items), new_row(rng, benchmarks, n)))
        for n in range(args.saves)
    ]
    targets = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM benchmark_item WHERE deleted_at IS NULL ORDER BY random() LIMIT ?",
            [args.saves],
        )
    ]
    edits = []
    for n, item_id in enumerate(targets):
        changed = dataclasses.replace(
            store.get_item(item_id).to_input(),
            verdict=rng.choice(("落后", "持平", "领先")),
            measures=f"1. 修订作业指导书\n2. 基准测试修改 {n}",
            due_text=rng.choice(("2013年底", "2012年9月", "2014-06-30")),
        )
        edits.append(timed(lambda i=item_id, c=changed: store.update_item(i, c)))

    # Opening a big form: one enterprise topped up to BIG_FORM rows (once per file).
    big = conn.execute(
        "SELECT enterprise_id, count(*) FROM benchmark_item WHERE deleted_at IS NULL "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    for n in range(big[1], BIG_FORM):
        store.add_item(big[0], new_row(rng, benchmarks, n))
    reads = [timed(lambda: store.items_for(big[0])) for _ in range(50)]

    print(
        f"{args.saves} timed saves of each kind after 5 warm-up saves; target median < {TARGET_MS:g} ms\n"
    )
    add_median = report("add_item (append a row)", adds)
    update_median = report("update_item (3 fields changed)", edits)
    report(f"items_for ({max(big[1], BIG_FORM)}-row form)", reads)
    store.close()
    sys.exit(0 if max(add_median, update_median) < TARGET_MS else 1)


if __name__ == "__main__":
    main()
