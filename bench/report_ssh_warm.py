#!/usr/bin/env python3
"""Markdown for bench/ssh-warm-run.sh.

usage: report_ssh_warm.py TIMES.tsv PROFILES_DIR

TIMES.tsv     lines "env<TAB>variant<TAB>wall-ms<TAB>load-1min", one per run (interleaved rounds)
PROFILES_DIR  <env>.<variant>.txt (BATOU_CONNECT_PROFILE lines "host step start-ms end-ms", ms since
              the process started) and <env>.<variant>.ms (that run's wall time)
"""
import os
import statistics
import sys
from collections import defaultdict

CLIENT = {"ssh": "openssh", "ssh-builtin": "builtin", "ssh-builtin-kex": "builtin, `ssh_kex = ^curve25519-sha256`"}
ORDER = ["off", "skip", "skip+par", "warm"]
MEANING = {
    "off": "always transfer, configure before connecting (as before)",
    "skip": "skip the unchanged transfer; configure before connecting",
    "skip+par": "skip, and connect while the controller configures (default, cold)",
    "warm": "skip+par in warm mode (`--warm 5m`): connection and agent kept between runs",
}


def main(times_path, profiles):
    runs = defaultdict(list)
    loads = []
    with open(times_path) as f:
        for line in f:
            env, variant, ms, load = line.rstrip("\n").split("\t")
            runs[(env, variant)].append(int(ms) / 1000)
            loads.append(float(load))
    print("## No-op re-deployment, 4 hosts x 250 files (wall time of the CLI process, seconds)")
    print()
    base_variant = next(v for v in ORDER if any(key[1] == v for key in runs))
    print(f"| client | variant | median | min | max | runs | median / {base_variant} |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for env in CLIENT:
        if (env, base_variant) not in runs:
            continue
        base = statistics.median(runs[(env, base_variant)])
        for variant in ORDER:
            values = runs[(env, variant)]
            if not values:
                continue
            med = statistics.median(values)
            print(f"| {CLIENT[env]} | `{variant}`: {MEANING[variant]} | {med:.2f} | {min(values):.2f} | {max(values):.2f} | {len(values)} | {med / base:.2f} |")
    for env in CLIENT:
        if runs[(env, "skip+par")] and runs[(env, "warm")]:
            cold, warm = statistics.median(runs[(env, "skip+par")]), statistics.median(runs[(env, "warm")])
            print()
            print(f"Warm mode, {CLIENT[env]}: cold (`skip+par`) / warm = {cold / warm:.2f} (medians {cold:.2f} s / {warm:.2f} s, same rounds).")
    if loads:
        print()
        print(f"Load average (1 min) sampled after each run: median {statistics.median(loads):.1f}, min {min(loads):.1f}, max {max(loads):.1f} on {os.cpu_count()} cores.")
    print()
    print("## Profile: one run per variant (`BATOU_CONNECT_PROFILE`), ms since the process started")
    print()
    print("Per host steps: `probe` (connect + home, platform, agent present), `agent-lock` (agent start-up +")
    print("lock + the target's manifest check), `transfer` (rsync / tar stream, packages), `agent-setup` (the agent")
    print("loads the environment and components and configures the model). `(controller) configure` is the")
    print("controller's own configure step. Median over the 4 hosts; `first start`/`last end` over all hosts.")
    print()
    print("| client | variant | wall | controller configure | probe | agent-lock | transfer | agent-setup | first probe start | last setup end |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for env in CLIENT:
        for variant in ORDER:
            path = os.path.join(profiles, f"{env}.{variant}.txt")
            if not os.path.exists(path):
                continue
            steps = defaultdict(list)
            starts = defaultdict(list)
            ends = defaultdict(list)
            with open(path) as f:
                for line in f:
                    host, step, start, end = line.split()
                    steps[step].append(int(end) - int(start))
                    starts[step].append(int(start))
                    ends[step].append(int(end))
            with open(os.path.join(profiles, f"{env}.{variant}.ms")) as f:
                wall = int(f.read().strip())

            def med(step):
                return f"{statistics.median(steps[step]):.0f}" if steps[step] else "–"
            first = min(starts["probe"]) if starts["probe"] else 0
            last = max(ends["agent-setup"]) if ends["agent-setup"] else 0
            print(f"| {CLIENT[env]} | `{variant}` | {wall} | {med('configure')} | {med('probe')} | {med('agent-lock')} | {med('transfer')} | {med('agent-setup')} | {first} | {last} |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
