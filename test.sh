#!/usr/bin/env bash
# The one test command: installs what the tests need (idempotently), builds, runs every test,
# and ends with a line "N passed, N failed". CI (.ci/run) calls exactly this.
set -uo pipefail
cd "$(dirname "$0")"

# System packages the tests use for real: git repositories, archives, a loopback sshd with rsync
# and sudo, age and gpg for secrets, Debian's Chromium (its headless shell) for the dashboard's browser tests, PostgreSQL for the
# dashboard's scale-out tests.
packages=(git tar gzip bzip2 xz-utils openssh-server openssh-client rsync python3 sudo age gnupg chromium-headless-shell postgresql nginx supervisor logrotate strace)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

# Tests create git repositories: give git an identity if the machine has none.
git config --global user.email >/dev/null 2>&1 || git config --global user.email "batou-tests@localhost"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "batou tests"

# The remote agent: a self-contained single-file linux-x64 batou, as targets get it.
echo "== publishing the agent"
dotnet publish Batou.Cli -nologo -v:q -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  --artifacts-path .artifacts/agent-build -o .artifacts/agent/linux-x64 || { echo "0 passed, 1 failed"; exit 1; }
export BATOU_AGENT="$PWD/.artifacts/agent/linux-x64/batou"

# A loopback sshd with one user per simulated host (host1..host3) for the remote tests.
echo "== starting the test sshd"
./scripts/test-sshd.sh || { echo "0 passed, 1 failed"; exit 1; }
export BATOU_TEST_SSH_DIR="$PWD/.test-sshd"

# A throwaway PostgreSQL cluster on 127.0.0.1 (in .test-pg/, run as the postgres user) for the dashboard's queue tests.
echo "== starting the test PostgreSQL"
BATOU_TEST_PG=$(./scripts/test-pg.sh) || { echo "0 passed, 1 failed"; exit 1; }
export BATOU_TEST_PG
# the tests' own runtime directory (short: sockets live in it): the compile server the CLI tests start listens there and
# is stopped at the end, with PostgreSQL
XDG_RUNTIME_DIR=$(mktemp -d /tmp/batou-test-rt.XXXXXX)
export XDG_RUNTIME_DIR
stop_test_servers() {
  dotnet Batou.Engine.Tests/bin/Debug/net10.0/batou.dll compile-server --stop >/dev/null 2>&1 || true
  rm -rf "$XDG_RUNTIME_DIR"
  ./scripts/test-pg.sh stop
}
trap stop_test_servers EXIT

results=.test-results
rm -rf "$results"
echo "== building"
dotnet build Batou.sln -nologo -v:q || { echo "0 passed, 1 failed"; exit 1; }
echo "== testing"
dotnet test Batou.sln --no-build -nologo --blame-hang-timeout 5m --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
