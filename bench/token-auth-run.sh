#!/usr/bin/env bash
# Personal API tokens (issue #9): latency of GET /api/deployments/{id} with a Bearer token against the sign-in cookie,
# on a dashboard of its own (Release build in /tmp, fresh data folder, SQLite). Writes bench/results/<date>-token-auth.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${BENCH_TOKEN_REQUESTS:-2000}"
PORT="${BENCH_TOKEN_PORT:-5079}"
BASE="http://127.0.0.1:$PORT"
out="bench/results/$(date -u +%F)-token-auth.md"
work=$(mktemp -d /tmp/batou-token-bench.XXXXXX)
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
# BENCH_TOKEN_DLL: an existing build of Batou.Web.dll (e.g. Batou.Web/bin/Debug/net10.0/Batou.Web.dll) instead of a Release build
dll="${BENCH_TOKEN_DLL:-}"
if [[ -z "$dll" ]]; then
  dotnet build Batou.Web -nologo -v:q -c Release --artifacts-path "$work/artifacts" -o "$work/bin" >/dev/null
  dll="$work/bin/Batou.Web.dll"
fi
build=$([[ -n "${BENCH_TOKEN_DLL:-}" ]] && echo "the build at $BENCH_TOKEN_DLL" || echo "Release build")
dotnet "$dll" --urls "$BASE" --Batou:DataDirectory="$work/data" --Batou:Repositories:0:Url="$PWD/examples/webapp" \
  --Logging:LogLevel:Default=Warning >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fsS "$BASE/setup" -o /dev/null 2>/dev/null && break; sleep 0.2; done
jar="$work/cookies"
af=$(curl -fsS -c "$jar" -b "$jar" "$BASE/setup" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "__RequestVerificationToken=$af" --data-urlencode "UserName=bench" \
  --data-urlencode "Password=bench-password" --data-urlencode "Confirm=bench-password" "$BASE/account/setup"
cookie=$(awk '$6 == "batou.auth" { print $6 "=" $7 }' "$jar")
[[ -n "$cookie" ]] || { echo "not signed in" >&2; exit 1; }
{
  echo "# Personal API tokens: Bearer against cookie on the JSON API"
  echo
  echo "- date: $(date -u '+%F %T UTC'), revision $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds)"
  echo "- dotnet $(dotnet --version), $build, SQLite; one keep-alive connection per mode, sequential, interleaved rounds of 100"
  echo "- what: \`GET /api/deployments/1\` (404): authentication, the access check, one lookup"
  echo "- command: \`BENCH_TOKEN_REQUESTS=$REQUESTS ${BENCH_TOKEN_DLL:+BENCH_TOKEN_DLL=$BENCH_TOKEN_DLL }bench/token-auth-run.sh\`"
  echo
} > "$out"
python3 bench/token_auth.py "$BASE" "$work/data/batou-web.db" "$cookie" "$REQUESTS" "$out"
echo "written: $out"
