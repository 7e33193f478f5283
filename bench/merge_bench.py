"""How long packaging and merging district databases take at city scale (run by hand).

Two district databases of ``--enterprises`` each (``duibiao-tui demo`` data, different
seeds: ~50,000 form rows and ~100,000 audit entries each) are made once and kept in
``bench/results/merge/``. Each run then, on fresh copies:

- packages district A whole and as one district (``duibiao-tui package``);
- previews the merge of A and B into an empty city database (``merge --dry-run``);
- merges A and B into it (read + checks, backup, the one transaction);
- merges them again (nothing changes);
- edits 200 enterprises and 200 rows in A and merges A again (the usual weekly case).

Prints the median of ``--runs`` runs for each step (and every run's figure).

    .venv/bin/python bench/merge_bench.py --enterprises 1500 --runs 5
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from duibiao_tui.demo import fill_demo  # noqa: E402
from duibiao_tui.domain.item_rules import ItemInput  # noqa: E402
from duibiao_tui.domain.merge import MergeReport  # noqa: E402
from duibiao_tui.store.merge import merge_files  # noqa: E402
from duibiao_tui.store.package import make_package, source_districts  # noqa: E402
from duibiao_tui.store.store import Store  # noqa: E402

CACHE = ROOT / "bench" / "results" / "merge"
EDITS = 200


def district_db(enterprises: int, seed: int) -> Path:
    path = CACHE / f"district-{enterprises}-{seed}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"making {path.name} …", flush=True)
        store = Store.open(path, officer=f"区{seed}")
        try:
            fill_demo(store, enterprises=enterprises, seed=seed)
        finally:
            store.close()
    return path


def copy_db(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    os.chmod(target, 0o600)
    return target


def edit_district(path: Path, n: int) -> None:
    """n enterprises' address and n rows' remarks changed, as a week's work would."""
    store = Store.open(path, officer="区里", quick_check=False)
    try:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM enterprise LIMIT ?", [n])]
        for eid in ids:
            data = store.get_enterprise(eid).to_input()
            store.update_enterprise(eid, dataclasses.replace(data, address=data.address + "甲"))
        rows = store.conn.execute(
            "SELECT id, aspect, indicator FROM benchmark_item WHERE deleted_at IS NULL LIMIT ?",
            [n],
        ).fetchall()
        for item_id, aspect, indicator in rows:
            store.update_item(
                item_id, ItemInput(aspect=aspect, indicator=indicator, remarks="复核")
            )
    finally:
        store.close()


def timed(figures: dict[str, list[float]], label: str, call: object) -> object:
    start = time.perf_counter()
    result = call()  # type: ignore[operator]
    figures[label].append(time.perf_counter() - start)
    return result


def merge_timed(
    figures: dict[str, list[float]], label: str, city: Store, files: list[Path]
) -> MergeReport:
    """One merge, with its parts: reading and checking the files, the backup of the city's
    file (``take_backup``: copy + integrity_check), the transaction (with its commit)."""
    marks: dict[str, float] = {}

    def progress(text: str) -> None:
        marks.setdefault(text.split(" ")[0], time.perf_counter())  # the first file's

    start = time.perf_counter()
    report = merge_files(city, files, progress=progress)
    end = time.perf_counter()
    figures[f"{label}: total"].append(end - start)
    figures[f"  {label[6:]}: reading + checks"].append(marks["合并前备份"] - start)
    figures[f"  {label[6:]}: backup of the city"].append(marks["合并"] - marks["合并前备份"])
    figures[f"  {label[6:]}: the transaction"].append(end - marks["合并"])
    return report


def one_run(a: Path, b: Path, work: Path, figures: dict[str, list[float]]) -> None:
    a_copy = copy_db(a, work / "a.db")
    b_copy = copy_db(b, work / "b.db")
    timed(figures, "package A (whole)", lambda: make_package(a_copy, work / "a.duibiao"))
    jingkou = next(d for d in source_districts(a_copy) if d.name == "京口区")
    timed(
        figures,
        "package A --district 京口区",
        lambda: make_package(a_copy, work / "a-jk.duibiao", district=jingkou),
    )
    city = Store.open(work / "city.db", officer="市局", quick_check=False)
    try:
        timed(
            figures,
            "dry run A+B (empty city)",
            lambda: merge_files(city, [a_copy, b_copy], dry_run=True),
        )
        report = merge_timed(figures, "merge A+B into empty city", city, [a_copy, b_copy])
        again = merge_timed(figures, "merge A+B again (no change)", city, [a_copy, b_copy])
        assert again.total("新增") == again.total("更新") == 0
        edit_district(a_copy, EDITS)
        later = merge_timed(figures, f"merge A after {EDITS}+{EDITS} edits", city, [a_copy])
        assert later.total("更新") >= 2 * EDITS, later.summary()
        print(
            f"  run: {report.total('新增')} rows added; {report.unresolved} enterprises "
            f"registered in both demo files wait, with {report.total('待确认')} rows; city file "
            f"{(work / 'city.db').stat().st_size / 1_048_576:.0f} MB",
            flush=True,
        )
    finally:
        city.close()
    for name in ("a.db", "b.db", "city.db", "a.duibiao", "a-jk.duibiao"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work / name}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(work / "backups", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    a = district_db(args.enterprises, 11)
    b = district_db(args.enterprises, 12)
    figures: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="merge-bench-") as folder:
        for n in range(args.runs):
            print(f"run {n + 1}/{args.runs}", flush=True)
            one_run(a, b, Path(folder), figures)
    print(
        f"\n{args.enterprises} enterprises per district, {args.runs} runs, "
        f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'step':<40} {'median':>8}   runs")
    for label, values in figures.items():
        runs = " ".join(f"{v:.2f}" for v in values)
        print(f"{label:<40} {statistics.median(values):>7.2f}s   {runs}")


if __name__ == "__main__":
    main()
