#!/usr/bin/env bash
# Filtered pages of an audit trail of BENCH_AUDIT_ENTRIES (1,000,000) entries on SQLite, and on PostgreSQL when
# BATOU_TEST_PG is set (a throwaway database is created and dropped). Writes bench/results/<date>-audit-trail.md.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${BENCH_AUDIT_ENTRIES:-1000000}
runs=${BENCH_AUDIT_RUNS:-40}
out="bench/results/$(date -u +%F)-audit-trail.md"
work=$(mktemp -d /tmp/batou-audit-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build bench/AuditTrail -nologo -v:q -c Release -o "$work/bin" >/dev/null
{
  echo "# Audit trail: filtered pages over $entries entries"
  echo
  echo "- date: $(date -u '+%F %T UTC'), revision $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds)"
  echo "- dotnet $(dotnet --version); command: \`BENCH_AUDIT_ENTRIES=$entries BENCH_AUDIT_RUNS=$runs bench/audit-run.sh\`"
  echo
} > "$out"
dotnet "$work/bin/AuditTrailBench.dll" sqlite "Data Source=$work/audit.db" "$entries" "$runs" "$out"
echo "SQLite file: $(du -h "$work/audit.db" | cut -f1)" >> "$out"; echo >> "$out"
if [[ -n "${BATOU_TEST_PG:-}" ]]; then
  db="bench_audit_$$"
  # a throwaway database (created by the migrations, dropped afterwards)
  dotnet "$work/bin/AuditTrailBench.dll" postgres "${BATOU_TEST_PG/Database=postgres/Database=$db}" "$entries" "$runs" "$out" || echo "PostgreSQL run failed" >> "$out"
  dotnet "$work/bin/AuditTrailBench.dll" drop "$BATOU_TEST_PG" "$db" 0 /dev/null
fi
echo "written: $out"
