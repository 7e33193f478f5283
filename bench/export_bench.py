"""Time and memory of the summary export (``export_summary``) against openpyxl's own
write-only mode writing the same cells.

Issue 5 ("Speed"): the summary export of the whole city at demo scale (3,000 enterprises,
~100,000 rows) takes at most 1.2x what openpyxl's write_only mode needs to write the same
cells, measured side by side in one run, and its peak memory stays flat as rows grow.

    .venv/bin/python bench/export_bench.py [--db PATH] [--runs 3] [--normal]
    .venv/bin/python bench/export_bench.py --memory-only
    .venv/bin/python bench/export_bench.py --memory-only --memory-db PATH [--memory-db PATH2]
    .venv/bin/python bench/export_bench.py --memory-only --memory-db PATH --untraced

Timing (one process, the runs interleaved, the order swapped every run so drift in machine
load hits both sides alike):

- ``export``: ``export_summary(store, path)`` end to end: the SELECTs streamed from SQLite,
  every text checked (characters Excel cannot hold, formula-looking text kept as text),
  the styled heading rows, 汇总 with its chart, widths, freeze panes, autofilter, the
  atomic save (temporary file, fsync, rename).
- ``bare write_only``: the very same cell values (read beforehand, outside the timer, into
  lists: strings, ints, floats, dates), appended row by row to a ``Workbook(write_only=True)``
  with one sheet per table and saved. No styles, no checks, no SQL: openpyxl's floor.
- ``--normal``: the same cells through a normal (in-memory) ``Workbook``, once, for scale.

Memory: for about 25,000, 50,000 and 100,000 rows (demo databases of 750, 1,500 and 3,000
enterprises, ~33 rows each), each export runs in a fresh process with ``tracemalloc``
(peak of Python allocations during the export) and reports the process's peak RSS.

Without --db the demo databases (seed 1) are built under bench/results/ on the first run
(~10 s, ~15 s, ~30 s) and reused afterwards. ``--memory-db`` runs the memory part on the
given files instead (bench/province.sh: the province's file beside the city's);
``--untraced`` leaves tracemalloc off there, so its seconds are the export's own and only the
peak RSS is reported.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from duibiao_tui.excel.queries import flat_tables, make_scope, status_counts
from duibiao_tui.excel.summary_export import SUMMARY_SHEET, export_summary
from duibiao_tui.store.store import Store

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SIZES = (750, 1500, 3000)
"""Enterprises of the memory runs: about 25,000, 50,000 and 100,000 rows."""
TARGET_RATIO = 1.2
MIB = 1024 * 1024


def demo_db(enterprises: int) -> Path:
    path = RESULTS / f"export{enterprises}.db"
    if not path.exists():
        print(f"building {path} ({enterprises:,} enterprises, seed 1) ...", flush=True)
        RESULTS.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "duibiao_tui", "demo", "--db", str(path),
             "--enterprises", str(enterprises), "--seed", "1"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def open_store(path: Path) -> Store:
    return Store.open(path, quick_check=False)


def same_cells(store: Store) -> list[tuple[str, list[list[Any]]]]:
    """Every cell value the summary export writes, sheet by sheet, as plain lists."""
    scope = make_scope(store)
    tables = flat_tables(store, scope)
    counts = status_counts(store, scope)
    summary: list[list[Any]] = [
        [f"{scope.campaign.name} — 汇总"],
        [f"{scope.campaign.doc_number}　　范围：{scope.words}　　截至 {scope.today}"],
        [],
        ["辖市区", *counts.statuses, "合计"],
    ]
    for name, by_status in counts.rows:
        values = [by_status.get(s, 0) for s in counts.statuses]
        summary.append([name, *values, sum(values)])
    summary.append(["合计", *(counts.total(s) for s in counts.statuses), counts.total()])
    summary.append([])
    for table in tables:
        summary.append([table.title, table.count, "行"])
    sheets = [(SUMMARY_SHEET, summary)]
    for table in tables:
        sheets.append((table.title, [table.headings, *(list(r) for r in table.read())]))
    return sheets


def bare_write_only(sheets: list[tuple[str, list[list[Any]]]], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    workbook.save(path)


def normal_mode(sheets: list[tuple[str, list[list[Any]]]], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, rows in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
    workbook.save(path)


def timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def timing(db: Path, runs: int, normal: bool) -> dict[str, Any]:
    store = open_store(db)
    try:
        sheets = same_cells(store)
        # The cells above stay alive for the whole run: keep the cyclic GC from walking
        # them again and again (it would tax whichever side allocates more, not the
        # export's own cost).
        gc.collect()
        gc.freeze()
        cells = sum(len(row) for _, rows in sheets for row in rows)
        rows = sum(len(rows) for _, rows in sheets)
        items = next(len(r) - 1 for title, r in sheets if title == "对标项目")
        print(
            f"{db.name}: {rows:,} rows, {cells:,} cells in 5 sheets (对标项目 {items:,} rows)",
            flush=True,
        )
        ours: list[float] = []
        bare: list[float] = []
        with tempfile.TemporaryDirectory(dir=RESULTS) as folder:
            out = Path(folder)

            def run_ours() -> None:
                export_summary(store, out / "export.xlsx", force=True)

            def run_bare() -> None:
                bare_write_only(sheets, out / "bare.xlsx")

            for n in range(runs):
                pair = [("export", run_ours, ours), ("bare write_only", run_bare, bare)]
                if n % 2:
                    pair.reverse()
                for label, call, samples in pair:
                    samples.append(timed(call))
                    print(f"  run {n + 1}: {label:<16} {samples[-1]:6.2f} s", flush=True)
            sizes = {
                "export": (out / "export.xlsx").stat().st_size,
                "bare": (out / "bare.xlsx").stat().st_size,
            }
            normal_s = timed(lambda: normal_mode(sheets, out / "normal.xlsx")) if normal else None
    finally:
        store.close()
    ratio = statistics.median(ours) / statistics.median(bare)
    pair_ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(
        f"export          median {statistics.median(ours):6.2f} s  (min {min(ours):.2f})\n"
        f"bare write_only median {statistics.median(bare):6.2f} s  (min {min(bare):.2f})\n"
        f"ratio of medians {ratio:.3f}  (per run: "
        f"{', '.join(f'{r:.3f}' for r in pair_ratios)})  target <= {TARGET_RATIO}  [{verdict}]\n"
        f"files: export {sizes['export'] / MIB:.1f} MiB, bare {sizes['bare'] / MIB:.1f} MiB",
        flush=True,
    )
    if normal_s is not None:
        print(f"normal mode (once) {normal_s:6.2f} s", flush=True)
    return {"ratio": ratio, "ours": ours, "bare": bare, "normal": normal_s}


def peak_rss() -> int:
    """This process's peak resident memory in bytes. VmHWM, not ru_maxrss: Linux keeps
    ru_maxrss across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child_memory(db: Path, trace: bool = True) -> None:
    """In a fresh process: peak Python allocations and peak RSS of one export."""
    store = open_store(db)
    try:
        items = store.conn.execute(
            "SELECT count(*) FROM benchmark_item WHERE deleted_at IS NULL"
        ).fetchone()[0]
        import openpyxl.chart  # noqa: F401  (imports are not the export's memory)
        import openpyxl.styles  # noqa: F401

        with tempfile.TemporaryDirectory(dir=RESULTS) as folder:
            if trace:
                tracemalloc.start()
            started = time.perf_counter()
            result = export_summary(store, Path(folder) / "export.xlsx")
            seconds = time.perf_counter() - started
            size = (Path(folder) / "export.xlsx").stat().st_size
            peak = tracemalloc.get_traced_memory()[1] if trace else 0
            tracemalloc.stop()
    finally:
        store.close()
    rss = peak_rss()
    print(
        json.dumps(
            {
                "items": items,
                "rows": result.rows,
                "peak": peak,
                "rss": rss,
                "seconds": seconds,
                "size": size,
            }
        )
    )


def memory(dbs: list[Path], trace: bool = True) -> None:
    if trace:
        print("memory (fresh process per file; tracemalloc slows the export down):", flush=True)
    else:
        print("export time and peak RSS (fresh process per file, no tracemalloc):", flush=True)
    for db in dbs:
        extra = [] if trace else ["--untraced"]
        out = subprocess.run(
            [sys.executable, __file__, "--child-memory", str(db), *extra],
            check=True, capture_output=True, text=True, env={**os.environ},
        )  # fmt: skip
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        enterprises = open_store(db)
        try:
            count = enterprises.count_enterprises()
        finally:
            enterprises.close()
        traced = f"tracemalloc peak {figures['peak'] / MIB:5.1f} MiB, " if trace else ""
        print(
            f"  {count:>6,} enterprises, 对标项目 {figures['items']:>9,} rows "
            f"({figures['rows']:>9,} in all sheets): {traced}"
            f"peak RSS {figures['rss'] / MIB:6.1f} MiB, {figures['seconds']:7.1f} s, "
            f"file {figures['size'] / MIB:6.1f} MiB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="database to time (default: 3,000-enterprise demo)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--normal", action="store_true", help="also time openpyxl's normal mode")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument("--timing-only", action="store_true")
    parser.add_argument(
        "--memory-db",
        type=Path,
        action="append",
        help="database for the memory runs (repeatable; default: demos of 750, 1,500, 3,000)",
    )
    parser.add_argument(
        "--untraced", action="store_true", help="memory runs without tracemalloc: peak RSS only"
    )
    parser.add_argument("--child-memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, trace=not args.untraced)
        return
    if not args.memory_only:
        timing(args.db or demo_db(SIZES[-1]), args.runs, args.normal)
    if not args.timing_only:
        memory(args.memory_db or [demo_db(n) for n in SIZES], trace=not args.untraced)


if __name__ == "__main__":
    main()
