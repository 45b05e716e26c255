#!/usr/bin/env python3
"""Writes the result file of bench/web-live-run.sh from its output folder: each case's variants side by side
(standard library only).

web_live_report.py OUT RESULT COMMAND HEAD_REF SHAS LOAD_START LINES RATE BIG ROUNDS SECONDS
"""
import datetime as dt
import glob
import json
import os
import platform
import subprocess
import sys

out, result, command, head, shas, load_start, lines, rate, big, rounds, seconds = sys.argv[1:12]
variants = [s.split("=", 1) for s in shas.split(";") if s]
order = [label for label, _ in variants]


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def num(v, fmt="{:,.1f}"):
    return "–" if v is None else fmt.format(v)


def runs(prefix):
    """{(case, label): [summary per round]} for OUT/<prefix>__<case>__<label>__<round>.json"""
    found = {}
    for path in sorted(glob.glob(os.path.join(out, prefix + "__*.json")), key=lambda p: int(p[:-5].rsplit("__", 1)[1])):
        _, case, label, _ = os.path.basename(path)[:-5].split("__")
        found.setdefault((case, label), []).append(json.load(open(path)))
    return found


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem_gb = int(open("/proc/meminfo").readline().split()[1]) // 1024 // 1024
now = dt.datetime.now(dt.timezone.utc)
md = []
w = md.append
w(f"# The live deployment page, before and after — {now:%Y-%m-%d %H:%M} UTC")
w("")
w(f"Command: `{command}` (from the repository root). Checkout: `{head}`. Variants: "
  + ", ".join(f"**{label}** `{sha}`" for label, sha in variants) + ".")
w(f"Issue #8, \"Performance\". {rounds} round(s); in each round every variant runs every case in turn on a fresh data folder. "
  f"Whole run: {int(seconds) // 60} min {int(seconds) % 60} s.")
w("")
w("## Machine")
w("")
w(f"- {os.cpu_count()} cores ({cpu}), {mem_gb} GB memory, {platform.system()} {platform.release()}")
w(f"- **load average at the start: {load_start}**, at the end: {' '.join(open('/proc/loadavg').read().split()[:3])} "
  "(shared machine: other engineers' builds and tests ran throughout; each row states the load around its stream)")
w(f"- `dotnet --version` {sh('dotnet', '--version')}; {sh('/usr/bin/chromium', '--version')}; Playwright for .NET, headless, "
  "viewport 1440×900; Chromium flags `--disable-background-timer-throttling --disable-renderer-backgrounding "
  "--disable-backgrounding-occluded-windows` (every tab renders as if in front)")
pins = (os.environ.get("BENCH_SERVER_CPU"), os.environ.get("BENCH_BROWSER_CPU"))
w("- Batou.Web in Release on 127.0.0.1, SQLite; " + (
    f"**pinned**: dashboard and engine on core(s) {pins[0] or 'any'}, the browser tool and Chromium on core(s) {pins[1] or 'any'} (taskset)"
    if any(pins) else "dashboard, engine and Chromium share both cores, unpinned"))
w("")
w(f"## Tabs watching one deployment of {int(lines):,} lines at {rate} lines/s")
w("")
w("bench/WebBlazor `tabs` (see bench/README.md): latency = first appearance of a line's `data-seq` in a tab's DOM "
  "(MutationObserver) − the emit time the component wrote into the line. *per-tab*: one browser context per tab; *shared*: "
  "all tabs in one context (one renderer process per site, so the tabs share it). Memory per circuit = (server RSS with the "
  "tabs open and idle − before) / tabs.")
w("")
tabs = runs("tabs")
counts = sorted({int(c.split("-")[0]) for c, _ in tabs})
if len(counts) > 1:
    # the capacity sweep: one row per tab count, per variant and kind of context (issue #8: "as many as the machine holds")
    w("### Capacity sweep")
    w("")
    w("Per variant and kind of context, one row per number of tabs (medians over rounds); *holds* = p99 < 250 ms. "
      "Server CPU = the dashboard's CPU seconds over the stream (engine child excluded); per circuit = that / tabs, and the "
      "server's RSS growth with the tabs open / tabs.")
    w("")
    w("| variant | contexts | tabs | p50 | **p99** | holds | updates per tab per s | Chromium CPU ms per update | Chromium CPU s | server CPU s (per circuit ms) | per circuit MB | load before |")
    w("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    largest = []
    for label in order:
        for ctx in sorted({c.split("-", 1)[1] for c, _ in tabs}):
            best = None
            for n in counts:
                rs = tabs.get((f"{n}-{ctx}", label), [])
                if not rs:
                    continue
                med = lambda k: sorted(r[k] for r in rs if r.get(k) is not None)[len(rs) // 2] if any(r.get(k) is not None for r in rs) else None
                cmed = lambda k: (sorted(r["cost"][k] for r in rs if r.get("cost"))[len([r for r in rs if r.get("cost")]) // 2]
                                  if any(r.get("cost") for r in rs) else None)
                p99, cpu_s = med("p99"), med("server_cpu_s")
                ok = p99 is not None and p99 < 250 and all(r["opened"] == n for r in rs)
                if ok:
                    best = n
                w(f"| {label} | {ctx} | {n} | {num(med('p50'))} | **{num(p99)}** | {'yes' if ok else 'no'} | {num(cmed('updates_per_tab_s'))} | "
                  f"{num(cmed('browser_cpu_ms_per_update'), '{:.2f}')} | {num(med('browser_cpu_s'))} | "
                  f"{num(cpu_s)} ({num(None if cpu_s is None else cpu_s * 1000 / n, '{:.0f}')}) | {num(med('per_circuit_mb'))} | {rs[0]['load_before']} |")
            largest.append(f"**{label}**, {ctx}: {best if best else 'none'}")
    w("")
    w("Largest count with p99 < 250 ms: " + "; ".join(largest) + ".")
    w("")
for case in sorted({c for c, _ in tabs}, key=lambda c: (int(c.split("-")[0]), c)):
    n, ctx = case.split("-", 1)
    w(f"### {n} tabs, {ctx} context{'s' if ctx == 'per-tab' else ''}")
    w("")
    w("| variant | round | tabs open / final | p50 | p90 | **p99** | max (ms) | samples | lines per tab (median) | server CPU | Chromium CPU | stream s | per circuit MB | server peak MB | Chromium RSS MB | load before → after |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label in order:
        for i, s in enumerate(tabs.get((case, label), []), 1):
            w(f"| {label} | {i} | {s['opened']} / {s['final']} | {num(s['p50'])} | {num(s['p90'])} | **{num(s['p99'])}** | {num(s['max'])} | "
              f"{s['samples']:,} | {s['lines_median']:,} | {num(s['server_cpu_s'], '{:.1f}')} s | {num(s['browser_cpu_s'], '{:.1f}')} s | "
              f"{num(s['stream_s'], '{:.1f}')} | {num(s['per_circuit_mb'], '{:.1f}')} | {s['server_peak_mb']} | {s['browser_rss_mb']:,} | "
              f"{s['load_before']} → {s['load_after']} |")
    w("")
    w("Target p99 < 250 ms.")
    w("")
    if any("cost" in s for (c, _), rs in tabs.items() if c == case for s in rs):
        w("What it cost the browser (bench/WebBlazor/TabCost.cs: CDP `Performance.getMetrics` per tab, /proc per Chromium process). "
          "*Idle*: the tabs open for a few seconds before the stream, nothing changing. *Update*: one DOM mutation callback in a tab "
          "(≈ one Blazor render batch). Main-thread ms per update: per tab's renderer (per-tab) or the shared renderer's (shared).")
        w("")
        w("| variant | round | running animations | idle Chromium CPU s/s | idle main-thread ms per tab per s | updates per tab per s | **Chromium CPU ms per update** | main-thread ms per update | script / layout / style ms per update | layouts / style recalcs per update | stream CPU s by process |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
        for label in order:
            for i, s in enumerate(tabs.get((case, label), []), 1):
                c = s.get("cost")
                if not c:
                    continue
                kinds = ", ".join(f"{k} {v:.1f}" for k, v in sorted(c["stream_cpu"].items(), key=lambda kv: -kv[1]))
                w(f"| {label} | {i} | {c['animations']} | {c['idle_browser_cpu_per_s']:.2f} | {c['idle_task_ms_per_tab_s']:.1f} | {c['updates_per_tab_s']:.1f} | "
                  f"**{c['browser_cpu_ms_per_update']:.2f}** | {c['task_ms_per_update']:.2f} | {c['script_ms_per_update']:.2f} / {c['layout_ms_per_update']:.2f} / "
                  f"{c['style_ms_per_update']:.2f} | {c['layouts_per_update']:.2f} / {c['styles_per_update']:.2f} | {kinds} |")
        w("")
big_runs = runs("biglog")
if big_runs:
    w(f"## The page of a finished {int(big):,}-line deployment")
    w("")
    w("bench/WebBlazor `biglog`: 10 fresh tabs after a warm-up, times from navigation start (ms): the prerendered tail in the "
      "DOM, the circuit up (`body[data-interactive=true]`), and the interactive log showing the last line (fewer than 500 lines "
      "in the DOM: the interactive pane, not the prerendered markup). *First open*: the probe before them, the first page "
      "of the deployment after it finished (the log is read from the database; the loads after it find it in memory): "
      "wall clock from `goto` to the prerendered tail, one sample. *Browser*: *fresh* = no other page of the dashboard "
      "open in that browser context, so every tab gets a new renderer process (it parses MudBlazor's 627 kB stylesheet and "
      "compiles the scripts anew); *open tab* = another dashboard page stays open, and Chromium gives the new tabs its "
      "renderer process.")
    w("")
    w("| variant | browser | round | first open (cold) | loads (failed: no tail in 120 s) | prerendered tail p50 / p95 | circuit up p50 / p95 | **interactive tail p50 / p95** | max | lines in the DOM |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label in order:
        for (case, lab), results in sorted(big_runs.items()):
            if lab != label:
                continue
            for i, s in enumerate(results, 1):
                w(f"| {label} | {'open tab' if case.endswith('open-tab') else 'fresh'} | {i} | {num(s.get('cold_ms'))} | {s['loads']} ({s.get('failed', 0)}) | {num(s['prerender_p50'])} / {num(s['prerender_p95'])} | {num(s['circuit_p50'])} / {num(s['circuit_p95'])} | "
                  f"**{num(s['tail_p50'])} / {num(s['tail_p95'])}** | {num(s['tail_max'])} | {s['dom_lines']} |")
    w("")
    w("Target: interactive in under 1 s.")
    w("")
os.makedirs(os.path.dirname(result), exist_ok=True)
with open(result, "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
