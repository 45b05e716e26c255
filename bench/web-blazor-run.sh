#!/usr/bin/env bash
# The interactive (Blazor Server + MudBlazor + LibGit2Sharp) dashboard, issue #8 "Performance": N Chromium tabs watching
# one deployment of 10,000 events (paced and burst), the history grid with 100,000 deployments, the page of a
# 100,000-line deployment, and browsing (environment page at new commits, commit list) side by side with the
# revision before the move (static SSR + git CLI, BENCH_OLD_REV). Writes bench/results/<YYYY-MM-DD>-<NAME>.md.
# See bench/README.md.
set -euo pipefail
NAME="${1:-web-blazor}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-blazor-artifacts}"
OLD_ART="${BENCH_OLD_ARTIFACTS:-/tmp/bench-blazor-old-artifacts}"
OLD_REV="${BENCH_OLD_REV:-5aebf63}"
PORT="${BENCH_WEB_PORT:-5090}"
OLD_PORT="${BENCH_OLD_WEB_PORT:-5091}"
TABS="${BENCH_TABS:-50}"
CONTEXTS="${BENCH_TAB_CONTEXTS:-per-tab}"     # per-tab | shared
LINES="${BENCH_WEB_LINES:-10000}"
RATE="${BENCH_WEB_RATE:-500}"
ROWS="${BENCH_WEB_ROWS:-100000}"
BIG="${BENCH_WEB_LOG_LINES:-100000}"
COMMITS="${BENCH_COMMITS:-50}"
SAMPLES="${BENCH_SAMPLES:-40}"
SCENARIOS="${BENCH_SCENARIOS:-browse tabs-paced tabs-burst biglog history old}"
PY="${PYTHON:-python3}"
BASE="http://127.0.0.1:$PORT"
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
ensure_tools /usr/bin/chromium:chromium sqlite3:sqlite3

TMP="$(mktemp -d /tmp/batou-web-blazor-bench.XXXXXX)"
OUT="$TMP/out"; mkdir -p "$OUT"
SERVER_PID=""
OLD_TREE=""
cleanup() {
  stop_server
  if [[ -n "$OLD_TREE" ]]; then git -C "$ROOT" worktree remove --force "$OLD_TREE" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

log "build Batou.Web and bench/WebBlazor (Release) into $ART"
(cd "$ROOT" && dotnet build Batou.Web -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
(cd "$ROOT" && dotnet build bench/WebBlazor -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
DLL="$ART/bin/Batou.Web/release/Batou.Web.dll"
TOOL="$ART/bin/WebBlazor/release/WebBlazor.dll"
if want old; then
  OLD_TREE="$TMP/old"
  log "build Batou.Web at $OLD_REV (before the Blazor move) into $OLD_ART"
  git -C "$ROOT" worktree add -q --detach "$OLD_TREE" "$OLD_REV"
  (cd "$OLD_TREE" && dotnet build Batou.Web -c Release --artifacts-path "$OLD_ART" -v q -nologo) | tail -1
  OLD_DLL="$OLD_ART/bin/Batou.Web/release/Batou.Web.dll"
  OLD_SHA="$(git -C "$OLD_TREE" rev-parse --short HEAD)"
fi

log "the benchmark repository in $TMP/repo ($COMMITS commits)"
R="$TMP/repo"
mkdir -p "$R/components/chatty"
cp "$HERE/chatty.cs" "$R/components/chatty/component.cs"
envcfg() {  # NAME LINES RATE HOLD STAMP
  mkdir -p "$R/environments/$1"
  printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = %s\nlines_per_second = %s\nhold_file = %s\nstamp = %s\n' \
    "$2" "$3" "$4" "$5" > "$R/environments/$1/environment.cfg"
}
envcfg paced "$LINES" "$RATE" "$TMP/hold" true
envcfg burst "$LINES" 0 "$TMP/hold" true
envcfg warm 200 0 "" true
envcfg big "$BIG" 0 "" false
envcfg browse 1 0 "" false
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
git -C "$R" init -q -b main && git -C "$R" add -A && git -C "$R" commit -q -m "chatty bench environments"
# each commit changes the browsed environment (and a file beside the component): a new tree, a new model
for i in $(seq 2 "$COMMITS"); do
  envcfg browse "$i" 0 "" false
  echo "revision $i" > "$R/components/chatty/notes.txt"
  git -C "$R" add -A && git -C "$R" commit -q -m "browse: $i lines"
done
git -C "$R" rev-list HEAD > "$TMP/commits"

start_server() {  # DLL PORT DATA LOG
  Batou__DataDirectory="$3" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$R" \
  Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
    dotnet "$1" --urls "http://127.0.0.1:$2" >"$4" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null "http://127.0.0.1:$2/setup"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$4" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$4" >&2; exit 1
}
status_of() { sqlite3 "$1" "SELECT Status FROM deployments WHERE Id=$2"; }
wait_status() {  # DB ID WANT... — bounded (10 min)
  local db="$1" id="$2" st; shift 2
  for _ in $(seq 1 1200); do
    st=$(status_of "$db" "$id")
    for w in "$@"; do [[ "$st" == "$w" ]] && { echo "$st"; return 0; }; done
    sleep 0.5
  done
  echo "deployment $id stayed $st" >&2; return 1
}
final() { wait_status "$1" "$2" succeeded failed cancelled interrupted; }

DB="$TMP/data/batou-web.db"
log "dashboard ($(git -C "$ROOT" rev-parse --short HEAD)) on $BASE"
start_server "$DLL" "$PORT" "$TMP/data" "$TMP/server.log"
"$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > "$TMP/cookie"

if want browse; then
  log "browsing: the environment page at $COMMITS new commits, commit list, commit pages"
  "$PY" "$HERE/web_bench.py" browse "$BASE" "$TMP/cookies.txt" bench browse "$TMP/commits" "$SAMPLES" | tee "$OUT/browse-new.json"
fi

tabs() {  # ENV
  local env="$1" warm dep
  log "$TABS tabs watch $env ($LINES lines, $( [[ $env == paced ]] && echo "$RATE lines/s" || echo "one burst"))"
  rm -f "$TMP/hold"
  warm=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench warm)
  echo "   warm-up #$warm: $(final "$DB" "$warm")"
  touch "$TMP/hold"
  dep=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench "$env")
  wait_status "$DB" "$dep" running >/dev/null
  echo "   deployment #$dep running, held"
  local counters=""
  if [[ -n "${BENCH_COUNTERS:-}" ]]; then   # path of dotnet-counters: runtime and Blazor counters once a second into $OUT (BENCH_KEEP=1 keeps them)
    "$BENCH_COUNTERS" collect -p "$SERVER_PID" --format csv -o "$OUT/counters-$env.csv" --refresh-interval 1 \
      --counters System.Runtime,Microsoft.AspNetCore.Components,Microsoft.AspNetCore.Components.Server.Circuits,Microsoft.AspNetCore.Http.Connections \
      > "$OUT/counters-$env.log" 2>&1 &
    counters=$!
  fi
  dotnet "$TOOL" tabs "$BASE" "$dep" "$TMP/hold" "$TABS" "$SERVER_PID" "$OUT/tabs-$env.md" "$CONTEXTS" || echo "   (the tabs run failed)"
  if [[ -n "$counters" ]]; then kill -TERM "$counters" 2>/dev/null || true; wait "$counters" 2>/dev/null || true; fi
  rm -f "$TMP/hold"
  echo "   #$dep: $(final "$DB" "$dep"); $(sqlite3 "$DB" "SELECT EventCount, round((julianday(FinishedUtc) - julianday(StartedUtc)) * 86400, 1) FROM deployments WHERE Id=$dep") (events, engine s)" | tee "$OUT/tabs-$env.db"
}
want tabs-paced && tabs paced
want tabs-burst && tabs burst

if want biglog; then
  log "a deployment of $BIG lines, then its page"
  dep=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench big)
  echo "   #$dep: $(final "$DB" "$dep")"
  dotnet "$TOOL" biglog "$BASE" "$dep" 10 "$OUT/biglog.md"
fi

history_rows() {  # DB BASE COOKIES OUTNAME
  "$PY" "$HERE/web_bench.py" seed "$1" "$ROWS" > "$OUT/seed-$4.txt"
  "$PY" "$HERE/web_bench.py" time "$2" "$3" "$SAMPLES" "/deployments" "/deployments?status=failed" "/deployments?env=staging" \
    "/deployments?user=carol&status=cancelled" | tee "$OUT/history-$4.json"
}
if want history; then
  log "history with $ROWS deployments"
  history_rows "$DB" "$BASE" "$TMP/cookies.txt" new
  dotnet "$TOOL" history "$BASE" "$SAMPLES" "$OUT/grid.md"
fi
echo "server peak RSS (VmHWM since the last reset): $(awk '$1=="VmHWM:" {print $2}' "/proc/$SERVER_PID/status") kB" > "$OUT/server-new.txt"
stop_server

if want old; then
  log "the dashboard before the move ($OLD_SHA) on port $OLD_PORT: browsing and history"
  OBASE="http://127.0.0.1:$OLD_PORT"
  start_server "$OLD_DLL" "$OLD_PORT" "$TMP/old-data" "$TMP/server-old.log"
  "$PY" "$HERE/web_bench.py" signin "$OBASE" admin bench-password "$TMP/old-cookies.txt" > /dev/null
  want browse && "$PY" "$HERE/web_bench.py" browse "$OBASE" "$TMP/old-cookies.txt" bench browse "$TMP/commits" "$SAMPLES" | tee "$OUT/browse-old.json"
  want history && history_rows "$TMP/old-data/batou-web.db" "$OBASE" "$TMP/old-cookies.txt" old
  stop_server
fi

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
COMMAND="$(for v in $(compgen -e | grep -E '^BENCH_' | sort); do printf '%s=%q ' "$v" "${!v}"; done)bench/web-blazor-run.sh $NAME"   # with the settings that were given
"$PY" "$HERE/web_blazor_report.py" "$OUT" "$RESULT" "$COMMAND" "$(head_ref "$ROOT")" "${OLD_SHA:-}" "$LOAD_START" \
  "$TABS" "$CONTEXTS" "$LINES" "$RATE" "$ROWS" "$BIG" "$COMMITS" "$SAMPLES" "$(( $(date +%s) - STARTED ))"
log "wrote $RESULT ($(( $(date +%s) - STARTED )) s)"
