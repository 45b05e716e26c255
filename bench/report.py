#!/usr/bin/env python3
"""Turns hyperfine JSON exports into the Markdown result file (used by bench/run.sh).

usage: report.py JSONDIR FACTS.md OUT.md ANSIBLE_ITEMS
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hyperfine_table  # noqa: E402

jsondir, facts, out, ansible_items = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def load(name):
    return hyperfine_table.load(jsondir, name)


row = hyperfine_table.row
HEAD = hyperfine_table.HEAD


def mean(r):
    return None if r is None else r["mean"]



a_cold = load("a-cold")
a_compile = load("a-compile-only")
a_warm = load("a-warm-dll")
a_warm_host = load("a-warm-apphost")
a_predict = load("a-warm-predict")
b_cold = load("b-cold")
b_warm = load("b-warm-dll")
b_warm_host = load("b-warm-apphost")
c_first = load("c-copy-first")
c_noop = load("c-copy-noop")
t_first = load("c-template-first")
t_noop = load("c-template-noop")

scale = 1000 / ansible_items
lines = []
with open(facts) as f:
    lines.append(f.read().rstrip())
lines += ["", "## A — 1,000 File components on one host (10 roots × 100 `File`)", "", HEAD,
          row("A cold: first deploy, `rm -rf work/` before each run (Roslyn compile + 1,000 files written)", a_cold),
          row("A cold compile only: `rm -rf work/.batou` (files already in place)", a_compile),
          row("A warm no-op: `dotnet batou.dll deploy local`", a_warm, "target < 1 s"),
          row("A warm no-op: `batou deploy local` (apphost)", a_warm_host, "target < 1 s"),
          row("A warm no-op predict: `dotnet batou.dll deploy -P local`", a_predict),
          "",
          "## B — configure 1,000 roots × 5 sub-components, 500 Provide + 500 RequireOne", "", HEAD,
          row("B cold `deploy -c` (`rm -rf work/`: Roslyn compile of 1,002 classes)", b_cold),
          row("B warm `dotnet batou.dll deploy -c local`", b_warm, "target < 2 s"),
          row("B warm `batou deploy -c local` (apphost)", b_warm_host, "target < 2 s"),
          "",
          f"## C — Ansible side by side ({ansible_items} of the 1,000 files, `-c local -i localhost,`)", "", HEAD,
          row(f"C copy (content:), first run ({ansible_items} files)", c_first),
          row(f"C copy (content:), no-op rerun ({ansible_items} files)", c_noop),
          row(f"C template, first run ({ansible_items} files)", t_first),
          row(f"C template, no-op rerun ({ansible_items} files)", t_noop),
          ""]

summary = ["## Summary", ""]
if a_warm:
    summary.append(f"- A warm no-op (1,000 files, dll): **{a_warm['mean']:.3f} s** — target < 1 s: "
                   + ("**met**" if a_warm["mean"] < 1 else "**not met**"))
if a_cold:
    summary.append(f"- A cold first deploy (compile + write 1,000 files): **{a_cold['mean']:.2f} s**")
if b_warm:
    summary.append(f"- B configure 6,000 components / 1,000 resource relations (dll): **{b_warm['mean']:.3f} s** — target < 2 s: "
                   + ("**met**" if b_warm["mean"] < 2 else "**not met**"))
if c_noop and a_warm:
    est_noop = c_noop["mean"] * scale
    est_first = c_first["mean"] * scale if c_first else None
    if ansible_items == 1000:
        summary.append(f"- Ansible copy no-op (1,000 files): **{c_noop['mean']:.1f} s**; first run: "
                       f"**{c_first['mean']:.1f} s**" if c_first else "")
        summary.append(f"- Ratio ansible/batou, no-op, 1,000 files: **{c_noop['mean'] / a_warm['mean']:.0f}×**")
    else:
        summary.append(f"- Ansible copy no-op, {ansible_items} files: **{c_noop['mean']:.1f} s** "
                       f"(≈ {est_noop:.0f} s for 1,000 files, linear extrapolation ×{scale:g})")
        if est_first:
            summary.append(f"- Ansible copy first run, {ansible_items} files: **{c_first['mean']:.1f} s** (≈ {est_first:.0f} s for 1,000 files)")
        summary.append(f"- Ratio ansible/batou, no-op: **{c_noop['mean'] / a_warm['mean']:.0f}×** for {ansible_items} Ansible files vs 1,000 batou files "
                       f"(≈ **{est_noop / a_warm['mean']:.0f}×** like for like, extrapolated)")
lines += summary + [""]

with open(out, "w") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
