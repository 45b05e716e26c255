#!/usr/bin/env bash
# Dashboard benchmarks (issue #5): history page with 100,000 deployments (wrk), and 200 SSE watchers of a
# deployment emitting 10,000 log lines. Writes bench/results/<YYYY-MM-DD>-<NAME>.md. See bench/README.md.
set -euo pipefail
NAME="${1:-web-baseline}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ART="${BENCH_ARTIFACTS:-/tmp/bench-web-artifacts}"
PORT="${BENCH_WEB_PORT:-5077}"
ROWS="${BENCH_WEB_ROWS:-100000}"
WATCHERS="${BENCH_WEB_WATCHERS:-200}"
LINES="${BENCH_WEB_LINES:-10000}"
WRK_DURATION="${BENCH_WRK_DURATION:-20s}"
WRK_CONN="${BENCH_WRK_CONNECTIONS:-16}"
BASE="http://127.0.0.1:$PORT"
PY="${PYTHON:-python3}"

if ! command -v wrk >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 || sudo apt-get install -y -qq wrk
fi
command -v wrk >/dev/null || { echo "wrk is missing" >&2; exit 1; }

TMP="$(mktemp -d /tmp/batou-web-bench.XXXXXX)"
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  rm -f "$TMP/hold" 2>/dev/null || true
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

echo "== build Batou.Web (Release) into $ART"
(cd "$ROOT" && dotnet build Batou.Web -c Release --artifacts-path "$ART" -v q -nologo) | tail -2
DLL="$ART/bin/Batou.Web/release/Batou.Web.dll"
[[ -f "$DLL" ]] || { echo "no $DLL" >&2; exit 1; }

echo "== the benchmark repository in $TMP/repo"
mkdir -p "$TMP/repo/components/chatty" "$TMP/repo/environments/chatty"
cat > "$TMP/repo/components/chatty/component.cs" <<'EOF'
// Waits (bounded) while the hold file exists, so every watcher is subscribed first, then logs N lines at once.
public sealed class Chatty : Component
{
    public int Lines { get; set; } = 10000;
    public string HoldFile { get; set; } = "";
    protected override void Verify() => throw new UpdateNeeded("bench");
    protected override void Update()
    {
        var until = DateTime.UtcNow.AddSeconds(240);
        while (HoldFile.Length > 0 && System.IO.File.Exists(HoldFile) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(20);
        for (var i = 1; i <= Lines; i++) Log("bench line " + i);
    }
}
EOF
printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = %s\nhold_file = %s\n' \
  "$LINES" "$TMP/hold" > "$TMP/repo/environments/chatty/environment.cfg"
git -C "$TMP/repo" init -q -b main
git -C "$TMP/repo" add -A
GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
  git -C "$TMP/repo" commit -q -m "chatty bench environment"

start_server() {
  local log="$1"
  Batou__DataDirectory="$TMP/data" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$TMP/repo" \
  Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
    dotnet "$DLL" --urls "$BASE" >"$log" 2>&1 &
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

echo "== 2. $WATCHERS SSE watchers, $LINES log lines"
start_server "$TMP/server2.log"
"$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > "$TMP/cookie"
# one preview-free deployment first, so the component compile cache and the bare clone exist
touch "$TMP/hold"; rm -f "$TMP/hold"
WARM=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench chatty)
for _ in $(seq 1 600); do
  st=$(sqlite3 "$TMP/data/batou-web.db" "SELECT Status FROM deployments WHERE Id=$WARM")
  [[ "$st" == queued || "$st" == running ]] || break; sleep 0.5
done
echo "   warm-up deployment #$WARM: $st"
sleep 31   # the live hub forgets finished deployments after 30 s; measure the next one alone
RSS0=$(proc_kb "$SERVER_PID" VmRSS)
echo 5 > "/proc/$SERVER_PID/clear_refs" 2>/dev/null && HWM_RESET=yes || HWM_RESET=no
touch "$TMP/hold"
DEP=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench chatty)
echo "   deployment #$DEP, $WATCHERS watchers"
CPU0=$(proc_cpu "$SERVER_PID"); T0=$(date +%s.%N)
"$PY" "$HERE/web_bench.py" sse "$BASE" "$TMP/cookies.txt" "$DEP" "$WATCHERS" "$TMP/hold" "$LINES" "$OUT/sse.json" &
SSE_PID=$!
# CPU from the release of the hold file to the last watcher's status event
while kill -0 "$SSE_PID" 2>/dev/null && [[ -e "$TMP/hold" ]]; do sleep 0.01; done
CPU1=$(proc_cpu "$SERVER_PID"); T1=$(date +%s.%N)
wait "$SSE_PID"
CPU2=$(proc_cpu "$SERVER_PID"); T2=$(date +%s.%N)
HWM=$(proc_kb "$SERVER_PID" VmHWM); RSS1=$(proc_kb "$SERVER_PID" VmRSS)
DBSTAT=$(sqlite3 "$TMP/data/batou-web.db" "SELECT Status, EventCount, (SELECT count(*) FROM deployment_events WHERE DeploymentId=$DEP), StartedUtc, FinishedUtc FROM deployments WHERE Id=$DEP")
printf '{"deployment":%s,"db":"%s","rss_before_kb":%s,"rss_after_kb":%s,"hwm_kb":%s,"hwm_reset":"%s","cpu_subscribe_s":%.2f,"cpu_run_s":%.2f,"wall_subscribe_s":%.2f,"wall_run_s":%.2f}\n' \
  "$DEP" "$DBSTAT" "$RSS0" "$RSS1" "$HWM" "$HWM_RESET" "$(echo "$CPU1 - $CPU0" | bc)" "$(echo "$CPU2 - $CPU1" | bc)" \
  "$(echo "$T1 - $T0" | bc)" "$(echo "$T2 - $T1" | bc)" > "$OUT/server.json"
cat "$OUT/server.json"
stop_server

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
"$PY" "$HERE/web_report.py" "$OUT" "$RESULT" "bench/web-run.sh $NAME" "$ROWS" "$WATCHERS" "$LINES" "$WRK_CONN" "$WRK_DURATION"
echo "== wrote $RESULT"
