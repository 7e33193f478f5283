#!/usr/bin/env bash
# First paint, side by side in one run (issue 2, "Scale"): time from launch in a real
# terminal (tmux, 120x40) until the first text is on screen, for
#   a) an empty Textual app (bench/empty_app.py)          marker EMPTY-APP-READY
#   b) duibiao-tui on the 3,000-enterprise demo database   marker 企业报送与审核 (the dashboard,
#      the home screen: its status table's title, shown with the figures)
#   c) duibiao-tui on an empty database                    marker 企业报送与审核
#   d) duibiao-tui on the city database, start_screen=enterprises   marker 企业名录 (the list)
#   e) duibiao-tui dashboard on the city database until its figures show   marker 企业3000家
#      (a city's counts are made in a worker thread after the first paint)
#   f) the harness floor: sh printing a line (what polling tmux itself costs)
# The cases are interleaved: ROUNDS rounds of PER runs of each (default 5 x 3 = 15 each),
# after one discarded warm-up run of each. Prints medians and b/a, c/a; target b/a <= 1.3.
#
#   bench/startup.sh                 # ~1-2 min (+10-40 s the first time, to build the demo)
#   ROUNDS=8 PER=2 bench/startup.sh  # more samples on a noisy machine
#   BYTECODE_CACHE=0 bench/startup.sh  # every launch compiles our modules (see bench/lib.sh)
#
# Raw output goes to bench/results/startup-<time>.log (git-ignored).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
PER=${PER:-3}

ensure_city_db
ensure_empty_db
SAMPLES=$(mktemp -d)
trap 'rm -rf "$SAMPLES"' EXIT
LOG=$RESULTS/startup-$(date +%Y%m%d-%H%M%S).log
machine_line | tee "$LOG"

EMPTY_APP=("${RUN_ENV[@]}" "$PY" "$BENCH/empty_app.py")
CITY=("${RUN_ENV[@]}" "$APP" --db "$CITY_DB")
EMPTY=("${RUN_ENV[@]}" "$APP" --db "$EMPTY_DB")
CITY_LIST=("${RUN_ENV[@]}" "DUIBIAO_CONFIG=$LIST_CONFIG" "$APP" --db "$CITY_DB")

one_round() {  # n label-prefix
  measure "${2}f" -n "$1" -t 30 FLOOR-READY -- sh -c 'echo FLOOR-READY; sleep 60'
  measure "${2}a" -n "$1" -t 30 -q C-q EMPTY-APP-READY -- "${EMPTY_APP[@]}"
  measure "${2}b" -n "$1" -t 30 -q C-q 企业报送与审核 -- "${CITY[@]}"
  measure "${2}c" -n "$1" -t 30 -q C-q 企业报送与审核 -- "${EMPTY[@]}"
  measure "${2}d" -n "$1" -t 30 -q C-q 企业名录 -- "${CITY_LIST[@]}"
  measure "${2}e" -n "$1" -t 30 -q C-q 企业3000家 -- "${CITY[@]}"
}

echo "warm-up (discarded)"
one_round 1 warmup-
for ((r = 1; r <= ROUNDS; r++)); do
  echo "round $r/$ROUNDS"
  one_round "$PER" ""
done

echo
echo "first paint, ms (load now $(cut -d' ' -f1-3 /proc/loadavg)):" | tee -a "$LOG"
report first a \
  "f|harness floor (sh echo)" \
  "a|empty Textual app" \
  "b|duibiao-tui dashboard, 3,000 enterprises" \
  "c|duibiao-tui dashboard, empty database" \
  "d|duibiao-tui list, 3,000 enterprises" \
  "e|dashboard figures shown, 3,000 enterprises" | tee -a "$LOG"
echo "target: b/a <= 1.3   (log: $LOG)"
