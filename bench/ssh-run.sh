#!/usr/bin/env bash
# SSH benchmark for batou for .NET (4 hosts x 250 files over a loopback sshd); see bench/README.md.
#
#   bench/ssh-run.sh [NAME]      writes bench/results/<YYYY-MM-DD>-<NAME>.md (NAME default: ssh-baseline)
#
# Environment:
#   BENCH_SSH_HOSTS="bench1 bench2 bench3 bench4"   the simulated hosts (users batou-<host>); not the
#                                test suite's host1..host3, whose ~/.batou and sshd this must not touch
#   BENCH_SSH_STATE=/tmp/batou-bench-sshd   the benchmark's own sshd (scripts/test-sshd.sh state dir)
#   BENCH_SSH_ROOTS=5            root components per host; BENCH_SSH_FILES_PER_ROOT=50 File components each
#   BENCH_SSH_JOBS=<hosts>       -j for batou and forks for Ansible (default: one per host)
#   BENCH_SSH_NOOP_RUNS=15       hyperfine runs for the no-op re-deployment
#   BENCH_SSH_FIRST_RUNS=3       hyperfine runs for the two first-deployment variants
#   BENCH_ANSIBLE_RUNS=1         hyperfine runs per Ansible command (~2-7 min per run here)
#   BENCH_SKIP_ANSIBLE=1         skip the Ansible side
#   BENCH_SSH_BUILTIN=0          skip the builtin ssh client (SSH.NET in process, `ssh_client = builtin`)
#   BENCH_ARTIFACTS=/tmp/bench-ssh-artifacts   where the Release build and the agent go
#   BENCH_KEEP=1                 keep the generated repositories, the hosts' directories and the sshd
set -euo pipefail

NAME="${1:-ssh-baseline}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${BENCH_ARTIFACTS:-/tmp/bench-ssh-artifacts}"
STATE="${BENCH_SSH_STATE:-/tmp/batou-bench-sshd}"
read -r -a HOSTS <<<"${BENCH_SSH_HOSTS:-bench1 bench2 bench3 bench4}"
NOOP_RUNS="${BENCH_SSH_NOOP_RUNS:-15}"
FIRST_RUNS="${BENCH_SSH_FIRST_RUNS:-3}"
ANSIBLE_RUNS="${BENCH_ANSIBLE_RUNS:-1}"
export BENCH_SSH_ROOTS="${BENCH_SSH_ROOTS:-5}" BENCH_SSH_FILES_PER_ROOT="${BENCH_SSH_FILES_PER_ROOT:-50}"
FILES=$(( BENCH_SSH_ROOTS * BENCH_SSH_FILES_PER_ROOT ))
export BENCH_SSH_JOBS="${BENCH_SSH_JOBS:-${#HOSTS[@]}}"
JOBS="$BENCH_SSH_JOBS"
LAST_ROOT=$(( BENCH_SSH_ROOTS - 1 )); LAST_FILE=$(printf '%03d' $(( BENCH_SSH_FILES_PER_ROOT - 1 )))
RESULTS="$REPO/bench/results"
DATE="$(date +%F)"
OUT="$RESULTS/$DATE-$NAME.md"
STARTED=$(date +%s)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/common.sh
source "$REPO/bench/common.sh"

# --- tools -------------------------------------------------------------------------------------
ensure_tools hyperfine:hyperfine ansible-playbook:ansible-core /usr/sbin/sshd:openssh-server ssh:openssh-client rsync:rsync

# --- build (Release, isolated artifacts paths: others build in the repository concurrently) ----
log "building Batou.Cli (Release) and publishing the agent into $ARTIFACTS"
dotnet build "$REPO/Batou.Cli" -c Release --artifacts-path "$ARTIFACTS/cli" -nologo -v q -clp:ErrorsOnly
dotnet publish "$REPO/Batou.Cli" -nologo -v:q -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
    --artifacts-path "$ARTIFACTS/agent-build" -o "$ARTIFACTS/agent" >/dev/null
DLL="$ARTIFACTS/cli/bin/Batou.Cli/release/batou.dll"
export BATOU_AGENT="$ARTIFACTS/agent/batou"
test -f "$DLL" && test -x "$BATOU_AGENT"
AGENT_MB=$(( $(stat -c %s "$BATOU_AGENT") / 1000000 ))

# --- the benchmark's own sshd (never the test suite's .test-sshd: restarting that breaks running tests)
log "starting the benchmark sshd for ${HOSTS[*]} in $STATE"
BATOU_TEST_SSH_DIR="$STATE" BATOU_TEST_HOSTS="${HOSTS[*]}" "$REPO/scripts/test-sshd.sh" >&2
SSHD_LOG="$STATE/sshd.log"

homes=()
for h in "${HOSTS[@]}"; do homes+=("$(getent passwd "batou-$h" | cut -d: -f6)"); done

# --- repositories ------------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/batou-bench-ssh.XXXXXX)"
JSON="$WORK/json"
mkdir -p "$JSON" "$RESULTS"
CLEAN_HOSTS="$WORK/clean-hosts.sh"      # removes the agent cache and the bench directory on every host
CLEAN_TARGET="$WORK/clean-target.sh"    # removes only the bench directory (agent stays cached)
{ echo "#!/bin/sh"; for d in "${homes[@]}"; do echo "rm -rf '$d/.batou' '$d/bench-ssh' '$d/.ansible'"; done; } > "$CLEAN_HOSTS"
{ echo "#!/bin/sh"; for d in "${homes[@]}"; do echo "rm -rf '$d/bench-ssh'"; done; } > "$CLEAN_TARGET"
chmod +x "$CLEAN_HOSTS" "$CLEAN_TARGET"
cleanup() {
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
        "$CLEAN_HOSTS"; rm -rf "$WORK"
        # stop the benchmark's sshd (the one this script started; never the test suite's)
        if [[ -f "$STATE/sshd.pid" ]]; then kill "$(cat "$STATE/sshd.pid")" 2>/dev/null || true; fi
    fi
}
trap cleanup EXIT
log "generating repositories in $WORK"
python3 "$REPO/bench/generate_ssh.py" "$WORK" "$STATE" "${HOSTS[@]}"

hf() { # hf NAME hyperfine-args...
    local name="$1"; shift
    hyperfine --style basic --export-json "$JSON/$name.json" "$@" >&2
}
accepted() { # accepted USER: "Accepted publickey" lines for USER in the sshd log so far
    grep -c "Accepted publickey for $1 " "$SSHD_LOG" || true
}

# --- batou --------------------------------------------------------------------------------------
cd "$WORK/batou"
BATOU="dotnet $DLL deploy -j $JOBS ssh"
log "compile the components once (the local compile cache stays for all runs: this measures the remote side)"
$BATOU >"$WORK/first.log" 2>&1 || { cat "$WORK/first.log"; exit 1; }
"$CLEAN_HOSTS"
log "first deployment, agent upload included (~/.batou and ~/bench-ssh removed on every host before each run)"
hf first-upload --runs "$FIRST_RUNS" --prepare "$CLEAN_HOSTS" "$BATOU"
log "first deployment, agent cached (~/bench-ssh removed before each run)"
hf first-cached --runs "$FIRST_RUNS" --prepare "$CLEAN_TARGET" "$BATOU"
log "no-op re-deployment"
hf noop --warmup 2 --runs "$NOOP_RUNS" "$BATOU"
# sanity: the files are there, the no-op changes nothing
for i in "${!HOSTS[@]}"; do
    test "$(find "${homes[$i]}/bench-ssh/work" -name 'f*.txt' | wc -l)" -eq "$FILES"
    test "$(cat "${homes[$i]}/bench-ssh/work/sshfiles$LAST_ROOT/f$LAST_FILE.txt")" = "host ${HOSTS[$i]} root $LAST_ROOT file $((10#$LAST_FILE))"
done
log "one no-op run with connection counting"
before=(); for h in "${HOSTS[@]}"; do before+=("$(accepted "batou-$h")"); done
noop_output="$($BATOU 2>&1)"
sleep 0.5  # let sshd write its log lines
CONN="$WORK/connections.txt"
: > "$CONN"
for i in "${!HOSTS[@]}"; do echo "${HOSTS[$i]} $(( $(accepted "batou-${HOSTS[$i]}") - ${before[$i]} ))" >> "$CONN"; done
if grep -q '🚀' <<<"$noop_output"; then echo "the no-op deploy changed something" >&2; exit 1; fi
SUMMARY_LINE="$(grep -o 'Deployment took.*' <<<"$noop_output" | tail -1)"
# a few more summary lines, for where the time goes
for _ in 1 2 3 4; do $BATOU 2>&1 | grep -o 'Deployment took.*' >> "$WORK/summaries.txt"; done

# --- batou with the builtin ssh client (SSH.NET in process) -------------------------------------
BCONN="$WORK/builtin-connections.txt"
: > "$BCONN"
BUILTIN_SUMMARY=""
if [[ "${BENCH_SSH_BUILTIN:-1}" == 1 ]]; then
    cd "$WORK/batou"
    mkdir -p environments/ssh-builtin   # the same environment, plus ssh_client = builtin (it reads the repository's ssh_config)
    sed 's/^\[environment\]$/[environment]\nssh_client = builtin/' environments/ssh/environment.cfg > environments/ssh-builtin/environment.cfg
    BUILTIN="dotnet $DLL deploy -j $JOBS ssh-builtin"
    $BUILTIN >"$WORK/builtin-first.log" 2>&1 || { cat "$WORK/builtin-first.log"; exit 1; }
    log "builtin: first deployment, agent upload included"
    hf builtin-first-upload --runs "$FIRST_RUNS" --prepare "$CLEAN_HOSTS" "$BUILTIN"
    log "builtin: first deployment, agent cached"
    hf builtin-first-cached --runs "$FIRST_RUNS" --prepare "$CLEAN_TARGET" "$BUILTIN"
    log "builtin: no-op re-deployment"
    hf builtin-noop --warmup 2 --runs "$NOOP_RUNS" "$BUILTIN"
    for i in "${!HOSTS[@]}"; do
        test "$(find "${homes[$i]}/bench-ssh/work" -name 'f*.txt' | wc -l)" -eq "$FILES"
        test "$(cat "${homes[$i]}/bench-ssh/work/sshfiles$LAST_ROOT/f$LAST_FILE.txt")" = "host ${HOSTS[$i]} root $LAST_ROOT file $((10#$LAST_FILE))"
    done
    before=(); for h in "${HOSTS[@]}"; do before+=("$(accepted "batou-$h")"); done
    noop_output="$($BUILTIN 2>&1)"
    sleep 0.5
    for i in "${!HOSTS[@]}"; do echo "${HOSTS[$i]} $(( $(accepted "batou-${HOSTS[$i]}") - ${before[$i]} ))" >> "$BCONN"; done
    if grep -q '🚀' <<<"$noop_output"; then echo "the builtin no-op deploy changed something" >&2; exit 1; fi
    BUILTIN_SUMMARY="$(grep -o 'Deployment took.*' <<<"$noop_output" | tail -1)"
fi
echo "$BUILTIN_SUMMARY" > "$WORK/builtin-summary.txt"

# --- Ansible ------------------------------------------------------------------------------------
ACONN="$WORK/ansible-connections.txt"
: > "$ACONN"
if [[ "${BENCH_SKIP_ANSIBLE:-0}" != 1 ]]; then
    cd "$WORK/ansible"
    # Ansible keeps its ssh masters for ControlPersist=60s after a run; close them before each run
    # so that every run starts cold, like every batou run (and the connection count is per run).
    STOP_MASTERS="$WORK/stop-ansible-masters.sh"
    cat > "$STOP_MASTERS" <<STOP
#!/bin/sh
for s in "$WORK/ansible/cp"/*; do [ -S "\$s" ] && ssh -o ControlPath="\$s" -O exit dummy 2>/dev/null; done
true
STOP
    chmod +x "$STOP_MASTERS"
    "$CLEAN_HOSTS"
    log "ansible copy, $FILES files per host, forks=$JOBS: first run ($ANSIBLE_RUNS run(s), several minutes each)"
    hf ansible-first --runs "$ANSIBLE_RUNS" --prepare "$STOP_MASTERS; $CLEAN_HOSTS" "ansible-playbook copy.yml"
    log "ansible copy: no-op rerun"
    "$STOP_MASTERS"
    before=(); for h in "${HOSTS[@]}"; do before+=("$(accepted "batou-$h")"); done
    hf ansible-noop --runs "$ANSIBLE_RUNS" --prepare "$STOP_MASTERS" "ansible-playbook copy.yml"
    sleep 0.5
    for i in "${!HOSTS[@]}"; do
        echo "${HOSTS[$i]} $(( ($(accepted "batou-${HOSTS[$i]}") - ${before[$i]}) / ANSIBLE_RUNS ))" >> "$ACONN"
    done
    test "$(cat "${homes[0]}/bench-ssh/work/sshfiles$LAST_ROOT/f$LAST_FILE.txt")" = "host ${HOSTS[0]} root $LAST_ROOT file $((10#$LAST_FILE))"
fi

# --- facts and report ----------------------------------------------------------------------------
HEAD_REF="$(head_ref "$REPO")"
FACTS="$WORK/facts.md"
{
    echo "# SSH benchmark results: $NAME ($DATE)"
    echo
    echo "- Date: $(date -Iseconds)"
    echo "- Repository revision: ${HEAD_REF:-unknown} (working tree may contain uncommitted changes)"
    echo "- Reproduce: \`cd $REPO && BENCH_SSH_NOOP_RUNS=$NOOP_RUNS BENCH_SSH_FIRST_RUNS=$FIRST_RUNS BENCH_ANSIBLE_RUNS=$ANSIBLE_RUNS BENCH_SSH_HOSTS=\"${HOSTS[*]}\" BENCH_SSH_ROOTS=$BENCH_SSH_ROOTS BENCH_SSH_FILES_PER_ROOT=$BENCH_SSH_FILES_PER_ROOT BENCH_SSH_JOBS=$JOBS bench/ssh-run.sh $NAME\`"
    echo "- Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
    echo "- dotnet --version: $(dotnet --version); runtime: $(dotnet --list-runtimes | grep NETCore.App | tail -1 | cut -d' ' -f2)"
    echo "- $(ssh -V 2>&1); rsync $(rsync --version | head -1 | awk '{print $3}')"
    ANSIBLE_VERSION="$(ansible --version 2>/dev/null || true)"
    echo "- ansible --version: $(head -1 <<<"$ANSIBLE_VERSION"); $(grep 'python version' <<<"$ANSIBLE_VERSION" | sed 's/^ *//' | cut -d'(' -f1)"
    echo "- hyperfine: $(hyperfine --version)"
    echo "- Load average (1/5/15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the machine)"
    echo "- batou: Release \`dotnet batou.dll deploy -j $JOBS ssh\` (\`dotnet build Batou.Cli -c Release --artifacts-path $ARTIFACTS/cli\`);"
    echo "  agent: \`dotnet publish Batou.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true\`, $AGENT_MB MB"
    echo "- Hosts: ${HOSTS[*]} (users batou-<host>) on one loopback sshd (\`scripts/test-sshd.sh\`, state in $STATE), each host gets"
    echo "  $BENCH_SSH_ROOTS root components × $BENCH_SSH_FILES_PER_ROOT \`File\` = $FILES files in \`~/bench-ssh/work/\` (contents name the host)."
    echo "- Ansible: the same ${#HOSTS[@]} users, port, key and known_hosts (\`StrictHostKeyChecking=yes\`), \`forks = $JOBS\`, \`pipelining = True\`,"
    echo "  ControlPersist=60s (masters closed before each run), no fact gathering; one \`file\` task (5 directories) and one \`copy\` task with \`content:\` and a loop over $FILES items per host."
    echo "- The components were compiled once before the runs (the controller's compile cache stays): first deployment = first deployment *to the hosts*."
} > "$FACTS"
BENCH_SSH_HOST_COUNT=${#HOSTS[@]} BENCH_SSH_FILES=$FILES python3 "$REPO/bench/report_ssh.py" "$JSON" "$FACTS" "$OUT" "$CONN" "$ACONN" "$SUMMARY_LINE" "$WORK/summaries.txt" "$BCONN" "$WORK/builtin-summary.txt" >/dev/null
echo "- Total benchmark script time: $(( $(date +%s) - STARTED )) s" >> "$OUT"
cat "$OUT"
log "wrote $OUT"
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "kept the repositories in $WORK and the hosts' ~/bench-ssh"; fi
