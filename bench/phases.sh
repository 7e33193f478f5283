#!/usr/bin/env bash
# Where first paint goes (the breakdown behind bench/startup.sh): runs bench/startup_phases.py
# for the empty Textual app and for duibiao-tui on the 3,000-enterprise demo under
# terminal-timing (tmux, 120x40), interleaved, ROUNDS x PER runs each (default 4 x 3), and
# prints the median of each phase in ms:
#   start      process start -> the wrapper's first line (interpreter start-up; 10 ms ticks)
#   textual    import textual.app
#   ours       import duibiao_tui.launch and duibiao_tui.app (empty app: its module)
#   to run     -> App.run() called (config, opening the database, building the app)
#   to frame1  App.run() -> first frame handed to Textual's output thread
#   written    first frame -> its bytes flushed to the terminal by that thread
#   on screen  launch -> marker on screen, as terminal-timing sees it (EMPTY-APP-READY / 企业名录)
#
#   bench/phases.sh
#   BYTECODE_CACHE=0 bench/phases.sh    (see bench/lib.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-4}
PER=${PER:-3}

ensure_city_db
SAMPLES=$(mktemp -d)
trap 'rm -rf "$SAMPLES"' EXIT
LOG=$RESULTS/phases-$(date +%Y%m%d-%H%M%S).log
export BENCH_PHASES=$SAMPLES/phases.jsonl
machine_line | tee "$LOG"
WRAP=("${RUN_ENV[@]}" "BENCH_PHASES=$BENCH_PHASES" "$PY" "$BENCH/startup_phases.py")

echo "warm-up (discarded)"
measure warmup-empty -n 1 -t 30 -q C-q EMPTY-APP-READY -- "${WRAP[@]}" empty
measure warmup-app -n 1 -t 30 -q C-q 企业名录 -- "${WRAP[@]}" app --db "$CITY_DB"
: >"$BENCH_PHASES"
for ((r = 1; r <= ROUNDS; r++)); do
  echo "round $r/$ROUNDS"
  measure empty -n "$PER" -t 30 -q C-q EMPTY-APP-READY -- "${WRAP[@]}" empty
  measure app -n "$PER" -t 30 -q C-q 企业名录 -- "${WRAP[@]}" app --db "$CITY_DB"
done

echo
"$PY" - "$BENCH_PHASES" "$SAMPLES" <<'PYEOF' | tee -a "$LOG"
import json
import statistics
import sys
from pathlib import Path

records = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines()]
columns = ["start", "textual", "ours", "to run", "to frame1", "written", "on screen"]


def phases(r: dict) -> list[float]:
    frame1 = r["frames"][0][0] if r["frames"] else float("nan")
    big = [t for t, n in r["flushes"] if n >= 1000 and t >= frame1]  # the first frame's bytes
    return [
        r["before_main"],
        r["textual_imported"],
        r["app_imported"] - r["textual_imported"],
        r["run_called"] - r["app_imported"],
        frame1 - r["run_called"],
        (big[0] if big else float("nan")) - frame1,
    ]


print("median ms  " + "".join(f"{c:>11}" for c in columns) + "      n")
for which, label in (("empty", "empty app"), ("app", "duibiao-tui")):
    rows = [phases(r) for r in records if r["which"] == which]
    screen = Path(sys.argv[2], f"{which}.first").read_text().split()
    meds = [statistics.median(col) for col in zip(*rows, strict=True)]
    meds.append(statistics.median(int(x) for x in screen))
    print(f"{label:<11}" + "".join(f"{m:>11.0f}" for m in meds) + f"{len(rows):>7}")
PYEOF
