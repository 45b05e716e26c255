#!/usr/bin/env bash
# No-op re-deployment of examples/dotnet-service (DotnetRelease, PostgreSQL role+database,
# SupervisorProgram, HttpHealthCheck, NginxSite, Logrotate, Directory: 8 library components) against
# the same number of plain File components (issue #11: target within 2x). supervisord and nginx run
# privately in a temporary directory, PostgreSQL is $BATOU_TEST_PG (scripts/test-pg.sh). Run as root.
#   BENCH_RUNS=10               interleaved rounds (bench/interleave.py)
#   BENCH_BASELINE_REV=<rev>    also build that git revision and time it in the same rounds (before/after)
#   BENCH_BASELINE=<batou.dll>  the same with a build you made
#   BENCH_PUBLISHED=1           time the ReadyToRun-published CLI (as the README installs it), not the build output
#   BENCH_ARTIFACTS=<dir>       where this checkout's Release build goes
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/common.sh"
name="${1:-service-noop}"
runs="${BENCH_RUNS:-10}"
pg="${BATOU_TEST_PG:?set BATOU_TEST_PG (scripts/test-pg.sh prints it)}"
artifacts="${BENCH_ARTIFACTS:-/tmp/bench-service-artifacts}"
work="$(mktemp -d /tmp/batou-bench-service.XXXXXX)"
ensure_tools nginx:nginx supervisord:supervisor logrotate:logrotate
cleanup() {
    supervisorctl -c "$work/supervisord.conf" shutdown >/dev/null 2>&1 || true
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop >/dev/null 2>&1 || true
    sleep 1
    [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work" "${base_src:-}"
}
trap cleanup EXIT

log "building Batou.Cli (Release) into $artifacts"
dotnet build "$root/Batou.Cli/Batou.Cli.csproj" -c Release -nologo -v:q --artifacts-path "$artifacts" >&2
batou="$(find "$artifacts/bin" -name batou.dll | head -1)"
cli="dotnet $batou"
# BENCH_PUBLISHED=1: time the CLI as the README installs it (ReadyToRun publish) instead of the build output
if [ "${BENCH_PUBLISHED:-0}" = 1 ]; then
    log "publishing Batou.Cli (ReadyToRun) into $artifacts/published"
    dotnet publish "$root/Batou.Cli/Batou.Cli.csproj" -c Release -r linux-x64 --self-contained false -nologo -v:q \
        --artifacts-path "$artifacts/publish-build" -o "$artifacts/published" >&2
    cli="$artifacts/published/batou"
fi
# BENCH_BASELINE_REV=<a git revision>: build that revision too (git archive into a temporary directory)
# and time it as the baseline in the same run (sets BENCH_BASELINE)
if [ -n "${BENCH_BASELINE_REV:-}" ]; then
    base_src="$(mktemp -d /tmp/batou-bench-baseline-src.XXXXXX)"
    log "building the baseline $BENCH_BASELINE_REV (Release) into $base_src"
    git -C "$root" archive "$BENCH_BASELINE_REV" | tar -x -C "$base_src"
    dotnet build "$base_src/Batou.Cli/Batou.Cli.csproj" -c Release -nologo -v:q --artifacts-path "$base_src/.artifacts" >&2
    BENCH_BASELINE="$(find "$base_src/.artifacts/bin" -name batou.dll | head -1)"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port="$(free_port)"; proxy_port="$(free_port)"

log "starting a private supervisord and nginx in $work"
mkdir -p "$work/conf.d" "$work/logs" "$work/nginx/sites" "$work/nginx/logs"
cat > "$work/supervisord.conf" <<CONF
[unix_http_server]
file=$work/supervisor.sock
[supervisord]
logfile=$work/supervisord.log
pidfile=$work/supervisord.pid
childlogdir=$work/logs
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$work/supervisor.sock
[include]
files = $work/conf.d/*.conf
CONF
supervisord -c "$work/supervisord.conf"
cat > "$work/nginx/nginx.conf" <<CONF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log off;
    include $work/nginx/sites/*.conf;
    server { listen 127.0.0.1:$proxy_port default_server; return 404; }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"

cp -r "$root/examples/dotnet-service" "$work/service"
rm -rf "$work/service/work"
cat > "$work/service/environments/local/environment.cfg" <<CONF
[environment]
connect_method = local
timeout = 10m

[hosts]
localhost = shop

[component:shop]
port = $app_port
listen = 127.0.0.1:$proxy_port
server_name = shop.test
pg_connection = $pg
home = $work/service/work/srv/shop
manage_user = false
db_password = bench-password
supervisor_conf = $work/conf.d/shop.conf
supervisorctl = supervisorctl -c $work/supervisord.conf
nginx_site = $work/nginx/sites/shop.conf
nginx_test = nginx -p $work/nginx -c $work/nginx/nginx.conf -t
nginx_reload = nginx -p $work/nginx -c $work/nginx/nginx.conf -s reload
logrotate_conf = $work/service/work/srv/shop/logrotate.conf
CONF

count=8
mkdir -p "$work/files/components/files" "$work/files/environments/local"
{
    echo "public sealed class Files : Component"
    echo "{"
    echo "    protected override void Configure()"
    echo "    {"
    for i in $(seq 1 $count); do echo "        Add(new File(\"f$i.txt\") { Content = \"file $i\\n\" });"; done
    echo "    }"
    echo "}"
} > "$work/files/components/files/component.cs"
printf '[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = files\n' > "$work/files/environments/local/environment.cfg"

log "first deployments (the service's includes dotnet publish)"
(cd "$work/service" && $cli deploy local >&2)
(cd "$work/files" && $cli deploy local >&2)

log "timing no-op deployments ($runs interleaved rounds)"
# BENCH_BASELINE=<a batou.dll built from another revision> (or BENCH_BASELINE_REV, above): the same
# no-op with it in the same rounds (before/after on a loaded machine)
commands=("dotnet-service example (8 library components)" "cd $work/service && $cli deploy local"
    "$count plain File components" "cd $work/files && $cli deploy local")
if [ -n "${BENCH_BASELINE:-}" ]; then
    commands+=("dotnet-service example, baseline build" "cd $work/service && dotnet $BENCH_BASELINE deploy local")
fi
# every round runs every command once (rotating order), so a drifting load hits all alike
python3 "$here/interleave.py" "$work/result.json" 2 "$runs" "${commands[@]}"

out="$here/results/$(date -u +%Y-%m-%d)-$name.md"
{
    echo "# No-op deployment: examples/dotnet-service vs $count plain File components"
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Revision: $(head_ref "$root")."
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo),"\
         "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(. /etc/os-release; echo "$PRETTY_NAME"),"\
         "load average $(cut -d' ' -f1-3 /proc/loadavg), dotnet $(dotnet --version)."
    echo "Command: \`${BENCH_PUBLISHED:+BENCH_PUBLISHED=$BENCH_PUBLISHED }${BENCH_BASELINE_REV:+BENCH_BASELINE_REV=$BENCH_BASELINE_REV }BATOU_TEST_PG='$pg' bench/service-noop-run.sh $name\` (as root; CLI: $cli;"
    echo "$runs interleaved rounds after 2 warm-up rounds, every round runs every command once in a rotating order;"
    echo "every run is a no-op: compile cache warm, release built, service RUNNING, files right)."
    python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["loads"]; print(f"Load average (1 min) after each round: {min(l):.1f} to {max(l):.1f}.")' "$work/result.json"
    echo
    python3 - "$work/result.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
results.sort(key=lambda r: "baseline" in r["command"])   # service, files, then the baseline
print("| command | mean | median | stddev | min | max | user CPU (mean) | user CPU (median) | runs |")
print("|---|---|---|---|---|---|---|---|---|")
for r in results:
    print(f"| {r['command']} | {r['mean']:.3f} s | {r['median']:.3f} s | {r['stddev']:.3f} s | {r['min']:.3f} s | {r['max']:.3f} s | {r['user']:.3f} s | {r['user_median']:.3f} s | {len(r['times'])} |")
ratio = results[0]["mean"] / results[1]["mean"]
print()
print(f"Ratio (service / files): **{ratio:.2f}x** (target: within 2x).")
if len(results) > 2:
    print(f"Ratio (baseline service / files), same run: **{results[2]['mean'] / results[1]['mean']:.2f}x**.")
print(f"User CPU ratio (service / files): {results[0]['user'] / results[1]['user']:.2f}x"
      + (f"; baseline: {results[2]['user'] / results[1]['user']:.2f}x." if len(results) > 2 else "."))
PY
    echo
    echo "The service's no-op runs per deployment: 2 PostgreSQL connections (role with password check, database;"
    echo "a slim Npgsql data source without type loading), a source digest of src/Shop, the program state from"
    echo "supervisord's socket, one HTTP/1.0 health probe over a socket, the nginx site template (plain substitutions,"
    echo "rendered without Handlebars), and three file comparisons (supervisor, nginx, logrotate configs)."
} > "$out"
log "wrote $out"
cat "$out"
