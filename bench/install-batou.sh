#!/usr/bin/env bash
# Real batou 2.7.1 for bench/compare.sh, built from source because this machine has no PyPI: Debian's
# python3 packages for its dependencies (apt), the sources of batou 2.7.1, ConfigUpdater 3.2 and
# remote-pdb 2.1.0 from git, installed with pip --no-index --no-deps into a venv that sees the apt packages.
#
#   bench/install-batou.sh            installs into /opt/batou-2.7.1 (idempotent) and prints the PATH to use
#
# Environment: BATOU_SOURCES=DIR where DIR holds (any of) the git directories or checkouts
#   batou (github.com/flyingcircusio/batou), configupdater (github.com/pyscaffold/configupdater),
#   remote-pdb (github.com/ionelmc/python-remote-pdb); default /work/.mirror/<owner>+<name>/repo, where the
#   session's `fetch` tool puts GitHub snapshots. BATOU_PREFIX=/opt/batou-2.7.1.
# Then: PATH=/opt/batou-2.7.1/path:$PATH bench/compare.sh   (the `batou` there sets APPENV_BASEDIR as
# batou's appenv wrapper does, to the deployment directory it is run in).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/common.sh"
PREFIX="${BATOU_PREFIX:-/opt/batou-2.7.1}"
PY=/usr/bin/python3   # Debian's: it sees the apt packages (a pyenv python3 on PATH would not)

if [[ -x "$PREFIX/path/batou" ]] && (cd /tmp && "$PREFIX/path/batou" --help >/dev/null 2>&1); then
  log "batou is installed: PATH=$PREFIX/path:\$PATH"; exit 0
fi
ensure_tools "$PY:python3" /usr/share/doc/python3-venv:python3-venv /usr/share/doc/python3-pip:python3-pip
ensure_tools /usr/share/doc/python3-jinja2:python3-jinja2 /usr/share/doc/python3-requests:python3-requests \
  /usr/share/doc/python3-setuptools:python3-setuptools /usr/share/doc/python3-setuptools-scm:python3-setuptools-scm \
  /usr/share/doc/python3-wheel:python3-wheel /usr/share/doc/python3-execnet:python3-execnet \
  /usr/share/doc/python3-importlib-metadata:python3-importlib-metadata \
  /usr/share/doc/python3-importlib-resources:python3-importlib-resources /usr/share/doc/python3-py:python3-py \
  /usr/share/doc/python3-yaml:python3-yaml

# source NAME DEFAULT_GIT_DIR TAG DEST: a checkout of TAG from $BATOU_SOURCES/NAME (git dir or tree) or the default
source_of() {
  local dir="${BATOU_SOURCES:+$BATOU_SOURCES/$1}"; dir="${dir:-$2}"
  mkdir -p "$4"
  if [[ -d "$dir/objects" || -d "$dir/.git" ]]; then
    local gd="$dir"; [[ -d "$dir/.git" ]] && gd="$dir/.git"
    git --git-dir="$gd" archive "$3" | tar -x -C "$4"
  elif [[ -f "$dir/setup.py" || -f "$dir/pyproject.toml" ]]; then cp -r "$dir/." "$4"
  else echo "no source of $1 in $dir: fetch github.com/$5 (tag $3) there or set BATOU_SOURCES" >&2; exit 1; fi
}
SRC="$(mktemp -d /tmp/batou-install.XXXXXX)"; trap 'rm -rf "$SRC"' EXIT
source_of batou /work/.mirror/flyingcircusio+batou/repo 2.7.1 "$SRC/batou" flyingcircusio/batou
source_of configupdater /work/.mirror/pyscaffold+configupdater/repo v3.2 "$SRC/configupdater" pyscaffold/configupdater
source_of remote-pdb /work/.mirror/ionelmc+python-remote-pdb/repo v2.1.0 "$SRC/remote-pdb" ionelmc/python-remote-pdb

rm -rf "$PREFIX"
"$PY" -m venv --system-site-packages "$PREFIX"
SETUPTOOLS_SCM_PRETEND_VERSION=3.2 "$PREFIX/bin/pip" install -q --no-index --no-deps --no-build-isolation "$SRC/configupdater"
"$PREFIX/bin/pip" install -q --no-index --no-deps --no-build-isolation "$SRC/remote-pdb" "$SRC/batou"
mkdir -p "$PREFIX/path"
cat > "$PREFIX/path/batou" <<WRAP
#!/bin/sh
# batou 2.7.1 (bench/install-batou.sh); like batou's appenv wrapper, run it in the deployment directory
APPENV_BASEDIR="\${APPENV_BASEDIR:-\$PWD}" exec "$PREFIX/bin/batou" "\$@"
WRAP
chmod +x "$PREFIX/path/batou"
log "installed $("$PREFIX/bin/pip" list 2>/dev/null | awk '$1=="batou" {print $1, $2}') into $PREFIX: PATH=$PREFIX/path:\$PATH"
