#!/usr/bin/env bash
# Cost of a component package (examples/greeting-components used by examples/greetings):
# the first deployment (NuGet restore + extract + compile), a warm no-op, and `-P -L` of an ssh
# environment with the same components on 4 hosts. Writes bench/results/<date>-component-packages.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(dirname "$here")"
source "$here/common.sh"
ensure_tools hyperfine:hyperfine
artifacts="${BENCH_ARTIFACTS:-/tmp/bench-artifacts-cp}"
work="$(mktemp -d /tmp/batou-bench-cp.XXXXXX)"
trap '[[ -n "${BENCH_KEEP:-}" ]] || rm -rf "$work"' EXIT

log "building Batou.Cli (Release) into $artifacts"
dotnet publish "$root/Batou.Cli" -nologo -v:q -c Release -o "$artifacts/cli" --artifacts-path "$artifacts/build" >/dev/null
batou=(dotnet "$artifacts/cli/batou.dll")

log "packing the example component library"
version="1.0.0-bench$(date +%s)"   # own version: NuGet's global cache never serves an older pack
cp -r "$root/examples/greetings" "$work/repo"; cp -r "$root/examples/greeting-components" "$work/lib"
rm -rf "$work/lib/bin" "$work/lib/obj" "$work/repo/work"
dotnet pack "$work/lib" -nologo -v:q -c Release -o "$work/repo/feed" -p:Version="$version" -p:BatouEngine="$artifacts/cli/Batou.Engine.dll" >/dev/null
sed -i "s/ 1.0.0 / $version /" "$work/repo/components/packages.txt"
mkdir -p "$work/repo/environments/production"
printf '[environment]\nhost_domain = unreachable.invalid\n[hosts]\nweb1 = greeting, site\nweb2 = greeting, site\nweb3 = greeting, site\nweb4 = greeting, site\n' \
    > "$work/repo/environments/production/environment.cfg"
cd "$work/repo"

log "timing"
hyperfine --style basic --runs 3 --prepare 'rm -rf work' -n 'first deployment (restore + compile)' "${batou[*]} deploy local" \
    --export-json "$work/first.json" >&2
"${batou[@]}" deploy local >/dev/null
hyperfine --style basic --warmup 1 --runs 10 -n 'no-op re-deployment' "${batou[*]} deploy local" \
    -n 'deploy -P -L production (4 ssh hosts)' "${batou[*]} deploy -P -L production" \
    --export-json "$work/warm.json" >&2

out="$root/bench/results/$(date -u +%F)-component-packages.md"
{
    echo "# Component packages — $(date -u '+%F %H:%M UTC')"
    echo
    echo "examples/greetings with the package packed from examples/greeting-components (2 roots, 3 files)."
    echo
    echo "| command | mean | stddev | min | max | runs |"
    echo "|---|---|---|---|---|---|"
    for f in "$work/first.json" "$work/warm.json"; do
        python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("| %s | %.2f s | %.2f s | %.2f s | %.2f s | %d |" % (r["command"], r["mean"], r["stddev"] or 0, r["min"], r["max"], len(r["times"])))' "$f"
    done
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p'), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg), dotnet $(dotnet --version)"
    echo
    echo "Revision: $(head_ref "$root")"
    echo
    echo "Reproduce: \`bench/component-packages-run.sh\`"
} > "$out"
log "wrote $out"
