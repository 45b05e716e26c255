#!/usr/bin/env bash
# Issue #13, ssh part: the no-op re-deployment of 4 hosts x 250 files with each connect-step
# feature switched off and on, both ssh clients, interleaved rounds (one run of every variant per
# round), plus one profiled run per variant (BATOU_CONNECT_PROFILE: where the connect step spends
# its time per host). See bench/README.md.
#
#   bench/ssh-warm-run.sh [NAME]   writes bench/results/<YYYY-MM-DD>-<NAME>.md (NAME default: ssh-warm)
#
# Environment:
#   BENCH_SSH_HOSTS="w1 w2 w3 w4"            simulated hosts (users batou-<host>); never the test suite's
#   BENCH_SSH_STATE=/tmp/batou-bench-sshd-warm  the benchmark's own sshd (scripts/test-sshd.sh state dir)
#   BENCH_ARTIFACTS=/tmp/bench-sshwarm-artifacts  the Release build and the agent
#   BENCH_ROUNDS=5                            interleaved rounds
#   BENCH_SSH_BUILTIN=0                       skip the builtin client
#   BENCH_SSH_KEX=1                           also the builtin client with `ssh_kex = ^curve25519-sha256` (env ssh-builtin-kex)
#   BENCH_KEEP=1                              keep repositories, hosts' directories and the sshd
#   BENCH_VARIANTS="off skip skip+par warm"   which variants run (warm mode alone: BENCH_VARIANTS="skip+par warm")
#
# Variants (environment variables of the engine):
#   off        BATOU_TRANSFER_SKIP=0 BATOU_CONNECT_PARALLEL=0   always transfer, configure before connecting (as before)
#   skip       BATOU_CONNECT_PARALLEL=0                         skip an unchanged transfer, configure before connecting
#   skip+par   (none)                                           skip, and connect while configuring (the default)
#   warm       deploy --warm 5m                                 skip+par, and warm mode: the connection (openssh) and
#                                                               the agent stay alive between runs (ssh_warm)
set -euo pipefail

NAME="${1:-ssh-warm}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${BENCH_ARTIFACTS:-/tmp/bench-sshwarm-artifacts}"
STATE="${BENCH_SSH_STATE:-/tmp/batou-bench-sshd-warm}"
read -r -a HOSTS <<<"${BENCH_SSH_HOSTS:-w1 w2 w3 w4}"
ROUNDS="${BENCH_ROUNDS:-5}"
RESULTS="$REPO/bench/results"
DATE="$(date +%F)"
OUT="$RESULTS/$DATE-$NAME.md"
STARTED=$(date +%s)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/common.sh
source "$REPO/bench/common.sh"
ensure_tools /usr/sbin/sshd:openssh-server ssh:openssh-client rsync:rsync

log "building Batou.Cli (Release) and publishing the agent into $ARTIFACTS"
dotnet build "$REPO/Batou.Cli" -c Release --artifacts-path "$ARTIFACTS/cli" -nologo -v q -clp:ErrorsOnly
dotnet publish "$REPO/Batou.Cli" -nologo -v:q -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
    --artifacts-path "$ARTIFACTS/agent-build" -o "$ARTIFACTS/agent" >/dev/null
DLL="$ARTIFACTS/cli/bin/Batou.Cli/release/batou.dll"
export BATOU_AGENT="$ARTIFACTS/agent/batou"
test -f "$DLL" && test -x "$BATOU_AGENT"

log "starting the benchmark sshd for ${HOSTS[*]} in $STATE"
BATOU_TEST_SSH_DIR="$STATE" BATOU_TEST_HOSTS="${HOSTS[*]}" "$REPO/scripts/test-sshd.sh" >&2
homes=()
for h in "${HOSTS[@]}"; do homes+=("$(getent passwd "batou-$h" | cut -d: -f6)"); done

WORK="$(mktemp -d /tmp/batou-bench-sshwarm.XXXXXX)"
cleanup() {
    if [[ -n "${CLIENTS_READY:-}" ]]; then
        # end the warm agents and persisted masters the warm variant left (deploy --no-warm asks them to)
        for env in "${CLIENTS[@]}"; do (cd "$WORK/batou" && dotnet "$DLL" deploy -j 4 --no-warm "$env" >/dev/null 2>&1) || true; done
    fi
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
        for d in "${homes[@]}"; do rm -rf "$d/.batou" "$d/bench-ssh"; done
        rm -rf "$WORK"
        if [[ -f "$STATE/sshd.pid" ]]; then kill "$(cat "$STATE/sshd.pid")" 2>/dev/null || true; fi
    fi
}
trap cleanup EXIT
python3 "$REPO/bench/generate_ssh.py" "$WORK" "$STATE" "${HOSTS[@]}" >/dev/null
cd "$WORK/batou"
mkdir -p environments/ssh-builtin
sed 's/^\[environment\]$/[environment]\nssh_client = builtin/' environments/ssh/environment.cfg > environments/ssh-builtin/environment.cfg
mkdir -p environments/ssh-builtin-kex
sed 's/^\[environment\]$/[environment]\nssh_client = builtin\nssh_kex = ^curve25519-sha256/' environments/ssh/environment.cfg > environments/ssh-builtin-kex/environment.cfg

CLIENTS=(ssh)
[[ "${BENCH_SSH_BUILTIN:-1}" == 1 ]] && CLIENTS+=(ssh-builtin)
[[ "${BENCH_SSH_BUILTIN:-1}" == 1 && "${BENCH_SSH_KEX:-0}" == 1 ]] && CLIENTS+=(ssh-builtin-kex)
CLIENTS_READY=1
declare -A VARIANT_ENV=([off]="BATOU_TRANSFER_SKIP=0 BATOU_CONNECT_PARALLEL=0" [skip]="BATOU_CONNECT_PARALLEL=0" [skip+par]="" [warm]="")
declare -A VARIANT_ARGS=([off]="" [skip]="" [skip+par]="" [warm]="--warm 5m")
read -r -a VARIANTS <<<"${BENCH_VARIANTS:-off skip skip+par warm}"

run() { # run ENV VARIANT [extra env...]: one deployment, prints its wall time in ms; fails if it changed anything
    local env="$1" variant="$2"; shift 2
    local t0 t1 out
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    out="$(env ${VARIANT_ENV[$variant]} "$@" dotnet "$DLL" deploy -j 4 ${VARIANT_ARGS[$variant]} "$env" 2>&1)" || { echo "$out" >&2; return 1; }
    t1=$(date +%s%N)
    if grep -q '🚀' <<<"$out"; then echo "the no-op deployment ($env, $variant) changed something" >&2; echo "$out" >&2; return 1; fi
    echo $(( (t1 - t0) / 1000000 ))
}

log "first deployments (compile, agent upload, files), then one warm-up run per variant"
for env in "${CLIENTS[@]}"; do
    dotnet "$DLL" deploy -j 4 "$env" >"$WORK/first-$env.log" 2>&1 || { cat "$WORK/first-$env.log"; exit 1; }
    for v in "${VARIANTS[@]}"; do run "$env" "$v" >/dev/null; done
done

TIMES="$WORK/times.tsv"; : > "$TIMES"
for ((r = 1; r <= ROUNDS; r++)); do
    log "round $r/$ROUNDS (load $(cut -d' ' -f1 /proc/loadavg))"
    for env in "${CLIENTS[@]}"; do
        for v in "${VARIANTS[@]}"; do
            printf '%s\t%s\t%s\t%s\n' "$env" "$v" "$(run "$env" "$v")" "$(cut -d' ' -f1 /proc/loadavg)" >> "$TIMES"
        done
    done
done

log "one profiled run per variant"
PROFILES="$WORK/profiles"; mkdir -p "$PROFILES"
for env in "${CLIENTS[@]}"; do
    for v in "${VARIANTS[@]}"; do
        run "$env" "$v" BATOU_CONNECT_PROFILE="$PROFILES/$env.$v.txt" > "$PROFILES/$env.$v.ms"
    done
done

# sanity: every host has its 250 files with its own contents
for i in "${!HOSTS[@]}"; do
    test "$(find "${homes[$i]}/bench-ssh/work" -name 'f*.txt' | wc -l)" -eq 250
    test "$(cat "${homes[$i]}/bench-ssh/work/sshfiles3/f042.txt")" = "host ${HOSTS[$i]} root 3 file 42"
done

{
    echo "# SSH no-op, connect-step features off/on and warm mode: $NAME ($DATE)"
    echo
    echo "- Date: $(date -Iseconds)"
    echo "- Repository revision: $(head_ref "$REPO") (working tree may contain uncommitted changes)"
    echo "- Reproduce: \`cd $REPO && BENCH_ROUNDS=$ROUNDS BENCH_VARIANTS=\"${VARIANTS[*]}\" BENCH_SSH_BUILTIN=${BENCH_SSH_BUILTIN:-1} BENCH_SSH_KEX=${BENCH_SSH_KEX:-0} bench/ssh-warm-run.sh $NAME\`"
    echo "- Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); dotnet $(dotnet --version); $(ssh -V 2>&1 | cut -d, -f1)"
    echo "- Load average (1/5/15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)"
    echo "- Hosts: ${HOSTS[*]} on the benchmark's own loopback sshd ($STATE); 5 roots x 50 \`File\` = 250 files per host;"
    echo "  \`dotnet batou.dll deploy -j 4 ssh\` (openssh) and \`ssh-builtin\` (\`ssh_client = builtin\`), Release build, published agent."
    echo "- $ROUNDS interleaved rounds: every round runs every variant once, so load drifts hit all alike."
    echo
    python3 "$REPO/bench/report_ssh_warm.py" "$TIMES" "$PROFILES"
    echo
    echo "- Total benchmark script time: $(( $(date +%s) - STARTED )) s"
} > "$OUT"
cat "$OUT"
log "wrote $OUT"
