#!/usr/bin/env bash
# Issue #8's live deployment page, before and after in ONE run: Chromium tabs watching one deployment of 10,000 log
# lines (paced, emit → DOM latency per line), with one browser context per tab and with tabs sharing one context, and
# the page of a 100,000-line deployment (navigation → interactive tail). Every variant (a revision, optionally with
# environment settings) runs each case in turn, round after round, so they share the machine's load.
# Writes bench/results/<YYYY-MM-DD>-<NAME>.md. See bench/README.md ("Web, live page").
set -euo pipefail
NAME="${1:-web-live}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-live-artifacts}"
# LABEL:REV[:VAR=VALUE,VAR=VALUE] — REV "worktree" is the working tree; VARs go to the dashboard's environment
VARIANTS="${BENCH_VARIANTS:-before:b441484 after:worktree}"
CASES="${BENCH_CASES:-10:per-tab 50:shared 50:per-tab}"   # TABS:per-tab|shared
ROUNDS="${BENCH_ROUNDS:-1}"
SCENARIOS="${BENCH_SCENARIOS:-tabs biglog}"
LINES="${BENCH_WEB_LINES:-10000}"
RATE="${BENCH_WEB_RATE:-500}"
BIG="${BENCH_WEB_LOG_LINES:-100000}"
PORT="${BENCH_WEB_PORT:-5092}"
PY="${PYTHON:-python3}"
BASE="http://127.0.0.1:$PORT"
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
# optional pinning (taskset core lists): the dashboard with its engine child, and the browser tool with its Chromium
SERVER_PIN=(); BROWSER_PIN=()
[[ -n "${BENCH_SERVER_CPU:-}" ]] && SERVER_PIN=(taskset -c "$BENCH_SERVER_CPU")
[[ -n "${BENCH_BROWSER_CPU:-}" ]] && BROWSER_PIN=(taskset -c "$BENCH_BROWSER_CPU")
ensure_tools /usr/bin/chromium:chromium sqlite3:sqlite3

TMP="$(mktemp -d /tmp/batou-web-live-bench.XXXXXX)"
OUT="$TMP/out"; mkdir -p "$OUT"
SERVER_PID=""
TREES=()
trap end_web_bench EXIT

log "build bench/WebBlazor (Release)"
(cd "$ROOT" && dotnet build bench/WebBlazor -c Release --artifacts-path "$ART/tool" -v q -nologo) | tail -1
TOOL="$ART/tool/bin/WebBlazor/release/WebBlazor.dll"
declare -A DLL SHA
for v in $VARIANTS; do
  IFS=: read -r label rev _ <<< "$v"
  [[ -n "${DLL[$rev]:-}" ]] && continue
  build_web_rev "$rev"
done

log "the benchmark repository in $TMP/repo"
R="$TMP/repo"
mkdir -p "$R/components/chatty"
cp "$HERE/chatty.cs" "$R/components/chatty/component.cs"
envcfg() {  # NAME LINES RATE HOLD STAMP
  mkdir -p "$R/environments/$1"
  printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = %s\nlines_per_second = %s\nhold_file = %s\nstamp = %s\n' \
    "$2" "$3" "$4" "$5" > "$R/environments/$1/environment.cfg"
}
envcfg paced "$LINES" "$RATE" "$TMP/hold" true
envcfg warm 200 0 "" true
envcfg big "$BIG" 0 "" false
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
git -C "$R" init -q -b main && git -C "$R" add -A && git -C "$R" commit -q -m "chatty bench environments"

start_server() {  # DLL DATA LOG ENV_ASSIGNMENTS
  local extra=()
  [[ -n "$4" ]] && IFS=, read -r -a extra <<< "$4"
  env "${extra[@]}" Batou__DataDirectory="$2" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$R" \
    Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
    "${SERVER_PIN[@]}" dotnet "$1" --urls "$BASE" >"$3" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null "$BASE/setup"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$3" >&2; exit 1
}
wait_status() {  # DB ID WANT... — bounded (10 min)
  local db="$1" id="$2" st; shift 2
  for _ in $(seq 1 1200); do
    st=$(sqlite3 "$db" "SELECT Status FROM deployments WHERE Id=$id")
    for w in "$@"; do [[ "$st" == "$w" ]] && { echo "$st"; return 0; }; done
    sleep 0.5
  done
  echo "deployment $id stayed $st" >&2; return 1
}
final() { wait_status "$1" "$2" succeeded failed cancelled interrupted; }

for round in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    IFS=: read -r label rev envs <<< "$v"
    data="$TMP/data-$label-$round"; db="$data/batou-web.db"
    log "round $round, $label ($rev ${SHA[$rev]}${envs:+, $envs}) on $BASE"
    start_server "${DLL[$rev]}" "$data" "$TMP/server-$label-$round.log" "${envs:-}"
    "$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > /dev/null
    if want tabs; then
      for c in $CASES; do
        tabs="${c%%:*}"; contexts="${c#*:}"
        rm -f "$TMP/hold"
        warm=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench warm)
        echo "   warm-up #$warm: $(final "$db" "$warm")"
        touch "$TMP/hold"
        dep=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench paced)
        wait_status "$db" "$dep" running >/dev/null
        log "$label: $tabs tabs ($contexts) watch #$dep ($LINES lines at $RATE/s)"
        "${BROWSER_PIN[@]}" dotnet "$TOOL" tabs "$BASE" "$dep" "$TMP/hold" "$tabs" "$SERVER_PID" "$OUT/tabs__$tabs-${contexts}__${label}__$round.md" "$contexts" > /dev/null \
          || echo "   (the tabs run failed)"
        rm -f "$TMP/hold"
        echo "   #$dep: $(final "$db" "$dep")"
      done
    fi
    if want biglog; then
      dep=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench big)
      echo "   $label: #$dep of $BIG lines: $(final "$db" "$dep")"
      # the live hub keeps an ended deployment 30 s; the page is measured after that, as a reader finds it later
      sleep "${BENCH_BIGLOG_SETTLE:-35}"
      dotnet "$TOOL" biglog "$BASE" "$dep" 10 "$OUT/biglog__page__${label}__$round.md" > /dev/null || echo "   (the biglog run failed)"
      # the same with another dashboard tab open (its renderer process serves the fresh tabs); BENCH_BIGLOG_OPEN_TAB=0 skips it
      if [[ "${BENCH_BIGLOG_OPEN_TAB:-1}" == 1 ]]; then
        dotnet "$TOOL" biglog "$BASE" "$dep" 10 "$OUT/biglog__page-open-tab__${label}__$round.md" open-tab > /dev/null || echo "   (the biglog open-tab run failed)"
      fi
    fi
    stop_server
  done
done

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
COMMAND="$(for v in $(compgen -e | grep -E '^BENCH_' | sort); do printf '%s=%q ' "$v" "${!v}"; done)bench/web-live-run.sh $NAME"
SHAS="$(for v in $VARIANTS; do IFS=: read -r label rev envs <<< "$v"; printf '%s=%s%s;' "$label" "${SHA[$rev]}" "${envs:+ ($envs)}"; done)"
"$PY" "$HERE/web_live_report.py" "$OUT" "$RESULT" "$COMMAND" "$(head_ref "$ROOT")" "$SHAS" "$LOAD_START" "$LINES" "$RATE" "$BIG" "$ROUNDS" \
  "$(( $(date +%s) - STARTED ))"
log "wrote $RESULT ($(( $(date +%s) - STARTED )) s)"
