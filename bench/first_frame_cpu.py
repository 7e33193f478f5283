"""CPU time to the first frame (and to the dashboard's figures), headless: a figure that a
busy machine disturbs far less than wall-clock time in a terminal.

Each run is a fresh process: the interpreter's own CPU time (``time.process_time``) from
its start until Textual hands over the frame that shows the marker (the empty app's line,
the list's title, the dashboard's ``企业N家``). The same runs for the empty Textual app give
the floor. bench/startup.sh stays the measure of record (a real terminal, wall time); this
one is for trying changes while other work loads the machine.

    .venv/bin/python bench/first_frame_cpu.py [--runs 7] [--db bench/results/city3000.db]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"

CHILD = r"""
import json, os, sys, time
which, marker, db = sys.argv[1], sys.argv[2], sys.argv[3]
if which != "empty":  # as duibiao_tui.launch does for the everyday open
    from duibiao_tui import start_gc
    start_gc.pause()
import textual.app
from textual.app import App

found = {}



original = App._display


def display(self, screen, renderable):
    if renderable is not None and "cpu" not in found:
        from rich.console import Console
        console = Console(width=120, file=open(os.devnull, "w"), record=True)
        console.print(renderable)
        if marker in console.export_text():
            found["cpu"] = time.process_time() * 1000
            found["frames"] = found.get("frames", 0) + 1
            self.call_later(self.exit)
        else:
            found["frames"] = found.get("frames", 0) + 1
    return original(self, screen, renderable)


App._display = display
if which == "empty":
    sys.path.insert(0, sys.argv[4])
    import empty_app
    empty_app.EmptyApp().run(headless=True, size=(120, 40))
else:
    from duibiao_tui.app import DuibiaoApp
    from duibiao_tui.config import Config
    from duibiao_tui.store.store import Store
    store = Store.open(db, officer="基准测试", quick_check=False)
    start = None if which == "dashboard" else "enterprises"
    DuibiaoApp(store, config=Config(officer="基准测试"), db_label=db, start_mode=start).run(
        headless=True, size=(120, 40)
    )
    store.close()
print(json.dumps(found))
"""


def one(which: str, marker: str, db: str) -> float | None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(RESULTS / "pycache")
    env["DUIBIAO_CONFIG"] = str(RESULTS / "config.json")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, marker, db, str(BENCH)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        print(out.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(lines[-1]).get("cpu")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", default=str(RESULTS / "city3000.db"))
    parser.add_argument("--enterprises", type=int, default=3000)
    args = parser.parse_args()
    cases = {
        "empty app": ("empty", "EMPTY-APP-READY"),
        "list": ("list", "企业名录"),
        "dashboard figures": ("dashboard", f"企业{args.enterprises}家"),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for which, marker in cases.values():  # warm-up: bytecode, page cache
        one(which, marker, args.db)
    for _ in range(args.runs):
        for name, (which, marker) in cases.items():
            cpu = one(which, marker, args.db)
            if cpu is not None:
                samples[name].append(cpu)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"CPU ms to the frame showing the marker, {args.runs} runs, load {' '.join(load)}")
    base = statistics.median(samples["empty app"])
    for name, values in samples.items():
        if not values:
            print(f"  {name:20} no frame showed the marker")
            continue
        median = statistics.median(values)
        print(
            f"  {name:20} {median:7.0f}  (min {min(values):.0f}, max {max(values):.0f})"
            f"  {median / base:.2f}x"
        )


if __name__ == "__main__":
    main()
