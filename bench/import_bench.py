"""How long importing a list of 3,000 enterprises (.xlsx) into an empty database takes,
against a floor measured in the same run (run by hand; issue 16).

The list is made once: the 企业名单 of the city demo ``bench/results/city3000.db`` (3,000
enterprises, seed 1; made with ``duibiao-tui demo`` if missing), written with openpyxl to
``bench/results/city3000-企业名单.xlsx``. Each round then runs, interleaved:

- floor: python-calamine reads the sheet, every row gets pinyin keys (pypinyin, full and
  initials, once per name) and ONE ``executemany`` puts the rows into a fresh SQLite file
  (one transaction, committed);
- ours: ``duibiao-tui import enterprises`` as the command runs it, in this process (so
  Python's start-up and imports, paid once by both, are left out): ``Store.open`` of a
  fresh file (schema created), ``plan_enterprise_import``, ``apply_enterprise_import``
  (backup, the one transaction), ``close``.

One warm-up round first (imports, caches; but the caches of phone numbers and of joined
windows of readings are emptied before each round of ours, as a new process has them; each
character's readings stay cached, as in the figures before). Prints the median, min and max of each, the
ratio of the medians, ours per phase, and the load average before and after.

    .venv/bin/python bench/import_bench.py [--runs 7] [--profile]

``--profile`` runs ours once more under pyinstrument (``pip install pyinstrument``; not a
dependency of the app) and prints where the time goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from duibiao_tui.domain.phone import _parse_phone  # noqa: E402
from duibiao_tui.domain.search import _variants  # noqa: E402
from duibiao_tui.excel.enterprise_import import (  # noqa: E402
    apply_enterprise_import,
    plan_enterprise_import,
)
from duibiao_tui.store.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CITY_DB = RESULTS / "city3000.db"
LIST_XLSX = RESULTS / "city3000-企业名单.xlsx"


def make_list() -> Path:
    """The city's 企业名单 as an officer would receive it (written once, then reused)."""
    if LIST_XLSX.exists():
        return LIST_XLSX
    if not CITY_DB.exists():
        from duibiao_tui.demo import fill_demo

        print(f"making {CITY_DB.name} …", flush=True)
        store = Store.open(CITY_DB, officer="演示")
        try:
            fill_demo(store, enterprises=3000, seed=1)
        finally:
            store.close()
    from openpyxl import Workbook

    from duibiao_tui.excel.queries import flat_tables, make_scope
    from duibiao_tui.store.export_tables import TABLE_ENTERPRISES

    store = Store.open(CITY_DB, officer="演示", quick_check=False)
    try:
        table = next(
            t for t in flat_tables(store, make_scope(store)) if t.title == TABLE_ENTERPRISES
        )
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = TABLE_ENTERPRISES
        sheet.append(list(table.headings))
        for row in table.read():
            sheet.append(["" if v is None else v for v in row])
        workbook.save(LIST_XLSX)
    finally:
        store.close()
    print(f"wrote {LIST_XLSX.relative_to(ROOT)} ({table.count:,} enterprises)", flush=True)
    return LIST_XLSX


def timed(run: Callable[[], object], cpu: list[float]) -> float:
    """Wall seconds of ``run()``; its CPU seconds (this process) appended to ``cpu``."""
    cpu_start, started = time.process_time(), time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    cpu.append(time.process_time() - cpu_start)
    return elapsed


def floor(xlsx: Path, folder: Path) -> float:
    """calamine read + pinyin keys + ONE executemany into a fresh SQLite file."""
    from pypinyin import Style, lazy_pinyin
    from python_calamine import CalamineWorkbook

    target = folder / "floor.db"
    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    heading, body = rows[0], rows[1:]
    width = len(heading)
    keys: dict[str, tuple[str, str]] = {}
    values = []
    for row in body:
        name = str(row[0])
        if name not in keys:
            keys[name] = (
                "".join(lazy_pinyin(name)),
                "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)),
            )
        values.append([*(str(v) for v in row[:width]), *keys[name]])
    conn = sqlite3.connect(target)
    columns = ", ".join(f"c{i}" for i in range(width + 2))
    conn.execute(f"CREATE TABLE enterprise ({columns})")
    with conn:
        conn.executemany(f"INSERT INTO enterprise VALUES ({', '.join('?' * (width + 2))})", values)
    conn.close()
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def ours(xlsx: Path, folder: Path, phases: dict[str, list[float]]) -> float:
    """What ``duibiao-tui import enterprises FILE --db fresh.db`` runs, phase by phase."""
    target = folder / "ours.db"
    _parse_phone.cache_clear()  # a real import is a fresh process: no number parsed yet,
    _variants.cache_clear()  # no window of readings joined yet
    started = time.perf_counter()
    store = Store.open(target, officer="命令行")
    opened = time.perf_counter()
    try:
        plan = plan_enterprise_import(store, xlsx, mode="skip")
        planned = time.perf_counter()
        result = apply_enterprise_import(store, plan)
        applied = time.perf_counter()
    finally:
        store.close()
    elapsed = time.perf_counter() - started
    assert result.added == 3000 and not plan.refused, plan.summary()
    phases["open (schema)"].append(opened - started)
    phases["plan"].append(planned - opened)
    phases["apply (backup + write)"].append(applied - planned)
    phases["close"].append(started + elapsed - applied)
    for leftover in [target, *folder.glob("ours.db*")]:
        leftover.unlink(missing_ok=True)
    shutil.rmtree(folder / "backups", ignore_errors=True)
    return elapsed


def summary(label: str, values: list[float]) -> str:
    return (
        f"  {label:<24} median {statistics.median(values) * 1000:7.0f} ms"
        f"   min {min(values) * 1000:6.0f}   max {max(values) * 1000:6.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    xlsx = make_list()
    load_before = os.getloadavg()
    phases: dict[str, list[float]] = {
        "open (schema)": [],
        "plan": [],
        "apply (backup + write)": [],
        "close": [],
    }
    floors: list[float] = []
    imports: list[float] = []
    floor_cpu: list[float] = []
    ours_cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        folder = Path(tmp)
        cwd = os.getcwd()
        os.chdir(folder)  # the error workbook's exports/ (none expected) stays out of the tree
        try:
            floor(xlsx, folder)  # warm-up: imports, caches
            ours(xlsx, folder, {k: [] for k in phases})
            for _ in range(args.runs):
                floors.append(timed(lambda: floor(xlsx, folder), floor_cpu))
                imports.append(timed(lambda: ours(xlsx, folder, phases), ours_cpu))
            if args.profile:
                from pyinstrument import Profiler

                profiler = Profiler()
                profiler.start()
                ours(xlsx, folder, {k: [] for k in phases})
                profiler.stop()
        finally:
            os.chdir(cwd)
    load_after = os.getloadavg()

    ratio = statistics.median(imports) / statistics.median(floors)
    print(f"{xlsx.name}: 3,000 enterprises, {args.runs} interleaved runs each (after a warm-up)")
    print(summary("floor (calamine+1 insert)", floors))
    print(summary("ours (import enterprises)", imports))
    print(f"  ratio of medians         {ratio:.2f}x")
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(floor_cpu)
    print(
        f"  CPU time (this process): floor {statistics.median(floor_cpu) * 1000:.0f} ms, "
        f"ours {statistics.median(ours_cpu) * 1000:.0f} ms, ratio {cpu_ratio:.2f}x"
    )
    print("ours by phase (medians):")
    for label, values in phases.items():
        print(f"  {label:<24} {statistics.median(values) * 1000:7.0f} ms")
    print(
        "load average (1, 5, 15 min): before "
        + ", ".join(f"{v:.2f}" for v in load_before)
        + "; after "
        + ", ".join(f"{v:.2f}" for v in load_after)
    )
    if args.profile:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
