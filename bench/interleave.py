"""Times shell commands in interleaved rounds (every round runs every command once, in a rotating
order), so a load that drifts on a shared machine hits all commands alike; hyperfine runs all
runs of one command before the next. Writes hyperfine's JSON shape (results: command, mean,
stddev, median, min, max, user, system, times, users) so the same report code reads either.

usage: interleave.py OUT.json WARMUP ROUNDS NAME COMMAND [NAME COMMAND ...]
User and system CPU come from wait4's rusage of the shell, which includes the processes it waited for.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run(command):
    start = time.perf_counter()
    process = subprocess.Popen(["/bin/bash", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"command failed ({process.returncode}): {command}\n{stderr}")
    return wall, usage.ru_utime, usage.ru_stime


def main():
    out, warmup, rounds, pairs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    commands = list(zip(pairs[0::2], pairs[1::2]))
    for _ in range(warmup):
        for _, command in commands:
            run(command)
    samples = {name: [] for name, _ in commands}
    loads = []
    for i in range(rounds):
        order = commands[i % len(commands):] + commands[:i % len(commands)]
        for name, command in order:
            samples[name].append(run(command))
        loads.append(os.getloadavg()[0])
        print(f"round {i + 1}/{rounds} load {loads[-1]:.2f}", file=sys.stderr)
    results = []
    for name, command in commands:
        times = [s[0] for s in samples[name]]
        users = [s[1] for s in samples[name]]
        systems = [s[2] for s in samples[name]]
        results.append({
            "command": name, "shell": command, "times": times, "users": users,
            "mean": statistics.mean(times), "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
            "median": statistics.median(times), "min": min(times), "max": max(times),
            "user": statistics.mean(users), "user_median": statistics.median(users), "system": statistics.mean(systems),
        })
    with open(out, "w") as f:
        json.dump({"results": results, "loads": loads}, f, indent=1)


if __name__ == "__main__":
    main()
