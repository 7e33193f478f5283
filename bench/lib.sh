# Shared by bench/startup.sh and bench/keystroke.sh (sourced, not run).
#
# Paths can be overridden from the environment:
#   VENV             the project's virtualenv        (default: <repo>/.venv)
#   TERMINAL_TIMING  the tmux timing harness         (default: <repo>/../shared/tools/terminal-timing)
#   BENCH_RESULTS    where databases and logs go      (default: <repo>/bench/results, git-ignored)
#   BYTECODE_CACHE   1 (default): every timed Python process may read and write compiled
#                    bytecode, kept under $BENCH_RESULTS/pycache (PYTHONPYCACHEPREFIX), as on
#                    an officer's machine where pip compiled the package at install;
#                    0: PYTHONDONTWRITEBYTECODE=1, as in this workplace's shells, so our own
#                    modules are compiled from source at every launch (Textual's are not:
#                    pip wrote their .pyc files when it installed them)

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
APP=$VENV/bin/duibiao-tui
TERMINAL_TIMING=${TERMINAL_TIMING:-$ROOT/../shared/tools/terminal-timing}
RESULTS=${BENCH_RESULTS:-$BENCH/results}
CITY_DB=$RESULTS/city3000.db
EMPTY_DB=$RESULTS/empty.db
CONFIG=$RESULTS/config.json
COLS=120
ROWS=40

[ -x "$TERMINAL_TIMING" ] || { echo "terminal-timing not found at $TERMINAL_TIMING" >&2; exit 2; }
[ -x "$APP" ] || { echo "duibiao-tui not installed in $VENV" >&2; exit 2; }
mkdir -p "$RESULTS"

# The officer is configured so the first-run dialog never appears.
[ -f "$CONFIG" ] || printf '{"officer": "基准测试", "default_district_id": null}\n' >"$CONFIG"
# The same officer, opening on the enterprise list (start_screen) for the list's figures.
LIST_CONFIG=$RESULTS/config-list.json
[ -f "$LIST_CONFIG" ] ||
  printf '{"officer": "基准测试", "default_district_id": null, "start_screen": "enterprises"}\n' \
    >"$LIST_CONFIG"
export DUIBIAO_CONFIG=$CONFIG

# RUN_ENV: the prefix of every timed Python command line (the empty app's and ours alike).
if [ "${BYTECODE_CACHE:-1}" = 1 ]; then
  RUN_ENV=(env -u PYTHONDONTWRITEBYTECODE "PYTHONPYCACHEPREFIX=$RESULTS/pycache" "DUIBIAO_CONFIG=$CONFIG")
  BYTECODE_NOTE="bytecode cache on ($RESULTS/pycache)"
else
  RUN_ENV=(env -u PYTHONPYCACHEPREFIX PYTHONDONTWRITEBYTECODE=1 "DUIBIAO_CONFIG=$CONFIG")
  BYTECODE_NOTE="bytecode cache off (PYTHONDONTWRITEBYTECODE=1)"
fi

machine_line() {
  echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); load $(cut -d' ' -f1-3 /proc/loadavg); $BYTECODE_NOTE"
}

ensure_city_db() {  # the 3,000-enterprise demo, written once (10-40 s)
  if [ ! -f "$CITY_DB" ]; then
    echo "building $CITY_DB (3,000 enterprises, seed 1) ..."
    "$APP" demo --db "$CITY_DB" --enterprises 3000 --seed 1
  fi
}

ensure_empty_db() {  # an empty database with its schema already in place
  [ -f "$EMPTY_DB" ] || "$PY" -c "
import sys
from duibiao_tui.store.store import Store
Store.open(sys.argv[1]).close()" "$EMPTY_DB"
}

# measure LABEL [terminal-timing options] MARKER -- CMD...
# Runs terminal-timing at COLSxROWS, appends its output to $LOG (prefixed with LABEL),
# and appends the run times to $SAMPLES/LABEL.first (and LABEL.step when -w was given).
# Timed-out runs are logged and left out of the samples.
measure() {
  local label=$1 out; shift
  out=$("$TERMINAL_TIMING" -x "$COLS" -y "$ROWS" "$@" 2>&1) || true
  printf '%s\n' "$out" | sed "s/^/[$label] /" | tee -a "$LOG" | grep -E 'TIMEOUT|^\[[^]]*\] run' || true
  printf '%s\n' "$out" | sed -nE 's/^run [0-9]+: first ([0-9]+) ms.*/\1/p' >>"$SAMPLES/$label.first"
  printf '%s\n' "$out" | sed -nE 's/^run [0-9]+: .*step ([0-9]+) ms.*/\1/p' >>"$SAMPLES/$label.step"
}

# report FIELD BASE "LABEL|description" ... -> a table of median/min/max/n of
# $SAMPLES/LABEL.FIELD and each median's ratio to BASE's median.
report() {
  "$PY" - "$SAMPLES" "$@" <<'PYEOF'
import statistics
import sys
from pathlib import Path

samples, field, base, *cases = sys.argv[1:]


def load(label: str) -> list[int]:
    path = Path(samples, f"{label}.{field}")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


base_xs = load(base)
base_med = statistics.median(base_xs) if base_xs else None
print(f"{'case':<46} {'median':>7} {'min':>6} {'max':>6} {'n':>3}  ratio")
for case in cases:
    label, _, text = case.partition("|")
    xs = load(label)
    if not xs:
        print(f"{label + ' ' + text:<46} {'-':>7} {'-':>6} {'-':>6} {0:>3}  (no successful runs)")
        continue
    med = statistics.median(xs)
    ratio = f"{med / base_med:.2f}x {base}" if base_med and label != base else ""
    print(f"{label + ' ' + text:<46} {med:>7.0f} {min(xs):>6} {max(xs):>6} {len(xs):>3}  {ratio}")
PYEOF
}
