#!/usr/bin/env bash
# Describe and no-op deploy of examples/webapp, in process vs through `batou engine` (issue #12):
# the overhead of keeping repository code out of the dashboard's process, and what the warm pool
# (EngineProcessOptions.PoolSize) takes back: through the API, then through a real dashboard with and without
# the pool (bench/engine_pool_web.py). Median of BENCH_RUNS (10) each; BENCH_PAUSE (3) s between pooled calls;
# BENCH_WEB=0 skips the dashboard part.
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
table="$(dotnet "$bench" "$work/webapp" local "${BENCH_RUNS:-10}" "${BENCH_PAUSE:-3}")"
web=""
if [[ "${BENCH_WEB:-1}" == 1 ]]; then
    log "building the dashboard (Release) into $artifacts"
    dotnet build "$root/Batou.Web" -c Release -nologo -v:q --artifacts-path "$artifacts" >&2
    log "through the dashboard: pool 0 and 2"
    web="$(python3 "$here/engine_pool_web.py" "$artifacts/bin/Batou.Web/release/Batou.Web.dll" "$root/examples/webapp" "${BENCH_RUNS:-10}" "${BENCH_PAUSE:-3}" 0 2)"
fi
out="$here/results/$(date -u +%Y-%m-%d)-$name.md"
{
    echo "# Engine process overhead: examples/webapp, \`local\` environment"
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Revision: $(head_ref "$root")."
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo),"\
         "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(. /etc/os-release; echo "$PRETTY_NAME"),"\
         "load average $(cut -d' ' -f1-3 /proc/loadavg), dotnet $(dotnet --version)."
    echo "Command: \`bench/engine-process-run.sh $name\` (Release build; one warm-up of each case first, so the"
    echo "component compile cache is warm and every deploy is a no-op; ${BENCH_PAUSE:-3} s before each pooled call)."
    echo
    echo "$table"
    if [[ -n "$web" ]]; then echo; echo "$web"; fi
} > "$out"
log "wrote $out"
cat "$out"
