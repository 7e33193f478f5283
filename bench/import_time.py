"""Import-time breakdown: ``import duibiao_tui.launch, duibiao_tui.app`` against ``import textual.app``.

Runs ``python -X importtime -c ...`` RUNS times for each statement (alternating) and prints
the median cumulative time of each, what our import adds on top of Textual's, and our
package's top contributors (self time = the module's own code; cumulative = with what it
imports). Bytecode: by default the runs may read and write compiled files under
bench/results/pycache, as an installed package would; ``--no-bytecode-cache`` sets
PYTHONDONTWRITEBYTECODE=1 as this workplace's shells do, so our modules compile every time.

    .venv/bin/python bench/import_time.py [--runs 9] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OURS = "import duibiao_tui.launch, duibiao_tui.app"
TEXTUAL = "import textual.app"
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def importtime(statement: str, env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """module -> (self us, cumulative us) for one run of ``statement``."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return {m[4]: (int(m[1]), int(m[2])) for m in map(LINE.match, out.splitlines()) if m}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-bytecode-cache", action="store_true")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()

    env = dict(os.environ)
    if args.no_bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(BENCH / "results" / "pycache")
        importtime(OURS, env)  # fill the cache once

    ours: list[dict[str, tuple[int, int]]] = []
    textual: list[dict[str, tuple[int, int]]] = []
    for _ in range(args.runs):
        textual.append(importtime(TEXTUAL, env))
        ours.append(importtime(OURS, env))

    def total(run: dict[str, tuple[int, int]]) -> int:
        return sum(self_us for self_us, _ in run.values())

    t_med = statistics.median(total(r) for r in textual) / 1000
    o_med = statistics.median(total(r) for r in ours) / 1000
    mode = "off (compiled every run)" if args.no_bytecode_cache else "on"
    print(f"python -X importtime, {args.runs} runs each, bytecode cache {mode}")
    print(f"  {TEXTUAL:<45} {t_med:6.1f} ms")
    print(f"  {OURS:<45} {o_med:6.1f} ms  (+{o_med - t_med:.1f} ms)")

    base = set().union(*textual)
    extra: dict[str, list[int]] = defaultdict(list)
    for run in ours:
        groups: dict[str, int] = defaultdict(int)
        for module, (self_us, _) in run.items():
            if module not in base:
                groups[module.split(".")[0]] += self_us
        for group, us in groups.items():
            extra[group].append(us)
    print("\nmodules our import adds beyond textual.app, by top-level package (self time):")
    for group, values in sorted(extra.items(), key=lambda kv: -statistics.median(kv[1])):
        med = statistics.median(values) / 1000
        if med >= 0.2:
            print(f"  {group:<30} {med:6.1f} ms")

    per_module: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for run in ours:
        for module, times in run.items():
            if module.startswith("duibiao_tui"):
                per_module[module].append(times)
    print(f"\ntop {args.top} duibiao_tui modules by self time (median ms):")
    print(f"  {'module':<40} {'self':>6} {'cumulative':>11}")
    rows = sorted(per_module.items(), key=lambda kv: -statistics.median(s for s, _ in kv[1]))[
        : args.top
    ]
    for module, times in rows:
        self_ms = statistics.median(s for s, _ in times) / 1000
        cum_ms = statistics.median(c for _, c in times) / 1000
        print(f"  {module:<40} {self_ms:6.1f} {cum_ms:11.1f}")


if __name__ == "__main__":
    main()
