#!/usr/bin/env bash
# The cases of issue #13 side by side: ours (one or more revisions), real batou when a `batou` command
# is on PATH, Ansible, and a .NET program that only stats, reads and compares the files (the floor).
# Interleaved rounds, medians, peak memory and ratios; see bench/README.md ("Compare").
#
#   bench/compare.sh [NAME]      writes bench/results/<YYYY-MM-DD>-<NAME>.md (NAME default: compare)
#
# Environment:
#   BENCH_REVS="HEAD"            revisions of ours to measure (e.g. "ff80eff HEAD": before/after); the last one is the
#                                reference of the ratios. HEAD is the working tree; others are built from a git worktree.
#   BENCH_ROUNDS=5               interleaved rounds
#   BENCH_ANSIBLE_ITEMS=100      files Ansible manages (times scaled to 1,000: ~0.35 s per item and run)
#   BENCH_ANSIBLE_ROUNDS=2       rounds that include Ansible (one Ansible run of 100 files takes ~35 s)
#   BENCH_SKIP_ANSIBLE=1         no Ansible
#   BENCH_SSH=1                  the ssh case (4 hosts x 250 files, own sshd like ssh-run.sh; 0 skips it)
#   BENCH_ARTIFACTS=/tmp/bench-perf-compare-artifacts   builds (never inside the repository)
#   BENCH_KEEP=1                 keep the generated repositories
#   BENCH_CASES="noop first checkout check-cold check-warm ssh"   the cases to run (default: all of them)
#   BENCH_VARIANTS="pgo0=DOTNET_TieredPGO=0 ..."   the reference revision once more per variant, with these
#                                environment variables (LABEL=VAR=VALUE[,VAR=VALUE]): runtime settings A/B in one run
#                                (e.g. "noserver=BATOU_COMPILE_SERVER=off": the compile cases without the warm compile server)
set -euo pipefail

NAME="${1:-compare}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${BENCH_ARTIFACTS:-/tmp/bench-perf-compare-artifacts}"
read -r -a REVS <<<"${BENCH_REVS:-HEAD}"
ROUNDS="${BENCH_ROUNDS:-5}"
ANSIBLE_ITEMS="${BENCH_ANSIBLE_ITEMS:-100}"
ANSIBLE_ROUNDS="${BENCH_ANSIBLE_ROUNDS:-2}"
SSH_CASE="${BENCH_SSH:-1}"
read -r -a CASES <<<"${BENCH_CASES:-noop first checkout check-cold check-warm ssh}"
read -r -a VARIANTS <<<"${BENCH_VARIANTS:-}"
wanted() { [[ " ${CASES[*]} " == *" $1 "* ]]; }
wanted ssh || SSH_CASE=0
STATE="${BENCH_SSH_STATE:-/tmp/batou-bench-sshd}"
read -r -a HOSTS <<<"${BENCH_SSH_HOSTS:-bench1 bench2 bench3 bench4}"
RESULTS="$REPO/bench/results"
DATE="$(date +%F)"
OUT="$RESULTS/$DATE-$NAME.md"
STARTED=$(date +%s)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck source=bench/common.sh
source "$REPO/bench/common.sh"
tools=(python3:python3 jq:jq)
[[ "${BENCH_SKIP_ANSIBLE:-0}" == 1 ]] || tools+=(ansible-playbook:ansible-core)
[[ "$SSH_CASE" != 1 ]] || tools+=(/usr/sbin/sshd:openssh-server ssh:openssh-client)
ensure_tools "${tools[@]}"

WORK="$(mktemp -d /tmp/batou-compare.XXXXXX)"
mkdir -p "$RESULTS" "$ARTIFACTS"
declare -A BIN
cleanup() {
    # the compile servers the runs started (their own runtime directory: nobody else's server is touched)
    for rev in "${REVS[@]}"; do [[ -x "${BIN[$rev]:-}" ]] && XDG_RUNTIME_DIR="$WORK/runtime" "${BIN[$rev]}" compile-server --stop >/dev/null 2>&1 || true; done
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
        for d in "${homes[@]:-}"; do [[ -n "$d" ]] && rm -rf "$d/.batou" "$d/bench-ssh" "$d/.ansible"; done
        if [[ "$SSH_CASE" == 1 && -f "$STATE/sshd.pid" ]]; then kill "$(cat "$STATE/sshd.pid")" 2>/dev/null || true; fi
        for rev in "${REVS[@]}"; do git -C "$REPO" worktree remove --force "$WORK/src-$rev" 2>/dev/null || true; done
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# --- builds: ours per revision (Release, the apphost), the floor program -------------------------------
declare -A BIN
for rev in "${REVS[@]}"; do
    if [[ "$rev" == HEAD ]]; then src="$REPO"; out="$ARTIFACTS/HEAD"; rm -rf "$out"
    else
        sha="$(git -C "$REPO" rev-parse "$rev")"; out="$ARTIFACTS/$sha"; src="$WORK/src-$rev"
    fi
    if [[ ! -x "$out/publish/batou" ]]; then
        [[ "$rev" == HEAD ]] || git -C "$REPO" worktree add --detach "$src" "$sha" >/dev/null 2>&1
        log "publishing ours@$rev (Release, linux-x64, framework-dependent, as the README installs it) into $out"
        dotnet publish "$src/Batou.Cli" -c Release -r linux-x64 --self-contained false --artifacts-path "$out/build" \
            -o "$out/publish" -nologo -v q -clp:ErrorsOnly >&2
    fi
    BIN[$rev]="$out/publish/batou"
done
REFERENCE_REV="${REVS[-1]}"
log "building the floor program bench/StatCompare"
dotnet build "$REPO/bench/StatCompare" -c Release --artifacts-path "$ARTIFACTS/statcompare" -nologo -v q -clp:ErrorsOnly >&2
FLOOR="$ARTIFACTS/statcompare/bin/StatCompare/release/StatCompare"
BATOU_PY="$(command -v batou || true)"

# the per-user compile cache of the revisions that have it: the benchmark's own, emptied where a case says "compile included"
export BATOU_COMPILE_CACHE="$WORK/compile-cache"
# the revisions with a compile server start it in the benchmark's own runtime directory; it stays warm between rounds
# (as between a user's runs), the warm-up below starts it, and cleanup stops it
mkdir -p "$WORK/runtime" && chmod 700 "$WORK/runtime"
export XDG_RUNTIME_DIR="$WORK/runtime"
COLD="rm -rf work $BATOU_COMPILE_CACHE"

# --- repositories: one copy per revision (each compile cache keeps only its own assembly) -----------------
python3 "$REPO/bench/generate.py" "$WORK/gen" "$ANSIBLE_ITEMS" >/dev/null
python3 "$REPO/bench/generate_batou.py" "$WORK/batou" >/dev/null
for rev in "${REVS[@]}"; do cp -r "$WORK/gen/files" "$WORK/files-$rev"; cp -r "$WORK/gen/model" "$WORK/model-$rev"; done
for rev in "${REVS[@]}"; do   # warm: compiled once, files in place
    (cd "$WORK/files-$rev" && "${BIN[$rev]}" deploy local >/dev/null) && (cd "$WORK/model-$rev" && "${BIN[$rev]}" deploy -c local >/dev/null)
done
(cd "$WORK/files-$REFERENCE_REV" && "$FLOOR" work >/dev/null)   # the files are right
if [[ -n "$BATOU_PY" ]]; then
    (cd "$WORK/batou/files" && batou deploy local >/dev/null) && (cd "$WORK/batou/model" && batou deploy -c local >/dev/null)
fi
if [[ "${BENCH_SKIP_ANSIBLE:-0}" != 1 ]]; then (cd "$WORK/gen/ansible" && ansible-playbook -c local -i localhost, copy.yml >/dev/null); fi

# --- ssh: the benchmark's own sshd and 4 users (as ssh-run.sh), the agent of the reference revision ------
homes=()
if [[ "$SSH_CASE" == 1 ]]; then
    log "publishing the agent of ours@$REFERENCE_REV and starting the benchmark sshd for ${HOSTS[*]}"
    src="$REPO"; [[ "$REFERENCE_REV" == HEAD ]] || src="$WORK/src-$REFERENCE_REV"
    dotnet publish "$src/Batou.Cli" -nologo -v:q -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
        --artifacts-path "$ARTIFACTS/agent-build" -o "$ARTIFACTS/agent" >/dev/null
    export BATOU_AGENT="$ARTIFACTS/agent/batou"
    BATOU_TEST_SSH_DIR="$STATE" BATOU_TEST_HOSTS="${HOSTS[*]}" "$REPO/scripts/test-sshd.sh" >&2
    for h in "${HOSTS[@]}"; do homes+=("$(getent passwd "batou-$h" | cut -d: -f6)"); done
    python3 "$REPO/bench/generate_ssh.py" "$WORK/ssh" "$STATE" "${HOSTS[@]}" >/dev/null
    (cd "$WORK/ssh/batou" && "${BIN[$REFERENCE_REV]}" deploy -j 4 ssh >/dev/null)
fi

# --- the plan: every case's tools next to each other, in every round -----------------------------------
PLAN="$WORK/plan.json"
{
    echo '{"rounds": '"$ROUNDS"', "reference": "ours@'"$REFERENCE_REV"'", "entries": ['
    sep=""
    entry() { # entry CASE TOOL CWD CMD [PREPARE] [ROUNDS] [SCALE] [NOTE]
        printf '%s{"case": %s, "tool": %s, "cwd": %s, "cmd": %s' "$sep" "$(jq -Rn --arg v "$1" '$v')" "$(jq -Rn --arg v "$2" '$v')" \
            "$(jq -Rn --arg v "$3" '$v')" "$(jq -Rn --arg v "$4" '$v')"
        [[ -z "${5:-}" ]] || printf ', "prepare": %s' "$(jq -Rn --arg v "$5" '$v')"
        [[ -z "${6:-}" ]] || printf ', "rounds": %s' "$6"
        [[ -z "${7:-}" ]] || printf ', "scale": %s' "$7"
        [[ -z "${8:-}" ]] || printf ', "note": %s' "$(jq -Rn --arg v "$8" '$v')"
        printf '}\n'
        sep=","
    }
    scale="$(python3 -c "print(1000 / $ANSIBLE_ITEMS)")"
    a_note="Ansible: $ANSIBLE_ITEMS files measured, time ×$scale"
    ansible_on() { [[ "${BENCH_SKIP_ANSIBLE:-0}" != 1 ]]; }
    PB="ansible-playbook -c local -i localhost, copy.yml"

    variants() { # variants CASE CWD ARGS [PREPARE]: the reference revision with each BENCH_VARIANTS environment
        local v label vars
        for v in "${VARIANTS[@]}"; do
            label="${v%%=*}"; vars="${v#*=}"
            entry "$1" "ours@$REFERENCE_REV+$label" "$2" "env ${vars//,/ } ${BIN[$REFERENCE_REV]} $3" "${4:-}"
        done
    }

    c="no-op, 1,000 File components, local"
    if wanted noop; then
    for rev in "${REVS[@]}"; do entry "$c" "ours@$rev" "$WORK/files-$rev" "${BIN[$rev]} deploy local"; done
    variants "$c" "$WORK/files-$REFERENCE_REV" "deploy local"
    [[ -z "$BATOU_PY" ]] || entry "$c" "batou" "$WORK/batou/files" "batou deploy local"
    ansible_on && entry "$c" "ansible" "$WORK/gen/ansible" "$PB" "" "$ANSIBLE_ROUNDS" "$scale" "$a_note"
    entry "$c" "floor (.NET stat+read+compare)" "$WORK/files-$REFERENCE_REV" "$FLOOR work"
    fi

    c="first deployment, 1,000 files (compile included)"
    if wanted first; then
    for rev in "${REVS[@]}"; do entry "$c" "ours@$rev" "$WORK/files-$rev" "${BIN[$rev]} deploy local" "$COLD"; done
    variants "$c" "$WORK/files-$REFERENCE_REV" "deploy local" "$COLD"
    [[ -z "$BATOU_PY" ]] || entry "$c" "batou" "$WORK/batou/files" "batou deploy local" "rm -rf work"
    ansible_on && entry "$c" "ansible" "$WORK/gen/ansible" "$PB" "rm -rf out" "$ANSIBLE_ROUNDS" "$scale" "$a_note"
    fi

    c="first deployment, 1,000 files, another checkout of the same sources"
    wanted checkout && entry "$c" "ours@$REFERENCE_REV" "$WORK/files-$REFERENCE_REV" "${BIN[$REFERENCE_REV]} deploy local" "rm -rf work" "" "" \
        "per-user compile cache warm (revisions before it compile)"

    c="deploy -c, 5,000 components, cold"
    if wanted check-cold; then
    for rev in "${REVS[@]}"; do entry "$c" "ours@$rev" "$WORK/model-$rev" "${BIN[$rev]} deploy -c local" "$COLD"; done
    variants "$c" "$WORK/model-$REFERENCE_REV" "deploy -c local" "$COLD"
    [[ -z "$BATOU_PY" ]] || entry "$c" "batou" "$WORK/batou/model" "batou deploy -c local" "rm -rf work"
    fi

    c="deploy -c, 5,000 components, warm"
    if wanted check-warm; then
    for rev in "${REVS[@]}"; do entry "$c" "ours@$rev" "$WORK/model-$rev" "${BIN[$rev]} deploy -c local"; done
    variants "$c" "$WORK/model-$REFERENCE_REV" "deploy -c local"
    [[ -z "$BATOU_PY" ]] || entry "$c" "batou" "$WORK/batou/model" "batou deploy -c local"
    fi

    if [[ "$SSH_CASE" == 1 ]]; then
        c="ssh no-op, 4 hosts x 250 files"
        entry "$c" "ours@$REFERENCE_REV" "$WORK/ssh/batou" "${BIN[$REFERENCE_REV]} deploy -j 4 ssh"
    fi
    echo ']}'
} > "$PLAN"

HEAD_REF="$(head_ref "$REPO")"
FACTS="$WORK/facts.md"
{
    echo "# Issue #13 side by side: $NAME ($DATE)"
    echo
    echo "- Date: $(date -Iseconds)"
    echo "- Repository: ${HEAD_REF:-unknown} (working tree may contain uncommitted changes); ours measured at: ${REVS[*]}"
    echo "- Reproduce: \`cd $REPO && BENCH_REVS=\"${REVS[*]}\" BENCH_ROUNDS=$ROUNDS BENCH_SKIP_ANSIBLE=${BENCH_SKIP_ANSIBLE:-0} BENCH_ANSIBLE_ITEMS=$ANSIBLE_ITEMS BENCH_ANSIBLE_ROUNDS=$ANSIBLE_ROUNDS BENCH_SSH=$SSH_CASE BENCH_CASES=\"${CASES[*]}\" BENCH_VARIANTS=\"${VARIANTS[*]}\" bench/compare.sh $NAME\`"
    echo "- Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); dotnet $(dotnet --version)"
    if command -v ansible >/dev/null; then echo "- Ansible: $(ansible --version 2>/dev/null | sed -n 1p)"; fi
    if [[ -n "$BATOU_PY" ]]; then echo "- batou: $BATOU_PY ($(batou --version 2>&1 | head -1))"
    else echo "- **batou: not on PATH** (it cannot be installed here: no PyPI), so there is no batou column; the repositories for it come from \`bench/generate_batou.py\`"; fi
    echo "- Load average (1/5/15 min) before: $LOAD_BEFORE; after: @LOAD_AFTER@ (other processes share the machine)"
    echo "- ours: \`dotnet publish Batou.Cli -c Release -r linux-x64 --self-contained false\` per revision, the \`batou\` executable"
    echo "- compile server (revisions that have it): on, as a user gets it; started by the warm-up, warm in every round (\`rm -rf work \$BATOU_COMPILE_CACHE\` empties the caches, not the server); its CPU and memory are not in ours' peak RSS (it is another process: about 200 MB resident). The \`noserver\` variant, when given, is the same build with \`BATOU_COMPILE_SERVER=off\`"
    echo "- floor: \`bench/StatCompare\` (stat, read and compare the same 1,000 files; its own .NET start-up included)"
    echo
} > "$FACTS"
log "running $ROUNDS interleaved rounds"
python3 "$REPO/bench/compare.py" "$PLAN" "$FACTS" "$OUT"
sed -i "s|@LOAD_AFTER@|$(cut -d' ' -f1-3 /proc/loadavg)|" "$OUT"
echo "- Total script time: $(( $(date +%s) - STARTED )) s" >> "$OUT"
cat "$OUT"
log "wrote $OUT"
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "kept $WORK"; fi
