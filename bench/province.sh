#!/usr/bin/env bash
# Province scale (issue 16): one database for Jiangsu's 13 cities, ~40,000 enterprises and
# ~1.3 million form rows, built once by `duibiao-tui demo --enterprises 40000 --seed 1` into
# bench/results/province40000.db (git-ignored), then measured step by step:
#
#   build      the demo's own time to write the file (only when it is missing; logged)
#   size       the file's size, and the largest tables and indexes (dbstat)
#   paint      first paint of each desk from launch, in a real terminal (tmux, 120x40),
#              against an empty Textual app (bench/empty_app.py) in the same interleaved run:
#                a) empty Textual app                       EMPTY-APP-READY
#                b) F2 总览 frame (the home screen)          企业报送与审核
#                c) F2 总览 with its figures                  企业40000家 (from a worker thread)
#                d) F3 企业名录 (start_screen enterprises)    显示 40000 家
#                e) F4 审核台 (start_screen review)           审核台 … 共 40000 家
#                f) F5 措施 frame (start_screen measures)     提升措施跟踪
#                g) F5 措施 with its rows                     条，逾期 (read in a worker thread)
#   switch     a desk key pressed on the running app → that desk on screen (terminal-timing's
#              keystroke mode: launch, wait for the home screen's figures, SETTLE s, press the
#              key, time until the desk's marker shows), against Textual's Input echoing one
#              key (bench/input_echo_app.py) in the same run:
#                a) Textual Input echo of "q"
#                b) F2 from the list → 企业报送与审核;  c) F3 from 总览 → 显示 40000 家
#                d) F4 from 总览 → 共 40000 家，显示;   e) F5 from 总览 → 提升措施跟踪
#                f) F5 from 总览 until its rows show → 条，逾期
#   search     bench/search_queries.py --db <province file> (the query of a keystroke)
#   keystroke  DB=<province file> bench/keystroke.sh (key press → filtered list on screen)
#   export     the summary export of the whole province, one fresh process: its time, peak RSS
#              and workbook size, beside the same for the city's 3,000-enterprise file
#
#   bench/province.sh                      # every step (~45 min, more the first time)
#   STEPS="paint switch" bench/province.sh # some steps
#   ROUNDS=3 PER=3 SETTLE=2 ENTERPRISES=40000 bench/province.sh
#
# ROUNDS rounds of PER runs of each case (default 3 x 3) after one discarded warm-up run of
# each. The machine is shared: compare ratios within one run (each log starts with the load).
# Raw output: bench/results/province-<time>.log.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
PER=${PER:-3}
SETTLE=${SETTLE:-2}
ENTERPRISES=${ENTERPRISES:-40000}
STEPS=${STEPS:-build size paint switch search keystroke export}
PROVINCE_DB=$RESULTS/province$ENTERPRISES.db
TIMEOUT=${TIMEOUT:-60}

LOG=$RESULTS/province-$(date +%Y%m%d-%H%M%S).log
machine_line | tee "$LOG"
step() { [[ " $STEPS " == *" $1 "* ]]; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

if [ ! -f "$PROVINCE_DB" ]; then
  if step build; then
    echo "building $PROVINCE_DB ($ENTERPRISES enterprises, seed 1), load $(load) ..." | tee -a "$LOG"
    started=$(date +%s%N)
    "$APP" demo --db "$PROVINCE_DB" --enterprises "$ENTERPRISES" --seed 1
    echo "built in $((($(date +%s%N) - started) / 1000000)) ms, load $(load)" | tee -a "$LOG"
  else
    echo "no $PROVINCE_DB: run with the build step" >&2
    exit 2
  fi
fi

if step size; then
  echo "file size and the largest objects (load $(load)):" | tee -a "$LOG"
  "$PY" - "$PROVINCE_DB" <<'PYEOF' | tee -a "$LOG"
import sqlite3
import sys
from pathlib import Path

path = Path(sys.argv[1])
conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
mib = 1024 * 1024
print(f"  {path.name}: {path.stat().st_size / mib:,.0f} MiB")
for table in ("enterprise", "benchmark_item", "submission", "review_event", "audit_log",
              "search_index", "recognition"):
    print(f"  {table:<16} {conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:>11,} rows")
try:
    rows = conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12"
    ).fetchall()
except sqlite3.OperationalError:  # SQLite built without dbstat
    rows = []
for name, size in rows:
    print(f"  {name:<34} {size / mib:8,.0f} MiB")
PYEOF
fi

SAMPLES=$(mktemp -d)
trap 'rm -rf "$SAMPLES"' EXIT
TOTAL=$ENTERPRISES

config_for() {  # start_screen -> a config file naming the officer and that screen
  local file=$RESULTS/config-$1.json
  [ -f "$file" ] ||
    printf '{"officer": "基准测试", "default_district_id": null, "start_screen": "%s"}\n' "$1" >"$file"
  echo "$file"
}
HOME_CFG=$(config_for dashboard)
LIST_CFG=$(config_for enterprises)
REVIEW_CFG=$(config_for review)
MEASURES_CFG=$(config_for measures)
EMPTY_APP=("${RUN_ENV[@]}" "$PY" "$BENCH/empty_app.py")
ECHO_APP=("${RUN_ENV[@]}" "$PY" "$BENCH/input_echo_app.py")
ours() { echo "${RUN_ENV[@]}" "DUIBIAO_CONFIG=$1" "$APP" --db "$PROVINCE_DB"; }
read -r -a HOME_APP <<<"$(ours "$HOME_CFG")"
read -r -a LIST_APP <<<"$(ours "$LIST_CFG")"
read -r -a REVIEW_APP <<<"$(ours "$REVIEW_CFG")"
read -r -a MEASURES_APP <<<"$(ours "$MEASURES_CFG")"
FIGURES="企业${TOTAL}家"

paint_round() {  # n label-prefix
  local p=$2 t=$TIMEOUT
  measure "${p}a" -n "$1" -t "$t" -q C-q EMPTY-APP-READY -- "${EMPTY_APP[@]}"
  measure "${p}b" -n "$1" -t "$t" -q C-q 企业报送与审核 -- "${HOME_APP[@]}"
  measure "${p}c" -n "$1" -t "$t" -q C-q "$FIGURES" -- "${HOME_APP[@]}"
  measure "${p}d" -n "$1" -t "$t" -q C-q "显示 $TOTAL 家" -- "${LIST_APP[@]}"
  measure "${p}e" -n "$1" -t "$t" -q C-q "共 $TOTAL 家，显示" -- "${REVIEW_APP[@]}"
  measure "${p}f" -n "$1" -t "$t" -q C-q 提升措施跟踪 -- "${MEASURES_APP[@]}"
  measure "${p}g" -n "$1" -t "$t" -q C-q 条，逾期 -- "${MEASURES_APP[@]}"
}

switch_round() {  # n label-prefix
  local p=$2 t=$TIMEOUT d=$SETTLE
  measure "${p}a" -n "$1" -t "$t" -q C-q -d "$d" -e q -w q INPUT-ECHO-READY -- "${ECHO_APP[@]}"
  measure "${p}b" -n "$1" -t "$t" -q C-q -d "$d" -e F2 -w 企业报送与审核 \
    "显示 $TOTAL 家" -- "${LIST_APP[@]}"
  measure "${p}c" -n "$1" -t "$t" -q C-q -d "$d" -e F3 -w "显示 $TOTAL 家" \
    "$FIGURES" -- "${HOME_APP[@]}"
  measure "${p}d" -n "$1" -t "$t" -q C-q -d "$d" -e F4 -w "共 $TOTAL 家，显示" \
    "$FIGURES" -- "${HOME_APP[@]}"
  measure "${p}e" -n "$1" -t "$t" -q C-q -d "$d" -e F5 -w 提升措施跟踪 \
    "$FIGURES" -- "${HOME_APP[@]}"
  measure "${p}f" -n "$1" -t "$t" -q C-q -d "$d" -e F5 -w 条，逾期 \
    "$FIGURES" -- "${HOME_APP[@]}"
}

rounds() {  # function-name
  echo "warm-up (discarded)"
  "$1" 1 warmup-
  for ((r = 1; r <= ROUNDS; r++)); do
    echo "round $r/$ROUNDS (load $(load))"
    "$1" "$PER" ""
  done
}

if step paint; then
  echo "== first paint of each desk, $ENTERPRISES enterprises (load $(load))" | tee -a "$LOG"
  rm -f "$SAMPLES"/*
  rounds paint_round
  echo "first paint, ms (load now $(load)):" | tee -a "$LOG"
  report first a \
    "a|empty Textual app" \
    "b|F2 总览 frame" \
    "c|F2 总览 figures shown" \
    "d|F3 企业名录" \
    "e|F4 审核台" \
    "f|F5 措施 frame" \
    "g|F5 措施 rows shown" | tee -a "$LOG"
fi

if step switch; then
  echo "== desk key → desk on screen, $ENTERPRISES enterprises (load $(load))" | tee -a "$LOG"
  rm -f "$SAMPLES"/*
  rounds switch_round
  echo "desk key to desk on screen, ms (load now $(load)):" | tee -a "$LOG"
  report step a \
    "a|Textual Input echo of one key" \
    "b|F2 总览 (from the list)" \
    "c|F3 企业名录 (from 总览)" \
    "d|F4 审核台 (from 总览)" \
    "e|F5 措施 frame (from 总览)" \
    "f|F5 措施 rows shown (from 总览)" | tee -a "$LOG"
fi

if step search; then
  echo "== search queries (load $(load))" | tee -a "$LOG"
  "$PY" "$BENCH/search_queries.py" --db "$PROVINCE_DB" | tee -a "$LOG"
fi

if step keystroke; then
  echo "== key press → results on screen (load $(load))" | tee -a "$LOG"
  DB=$PROVINCE_DB ROUNDS=$ROUNDS PER=$PER "$BENCH/keystroke.sh" | tee -a "$LOG"
fi

if step export; then
  echo "== summary export, province beside city (load $(load))" | tee -a "$LOG"
  ensure_city_db
  "$PY" "$BENCH/export_bench.py" --memory-only --untraced \
    --memory-db "$CITY_DB" --memory-db "$PROVINCE_DB" | tee -a "$LOG"
  echo "load now $(load)" | tee -a "$LOG"
fi
echo "(log: $LOG)"
