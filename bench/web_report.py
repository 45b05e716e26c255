#!/usr/bin/env python3
"""web_report.py OUTDIR RESULT.md COMMAND ROWS WATCHERS LINES WRK_CONN WRK_DURATION: the Markdown of bench/web-run.sh."""
import datetime as dt
import json
import os
import platform
import subprocess
import sys

out, result, command, rows, watchers, lines, conn, duration = sys.argv[1:9]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"({e})"


def read(name):
    with open(os.path.join(out, name)) as f:
        return f.read()


history = [json.loads(l) for l in read("history.jsonl").splitlines() if l.strip()]
single = json.loads(read("single.json"))
sse = json.loads(read("sse.json"))
server = json.loads(read("server.json"))

cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
mem = sh("free -g | awk '/Mem:/ {print $2}'")
md = []
w = md.append
w(f"# Dashboard benchmarks — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC\n")
w(f"Command: `{command}` (from the repository root). Issue #5 targets: history page p95 < 100 ms with 100,000 deployments;")
w("200 browsers watching one deployment of 10,000 events: event latency, server CPU and memory.\n")
w("## Machine\n")
w(f"- {sh('nproc')} cores ({cpu}), {mem} GB memory, {platform.platform()}")
load = " ".join(open("/proc/loadavg").read().split()[:3])
w(f"- load average at the end: {load} (the machine is shared; client and server share the cores)")
w(f"- `dotnet --version`: {sh('dotnet --version')}; {sh('wrk --version 2>&1 | head -1')}; Python {platform.python_version()}")
w(f"- Batou.Web built in Release, `dotnet Batou.Web.dll --urls http://127.0.0.1:…` (Kestrel, HTTP/1.1, loopback), SQLite WAL\n")

w(f"## 1. History page, {int(rows):,} deployments\n")
w(f"{sh('cat ' + os.path.join(out, 'seed.txt'))} = (rows, min id, max id) after seeding (random environments/users/statuses; 85 % succeeded, 10 % failed).")
w(f"`wrk -t2 -c{conn} -d{duration} --latency -s bench/web_wrk.lua -H 'Cookie: <batou.auth>'` after a 3 s warm-up per URL; every response checked")
w("first (200, 50 rows). Latency in ms under that concurrent load:\n")
w("| URL | check | req/s | p50 | p90 | p95 | p99 | max | non-2xx |")
w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for h in history:
    r = h["wrk"]
    w(f"| `{h['url']}` | {h['check']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | **{r['p95_ms']:.1f}** | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['non2xx']} |")
w("\nOne request at a time (200 sequential requests, Python urllib, ms):\n")
w("| URL | p50 | p95 | p99 |")
w("|---|---:|---:|---:|")
for p, s in single.items():
    w(f"| `{p}` | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} | {s['p99_ms']:.1f} |")
worst = max(h["wrk"]["p95_ms"] for h in history)
w(f"\nTarget p95 < 100 ms: **{'met' if worst < 100 else 'NOT met'}** (worst p95 {worst:.1f} ms over the URLs above).\n")
w("Query plans (`EXPLAIN QUERY PLAN` of the page's queries):\n")
w("```\n" + read("plans.txt").strip() + "\n```\n")

w(f"## 2. {watchers} SSE watchers, one deployment logging {int(lines):,} lines\n")
w("A local environment whose component waits while a hold file exists, then calls `Log()` "
  f"{int(lines):,} times in `Update`. It is deployed through `POST /repos/bench/deploy` (after one warm-up deployment of the")
w(f"same commit, so the engine's compile cache exists); {watchers} asyncio connections to `GET /deployments/<id>/events` (one Python")
w("process) wait until each has received a live `ev` event, then the hold file is removed. For each `bench line N` event every")
w("watcher records arrival time − the event's `at` (stamped by the engine in UTC; same machine clock). Spread = last − first")
w("arrival of the same event across the watchers.\n")
l, s = sse["latency_ms"], sse["spread_ms"]
w("| | value |")
w("|---|---:|")
w(f"| lines received / expected | {sse['lines_received_total']:,} / {sse['lines_expected_total']:,} (per watcher {sse['lines_per_client_min']:,}–{sse['lines_per_client_max']:,}) |")
w(f"| final status event | {', '.join(sse['statuses'])}; errors {len(sse['errors'])}, unfinished {sse['pending']} |")
w(f"| event latency p50 / p90 / p99 / p99.9 / max | **{l['50']:.0f}** / {l['90']:.0f} / **{l['99']:.0f}** / {l['99.9']:.0f} / {l['100']:.0f} ms |")
w(f"| spread across watchers p50 / p90 / p99 / max | {s['50']:.0f} / {s['90']:.0f} / {s['99']:.0f} / {s['100']:.0f} ms |")
w(f"| hold released → last line at the last watcher | {sse['release_to_last_arrival_s']:.2f} s |")
w(f"| server CPU, hold released → all streams ended | {server['cpu_run_s']:.2f} s CPU in {server['wall_run_s']:.2f} s wall |")
w(f"| server CPU while {watchers} watchers connected (deploy queued, compile, subscribe) | {server['cpu_subscribe_s']:.2f} s in {server['wall_subscribe_s']:.2f} s |")
w(f"| server RSS before the deployment → after | {int(server['rss_before_kb']) / 1024:.0f} MB → {int(server['rss_after_kb']) / 1024:.0f} MB |")
w(f"| server peak RSS (VmHWM{', reset before the deployment' if server['hwm_reset'] == 'yes' else ', whole process'}) | **{int(server['hwm_kb']) / 1024:.0f} MB** |")
w(f"| client (Python) CPU for the same period | {sse['client_cpu_s']:.2f} s |")
w(f"| database row (status, EventCount, stored events, started, finished) | `{server['db']}` |")
w("\nThe latency includes the client: one Python process parsing every event of all watchers on the same cores as the server.\n")
with open(result, "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
