#!/usr/bin/env bash
# Issue #8, "interactive in under 1 s": what the dashboard's stack costs a fresh browser tab on this machine before the
# dashboard does anything. bench/BlazorFloor (the smallest prerendered interactive Blazor Server + MudBlazor page, and a
# static HTML page) published in Release and loaded in fresh tabs by bench/WebBlazor `floor`, the way `biglog` loads the
# dashboard's deployment page. Writes bench/results/<YYYY-MM-DD>-<NAME>.md. See bench/README.md ("Web, live page").
#
#   bench/blazor-floor-run.sh [NAME]     BENCH_FLOOR_LOADS=20 loads per page and round, BENCH_ROUNDS=3
set -euo pipefail
NAME="${1:-blazor-floor}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-floor-artifacts}"
LOADS="${BENCH_FLOOR_LOADS:-20}"
ROUNDS="${BENCH_ROUNDS:-3}"
PORT="${BENCH_WEB_PORT:-5093}"
ensure_tools /usr/bin/chromium:chromium
OUT="$ROOT/bench/results/$(date +%F)-$NAME.md"
TMP="$(mktemp -d /tmp/batou-floor.XXXXXX)"
SERVER_PID=""
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

log "publish bench/BlazorFloor (Release) and build bench/WebBlazor"
(cd "$ROOT" && dotnet publish bench/BlazorFloor -c Release -o "$ART/floor" -v q -nologo) | tail -1
(cd "$ROOT" && dotnet build bench/WebBlazor -c Release --artifacts-path "$ART/tool" -v q -nologo) | tail -1
(cd "$ART/floor" && ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production exec dotnet BlazorFloor.dll >"$TMP/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/static.html" >/dev/null && break; sleep 0.2; done

{
  echo "# The stack's floor for a fresh tab — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`BENCH_FLOOR_LOADS=$LOADS BENCH_ROUNDS=$ROUNDS bench/blazor-floor-run.sh $NAME\` (from the repository root). Checkout: \`$(head_ref "$ROOT")\`."
  echo "Issue #8, \"the deployment page of a 100,000-line deployment interactive in under 1 s\": the same measurement on pages that do"
  echo "nothing of the dashboard's (bench/BlazorFloor), so the dashboard's own share of a fresh tab's time can be told from the stack's."
  echo
  echo "## Machine"
  echo
  echo "- $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB memory, Linux $(uname -r)"
  echo "- **load average at the start: $LOAD_START**"
  echo "- \`dotnet --version\` $(dotnet --version); $(/usr/bin/chromium --version 2>/dev/null | head -1); Playwright for .NET, headless, the flags of bench/WebBlazor"
  echo "- BlazorFloor published in Release (Production: fingerprinted assets cached for good), on 127.0.0.1; server and Chromium share the cores, unpinned"
  echo
} > "$TMP/report.md"
for round in $(seq 1 "$ROUNDS"); do
  log "round $round"
  dotnet "$ART/tool/bin/WebBlazor/release/WebBlazor.dll" floor "http://127.0.0.1:$PORT" "$LOADS" "$TMP/round.md" >/dev/null
  { echo "## Round $round (load average $(cut -d' ' -f1-3 /proc/loadavg))"; echo; cat "$TMP/round.md"; } >> "$TMP/report.md"
done
echo "Whole run: $(( $(date +%s) - STARTED )) s." >> "$TMP/report.md"
mkdir -p "$(dirname "$OUT")"
cp "$TMP/report.md" "$OUT"
log "wrote $OUT"
