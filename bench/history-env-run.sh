#!/usr/bin/env bash
# The history page's environment filter (/deployments?env=…) over BENCH_HISTORY_ROWS (100,000) deployments on SQLite,
# and on PostgreSQL when BATOU_TEST_PG is set (a throwaway database, dropped afterwards): query plans and p50/p95 with
# and without the (Environment, Id) index, measured in the same run. Writes bench/results/<date>-history-env.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${BENCH_HISTORY_ROWS:-100000}
runs=${BENCH_HISTORY_RUNS:-40}
out="bench/results/$(date -u +%F)-history-env.md"
work=$(mktemp -d /tmp/batou-history-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build bench/HistoryEnv -nologo -v:q -c Release -o "$work/bin" >/dev/null
{
  echo "# History filtered by environment: plans and timings over $rows deployments"
  echo
  echo "- date: $(date -u '+%F %T UTC'), revision $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds)"
  echo "- dotnet $(dotnet --version); command: \`BENCH_HISTORY_ROWS=$rows BENCH_HISTORY_RUNS=$runs bench/history-env-run.sh\`"
  echo
} > "$out"
dotnet "$work/bin/HistoryEnvBench.dll" sqlite "Data Source=$work/history.db" "$rows" "$runs" "$out"
if [[ -n "${BATOU_TEST_PG:-}" ]]; then
  db="bench_history_$$"
  psql "$(echo "$BATOU_TEST_PG" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=/dbname=/')" -qc "CREATE DATABASE $db" >/dev/null
  dotnet "$work/bin/HistoryEnvBench.dll" postgres "${BATOU_TEST_PG/Database=postgres/Database=$db}" "$rows" "$runs" "$out" || echo "PostgreSQL run failed" >> "$out"
  psql "$(echo "$BATOU_TEST_PG" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=/dbname=/')" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
echo "written: $out"
