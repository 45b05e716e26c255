#!/usr/bin/env bash
# The deployment page with 100,000 log lines (issue #5: "stays responsive with 100,000 log lines"): Debian's
# Chromium (Playwright, bench/LogView) watches a deployment log 100,000 lines at once, then loads the finished
# page, "load earlier" and the raw log. Writes bench/results/<YYYY-MM-DD>-<NAME>.md. See bench/README.md.
set -euo pipefail
NAME="${1:-web-log-100k}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
source "$HERE/common.sh"
ART="${BENCH_ARTIFACTS:-/tmp/bench-web-log-artifacts}"
PORT="${BENCH_WEB_LOG_PORT:-5078}"
LINES="${BENCH_WEB_LOG_LINES:-100000}"
BASE="http://127.0.0.1:$PORT"
ensure_tools /usr/bin/chromium:chromium sqlite3:sqlite3

TMP="$(mktemp -d /tmp/batou-web-log-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

log "build Batou.Web and bench/LogView (Release) into $ART"
(cd "$ROOT" && dotnet build Batou.Web -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
(cd "$ROOT" && dotnet build bench/LogView -c Release --artifacts-path "$ART" -v q -nologo) | tail -1
DLL="$ART/bin/Batou.Web/release/Batou.Web.dll"
VIEW="$ART/bin/LogView/release/LogView.dll"

log "the benchmark repository in $TMP/repo ($LINES lines)"
mkdir -p "$TMP/repo/components/chatty" "$TMP/repo/environments/chatty"
cp "$HERE/chatty.cs" "$TMP/repo/components/chatty/component.cs"   # lines_per_second unset: one burst
printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = %s\nhold_file = %s\n' \
  "$LINES" "$TMP/hold" > "$TMP/repo/environments/chatty/environment.cfg"
git -C "$TMP/repo" init -q -b main && git -C "$TMP/repo" add -A
GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
  git -C "$TMP/repo" commit -q -m "chatty bench environment"

log "dashboard on $BASE"
Batou__DataDirectory="$TMP/data" Batou__Repositories__0__Name=bench Batou__Repositories__0__Url="$TMP/repo" \
Batou__FetchIntervalMinutes=600 ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
  dotnet "$DLL" --urls "$BASE" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "$BASE/setup" && break; sleep 0.1; done

log "Chromium watches the deployment"
T0=$(date +%s)
dotnet "$VIEW" "$BASE" bench chatty "$TMP/hold" "$TMP/fragment.md"
T1=$(date +%s)
DB=$(sqlite3 "$TMP/data/batou-web.db" "SELECT Id, Status, EventCount, (SELECT count(*) FROM deployment_events e WHERE e.DeploymentId = d.Id),
  round((julianday(FinishedUtc) - julianday(StartedUtc)) * 86400, 2) FROM deployments d ORDER BY Id DESC LIMIT 1")
RSS=$(awk '$1=="VmHWM:" {print $2}' "/proc/$SERVER_PID/status")

mkdir -p "$HERE/results"
RESULT="$HERE/results/$(date -u +%Y-%m-%d)-$NAME.md"
{
  echo "# Deployment page with $LINES log lines — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`bench/web-log-run.sh $NAME\` (from the repository root; \`BENCH_WEB_LOG_LINES\` changes the count). Revision $(git -C "$ROOT" rev-parse --short HEAD)."
  echo "Issue #5: the live page \"stays responsive with 100,000 log lines (render the tail, load earlier parts on demand, raw download)\"."
  echo
  echo "## Machine"
  echo
  echo "- $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/ {print $2}') GB memory, $(uname -sr)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (browser, dashboard and engine share the cores)"
  echo "- \`dotnet --version\` $(dotnet --version); $(/usr/bin/chromium --version 2>/dev/null | head -1); Playwright for .NET 1.64.1, headless"
  echo "- Batou.Web in Release (\`dotnet Batou.Web.dll\`, Kestrel on loopback, SQLite WAL); viewport 1440×900"
  echo
  echo "## What runs"
  echo
  echo "A local environment whose component waits while a hold file exists, then calls \`Log()\` $LINES times in \`Update\` (a burst:"
  echo "the worst case for the page). bench/LogView signs in, opens the environment, clicks Deploy, installs a long-task observer and a"
  echo "requestAnimationFrame recorder in the page, removes the hold file and probes the page with a tiny script every 100 ms until it"
  echo "shows the final status. Then it measures the finished page. The deployment's row: \`$DB\` (id, status, events, stored"
  echo "events, engine seconds). Dashboard peak RSS (VmHWM): $((RSS / 1024)) MB. Whole run: $((T1 - T0)) s."
  echo
  cat "$TMP/fragment.md"
} > "$RESULT"
log "wrote $RESULT"
