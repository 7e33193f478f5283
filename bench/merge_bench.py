"""Packages and merges at city scale, issue 16's cases (run by hand).

One city demo (``duibiao-tui demo --enterprises N --seed S``, kept in ``bench/results/merge/``)
stands for the districts' own files: each run copies it twice (``a.db``, ``b.db``: two files
at two paths, so each package carries an id of its own, as two districts' files do) and then,
each step through the command line in a process of its own, as an officer runs it:

- ``package --district D1`` of ``a.db`` and ``package --district D2`` of ``b.db``: time and size;
- ``merge`` of both packages into an empty city file (the first merge);
- ``merge`` of the same packages again (nothing changes);

and, as floors measured in the same run on the same files: SQLite's backup API copying the
source file (what a package must at least read) and copying the city file the merge wrote
(what a merge must at least write), and a plain ``shutil.copyfile`` of that city file.

Prints every run's figures, the medians, the ratios against the floors and the load average
before and after. The merge's parts come from the lines it prints as it goes (reading,
merging, the backup, the commit), timestamped as they arrive.

    .venv/bin/python bench/merge_bench.py --enterprises 8000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results" / "merge"
APP = Path(sys.executable).with_name("duibiao-tui")


def city_demo(enterprises: int, seed: int) -> Path:
    path = CACHE / f"city{enterprises}-{seed}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"making {path.name} …", flush=True)
        cli("demo", "--enterprises", str(enterprises), "--seed", str(seed), "--db", str(path))
    return path


def cli(*args: str, env: dict[str, str] | None = None) -> list[tuple[float, str]]:
    """Run ``duibiao-tui ARGS``; the lines it printed to stderr with the time each came
    (seconds from the start), and the end as ``("", end)``."""
    settle_disk()
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(APP), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    lines = [(time.perf_counter() - start, line.rstrip()) for line in process.stderr]
    code = process.wait()
    lines.append((time.perf_counter() - start, ""))
    if code not in (0, 3):
        raise SystemExit(
            f"duibiao-tui {' '.join(args)} failed ({code}):\n"
            + "\n".join(text for _, text in lines)
        )
    return lines


def settle_disk() -> None:
    """Every step starts with nothing left to write back: the run's copies of the source
    (2 x 546 MB at 8,000 enterprises) were otherwise still going to disk while the first
    merge wrote, which cost it 1-2 s in some runs and not in others."""
    os.sync()


def backup_copy(source: Path, target: Path) -> float:
    settle_disk()
    start = time.perf_counter()
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()
    return time.perf_counter() - start


def file_copy(source: Path, target: Path) -> float:
    settle_disk()
    start = time.perf_counter()
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())
    return time.perf_counter() - start


def merge_parts(lines: list[tuple[float, str]]) -> dict[str, float]:
    """The merge's own account, from the lines it prints as it goes: reading and checking
    the files (and opening the city's), merging them, the backup of the city (taken, in
    WAL mode, after the merge knows it changes something and before it commits), the
    commit and the report."""
    parts = dict.fromkeys(
        ("reading + checks", "merging", "backup of the city", "commit, report"), 0.0
    )
    parts["total"] = lines[-1][0]
    parts["start of the process"] = lines[0][0]
    committing = False
    for (at, text), (following, _) in zip(lines, lines[1:], strict=False):
        word = text.split(" ")[0]
        if word in ("读取", "新建数据库"):
            part = "reading + checks"
        elif word == "合并前备份":
            part = "backup of the city"
        elif word == "合并" and not committing:
            part = "merging"
        else:
            committing = True
            part = "commit, report"
        if word == "提交":
            committing = True
        parts[part] += following - at
    return parts


def one_run(city: Path, districts: list[str], work: Path, figures: dict[str, list[float]]) -> None:
    env = {**os.environ, "DUIBIAO_CONFIG": str(work / "config.json")}
    (work / "config.json").write_text('{"officer": "市局"}', encoding="utf-8")
    copies = []
    for n, _ in enumerate(districts):
        copy = work / f"district{n}.db"
        shutil.copyfile(city, copy)
        copies.append(copy)
    figures["floor: backup API of the source file"].append(
        backup_copy(copies[0], work / "floor-source.db")
    )
    (work / "floor-source.db").unlink()
    packages = []
    for n, (copy, district) in enumerate(zip(copies, districts, strict=True)):
        target = work / f"p{n}.duibiao"
        lines = cli(
            "package", "--db", str(copy), "--district", district, "-o", str(target), env=env
        )
        figures[f"package --district {district}"].append(lines[-1][0])
        size = target.stat().st_size
        conn = sqlite3.connect(copy.resolve().as_uri() + "?mode=ro", uri=True)
        count = conn.execute(
            "SELECT count(*) FROM enterprise e JOIN district d ON d.id = e.district_id "
            "WHERE d.name = ? AND e.deleted_at IS NULL",
            [district],
        ).fetchone()[0]
        conn.close()
        figures[f"  size MB, {district} ({count} enterprises)"].append(size / 1_048_576)
        figures[f"  KB an enterprise, {district}"].append(size / 1024 / count)
        packages.append(str(target))
    target = work / "city.db"
    lines = cli("merge", *packages, "--db", str(target), env=env)
    for part, value in merge_parts(lines).items():
        figures[f"first merge: {part}"].append(value)
    city_size = target.stat().st_size
    figures["  city file MB after the first merge"].append(city_size / 1_048_576)
    lines = cli("merge", *packages, "--db", str(target), env=env)
    for part, value in merge_parts(lines).items():
        figures[f"no-op merge: {part}"].append(value)
    figures["floor: backup API of the city file"].append(backup_copy(target, work / "f.db"))
    (work / "f.db").unlink()
    figures["floor: file copy of the city file"].append(file_copy(target, work / "f.db"))
    for path in work.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--districts", nargs=2, default=["丹阳市", "京口区"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    city = city_demo(args.enterprises, args.seed)
    figures: dict[str, list[float]] = defaultdict(list)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="merge-bench-", dir=CACHE) as folder:
        for n in range(args.runs):
            print(f"run {n + 1}/{args.runs}, load {os.getloadavg()[0]:.2f}", flush=True)
            one_run(city, args.districts, Path(folder), figures)
    load_after = os.getloadavg()
    print(
        f"\ncity demo of {args.enterprises} enterprises (seed {args.seed}), {args.runs} runs; "
        f"load average (1, 5, 15 min) before {' '.join(f'{v:.2f}' for v in load_before)}, "
        f"after {' '.join(f'{v:.2f}' for v in load_after)}, {os.cpu_count()} CPUs"
    )
    print(f"{'step':<48} {'median':>8}   runs")
    medians = {}
    for label, values in figures.items():
        medians[label] = statistics.median(values)
        runs = " ".join(f"{v:.2f}" for v in values)
        print(f"{label:<48} {medians[label]:>8.2f}   {runs}")
    floor_write = medians["floor: backup API of the city file"]
    floor_read = medians["floor: backup API of the source file"]
    print("\nratios of the medians:")
    for label in medians:
        if label.startswith("package"):
            print(f"  {label} / backup API of the source: {medians[label] / floor_read:.2f}x")
    for label in ("first merge: total", "no-op merge: total"):
        print(f"  {label} / backup API of the city file: {medians[label] / floor_write:.2f}x")


if __name__ == "__main__":
    main()
