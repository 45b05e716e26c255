#!/usr/bin/env python3
"""Interleaved rounds for bench/compare.sh: medians, peak memory and ratios in one Markdown table.

usage: compare.py PLAN.json FACTS.md OUT.md

PLAN.json: {"rounds": R, "reference": "ours@HEAD", "entries": [
    {"case": "...", "tool": "...", "cwd": "...", "cmd": "...", "prepare": "..." (optional),
     "rounds": N (optional: only the first N rounds), "scale": 10 (optional: multiply the time, extrapolation),
     "note": "..." (optional)}, ...]}

Every round runs every entry once, in plan order (so the tools of a case alternate and share the
same load). Wall clock with time.perf_counter around the process; peak memory is ru_maxrss of
wait4() for that process (the largest of it and the children it waited for); CPU is its user + system
time from the same wait4() (children included), which other processes on a loaded machine disturb far
less than the wall clock. A failing command
stops the benchmark: a number for a broken run means nothing.
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(entry):
    if entry.get("prepare"):
        subprocess.run(entry["prepare"], shell=True, cwd=entry["cwd"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    proc = subprocess.Popen(shlex.split(entry["cmd"]), cwd=entry["cwd"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(output.decode(errors="replace")[-4000:])
        raise SystemExit(f"{entry['tool']} failed in case {entry['case']!r} (exit {proc.returncode}): {entry['cmd']}")
    return elapsed, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime  # s, MiB, CPU s


def main():
    plan_path, facts_path, out_path = sys.argv[1:4]
    with open(plan_path) as f:
        plan = json.load(f)
    entries = plan["entries"]
    samples = {i: [] for i in range(len(entries))}
    for r in range(plan["rounds"]):
        for i, e in enumerate(entries):
            if r >= e.get("rounds", plan["rounds"]):
                continue
            elapsed, rss, cpu = run(e)
            samples[i].append((elapsed * e.get("scale", 1), rss, cpu * e.get("scale", 1)))
            print(f"round {r + 1}: {e['case']} / {e['tool']}: {elapsed:.3f} s, {rss:.0f} MiB, CPU {cpu:.3f} s", file=sys.stderr, flush=True)

    reference = plan["reference"]
    cases = []
    for e in entries:
        if e["case"] not in cases:
            cases.append(e["case"])
    lines = [open(facts_path).read().rstrip(), ""]
    lines.append("| case | tool | median [s] | min [s] | max [s] | runs | peak RSS, median [MiB] | CPU user+sys, median [s] | "
                 f"{reference} / tool (time) | {reference} / tool (RSS) | {reference} / tool (CPU) | notes |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for case in cases:
        rows = [(i, e) for i, e in enumerate(entries) if e["case"] == case]
        ref = next((samples[i] for i, e in rows if e["tool"] == reference), None)
        ref_t = statistics.median(s[0] for s in ref) if ref else None
        ref_m = statistics.median(s[1] for s in ref) if ref else None
        ref_c = statistics.median(s[2] for s in ref) if ref else None
        for i, e in rows:
            s = samples[i]
            t = statistics.median(x[0] for x in s)
            m = statistics.median(x[1] for x in s)
            c = statistics.median(x[2] for x in s)
            ratio_c = f"{ref_c / c:.2f}" if ref_c and c else ""
            ratio_t = f"{ref_t / t:.2f}" if ref_t else ""
            ratio_m = f"{ref_m / m:.2f}" if ref_m and not e.get("scale") else ""
            lines.append(f"| {case} | {e['tool']} | {t:.3f} | {min(x[0] for x in s):.3f} | {max(x[0] for x in s):.3f} | "
                         f"{len(s)} | {m:.0f} | {c:.3f} | {ratio_t} | {ratio_m} | {ratio_c} | {e.get('note', '')} |")
    lines.append("")
    lines.append(f"Ratios are medians of {reference} divided by the tool's median in the same rounds (below 1: "
                 f"{reference} is faster or smaller). Extrapolated rows (scale ≠ 1) have no memory ratio.")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
