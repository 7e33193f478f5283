#!/usr/bin/env bash
# Key press to result on screen (issue 2, "Scale"), in a real terminal (tmux, 120x40):
#   a) Textual's own Input echoing a key (bench/input_echo_app.py): "zjd" is typed untimed,
#      then the timed key "q"; done when "zjdq" is on screen (it cannot be before the echo).
#   b) duibiao-tui on the 3,000-enterprise demo: the same "zjd" untimed (typing in the table
#      starts the live search), then the timed key "q"; done when the status line shows the
#      count of "zjdq" ("显示 N 家", N checked against the database first).
#   f) the harness floor: the terminal's own echo of the same keys (cat, kernel tty echo).
#   c) for information, duibiao-tui's first search key: "z" typed while the table has focus
#      (moves focus to the search box and filters); done at the count for "z".
# Each run waits SETTLE s (-d, default 1) after first paint and again after the untimed text.
# The cases are interleaved: ROUNDS rounds of PER runs each (default 5 x 3 = 15 each), after one
# discarded warm-up run of each. Prints medians and b/a; target b/a <= 2.
#
#   bench/keystroke.sh
#   ROUNDS=8 PER=2 bench/keystroke.sh
#   BYTECODE_CACHE=0 bench/keystroke.sh   (see bench/lib.sh)
#   PREFIX=zjj KEY=x bench/keystroke.sh   (other terms; FIRST=j for the first key)
#   DB=bench/results/province40000.db bench/keystroke.sh   (another database; bench/province.sh)
#
# The untimed text is typed in one burst: the run times out (and says so) if a key of it is
# lost, since the count on screen would then differ.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
PER=${PER:-3}
SETTLE=${SETTLE:-1}
PREFIX=${PREFIX:-zjd}
KEY=${KEY:-q}
FIRST=${FIRST:-z}
if [ -n "${DB:-}" ]; then
  CITY_DB=$DB  # the database to search in (default: the 3,000-enterprise demo)
  [ -f "$CITY_DB" ] || { echo "no database at $CITY_DB" >&2; exit 2; }
fi

ensure_city_db
SAMPLES=$(mktemp -d)
trap 'rm -rf "$SAMPLES"' EXIT
LOG=$RESULTS/keystroke-$(date +%Y%m%d-%H%M%S).log
machine_line | tee "$LOG"
echo "database: $CITY_DB" | tee -a "$LOG"

# What the status line must show: counts straight from the store.
read -r N_PREFIX N_TERM N_FIRST < <("$PY" - "$CITY_DB" "$PREFIX" "$PREFIX$KEY" "$FIRST" <<'PYEOF'
import sys

from duibiao_tui.domain.models import EnterpriseQuery
from duibiao_tui.store.store import Store

store = Store.open(sys.argv[1])
print(*(len(store.search_enterprises(EnterpriseQuery(text=t))) for t in sys.argv[2:]))
store.close()
PYEOF
)
TOTAL=$("$PY" -c "
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute('select count(*) from enterprise where deleted_at is null').fetchone()[0])" "$CITY_DB")
echo "counts: '$PREFIX' $N_PREFIX, '$PREFIX$KEY' $N_TERM, '$FIRST' $N_FIRST (of $TOTAL)" | tee -a "$LOG"
if [ "$N_PREFIX" = "$N_TERM" ] || [ "$N_FIRST" = "$TOTAL" ]; then
  echo "the markers would not tell the keystroke's result apart: pick other terms" >&2
  exit 2
fi

ECHO_APP=("${RUN_ENV[@]}" "$PY" "$BENCH/input_echo_app.py")
CITY=("${RUN_ENV[@]}" "DUIBIAO_CONFIG=$LIST_CONFIG" "$APP" --db "$CITY_DB")  # opens on the list

one_round() {  # n label-prefix
  measure "${2}f" -n "$1" -t 20 -d "$SETTLE" -l "$PREFIX" -e "$KEY" -w "$PREFIX$KEY" \
    FLOOR-READY -- sh -c 'echo FLOOR-READY; exec cat'
  measure "${2}a" -n "$1" -t 20 -q C-q -d "$SETTLE" -l "$PREFIX" -e "$KEY" -w "$PREFIX$KEY" \
    INPUT-ECHO-READY -- "${ECHO_APP[@]}"
  measure "${2}b" -n "$1" -t 20 -q C-q -d "$SETTLE" -l "$PREFIX" -e "$KEY" -w "显示 $N_TERM 家" \
    企业名录 -- "${CITY[@]}"
  measure "${2}c" -n "$1" -t 20 -q C-q -d "$SETTLE" -l "$FIRST" -w "显示 $N_FIRST 家" \
    企业名录 -- "${CITY[@]}"
}

echo "warm-up (discarded)"
one_round 1 warmup-
for ((r = 1; r <= ROUNDS; r++)); do
  echo "round $r/$ROUNDS"
  one_round "$PER" ""
done

echo
echo "key press to result on screen, ms (load now $(cut -d' ' -f1-3 /proc/loadavg)):" | tee -a "$LOG"
report step a \
  "f|harness floor (tty echo, cat)" \
  "a|Textual Input echo ('$PREFIX' + '$KEY')" \
  "b|duibiao-tui search ('$PREFIX' + '$KEY')" \
  "c|duibiao-tui first key ('$FIRST' in table)" | tee -a "$LOG"
echo "target: b/a <= 2   (log: $LOG)"
