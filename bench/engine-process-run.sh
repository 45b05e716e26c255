#!/usr/bin/env bash
# Describe and no-op deploy of examples/webapp, in process vs through `batou engine` (issue #12):
# the overhead of keeping repository code out of the dashboard's process. Median of 10 each.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/common.sh"
name="${1:-engine-process}"
artifacts="${BENCH_ARTIFACTS:-/tmp/bench-engine-process}"
work="$(mktemp -d /tmp/batou-bench-engine.XXXXXX)"
trap 'rm -rf "$work"' EXIT

log "building the benchmark (Release) into $artifacts"
dotnet build "$here/EngineProcess/EngineProcessBench.csproj" -c Release -nologo -v:q --artifacts-path "$artifacts" >&2
bench="$(find "$artifacts/bin" -name EngineProcessBench.dll | head -1)"
cp -r "$root/examples/webapp" "$work/webapp"

log "timing (median of ${BENCH_RUNS:-10})"
table="$(dotnet "$bench" "$work/webapp" local "${BENCH_RUNS:-10}")"
out="$here/results/$(date -u +%Y-%m-%d)-$name.md"
{
    echo "# Engine process overhead: examples/webapp, \`local\` environment"
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Revision: $(head_ref "$root")."
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo),"\
         "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(. /etc/os-release; echo "$PRETTY_NAME"),"\
         "load average $(cut -d' ' -f1-3 /proc/loadavg), dotnet $(dotnet --version)."
    echo "Command: \`bench/engine-process-run.sh $name\` (Release build; one warm-up of each case first, so the"
    echo "component compile cache is warm and every deploy is a no-op)."
    echo
    echo "$table"
} > "$out"
log "wrote $out"
cat "$out"
