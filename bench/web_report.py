#!/usr/bin/env python3
"""web_report.py OUTDIR RESULT.md COMMAND ROWS WATCHERS LINES WRK_CONN WRK_DURATION SERVER_CPU CLIENT_CPU SECONDS:
the Markdown of bench/web-run.sh (SECONDS: how long the whole run took)."""
import datetime as dt
import json
import os
import platform
import subprocess
import sys

out, result, command, rows, watchers, lines, conn, duration, server_cpu, client_cpu, seconds = sys.argv[1:12]


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
# part 2: the paced scenario first (the headline), then the burst
scenarios = []
for name in ("paced", "burst"):
    if os.path.isdir(os.path.join(out, "sse-" + name)):
        scenarios.append((name, json.loads(read(f"sse-{name}/sse.json")), json.loads(read(f"sse-{name}/server.json"))))

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
w(f"- load average at the end: {load} (the machine is shared with other work; per-scenario load below)")
w(f"- `dotnet --version`: {sh('dotnet --version')}; {sh('wrk --version 2>&1 | head -1')}; Python {platform.python_version()}")
w(f"- Batou.Web built in Release, `dotnet Batou.Web.dll --urls http://127.0.0.1:…` (Kestrel, HTTP/1.1, loopback), SQLite WAL")
w(f"- part 1: server and `wrk` unpinned (they share all cores); part 2: server pinned to CPU {server_cpu}, the SSE client to CPU {client_cpu} (`taskset`)")
w(f"- the whole run took {int(seconds) // 60} min {int(seconds) % 60} s\n")

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


def ms(v, digits=0):
    return "–" if v is None else f"{v:,.{digits}f}"


def pcts(d, keys, digits=0, bold=()):
    return " / ".join(f"**{ms(d.get(k), digits)}**" if k in bold else ms(d.get(k), digits) for k in keys)


w(f"## 2. {watchers} SSE watchers, one deployment logging {int(lines):,} lines\n")
w("Each scenario gets a fresh server (`taskset -c " + server_cpu + "`), one warm-up deployment of the same environment without watchers")
w("(compile cache, JIT), a 31 s pause (the live hub keeps a finished deployment 30 s), `clear_refs` (resets VmHWM), then the measured")
w("deployment through `POST /repos/bench/deploy`. Its `chatty` component waits while a hold file exists, then calls `Log(\"bench line N\")`")
w(f"{int(lines):,} times in `Update`: **paced** (line i, from 0, due i / rate seconds after the first, `Stopwatch` schedule, `Thread.Sleep`")
w("rounded up to whole milliseconds, no busy wait, a late line goes out at once) or as one **burst** (rate 0, as in the 2026-11-22 baseline).")
w(f"The watchers are `bench/SseWatchers` (C#, one process, `taskset -c {client_cpu}`): {watchers} `HttpClient` connections (one `SocketsHttpHandler`,")
w("`ResponseHeadersRead`) to `GET /deployments/<id>/events` with the sign-in cookie, an SSE parser per connection, inline socket completions")
w("(`DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1`: the parsing runs on the epoll thread); once every watcher has received a live `ev`")
w("or `evs` message the client removes the hold file. For every `bench line N` event each watcher records its arrival time.")
w("The deployment itself (engine, component, `connect_method = local`) runs inside the server process, on the server's core. Pinned to")
w("one core, the .NET runtime sees one processor: the server runs with workstation GC (server GC needs two or more) and a smaller thread")
w("pool, so its memory is not comparable to an unpinned server (the 2026-11-22 baseline).\n")
w("**What the latency includes.** Latency = arrival at the watcher − the event's `at`. The engine stamps `at` (UTC) when the component")
w("calls `Log()`; the arrival is `DateTime.UtcNow` taken once right after each socket read returns (same machine, same clock). So it covers")
w("the engine's event channel, the dashboard's `DeploymentRunner` (JSON serialisation, hand-off to the batched database writer, the live")
w("hub's fan-out into one channel per subscriber), the SSE endpoint (per connection one `ev` message per event, or one `evs` message with")
w("the events that were waiting, up to 500; the event's payload with its HTML is built once), Kestrel writing to each of the")
w("sockets, loopback TCP, and `HttpClient` reading the chunked response — plus any time the process waits for its core.")
w("It does not include parsing after the read, a real network or a browser rendering the line. In the burst scenario all lines exist")
w("within a fraction of a second, so an event waits behind every earlier event for all watchers: its latency is mostly the time to drain")
w("the backlog, i.e. a throughput number. The paced scenario is what a watcher of a real deployment experiences. Spread = last − first")
w("arrival of the same event across the watchers; \"first watcher\" = the latency of the earliest of them (the path without fan-out queueing).")
w("Server CPU = utime+stime of the server process from `/proc/PID/stat`; the core's busy time (`/proc/stat`, all processes on that core)")
w("shows whether other work ran there too: the cores are dedicated to server and client only among the benchmark's processes,")
w("the machine's other work can still be scheduled on them.\n")

for number, (name, sse, server) in enumerate(scenarios, 1):
    rate = float(sse.get("lines_per_second") or 0)
    title = f"{rate:,.0f} lines/s" if rate > 0 else "all lines at once"
    w(f"### 2.{number} {name.capitalize()}: {title}\n")
    l, f, s = sse["latency_ms"], sse["latency_first_watcher_ms"], sse["spread_ms"]
    events = int(sse["lines_received_total"])
    w("| | value |")
    w("|---|---:|")
    emit = f"{int(lines):,} lines in {ms(sse.get('emit_duration_s'), 2)} s ({ms(sse.get('emit_rate_lines_per_s'))} lines/s)"
    if rate > 0 and sse.get("schedule_slip_ms"):
        sl = sse["schedule_slip_ms"]
        emit += f"; behind schedule p50 / p99 / max {pcts(sl, ('50', '99', '100'), 1)} ms"
    w(f"| emitter (from the events' `at`) | {emit} |")
    w(f"| lines received / expected | {events:,} / {sse['lines_expected_total']:,} (per watcher {sse['lines_per_client_min']:,}–{sse['lines_per_client_max']:,}; "
      f"duplicates {sse['duplicates']}, out of order {sse['out_of_order']}, malformed {sse['malformed']}) |")
    w(f"| final status event | {', '.join(sse['statuses'])}; errors {sse['errors_total']}, unfinished {sse['pending']} |")
    w(f"| **event latency** p50 / p90 / p99 / p99.9 / max | {pcts(l, ('50', '90', '99', '99.9', '100'), 1, bold=('50', '99'))} ms |")
    w(f"| latency at the first watcher to get the event p50 / p90 / p99 / max | {pcts(f, ('50', '90', '99', '100'), 1)} ms |")
    w(f"| spread across watchers p50 / p90 / p99 / max | {pcts(s, ('50', '90', '99', '100'), 1)} ms |")
    tenths = sse.get("latency_by_tenth_ms") or []
    w("| latency p50 (p99) by tenth of the lines, ms | " + ", ".join(f"{ms(t.get('50'), 0)} ({ms(t.get('99'), 0)})" for t in tenths) + " |")
    w(f"| hold released → last line at the last watcher | {ms(sse.get('release_to_last_arrival_s'), 2)} s (first line stamped {ms(sse.get('release_to_first_line_s'), 3)} s after the release; "
      f"all streams ended after {ms(sse.get('release_to_streams_ended_s'), 2)} s) |")
    wall = float(server["wall_run_s"])
    cpu = float(server["cpu_run_s"])
    w(f"| **server CPU**, hold released → all streams ended | **{cpu:.2f} s** in {wall:.2f} s wall ({cpu / wall * 100 if wall else 0:.0f} % of its core; "
      f"{cpu / events * 1e6 if events else 0:.1f} µs per delivered line event) |")
    w(f"| CPU {server['server_core']} busy in that time, all processes (steal) | {server['server_core_busy_s']:.2f} s ({server['server_core_steal_s']:.2f} s) |")
    w(f"| server CPU while {watchers} watchers connected (deploy queued, subscribe) | {server['cpu_subscribe_s']:.2f} s in {server['wall_subscribe_s']:.2f} s |")
    w(f"| server RSS before the deployment → after; threads | {int(server['rss_before_kb']) / 1024:.0f} MB → {int(server['rss_after_kb']) / 1024:.0f} MB; {server['threads']} |")
    w(f"| **server peak RSS** (VmHWM{', reset before the deployment' if server['hwm_reset'] == 'yes' else ', whole process'}) | **{int(server['hwm_kb']) / 1024:.0f} MB** |")
    w(f"| client CPU (SseWatchers, `Process.TotalProcessorTime`), same period | {sse['client_cpu_s']:.2f} s ({sse['client_cpu_s'] / wall * 100 if wall else 0:.0f} % of its core); "
      f"{ms(sse.get('events_per_read'), 1)} events per socket read |")
    w(f"| CPU {server['client_core']} busy in that time, all processes (steal) | {server['client_core_busy_s']:.2f} s ({server['client_core_steal_s']:.2f} s) |")
    w(f"| load average before → after | {server['load_before']} → {server['load_after']} |")
    w(f"| database row (status, EventCount, stored events, started, finished) | `{server['db']}` |")
    if sse["errors"]:
        w("\nErrors: " + "; ".join(f"`{e}`" for e in sse["errors"]))
    w("")
with open(result, "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
