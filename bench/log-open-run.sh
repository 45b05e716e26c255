#!/usr/bin/env bash
# Opening the log of a finished deployment of BENCH_LOG_LINES (100,000) lines: tail first (Live/Stored) against reading
# it whole (what every finished log did before), interleaved in one run, on SQLite and — when BATOU_TEST_PG is set — on
# a throwaway PostgreSQL database. Writes bench/results/<date>-log-open.md.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${BENCH_LOG_LINES:-100000}
runs=${BENCH_LOG_RUNS:-10}
out="bench/results/$(date -u +%F)-${1:-log-open}.md"
work=$(mktemp -d /tmp/batou-log-open.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build bench/LogOpen -nologo -v:q -c Release -o "$work/bin" >/dev/null
{
  echo "# Opening a finished deployment's log: tail first against reading it whole"
  echo
  echo "- date: $(date -u '+%F %T UTC'), revision $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds)"
  echo "- dotnet $(dotnet --version); command: \`BENCH_LOG_LINES=$lines BENCH_LOG_RUNS=$runs bench/log-open-run.sh ${1:-log-open}\`"
  echo "- in process (bench/LogOpen): a fresh \`DeploymentLogs\` per open (nothing cached), \`OpenAsync\` + the default view's last 500 rows (what the page's first render shows); *read whole* is a deployment with the same events that is not finished, which takes the old path"
  echo
} > "$out"
dotnet "$work/bin/LogOpenBench.dll" sqlite "Data Source=$work/log.db" "$lines" "$runs" "$out"
if [[ -n "${BATOU_TEST_PG:-}" ]]; then
  db="bench_log_open_$$"
  pg() { psql "$(echo "$BATOU_TEST_PG" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=/dbname=/')" -qc "$1" >/dev/null; }
  pg "CREATE DATABASE $db"
  dotnet "$work/bin/LogOpenBench.dll" postgres "${BATOU_TEST_PG/Database=postgres/Database=$db}" "$lines" "$runs" "$out" || echo "PostgreSQL run failed" >> "$out"
  pg "DROP DATABASE IF EXISTS $db WITH (FORCE)"
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
echo "written: $out"
