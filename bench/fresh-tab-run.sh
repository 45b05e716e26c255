#!/usr/bin/env bash
# Issue #8, "the deployment page of a 100,000-line deployment interactive in under 1 s": fresh tabs of two deployment
# pages (the 100,000-line one and the bundled example's local deployment), variant after variant in each round so they
# share the machine's load, with the step-by-step timeline (WebBlazor `timeline`) and Chromium's counters (`metrics`)
# of the last variant. Writes bench/results/<YYYY-MM-DD>-<NAME>.md. See bench/README.md ("Web, fresh tab").
set -euo pipefail
NAME="${1:-fresh-tab}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-fresh-artifacts}"
# LABEL:REV[:CHROMIUM] — REV "worktree" is the working tree; CHROMIUM the browser binary (default /usr/bin/chromium,
# the full browser; /usr/bin/chromium-headless-shell is Chromium's headless build, without the browser's own interface)
VARIANTS="${BENCH_VARIANTS:-full:worktree:/usr/bin/chromium shell:worktree:/usr/bin/chromium-headless-shell}"
ROUNDS="${BENCH_ROUNDS:-3}"
LOADS="${BENCH_LOADS:-15}"
BIG="${BENCH_WEB_LOG_LINES:-100000}"
PORT="${BENCH_WEB_PORT:-5093}"
PY="${PYTHON:-python3}"
BASE="http://127.0.0.1:$PORT"
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_tools /usr/bin/chromium:chromium /usr/bin/chromium-headless-shell:chromium-headless-shell sqlite3:sqlite3

TMP="$(mktemp -d /tmp/batou-fresh-bench.XXXXXX)"
OUT="$TMP/out"; mkdir -p "$OUT"
SERVER_PID=""; TREES=()
trap end_web_bench EXIT

log "build bench/WebBlazor (Release)"
(cd "$ROOT" && dotnet build bench/WebBlazor -c Release --artifacts-path "$ART/tool" -v q -nologo) | tail -1
TOOL="$ART/tool/bin/WebBlazor/release/WebBlazor.dll"
declare -A DLL SHA BROWSER
for v in $VARIANTS; do
  IFS=: read -r label rev browser <<< "$v"
  BROWSER[$label]="${browser:-/usr/bin/chromium}"
  if [[ -n "${DLL[$rev]:-}" ]]; then continue; fi
  build_web_rev "$rev"
done

log "the benchmark repository in $TMP/repo: the bundled example plus a 100,000-line environment"
R="$TMP/repo"
cp -r "$ROOT/examples/webapp" "$R"
mkdir -p "$R/components/chatty" "$R/environments/big"
cp "$HERE/chatty.cs" "$R/components/chatty/component.cs"
printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = %s\nlines_per_second = 0\nhold_file =\nstamp = false\n' "$BIG" \
  > "$R/environments/big/environment.cfg"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
git -C "$R" init -q -b main && git -C "$R" add -A && git -C "$R" commit -q -m "fresh-tab bench"

wait_final() {  # DB ID
  local st
  for _ in $(seq 1 1200); do
    st=$(sqlite3 "$1" "SELECT Status FROM deployments WHERE Id=$2")
    case "$st" in succeeded|failed|cancelled|interrupted) echo "$st"; return 0 ;; esac
    sleep 0.5
  done
  echo "deployment $2 stayed $st" >&2; return 1
}

for round in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    IFS=: read -r label rev _ <<< "$v"
    data="$TMP/data-$label-$round"
    log "round $round, $label (${SHA[$rev]}, $(basename "${BROWSER[$label]}")) on $BASE"
    Batou__DataDirectory="$data" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$R" \
      Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
      dotnet "${DLL[$rev]}" --urls "$BASE" >"$TMP/server-$label-$round.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do curl -s -o /dev/null "$BASE/setup" && break; sleep 0.1; done
    "$PY" "$HERE/web_bench.py" signin "$BASE" admin bench-password "$TMP/cookies.txt" > /dev/null
    big=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench big)
    echo "   #$big ($BIG lines): $(wait_final "$data/batou-web.db" "$big")"
    small=$("$PY" "$HERE/web_bench.py" deploy "$BASE" "$TMP/cookies.txt" bench local)
    echo "   #$small (the example, local): $(wait_final "$data/batou-web.db" "$small")"
    # the live hub keeps an ended deployment 30 s: the pages are measured after that, as a reader finds them later
    sleep "${BENCH_SETTLE:-35}"
    export BENCH_CHROMIUM="${BROWSER[$label]}"
    dotnet "$TOOL" pages "$BASE" "$LOADS" "$OUT/pages__${label}__$round.md" "/deployments/$big" "/deployments/$small" > /dev/null
    if [[ "$round" == "$ROUNDS" ]]; then
      for id in "$big" "$small"; do
        dotnet "$TOOL" timeline "$BASE" "/deployments/$id" 10 > "$OUT/timeline__${label}__$id.txt"
        dotnet "$TOOL" metrics "$BASE" "/deployments/$id" 10 > "$OUT/metrics__${label}__$id.txt"
      done
    fi
    stop_server
  done
done

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/$DATE-$NAME.md"
{
  echo "# Fresh tabs of the deployment page, variant against variant — $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Command: \`BENCH_VARIANTS='$VARIANTS' BENCH_ROUNDS=$ROUNDS BENCH_LOADS=$LOADS bench/fresh-tab-run.sh $NAME\`. Checkout: \`$(head_ref "$ROOT")\`."
  for v in $VARIANTS; do IFS=: read -r label rev _ <<< "$v"; echo "Variant **$label**: Batou.Web at \`$rev\` (${SHA[$rev]}), browser \`${BROWSER[$label]}\`."; done
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/{print $2}') GB, $(uname -sr); $(chromium --version 2>/dev/null | head -1), headless, 1440×900, flags as in bench/WebBlazor."
  echo "Load average at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg). Whole run: $(( ($(date +%s) - STARTED) / 60 )) min."
  echo
  echo "Each round starts every variant's dashboard (Release, Production, SQLite, one fresh data folder) in turn, deploys the"
  echo "$BIG-line environment and the bundled example's \`local\` environment, waits until the live hub let them go, and loads"
  echo "both pages in $LOADS fresh tabs after a warm-up load (WebBlazor \`pages\`: one context, no other page open, so each tab"
  echo "is a new renderer process). Interactive = \`body[data-interactive=true]\`, ms from navigation start."
  echo
  for round in $(seq 1 "$ROUNDS"); do
    for v in $VARIANTS; do
      IFS=: read -r label rev _ <<< "$v"
      echo "### round $round, $label"
      echo
      cat "$OUT/pages__${label}__$round.md"
    done
  done
  echo "### The last round, step by step (WebBlazor \`timeline\`, 10 loads) and Chromium's counters (\`metrics\`, 10 loads)"
  echo
  for f in "$OUT"/timeline__* "$OUT"/metrics__*; do echo '```'; echo "$(basename "$f" .txt)"; cat "$f"; echo '```'; done
} > "$RESULT"
log "wrote $RESULT"
