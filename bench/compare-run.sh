#!/usr/bin/env bash
# Comparing two deployments far apart (issue #9 "Performance"): a repository of the webapp example plus BENCH_COMMITS
# commits adding BENCH_FILES files, two deployments of "local" (first and last commit) seeded into SQLite, then the
# comparison page: the server's first response (curl, signed in) and, in Debian's Chromium, first paint, interactive,
# a file's patch on expand, the configuration diff and the whole file list. Writes bench/results/<YYYY-MM-DD>-<NAME>.md.
# BENCH_BASELINE_REV=<rev>: also builds that revision (temporary git worktree) and measures it in the same run, on its
# own dashboard and data folder against the same repository, alternating rounds with the working tree's build.
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
BASELINE_REV="${BENCH_BASELINE_REV:-}"
BASELINE_ART="${BENCH_BASELINE_ARTIFACTS:-/tmp/bench-compare-baseline-artifacts}"
BASELINE_PORT="${BENCH_BASELINE_PORT:-5095}"
PY="${PYTHON:-python3}"
BASE="http://127.0.0.1:$PORT"
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_tools /usr/bin/chromium:chromium sqlite3:sqlite3 curl:curl
TMP="$(mktemp -d /tmp/batou-compare-bench.XXXXXX)"
SERVER_PIDS=()
BASELINE_TREE=""
cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  if [[ -n "$BASELINE_TREE" ]]; then git -C "$ROOT" worktree remove --force "$BASELINE_TREE" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

log "build Batou.Web and bench/WebBlazor (Release) into $ART"
(cd "$ROOT" && dotnet build Batou.Web -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
(cd "$ROOT" && dotnet build bench/WebBlazor -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
DLL="$ART/bin/Batou.Web/release/Batou.Web.dll"
TOOL="$ART/bin/WebBlazor/release/WebBlazor.dll"
if [[ -n "$BASELINE_REV" ]]; then
  BASELINE_TREE="$TMP/baseline"
  log "build Batou.Web at $BASELINE_REV (the baseline) into $BASELINE_ART"
  git -C "$ROOT" worktree add -q --detach "$BASELINE_TREE" "$BASELINE_REV"
  BASELINE_SHA="$(git -C "$BASELINE_TREE" rev-parse --short HEAD)"
  (cd "$BASELINE_TREE" && dotnet build Batou.Web -c Release --artifacts-path "$BASELINE_ART" -v q -nologo) | tail -1
fi

log "the repository: the webapp example, then $COMMITS commits adding $FILES files"
t0=$(date +%s.%N)
read -r FIRST LAST < <("$PY" "$HERE/compare_repo.py" repo "$TMP/repo" "$ROOT/examples/webapp" "$COMMITS" "$FILES")
echo "   $FIRST .. $LAST in $(echo "$(date +%s.%N) - $t0" | bc) s"

# start_dashboard DLL PORT DATA: a signed-in dashboard with the two deployments seeded; writes "A B" to DATA.ids
start_dashboard() {
  local dll=$1 port=$2 data=$3 base="http://127.0.0.1:$2"
  Batou__DataDirectory="$data" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$TMP/repo" \
  Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
    dotnet "$dll" --urls "$base" >"$data.log" 2>&1 &
  SERVER_PIDS+=($!)
  for _ in $(seq 1 600); do curl -s -o /dev/null "$base/setup" && break; sleep 0.1; done
  "$PY" "$HERE/web_bench.py" signin "$base" admin bench-password "$data.cookies" > /dev/null
  for _ in $(seq 1 600); do [[ -n "$(sqlite3 "$data/batou-web.db" 'SELECT LastFetchUtc FROM repositories' 2>/dev/null)" ]] && break; sleep 0.2; done
  "$PY" "$HERE/compare_repo.py" seed "$data/batou-web.db" "$FIRST" "$LAST" > "$data.ids"
}

# measure LABEL PORT DATA A B OUT: the curl samples and the browser samples of one dashboard
measure() {
  local label=$1 base="http://127.0.0.1:$2" data=$3 a=$4 b=$5 out=$6
  {
    echo "#### $label"
    echo
    echo "first response of /compare/$a/$b (server-rendered: commits and file list), curl, seconds:"
    echo "| sample | time to first byte | total | bytes |"
    echo "|---|---:|---:|---:|"
    for i in $(seq 1 "$SAMPLES"); do
      curl -s -b "$data.cookies" -o /dev/null -w "| $i | %{time_starttransfer} | %{time_total} | %{size_download} |\n" "$base/compare/$a/$b"
    done
    echo
    # the browser's samples start after curl warmed the git side; the engine (configuration diff) is cold for the first
    # sample (a prerendered response no longer starts the describes: only the circuit does)
    dotnet "$TOOL" compare "$base" "$a" "$b" "$SAMPLES" "$TMP/browser.md" > /dev/null 2> "$TMP/browser.err" || { echo "(the browser run failed:)"; grep -v "^   at " "$TMP/browser.err" | head -5; }
    cat "$TMP/browser.md" 2>/dev/null || true
    rm -f "$TMP/browser.md"
    echo
  } >> "$out"
}

mkdir -p "$TMP/data"
start_dashboard "$DLL" "$PORT" "$TMP/data"
read -r A B < "$TMP/data.ids"
log "deployments #$A (first commit) and #$B (last commit) of local"
if [[ -n "$BASELINE_REV" ]]; then
  mkdir -p "$TMP/baseline-data"
  start_dashboard "$BASELINE_ART/bin/Batou.Web/release/Batou.Web.dll" "$BASELINE_PORT" "$TMP/baseline-data"
  read -r BA BB < "$TMP/baseline-data.ids"
  log "baseline ($BASELINE_SHA) on port $BASELINE_PORT: deployments #$BA and #$BB"
fi
: > "$TMP/out.md"
ROUNDS="${BENCH_ROUNDS:-1}"
for round in $(seq 1 "$ROUNDS"); do
  [[ -n "$BASELINE_REV" ]] && measure "round $round: baseline $BASELINE_SHA" "$BASELINE_PORT" "$TMP/baseline-data" "$BA" "$BB" "$TMP/out.md"
  measure "round $round: $(head_ref "$ROOT") (working tree)" "$PORT" "$TMP/data" "$A" "$B" "$TMP/out.md"
done

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
{
  echo "# Comparing two deployments $COMMITS commits and $FILES files apart"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(head_ref "$ROOT")"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)" MB"}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load at start: $LOAD_START (shared with other builds)"
  echo "- command: \`BENCH_COMMITS=$COMMITS BENCH_FILES=$FILES BENCH_SAMPLES=$SAMPLES BENCH_ROUNDS=${BENCH_ROUNDS:-1} BENCH_BASELINE_REV=$BASELINE_REV bench/compare-run.sh $NAME\`"
  echo
  cat "$TMP/out.md"
  echo
  echo "took $(( $(date +%s) - STARTED )) s in all"
} > "$RESULT"
cat "$RESULT"
log "wrote $RESULT"
