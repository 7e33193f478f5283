"""Time one search keystroke's query: ``Store.search_enterprises`` for terms of length 1..8.

Issue 2 ("Scale"): each search keystroke's query takes under 16 ms median, for every term
length. Terms cover what officers type: pinyin initials (长江电器设备有限 → z, zj, zjd, zjdq…,
where 长 reads zhang as well as chang), Chinese substrings (丹, 丹阳, 机械, 电器设备…), full
pinyin (zhen … zhenjiang) and credit-code fragments (9132…, MA1…). Each term is queried once
to warm the caches, then REPEAT times; the median per term, per length and overall is printed.

    .venv/bin/python bench/search_queries.py [--db bench/results/city3000.db] [--repeat 15]

The database is the 3,000-enterprise demo that bench/startup.sh builds (built here if missing).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from duibiao_tui.domain.models import EnterpriseQuery
from duibiao_tui.store.store import Store

BENCH = Path(__file__).resolve().parent
DEFAULT_DB = BENCH / "results" / "city3000.db"
TARGET_MS = 16.0


def prefixes(word: str, longest: int = 8) -> list[str]:
    return [word[:n] for n in range(1, min(len(word), longest) + 1)]


TERMS: list[tuple[str, str]] = [
    *(("initials", t) for t in prefixes("zjdqsbyx")),  # 长江电器设备有限
    *(("chinese", t) for t in prefixes("丹阳市长江电器设备")),
    ("chinese", "机械"),
    ("chinese", "电器设备"),
    ("chinese", "有限公司"),
    *(("pinyin", t) for t in prefixes("zhenjiang")[1:]),  # "z" is already above
    ("pinyin", "zhenjiang"),
    ("pinyin", "dianqi"),
    *(("code", t) for t in prefixes("91321181")),
    *(("code", t) for t in ("M", "MA", "MA1", "MA1D", "MA1DG", "32118", "3211")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    if not args.db.exists():
        print(f"building {args.db} (3,000 enterprises, seed 1) ...", flush=True)
        args.db.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "duibiao_tui", "demo", "--db", str(args.db),
             "--enterprises", "3000", "--seed", "1"],
            check=True,
        )  # fmt: skip

    t0 = time.perf_counter()
    store = Store.open(args.db)
    opened = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    store.search_enterprises(EnterpriseQuery(text="z"))
    cold = (time.perf_counter() - t0) * 1000
    conn = store.conn
    enterprises = conn.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    indexed = conn.execute("SELECT count(*) FROM search_index").fetchone()[0]
    print(f"database: {args.db} ({enterprises} enterprises, {indexed} in the search index)")
    print(f"open {opened:.1f} ms; first query, cold (reads the list cache) {cold:.1f} ms")
    print(f"each term: 1 warm-up + {args.repeat} timed calls, round-robin over the terms\n")

    print(f"{'kind':<9} {'len':>3}  {'term':<18} {'hits':>5} {'median':>8} {'max':>8}")
    queries = [(kind, term, EnterpriseQuery(text=term)) for kind, term in TERMS]
    hits = [len(store.search_enterprises(q)) for _, _, q in queries]  # warm-up
    times: list[list[float]] = [[] for _ in queries]
    for _ in range(args.repeat):  # round-robin, so a noisy moment hits every term alike
        for i, (_, _, query) in enumerate(queries):
            start = time.perf_counter()
            store.search_enterprises(query)
            times[i].append((time.perf_counter() - start) * 1000)

    by_length: dict[int, list[float]] = defaultdict(list)
    term_medians: dict[int, list[float]] = defaultdict(list)
    every: list[float] = []
    for (kind, term, _), count, samples in zip(queries, hits, times, strict=True):
        median = statistics.median(samples)
        length = len(term)
        by_length[length].extend(samples)
        term_medians[length].append(median)
        every.extend(samples)
        pad = 18 - sum(2 if ord(c) > 0x2E80 else 1 for c in term) + len(term)
        print(
            f"{kind:<9} {length:>3}  {term:<{pad}} {count:>5} {median:>7.2f}  {max(samples):>7.2f}"
        )
    store.close()

    print(
        f"\n{'len':>3} {'terms':>5} {'median':>8} {'worst term median':>18}  target < {TARGET_MS:g} ms"
    )
    failed = []
    for length in sorted(by_length):
        median = statistics.median(by_length[length])
        worst = max(term_medians[length])
        ok = worst < TARGET_MS
        if not ok:
            failed.append(length)
        print(
            f"{length:>3} {len(term_medians[length]):>5} {median:>7.2f}  {worst:>17.2f}"
            f"  {'ok' if ok else 'MISSED'}"
        )
    print(f"\noverall median {statistics.median(every):.2f} ms over {len(every)} calls")
    if failed:
        print(f"target missed for term lengths {failed}")


if __name__ == "__main__":
    main()
