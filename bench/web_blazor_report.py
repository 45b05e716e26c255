#!/usr/bin/env python3
"""Writes the result file of bench/web-blazor-run.sh from its output folder (standard library only).

web_blazor_report.py OUT RESULT COMMAND HEAD_REF OLD_SHA LOAD_START TABS CONTEXTS LINES RATE ROWS BIG COMMITS SAMPLES SECONDS
"""
import datetime as dt
import json
import os
import platform
import subprocess
import sys

(out, result, command, head, old_sha, load_start, tabs, contexts, lines, rate, rows, big, commits, samples,
 seconds) = sys.argv[1:16]


def read(name, default=None):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return default
    with open(p) as f:
        return f.read()


def js(name):
    t = read(name)
    return json.loads(t) if t else None


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def ms(v):
    return "–" if v is None else f"{v:,.1f}"


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


mem_gb = int(open("/proc/meminfo").readline().split()[1]) // 1024 // 1024
now = dt.datetime.now(dt.timezone.utc)
md = []
w = md.append
w(f"# Interactive dashboard (Blazor Server) — {now:%Y-%m-%d %H:%M} UTC")
w("")
w(f"Command: `{command}` (from the repository root). Revision: `{head}`"
  + (f"; compared with `{old_sha}` (static SSR + htmx + SSE + git CLI, the commit before the move) built and run in the same script." if old_sha else "."))
w("Issue #8, \"Performance\". Whole run: %d min %d s." % (int(seconds) // 60, int(seconds) % 60))
w("")
w("## Machine")
w("")
w(f"- {os.cpu_count()} cores ({cpu_model()}), {mem_gb} GB memory, {platform.system()} {platform.release()}")
w(f"- **load average at the start: {load_start}**, at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}. "
  "The machine is shared: other agents were building and testing .NET projects on the same two cores throughout; "
  "every number below includes waiting for a core.")
w(f"- `dotnet --version` {sh('dotnet', '--version')}; {sh('/usr/bin/chromium', '--version')}; Playwright for .NET 1.64.1, headless, viewport 1440×900")
w("- Batou.Web in Release (`dotnet Batou.Web.dll`, Kestrel on 127.0.0.1, SQLite WAL, server GC on 2 cores, not pinned): "
  "dashboard, engine (the deployment runs in the dashboard process) and Chromium share both cores")
w(f"- parameters: {tabs} tabs ({contexts} browser context{'s' if contexts == 'per-tab' else ''}), {int(lines):,} lines paced at {rate}/s and as a burst, "
  f"{int(rows):,} history rows, a {int(big):,}-line deployment, {commits} commits, {samples} samples per timing")
w("")

w("## 1. Tabs watching one deployment of %s log lines" % f"{int(lines):,}")
w("")
w("bench/WebBlazor `tabs`: one Chromium, the tabs open `/deployments/<id>` of a deployment held (its component waits for a hold "
  "file) until every tab's circuit is up (`body[data-interactive=true]`, `#deployment[data-live=true]`). In each tab a "
  "MutationObserver (on the body: childList, characterData, `data-seq`) records each `#log .log-line` the first time its "
  "`data-seq` is in the DOM; latency = that moment (`performance.timeOrigin + performance.now()`) − the `t=<unix ms>` the "
  "component wrote into the line just before `Log()` (same machine clock). The log is virtualised and follows the tail: only "
  "lines that are in view when the pane renders reach the DOM, so only those are measured (per-tab counts below). Server CPU "
  "= utime+stime of the dashboard (`/proc/PID/stat`) from the release of the hold to the last tab showing the final status. "
  "Memory per circuit = (server RSS with all tabs open and idle − RSS before) / tabs. A warm-up deployment (200 lines) runs first.")
w("")
for env, title in (("paced", f"1.1 Paced: {rate} lines/s"), ("burst", "1.2 Burst: all lines at once")):
    frag = read(f"tabs-{env}.md")
    if frag is None:
        continue
    w(f"### {title}")
    w("")
    w(frag.rstrip())
    w("")
    db = read(f"tabs-{env}.db")
    if db:
        w(f"Deployment row: {db.strip().lstrip('# ').strip()}.")
        w("")
w("Previously (static SSR + SSE, `results/2026-11-22-web-sse-paced.md`, 200 SSE watchers = a C# client reading the stream, "
  "no browser, server pinned to one core, load ~4–9): paced 500 lines/s p50 **6.9 ms**, p99 **26.8 ms**; server CPU 19.94 s in 20.4 s "
  "(98 % of its core), peak RSS 372 MB (workstation GC); burst p50 1,902 ms, p99 3,249 ms (drain time). Those numbers end at the "
  "socket read; these end in the DOM of a browser on the same cores, so they also include Blazor's render batch, the "
  "circuit's SignalR message, Chromium applying it and the pane's 100 ms throttles.")
w("")

w(f"## 2. History with {int(rows):,} deployments, and the page of a {int(big):,}-line deployment")
w("")
hn, ho = js("history-new.json"), js("history-old.json")
if hn:
    w(f"First render: `web_bench.py time` — {samples} sequential GETs per URL (Python urllib, sign-in cookie) after 3 warm-ups; "
      "the new page is prerendered by the server (the newest 25 rows in the response), the old one is static SSR (50 rows). "
      "Both servers seeded with the same rows (`web_bench.py seed`), measured one after the other in this run.")
    w("")
    w("| URL | rows | new p50 | new p95 | new max | old rows | old p50 | old p95 | old max |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for url, r in hn.items():
        o = (ho or {}).get(url, {})
        w(f"| `{url}` | {r['rows']} | {ms(r['p50'])} | **{ms(r['p95'])}** | {ms(r['max'])} | {o.get('rows', '–')} | {ms(o.get('p50'))} | {ms(o.get('p95'))} | {ms(o.get('max'))} |")
    worst = max(r["p95"] for r in hn.values())
    w("")
    w(f"Target first render p95 < 150 ms: {'met' if worst < 150 else '**NOT met**'} (worst p95 {worst:,.1f} ms). "
      "(2026-11-22, quieter machine: `/deployments` p50 1.7 ms, p95 5.0 ms, 200 sequential requests.)")
    w("")
grid = read("grid.md")
if grid:
    w("Page change in the grid (bench/WebBlazor `history`, over the circuit: `MudDataGrid` `ServerData` → count + `Skip/Take`):")
    w("")
    w(grid.rstrip())
    w("")
big_md = read("biglog.md")
if big_md:
    w(f"The finished {int(big):,}-line deployment (bench/WebBlazor `biglog`, 10 fresh tabs after a warm-up, times from the page's navigation start):")
    w("")
    w(big_md.rstrip())
    w("")
    w("Previously (`results/2026-11-22-web-log-100k.md`, static page + htmx, 500 lines, load ~3): navigation → DOMContentLoaded p50 "
      "174.6 / p95 208.6 ms, → load 177.6 / 210.0 ms; there was no circuit to wait for.")
    w("")

bn, bo = js("browse-new.json"), js("browse-old.json")
if bn:
    w("## 3. Browsing: LibGit2Sharp (new) against the git CLI (old)")
    w("")
    w(f"`web_bench.py browse`: a repository of {commits} commits (each changes the `browse` environment and a file beside the "
      "component); first `/repos/bench` once (clone), then the environment page `/repos/bench/at/<commit>/env/browse` at "
      f"**every commit once** (never seen before: tree extraction + engine model load included), then {samples} GETs each of the "
      "environment page at commits already seen, the repository page (commit list) and commit pages (`/repos/bench/at/<commit>`: "
      "environments and changed files). HTTP GET of the whole response; the new pages are prerendered, so model load happens "
      "inside the request as before.")
    w("")
    w("| | new p50 | new p95 | new max | old p50 | old p95 | old max |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    names = {"env_new_commit": "environment page, new commit (model load)", "env_seen_commit": "environment page, commit seen before",
             "repo_page": "repository page (commit list)", "commit_page": "commit page"}
    for k, label in names.items():
        r, o = bn.get(k, {}), (bo or {}).get(k, {})
        w(f"| {label} (n={r.get('n', '–')}) | {ms(r.get('p50'))} | **{ms(r.get('p95'))}** | {ms(r.get('max'))} | {ms(o.get('p50'))} | {ms(o.get('p95'))} | {ms(o.get('max'))} |")
    w("")
    w("No earlier result file has browsing numbers, so the old revision was measured in this run, against the same repository "
      "and at the same load.")
    w("")
srv = read("server-new.txt")
if srv:
    w(f"New dashboard at the end of its part: {srv.strip()}.")
    w("")
os.makedirs(os.path.dirname(result), exist_ok=True)
with open(result, "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
