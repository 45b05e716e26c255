#!/usr/bin/env bash
# Comparing two deployments far apart (issue #9 "Performance"): a repository of the webapp example plus BENCH_COMMITS
# commits adding BENCH_FILES files, two deployments of "local" (first and last commit) seeded into SQLite, then the
# comparison page: the server's first response (curl, signed in) and, in Debian's Chromium, first paint, interactive,
# a file's patch on expand, the configuration diff and the whole file list. Writes bench/results/<YYYY-MM-DD>-<NAME>.md.
set -euo pipefail
NAME="${1:-compare}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-compare-artifacts}"
PORT="${BENCH_WEB_PORT:-5094}"
COMMITS="${BENCH_COMMITS:-1000}"
FILES="${BENCH_FILES:-2000}"
SAMPLES="${BENCH_SAMPLES:-5}"
PY="${PYTHON:-python3}"
BASE="http://127.0.0.1:$PORT"
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_tools /usr/bin/chromium:chromium sqlite3:sqlite3 curl:curl
TMP="$(mktemp -d /tmp/batou-compare-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

log "build Batou.Web and bench/WebBlazor (Release) into $ART"
(cd "$ROOT" && dotnet build Batou.Web -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
(cd "$ROOT" && dotnet build bench/WebBlazor -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
DLL="$ART/bin/Batou.Web/release/Batou.Web.dll"
TOOL="$ART/bin/WebBlazor/release/WebBlazor.dll"

log "the repository: the webapp example, then $COMMITS commits adding $FILES files"
t0=$(date +%s.%N)
read -r FIRST LAST < <("$PY" "$HERE/compare_repo.py" repo "$TMP/repo" "$ROOT/examples/webapp" "$COMMITS" "$FILES")
echo "   $FIRST .. $LAST in $(echo "$(date +%s.%N) - $t0" | bc) s"

Batou__DataDirectory="$TMP/data" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$TMP/repo" \
Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
  dotnet "$DLL" --urls "$BASE" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do curl -s -o /dev/null "$BASE/setup" && break; sleep 0.1; done
"$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > /dev/null
for _ in $(seq 1 600); do [[ -n "$(sqlite3 "$TMP/data/batou-web.db" 'SELECT LastFetchUtc FROM repositories' 2>/dev/null)" ]] && break; sleep 0.2; done
read -r A B < <("$PY" "$HERE/compare_repo.py" seed "$TMP/data/batou-web.db" "$FIRST" "$LAST")
log "deployments #$A (first commit) and #$B (last commit) of local"

{
  echo "first response of /compare/$A/$B (server-rendered: commits and file list), curl, seconds:"
  echo "| sample | time to first byte | total | bytes |"
  echo "|---|---:|---:|---:|"
  for i in $(seq 1 "$SAMPLES"); do
    curl -s -b "$TMP/cookies.txt" -o /dev/null -w "| $i | %{time_starttransfer} | %{time_total} | %{size_download} |\n" "$BASE/compare/$A/$B"
  done
  echo
  # the browser's samples start after curl warmed the git side; the engine (configuration diff) is still cold for the first
  dotnet "$TOOL" compare "$BASE" "$A" "$B" "$SAMPLES" "$TMP/browser.md" > /dev/null 2> "$TMP/browser.err" || { echo "(the browser run failed:)"; grep -v "^   at " "$TMP/browser.err" | head -5; }
  cat "$TMP/browser.md" 2>/dev/null || true
} > "$TMP/out.md"

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
{
  echo "# Comparing two deployments $COMMITS commits and $FILES files apart"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(head_ref "$ROOT")"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)" MB"}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load at start: $LOAD_START (shared with other builds)"
  echo "- command: \`BENCH_COMMITS=$COMMITS BENCH_FILES=$FILES BENCH_SAMPLES=$SAMPLES bench/compare-run.sh $NAME\`"
  echo
  cat "$TMP/out.md"
  echo
  echo "took $(( $(date +%s) - STARTED )) s in all"
} > "$RESULT"
cat "$RESULT"
log "wrote $RESULT"
