#!/usr/bin/env python3
"""Turns the SSH benchmark's hyperfine JSON exports into the Markdown result file (used by bench/ssh-run.sh).

usage: report_ssh.py JSONDIR FACTS.md OUT.md CONNECTIONS.txt ANSIBLE_CONNECTIONS.txt SUMMARY_LINE SUMMARIES.txt [BUILTIN_CONNECTIONS.txt BUILTIN_SUMMARY.txt]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hyperfine_table  # noqa: E402

jsondir, facts, out, conn_file, aconn_file, summary_line, summaries_file = sys.argv[1:8]
bconn_file = sys.argv[8] if len(sys.argv) > 8 else ""
bsummary_file = sys.argv[9] if len(sys.argv) > 9 else ""


def load(name):
    return hyperfine_table.load(jsondir, name)


row = hyperfine_table.row
HEAD = hyperfine_table.HEAD
HOSTS_N = int(os.environ.get("BENCH_SSH_HOST_COUNT", "4"))
FILES_N = int(os.environ.get("BENCH_SSH_FILES", "250"))


def pairs(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]



first_upload = load("first-upload")
first_cached = load("first-cached")
noop = load("noop")
b_first_upload = load("builtin-first-upload")
b_first_cached = load("builtin-first-cached")
b_noop = load("builtin-noop")
a_first = load("ansible-first")
a_noop = load("ansible-noop")
conns = pairs(conn_file)
aconns = pairs(aconn_file)
bconns = pairs(bconn_file) if bconn_file else []

lines = []
with open(facts) as f:
    lines.append(f.read().rstrip())
lines += ["", f"## batou — {HOSTS_N} hosts × {FILES_N} files over ssh, `-j {HOSTS_N}`", "", HEAD,
          row("first deployment, agent upload included (`rm -rf ~/.batou ~/bench-ssh` on every host before each run)", first_upload),
          row("first deployment, agent cached (`rm -rf ~/bench-ssh` before each run)", first_cached),
          row("no-op re-deployment", noop, "target < 3 s"),
          ""]
if b_noop:
    lines += ["## batou with `ssh_client = builtin` (SSH.NET in process, tar stream instead of rsync) — the same hosts and files", "", HEAD,
              row("first deployment, agent upload included", b_first_upload),
              row("first deployment, agent cached", b_first_cached),
              row("no-op re-deployment", b_noop, "goal < 1 s"),
              ""]
    if bsummary_file and os.path.exists(bsummary_file):
        with open(bsummary_file) as f:
            text = f.read().strip()
        if text:
            lines += [f"- builtin no-op summary line: `{text}`", ""]
    if bconns:
        lines += ["- ssh connections per host, builtin no-op: " + ", ".join(f"{h} {n}" for h, n in bconns), ""]
lines += [f"## Ansible — the same files, `ansible-playbook copy.yml` (copy module, `forks = {HOSTS_N}`)", "", HEAD,
          row("first run (`rm -rf ~/bench-ssh ~/.ansible` on every host before each run)", a_first),
          row("no-op rerun", a_noop),
          "",
          "## ssh connections per host (\"Accepted publickey\" lines in the sshd log)", "",
          "| host | batou, one no-op run | Ansible, one no-op run |", "|---|---:|---:|"]
aconn = dict((h, n) for h, n in aconns)
for h, n in conns:
    lines.append(f"| {h} | {n} | {aconn.get(h, '–')} |")
lines += ["", "## Where the no-op time goes (the controller's summary line)", "",
          f"- counted run: `{summary_line}`"]
if os.path.exists(summaries_file):
    with open(summaries_file) as f:
        for line in f:
            if line.strip():
                lines.append(f"- `{line.strip()}`")
lines.append("")

summary = ["## Summary", ""]
if noop:
    summary.append(f"- batou no-op re-deployment, {HOSTS_N} hosts × {FILES_N} files: **{noop['mean']:.2f} s** (min {noop['min']:.2f} s) — target < 3 s: "
                   + ("**met**" if noop["mean"] < 3 else "**not met**"))
if first_upload:
    summary.append(f"- batou first deployment with the agent upload: **{first_upload['mean']:.2f} s**")
if first_cached:
    summary.append(f"- batou first deployment, agent cached: **{first_cached['mean']:.2f} s**")
if b_noop:
    summary.append(f"- builtin client no-op re-deployment: **{b_noop['mean']:.2f} s** (min {b_noop['min']:.2f} s) — goal < 1 s: "
                   + ("**met**" if b_noop["mean"] < 1 else "**not met**")
                   + (f"; openssh/builtin: **{noop['mean'] / b_noop['mean']:.2f}×**" if noop else ""))
if b_first_upload:
    summary.append(f"- builtin client first deployment with the agent upload: **{b_first_upload['mean']:.2f} s**; agent cached: "
                   + (f"**{b_first_cached['mean']:.2f} s**" if b_first_cached else "–"))
if conns:
    summary.append("- ssh connections per host, batou no-op: " + ", ".join(f"{h} {n}" for h, n in conns))
if a_first:
    summary.append(f"- Ansible first run: **{a_first['mean']:.1f} s**" + (f"; ratio ansible/batou (first, agent upload included): **{a_first['mean'] / first_upload['mean']:.0f}×**" if first_upload else ""))
if a_noop and noop:
    ratio = a_noop["mean"] / noop["mean"]
    summary.append(f"- Ansible no-op rerun: **{a_noop['mean']:.1f} s**; ratio ansible/batou, no-op: **{ratio:.0f}×** — aim ≥ 5×: "
                   + ("**met**" if ratio >= 5 else "**not met**"))
lines += summary + [""]

with open(out, "w") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
