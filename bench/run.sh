#!/usr/bin/env bash
# Benchmarks for batou for .NET; see bench/README.md.
#
#   bench/run.sh [NAME]          writes bench/results/<YYYY-MM-DD>-<NAME>.md (NAME default: baseline)
#
# Environment:
#   BENCH_ANSIBLE_ITEMS=100      how many of the 1,000 files the Ansible runs manage (1000: the full set,
#                                ~9 min per Ansible run on 2 cores, so far beyond the 10-minute budget)
#   BENCH_ANSIBLE_RUNS=3         hyperfine runs for Ansible's copy variant (template: 1 run each)
#   BENCH_SKIP_ANSIBLE=1         skip benchmark C
#   BENCH_ARTIFACTS=/tmp/bench-artifacts   where the Release build goes (never inside the repository)
#   BENCH_KEEP=1                 keep the generated repositories (printed at the end)
set -euo pipefail

NAME="${1:-baseline}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${BENCH_ARTIFACTS:-/tmp/bench-artifacts}"
ANSIBLE_ITEMS="${BENCH_ANSIBLE_ITEMS:-100}"
ANSIBLE_RUNS="${BENCH_ANSIBLE_RUNS:-3}"
RESULTS="$REPO/bench/results"
DATE="$(date +%F)"
OUT="$RESULTS/$DATE-$NAME.md"
STARTED=$(date +%s)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/common.sh
source "$REPO/bench/common.sh"

# --- tools -------------------------------------------------------------------------------------
ensure_tools hyperfine:hyperfine ansible-playbook:ansible-core

# --- build (Release, isolated artifacts path: others build in the repository concurrently) ----
log "building Batou.Cli (Release) into $ARTIFACTS"
dotnet build "$REPO/Batou.Cli" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q -clp:ErrorsOnly
BIN="$ARTIFACTS/bin/Batou.Cli/release"
DLL="$BIN/batou.dll"
APPHOST="$BIN/batou"
test -f "$DLL"

# --- repositories ------------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/batou-bench.XXXXXX)"
JSON="$WORK/json"
mkdir -p "$JSON" "$RESULTS"
if [[ "${BENCH_KEEP:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
log "generating repositories in $WORK"
python3 "$REPO/bench/generate.py" "$WORK" "$ANSIBLE_ITEMS"

hf() { # hf NAME hyperfine-args...
    local name="$1"; shift
    hyperfine --style basic --export-json "$JSON/$name.json" "$@" >&2
}

# --- A: 1,000 File components ------------------------------------------------------------------
cd "$WORK/files"
log "A cold: first deploy with Roslyn compile, work/ removed before each run"
hf a-cold --runs 3 --prepare 'rm -rf work' "dotnet $DLL deploy local"
log "A cold compile only: work/.batou removed, files in place"
hf a-compile-only --runs 5 --prepare 'rm -rf work/.batou' "dotnet $DLL deploy local"
log "A warm no-op"
hf a-warm-dll --warmup 2 --runs 20 "dotnet $DLL deploy local"
if [[ -x "$APPHOST" ]]; then
    hf a-warm-apphost --warmup 2 --runs 20 "$APPHOST deploy local"
fi
hf a-warm-predict --warmup 1 --runs 10 "dotnet $DLL deploy -P local"
# sanity: the files are there and the no-op really changes nothing
test "$(find work -name 'f*.txt' | wc -l)" -eq 1000
test "$(cat work/files03/f042.txt)" = "root 3 file 42"
noop_output="$(dotnet "$DLL" deploy local)"
if grep -q '🚀' <<<"$noop_output"; then echo "A: the no-op deploy changed something" >&2; exit 1; fi

# --- B: configure 5,000 sub-components, 1,000 resource relations -------------------------------
cd "$WORK/model"
log "B cold consistency check (compile included)"
hf b-cold --runs 3 --prepare 'rm -rf work' "dotnet $DLL deploy -c local"
log "B warm consistency check"
hf b-warm-dll --warmup 2 --runs 10 "dotnet $DLL deploy -c local"
if [[ -x "$APPHOST" ]]; then
    hf b-warm-apphost --warmup 2 --runs 10 "$APPHOST deploy -c local"
fi

# --- C: Ansible ----------------------------------------------------------------------------------
if [[ "${BENCH_SKIP_ANSIBLE:-0}" != 1 ]]; then
    cd "$WORK/ansible"
    PB="ansible-playbook -c local -i localhost,"
    log "C ansible copy, $ANSIBLE_ITEMS files: first run"
    hf c-copy-first --runs "$ANSIBLE_RUNS" --prepare 'rm -rf out' "$PB copy.yml"
    log "C ansible copy: no-op rerun"
    hf c-copy-noop --runs "$ANSIBLE_RUNS" "$PB copy.yml"
    test "$(cat out/files00/f042.txt)" = "root 0 file 42"
    noop_output="$($PB copy.yml)"
    grep -q 'changed=0' <<<"$noop_output" || { echo "C: the Ansible no-op run changed something" >&2; exit 1; }
    log "C ansible template: first run and no-op rerun (1 run each)"
    hf c-template-first --runs 1 --prepare 'rm -rf out-template' "$PB template.yml"
    hf c-template-noop --runs 1 "$PB template.yml"
fi

# --- facts and report ----------------------------------------------------------------------------
HEAD_REF="$(head_ref "$REPO")"
FACTS="$WORK/facts.md"
{
    echo "# Benchmark results: $NAME ($DATE)"
    echo
    echo "- Date: $(date -Iseconds)"
    echo "- Repository revision: ${HEAD_REF:-unknown} (working tree may contain uncommitted changes)"
    echo "- Reproduce: \`cd $REPO && BENCH_ANSIBLE_ITEMS=$ANSIBLE_ITEMS BENCH_ANSIBLE_RUNS=$ANSIBLE_RUNS bench/run.sh $NAME\`"
    echo "- Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
    echo "- dotnet --version: $(dotnet --version); runtime: $(dotnet --list-runtimes | grep NETCore.App | tail -1 | cut -d' ' -f2)"
    echo "- ansible --version: $(ansible --version | head -1); $(ansible --version | grep 'python version' | sed 's/^ *//' | cut -d'(' -f1)"
    echo "- hyperfine: $(hyperfine --version)"
    echo "- Load average (1/5/15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the machine)"
    echo "- batou build: Release, \`dotnet build Batou.Cli -c Release --artifacts-path $ARTIFACTS\`"
    echo
    echo "Each command is timed by hyperfine (wall clock, output discarded). \"dll\" = \`dotnet batou.dll\`,"
    echo "\"apphost\" = the \`batou\` executable next to it. Ansible manages the first $ANSIBLE_ITEMS of the same 1,000 files"
    echo "(one \`copy\` task with \`content:\` and a \`loop\` over the items; and the same with \`template\`)."
} > "$FACTS"
python3 "$REPO/bench/report.py" "$JSON" "$FACTS" "$OUT" "$ANSIBLE_ITEMS" >/dev/null
echo "- Total benchmark script time: $(( $(date +%s) - STARTED )) s" >> "$OUT"
cat "$OUT"
log "wrote $OUT"
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "kept the repositories in $WORK"; fi
