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
