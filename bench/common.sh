# Shared by the benchmark scripts (source it): logging and idempotent apt installs.

log() { printf '\n==> %s\n' "$*" >&2; }

# ensure_tools CHECK:PACKAGE ... — installs PACKAGE with apt when CHECK (a command name, or an
# absolute path to an executable) is missing.
ensure_tools() {
    local need=() pair check package
    for pair in "$@"; do
        check="${pair%%:*}"; package="${pair#*:}"
        if [[ "$check" == /* ]]; then [[ -x "$check" ]] || need+=("$package")
        else command -v "$check" >/dev/null || need+=("$package"); fi
    done
    if ((${#need[@]})); then
        log "installing ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y "${need[@]}" || { apt-get update && apt-get install -y "${need[@]}"; }
    fi
}

# head_ref REPO — "refs/heads/<branch> <commit>" of REPO's checkout (or "unknown"), for the result files.
head_ref() {
    local ref
    ref="$(git -C "$1" symbolic-ref -q HEAD 2>/dev/null || echo detached)"
    echo "$ref $(git -C "$1" rev-parse HEAD 2>/dev/null || echo unknown)"
}

# stop_server — the web benchmarks' dashboard: stops $SERVER_PID (TERM, up to 10 s, then KILL) and clears it.
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

# end_web_bench — for `trap end_web_bench EXIT`: the server, the git worktrees listed in TREES (under ROOT), and TMP
# unless BENCH_KEEP=1.
end_web_bench() {
  stop_server
  for t in "${TREES[@]}"; do git -C "$ROOT" worktree remove --force "$t" 2>/dev/null || true; done
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}

# build_web_rev REV — builds Batou.Web (Release) at REV into $ART/REV and sets SHA[REV] and DLL[REV] (the caller
# declares `declare -A SHA DLL`). REV "worktree" is ROOT's working tree (its SHA marked "+changes" when Batou.Web
# differs from HEAD); any other revision is checked out as a detached worktree under TMP and listed in TREES, which
# end_web_bench removes.
build_web_rev() {
  local rev="$1" src
  if [[ "$rev" == worktree ]]; then
    src="$ROOT"; SHA[$rev]="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Batou.Web || echo '+changes')"
  else
    src="$TMP/src-$rev"; TREES+=("$src")
    git -C "$ROOT" worktree add -q --detach "$src" "$rev"
    SHA[$rev]="$(git -C "$src" rev-parse --short HEAD)"
  fi
  log "build Batou.Web at $rev (${SHA[$rev]}) (Release)"
  (cd "$src" && dotnet build Batou.Web -c Release --artifacts-path "$ART/$rev" -v q -nologo) | tail -1
  DLL[$rev]="$ART/$rev/bin/Batou.Web/release/Batou.Web.dll"
}
