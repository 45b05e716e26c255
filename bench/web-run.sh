#!/usr/bin/env bash
# Dashboard benchmarks (issue #5): history page with 100,000 deployments (wrk), and 200 SSE watchers of a
# deployment emitting 10,000 log lines, paced (BENCH_WEB_RATE lines/s) and as one burst, with the server and
# the watchers (bench/SseWatchers) pinned to different cores. Writes bench/results/<YYYY-MM-DD>-<NAME>.md.
# See bench/README.md.
set -euo pipefail
NAME="${1:-web-baseline}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-web-artifacts}"
PORT="${BENCH_WEB_PORT:-5077}"
ROWS="${BENCH_WEB_ROWS:-100000}"
WATCHERS="${BENCH_WEB_WATCHERS:-200}"
LINES="${BENCH_WEB_LINES:-10000}"
RATE="${BENCH_WEB_RATE:-500}"
SERVER_CPU="${BENCH_WEB_SERVER_CPU:-0}"
CLIENT_CPU="${BENCH_WEB_CLIENT_CPU:-1}"
WRK_DURATION="${BENCH_WRK_DURATION:-20s}"
WRK_CONN="${BENCH_WRK_CONNECTIONS:-16}"
BASE="http://127.0.0.1:$PORT"
PY="${PYTHON:-python3}"
STARTED=$(date +%s)

[[ "$RATE" =~ ^[0-9]+$ && "$RATE" -gt 0 ]] || { echo "BENCH_WEB_RATE must be a whole number > 0 (the burst scenario always runs)" >&2; exit 1; }
[[ "$SERVER_CPU" =~ ^[0-9]+$ && "$CLIENT_CPU" =~ ^[0-9]+$ ]] || { echo "BENCH_WEB_SERVER_CPU / BENCH_WEB_CLIENT_CPU: one CPU number each" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset (util-linux) is missing" >&2; exit 1; }
taskset -c "$SERVER_CPU" true && taskset -c "$CLIENT_CPU" true || { echo "cannot pin to CPU $SERVER_CPU / $CLIENT_CPU" >&2; exit 1; }

if ! command -v wrk >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 || sudo apt-get install -y -qq wrk
fi
command -v wrk >/dev/null || { echo "wrk is missing" >&2; exit 1; }

TMP="$(mktemp -d /tmp/batou-web-bench.XXXXXX)"
SERVER_PID=""
SSE_PID=""
cleanup() {
  if [[ -n "$SSE_PID" ]] && kill -0 "$SSE_PID" 2>/dev/null; then kill -TERM "$SSE_PID" 2>/dev/null || true; fi
  stop_server
  rm -f "$TMP/hold" "$TMP/done" 2>/dev/null || true
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

echo "== build Batou.Web and bench/SseWatchers (Release) into $ART"
(cd "$ROOT" && dotnet build Batou.Web -c Release --artifacts-path "$ART" -v q -nologo) | tail -2
(cd "$ROOT" && dotnet build bench/SseWatchers -c Release --artifacts-path "$ART" -v q -nologo) | tail -2
DLL="$ART/bin/Batou.Web/release/Batou.Web.dll"
WATCH_DLL="$ART/bin/SseWatchers/release/SseWatchers.dll"
[[ -f "$DLL" ]] || { echo "no $DLL" >&2; exit 1; }
[[ -f "$WATCH_DLL" ]] || { echo "no $WATCH_DLL" >&2; exit 1; }

echo "== the benchmark repository in $TMP/repo"
mkdir -p "$TMP/repo/components/chatty" "$TMP/repo/environments/paced" "$TMP/repo/environments/burst"
cp "$HERE/chatty.cs" "$TMP/repo/components/chatty/component.cs"
for env in paced burst; do
  rate="$RATE"; [[ "$env" == burst ]] && rate=0
  printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = %s\nlines_per_second = %s\nhold_file = %s\n' \
    "$LINES" "$rate" "$TMP/hold" > "$TMP/repo/environments/$env/environment.cfg"
done
git -C "$TMP/repo" init -q -b main
git -C "$TMP/repo" add -A
GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
  git -C "$TMP/repo" commit -q -m "chatty bench environments"

start_server() {  # LOG [CPU]: with CPU, pinned to that core by taskset (all its threads and children inherit it)
  local log="$1" pin=()
  [[ -n "${2:-}" ]] && pin=(taskset -c "$2")
  Batou__DataDirectory="$TMP/data" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$TMP/repo" \
  Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
    "${pin[@]}" dotnet "$DLL" --urls "$BASE" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null "$BASE/setup"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$log" >&2; exit 1
}
proc_cpu() { awk '{printf "%.2f\n", ($14+$15)/'"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }
proc_kb() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }
# busy (user+nice+system+irq+softirq) and steal seconds of one core so far, from /proc/stat
core_s() { awk -v c="cpu$1" -v hz="$(getconf CLK_TCK)" '$1==c {printf "%.2f %.2f\n", ($2+$3+$4+$7+$8)/hz, $9/hz}' /proc/stat; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

OUT="$TMP/out"; mkdir -p "$OUT"
echo "== 1. history with $ROWS deployments"
start_server "$TMP/server1.log"
"$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > "$TMP/cookie"
"$PY" "$HERE/web_bench.py" seed "$TMP/data/batou-web.db" "$ROWS" | tee "$OUT/seed.txt"
MAXID=$(sqlite3 "$TMP/data/batou-web.db" "SELECT max(Id) FROM deployments")
DEEP=$(( MAXID / 4 ))
COOKIE="$(cat "$TMP/cookie")"
declare -a URLS=("/deployments" "/deployments?before=$DEEP" "/deployments?status=failed" "/deployments?env=staging&before=$DEEP" "/deployments?user=carol&status=cancelled")
: > "$OUT/history.jsonl"
for u in "${URLS[@]}"; do
  check=$("$PY" "$HERE/web_bench.py" check "$BASE" "$TMP/cookies.txt" "$u")
  echo "   $u: $check"
  # warm-up (JIT, SQLite page cache), then the measured run
  wrk -t2 -c"$WRK_CONN" -d3s -H "Cookie: $COOKIE" "$BASE$u" >/dev/null
  wrk -t2 -c"$WRK_CONN" -d"$WRK_DURATION" --latency -s "$HERE/web_wrk.lua" -H "Cookie: $COOKIE" "$BASE$u" > "$OUT/wrk.txt"
  j=$(grep '^WRKJSON ' "$OUT/wrk.txt" | sed 's/^WRKJSON //')
  echo "   $j"
  printf '{"url":"%s","check":"%s","wrk":%s}\n' "$u" "$check" "$j" >> "$OUT/history.jsonl"
done
# one request alone (no concurrency): what a single user sees
"$PY" - "$BASE" "$COOKIE" "/deployments" "/deployments?before=$DEEP" > "$OUT/single.json" <<'EOF'
import sys, time, urllib.request, json
base, cookie, *paths = sys.argv[1:]
res = {}
for p in paths:
    t = []
    for _ in range(200):
        r = urllib.request.Request(base + p, headers={"Cookie": cookie})
        s = time.perf_counter(); urllib.request.urlopen(r).read(); t.append((time.perf_counter() - s) * 1000)
    t.sort(); res[p] = {"p50_ms": t[100], "p95_ms": t[190], "p99_ms": t[198], "n": 200}
print(json.dumps(res))
EOF
cat "$OUT/single.json"
# the query plans behind it
sqlite3 "$TMP/data/batou-web.db" "EXPLAIN QUERY PLAN SELECT * FROM deployments WHERE Id < $DEEP ORDER BY Id DESC LIMIT 51;" > "$OUT/plans.txt"
echo "--" >> "$OUT/plans.txt"
sqlite3 "$TMP/data/batou-web.db" "EXPLAIN QUERY PLAN SELECT * FROM deployments WHERE Environment = 'staging' AND Id < $DEEP ORDER BY Id DESC LIMIT 51;" >> "$OUT/plans.txt"
echo "--" >> "$OUT/plans.txt"
sqlite3 "$TMP/data/batou-web.db" "EXPLAIN QUERY PLAN SELECT * FROM deployments WHERE RequestedBy = 'carol' AND Status = 'cancelled' ORDER BY Id DESC LIMIT 51;" >> "$OUT/plans.txt"
echo "   server RSS after history: $(proc_kb "$SERVER_PID" VmHWM) kB peak"
stop_server

# 2. One scenario: a fresh server pinned to SERVER_CPU, a warm-up deployment of the environment, 31 s pause,
# then the measured deployment with WATCHERS watchers (bench/SseWatchers pinned to CLIENT_CPU).
run_sse() {  # ENVIRONMENT RATE (lines/s, 0 = burst)
  local env="$1" rate="$2" dir="$OUT/sse-$1" warm st dep
  mkdir -p "$dir"
  echo "== 2. $env: $WATCHERS SSE watchers, $LINES log lines, $( ((rate > 0)) && echo "$rate lines/s" || echo "all at once")"
  start_server "$TMP/server2-$env.log" "$SERVER_CPU"
  "$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > "$TMP/cookie"
  # the same deployment once without watchers, so the component compile cache exists and the code paths are jitted
  rm -f "$TMP/hold"
  warm=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench "$env")
  for _ in $(seq 1 1200); do
    st=$(sqlite3 "$TMP/data/batou-web.db" "SELECT Status FROM deployments WHERE Id=$warm")
    [[ "$st" == queued || "$st" == running ]] || break; sleep 0.5
  done
  echo "   warm-up deployment #$warm: $st"
  sleep 31   # the live hub forgets finished deployments after 30 s; measure the next one alone
  local rss0 hwm_reset cpu0 cpu1 cpu2 t0 t1 t2 hwm rss1 threads db load0 load1 s1 s2 c1 c2
  rss0=$(proc_kb "$SERVER_PID" VmRSS)
  echo 5 > "/proc/$SERVER_PID/clear_refs" 2>/dev/null && hwm_reset=yes || hwm_reset=no
  load0=$(loadavg)
  touch "$TMP/hold"
  dep=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench "$env")
  echo "   deployment #$dep, $WATCHERS watchers"
  cpu0=$(proc_cpu "$SERVER_PID"); t0=$(date +%s.%N)
  rm -f "$TMP/done"
  # inline socket completions: the client's one epoll thread runs the parsing itself, no thread-pool hop per read
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
    taskset -c "$CLIENT_CPU" dotnet "$WATCH_DLL" "$BASE" "$TMP/cookie" "$dep" "$WATCHERS" "$TMP/hold" "$LINES" "$rate" "$dir/sse.json" "$TMP/done" \
    > "$dir/sse.log" 2>&1 &
  SSE_PID=$!
  # server CPU from the release of the hold file (by the watchers) to the last watcher's status event (the done file)
  while kill -0 "$SSE_PID" 2>/dev/null && [[ -e "$TMP/hold" ]]; do sleep 0.01; done
  cpu1=$(proc_cpu "$SERVER_PID"); t1=$(date +%s.%N); s1=$(core_s "$SERVER_CPU"); c1=$(core_s "$CLIENT_CPU")
  while kill -0 "$SSE_PID" 2>/dev/null && [[ ! -e "$TMP/done" ]]; do sleep 0.05; done
  cpu2=$(proc_cpu "$SERVER_PID"); t2=$(date +%s.%N); s2=$(core_s "$SERVER_CPU"); c2=$(core_s "$CLIENT_CPU")
  wait "$SSE_PID" || { cat "$dir/sse.log" >&2; echo "the watchers failed" >&2; exit 1; }
  SSE_PID=""
  load1=$(loadavg)
  hwm=$(proc_kb "$SERVER_PID" VmHWM); rss1=$(proc_kb "$SERVER_PID" VmRSS); threads=$(proc_kb "$SERVER_PID" Threads)
  db=$(sqlite3 "$TMP/data/batou-web.db" "SELECT Status, EventCount, (SELECT count(*) FROM deployment_events WHERE DeploymentId=$dep), StartedUtc, FinishedUtc FROM deployments WHERE Id=$dep")
  printf '{"scenario":"%s","rate":%s,"deployment":%s,"db":"%s","rss_before_kb":%s,"rss_after_kb":%s,"hwm_kb":%s,"hwm_reset":"%s","threads":%s,' \
    "$env" "$rate" "$dep" "$db" "$rss0" "$rss1" "$hwm" "$hwm_reset" "$threads" > "$dir/server.json"
  printf '"cpu_subscribe_s":%.2f,"cpu_run_s":%.2f,"wall_subscribe_s":%.2f,"wall_run_s":%.2f,' \
    "$(echo "$cpu1 - $cpu0" | bc)" "$(echo "$cpu2 - $cpu1" | bc)" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" >> "$dir/server.json"
  printf '"server_core":%s,"client_core":%s,"server_core_busy_s":%.2f,"server_core_steal_s":%.2f,"client_core_busy_s":%.2f,"client_core_steal_s":%.2f,"load_before":"%s","load_after":"%s"}\n' \
    "$SERVER_CPU" "$CLIENT_CPU" "$(echo "${s2% *} - ${s1% *}" | bc)" "$(echo "${s2#* } - ${s1#* }" | bc)" \
    "$(echo "${c2% *} - ${c1% *}" | bc)" "$(echo "${c2#* } - ${c1#* }" | bc)" "$load0" "$load1" >> "$dir/server.json"
  "$PY" - "$dir/sse.json" "$dir/server.json" <<'EOF'
import json, sys
c, s = (json.load(open(p)) for p in sys.argv[1:3])
l = c["latency_ms"]
print(f"   received {c['lines_received_total']:,}/{c['lines_expected_total']:,}, statuses {c['statuses']}, errors {c['errors_total']}; "
      f"latency p50 {l['50']:.1f} ms, p99 {l['99']:.1f} ms, max {l['100']:.1f} ms")
print(f"   server {s['cpu_run_s']:.2f} s CPU in {s['wall_run_s']:.2f} s, peak RSS {int(s['hwm_kb']) // 1024} MB; client {c['client_cpu_s']:.2f} s CPU; "
      f"load {s['load_before']} -> {s['load_after']}")
EOF
  stop_server
}
run_sse paced "$RATE"
run_sse burst 0

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
"$PY" "$HERE/web_report.py" "$OUT" "$RESULT" "bench/web-run.sh $NAME" "$ROWS" "$WATCHERS" "$LINES" "$WRK_CONN" "$WRK_DURATION" \
  "$SERVER_CPU" "$CLIENT_CPU" "$(( $(date +%s) - STARTED ))"
echo "== wrote $RESULT ($(( $(date +%s) - STARTED )) s)"
